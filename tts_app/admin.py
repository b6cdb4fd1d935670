from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.urls import path
from django.utils.html import format_html

from runthru_site.errors import UserError
from scripts_app.admin import ScriptAdmin as PlainScriptAdmin
from scripts_app.models import Script

from . import cache
from .jobs import job_cancel, job_for, job_retry
from .models import AudioClip, GenerationJob, JobLine, Voice
from .purge import purge
from .selectors import clip_find, cloning_engines, script_audio_totals, voice_find
from .services import default_voice_assignments, engine_for_new_session
from .units import bytes_text, seconds_text
from .voices import voice_delete, voice_upload

# The script admin, with what this app adds to it: how much audio each script has,
# and actions to remove or remake it.
admin.site.unregister(Script)


@admin.register(Script)
class ScriptAdmin(PlainScriptAdmin):
    list_display = [*PlainScriptAdmin.list_display[:-1], "audio_size", PlainScriptAdmin.list_display[-1]]
    actions = [*PlainScriptAdmin.actions, "purge_audio", "regenerate_audio"]

    @admin.display(description="Audio")
    def audio_size(self, obj: Script) -> str:
        count, total = script_audio_totals(obj.pk)
        return f"{count} clips, {bytes_text(total)}"

    @admin.action(description="Delete the selected scripts' audio")
    def purge_audio(self, request, queryset):
        freed = sum(purge(script_id=s.pk).bytes for s in queryset)
        self.message_user(request, f"Deleted the audio, freeing {freed / 1e6:.1f} MB.")

    @admin.action(description="Generate the selected scripts' audio again (every role)")
    def regenerate_audio(self, request, queryset):
        engine = engine_for_new_session()
        for s in queryset:
            voices = default_voice_assignments(script=s, user_role=None, engine=engine)
            job_for(script=s, engine=engine, user_role=None, voice_assignments=voices, reuse=False)
        self.message_user(request, "Queued. Follow the progress under Generation jobs.")


FILE_HELP = "A WAV, FLAC, OGG or MP3 recording, 3 to 30 seconds long."


class VoiceForm(forms.ModelForm):
    file = forms.FileField(required=False, help_text=FILE_HELP)

    class Meta:
        model = Voice
        fields = ["name", "description"]

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("file"):
            raise ValidationError("Choose a recording to upload.")
        return data


def family_voice_note() -> str:
    """Which engines speak in a family voice, and whether they can on this computer."""
    parts = []
    for label, available, reason in cloning_engines():
        parts.append(f"{label}: ready." if available else f"{label}: not set up here ({reason.rstrip('.')}).")
    return ("Family voices are spoken by the voice engines that copy a voice, which need a graphics card "
            "(GPU) and their model files. " + " ".join(parts))


@admin.register(Voice)
class VoiceAdmin(admin.ModelAdmin):
    form = VoiceForm
    list_display = ["name", "length", "player", "usable_now", "created_at"]
    readonly_fields = ["player", "length", "usable_by", "created_at"]

    @admin.display(description="Length", ordering="duration")
    def length(self, obj: Voice) -> str:
        return seconds_text(obj.duration)

    @admin.display(description="Used by")
    def usable_by(self, obj: Voice) -> str:
        return family_voice_note()

    @admin.display(description="Can speak now", boolean=True)
    def usable_now(self, obj: Voice) -> bool:
        return any(available for _, available, _ in cloning_engines())

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["file"].help_text = f"{FILE_HELP} {family_voice_note()}"
        return form

    def save_model(self, request, obj, form, change):
        self._save_voice(request, obj, form, change)
        if not change and not any(available for _, available, _ in cloning_engines()):
            self.message_user(request, "Saved. Nobody hears this voice yet: " + family_voice_note(), messages.WARNING)

    @admin.display(description="Listen")
    def player(self, obj: Voice) -> str:
        if not obj.pk:
            return ""
        return format_html('<audio controls preload="none" src="/admin/tts_app/voice/{}/play/"></audio>', obj.pk)

    def get_urls(self):
        return [
            path("<str:pk>/play/", self.admin_site.admin_view(self.play_view), name="voice-play"),
        ] + super().get_urls()

    def play_view(self, request, pk):
        voice = voice_find(pk)
        if voice is None:
            raise Http404
        return FileResponse(open(settings.RUNTHRU_VOICES_DIR / voice.path, "rb"), content_type="audio/wav")

    def _save_voice(self, request, obj, form, change):
        if change:
            obj.save()
            return
        try:
            saved = voice_upload(upload=form.cleaned_data["file"], name=obj.name, description=obj.description)
        except UserError as exc:
            raise ValidationError(exc.message) from None
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        voice_delete(voice=obj)


@admin.register(AudioClip)
class AudioClipAdmin(admin.ModelAdmin):
    list_display = ["line_id", "script", "engine", "voice", "length", "file_size", "player"]

    @admin.display(description="Length", ordering="duration")
    def length(self, obj: AudioClip) -> str:
        return seconds_text(obj.duration)

    @admin.display(description="Size", ordering="size")
    def file_size(self, obj: AudioClip) -> str:
        return bytes_text(obj.size)
    list_filter = ["engine", "script"]
    exclude = ["duration", "size"]  # shown as length and file size, in units a parent reads
    readonly_fields = [f.name for f in AudioClip._meta.fields if f.name not in ("duration", "size")] + [
        "length", "file_size", "player"]
    actions = ["purge_selected"]

    @admin.action(description="Delete the selected clips (rows and files)")
    def purge_selected(self, request, queryset):
        report = purge(clip_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"Deleted {report.rows} clip(s), freeing {report.bytes / 1e6:.1f} MB.")

    def has_add_permission(self, request):
        return False

    @admin.display(description="Listen")
    def player(self, obj: AudioClip) -> str:
        return format_html('<audio controls preload="none" src="/admin/tts_app/audioclip/{}/play/"></audio>', obj.pk)

    def get_urls(self):
        return [
            path("<int:pk>/play/", self.admin_site.admin_view(self.play_view), name="clip-play"),
        ] + super().get_urls()

    def play_view(self, request, pk):
        clip = clip_find(pk)
        if clip is None:
            raise Http404
        return FileResponse(open(cache.absolute(clip.path), "rb"), content_type=cache.content_type(clip.path))

    def changelist_view(self, request, extra_context=None):
        _, total = script_audio_totals(None)
        extra_context = {**(extra_context or {}), "title": f"Audio clips ({bytes_text(total)} in the cache)"}
        return super().changelist_view(request, extra_context)


class FailedLineInline(admin.TabularInline):
    model = JobLine
    verbose_name_plural = "Lines that could not be made"
    fields = ["line_id", "attempts", "engine_used", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=JobLine.Status.FAILED)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ["script", "engine", "state", "progress", "failed", "created_at", "finished_at"]
    list_filter = ["state", "engine"]
    readonly_fields = ["script", "session_id", "engine", "user_role", "state", "progress", "total", "made", "cached",
                       "failed", "error", "audio_length", "time_taken", "created_at", "started_at", "finished_at"]
    exclude = ["voice_assignments", "fingerprint", "heartbeat_at", "cancel_requested", "audio_seconds"]
    inlines = [FailedLineInline]
    actions = ["retry_failed", "cancel"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Audio made")
    def audio_length(self, obj: GenerationJob) -> str:
        return seconds_text(obj.audio_seconds)

    @admin.display(description="Time taken")
    def time_taken(self, obj: GenerationJob) -> str:
        return seconds_text(obj.elapsed_seconds)

    @admin.display(description="Progress")
    def progress(self, obj: GenerationJob) -> str:
        pct = 100 * obj.finished_count // obj.total if obj.total else 100
        return format_html('<progress max="100" value="{}"></progress> {} / {}', pct, obj.finished_count, obj.total)

    @admin.action(description="Try the failed lines again")
    def retry_failed(self, request, queryset):
        for job in queryset:
            job_retry(job=job)
        self.message_user(request, f"Queued {queryset.count()} job(s) again.")

    @admin.action(description="Cancel")
    def cancel(self, request, queryset):
        for job in queryset:
            job_cancel(job=job)
        self.message_user(request, "Cancelled. Jobs stop after the lines they are making now.")
