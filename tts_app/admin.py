from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.urls import path
from django.utils.html import format_html

from runthru_site.errors import UserError
from scripts_app.admin import ScriptAdmin as PlainScriptAdmin
from scripts_app.admin import delete_each
from scripts_app.models import Script
from scripts_app.selectors import script_element_by_id

from . import cache
from .described import character_name, clip_line, engine_label, voice_names
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
    list_display = [*PlainScriptAdmin.list_display, "audio_size"]
    actions = [*PlainScriptAdmin.actions, "purge_audio", "regenerate_audio"]

    @admin.display(description="Audio")
    def audio_size(self, obj: Script) -> str:
        count, total = script_audio_totals(obj.pk)
        return f"{count} clips, {bytes_text(total)}"

    @admin.action(description="Remove the selected scripts' audio to free disk space (Generate makes it again)")
    def purge_audio(self, request, queryset):
        freed = sum(purge(script_id=s.pk).bytes for s in queryset)
        self.message_user(request, f"Removed the audio, freeing {bytes_text(freed)}. Generate makes it again.")

    @admin.action(description="Generate the selected scripts' audio again (every role)")
    def regenerate_audio(self, request, queryset):
        engine = engine_for_new_session()
        for s in queryset:
            voices = default_voice_assignments(script=s, user_role=None, engine=engine)
            job_for(script=s, engine=engine, user_role=None, voice_assignments=voices, reuse=False)
        self.message_user(request, "Started. The home page of this admin shows what is being made.")


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
    parts = [f"{label}: {'ready' if available else 'not set up on this computer yet'}."
             for label, available, _ in cloning_engines()]
    return ("Family voices are spoken by the voice engines that copy a voice. They need a computer with an "
            "NVIDIA graphics card (GPU) and the engine's model files, which whoever looks after the computer "
            "installs; RunThru finds them when it next starts. " + " ".join(parts))


@admin.register(Voice)
class VoiceAdmin(admin.ModelAdmin):
    form = VoiceForm
    list_display = ["name", "length", "player", "usable_now", "created_at"]
    readonly_fields = ["player", "length", "usable_by", "created_at"]
    actions = ["delete_voices"]

    def get_fields(self, request, obj=None):
        # A new voice has nothing to play yet, and its file box already says who can speak it.
        return ["name", "description", "file"] if obj is None else super().get_fields(request, obj)

    @admin.action(description="Delete the selected voices and their recordings (this cannot be undone; "
                              "characters given them are spoken by the first voice of their engine)")
    def delete_voices(self, request, queryset):
        delete_each(self, request, queryset, lambda v: voice_delete(voice=v), "Deleted {count} voice(s).")

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


class PlayFilter(admin.SimpleListFilter):
    title = "play"
    parameter_name = "play"

    def lookups(self, request, model_admin):
        plays = [(str(pk), title) for pk, title in
                 Script.objects.filter(audio_clips__isnull=False).distinct().values_list("pk", "title")]
        return [*plays, ("none", "Said on request (voice previews)")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(script=None)
        return queryset.filter(script_id=self.value()) if self.value() else queryset


class EngineFilter(admin.SimpleListFilter):
    title = "voice engine"
    parameter_name = "engine"

    def lookups(self, request, model_admin):
        used = model_admin.get_queryset(request).values_list("engine", flat=True).distinct()
        return [(name, engine_label(name)) for name in sorted(set(used))]

    def queryset(self, request, queryset):
        return queryset.filter(engine=self.value()) if self.value() else queryset


TECHNICAL = "Technical details"


@admin.register(AudioClip)
class AudioClipAdmin(admin.ModelAdmin):
    list_filter = [PlayFilter, EngineFilter]
    search_fields = ["script__title"]
    fieldsets = [
        (None, {"fields": ["words", "who", "play", "voice_name", "engine_name", "length", "file_size", "player"]}),
        (TECHNICAL, {"classes": ["collapse"],
                     "fields": ["line_id", "voice", "engine", "key", "emotion_hash", "path"]}),
    ]
    readonly_fields = ["words", "who", "play", "voice_name", "engine_name", "length", "file_size", "player",
                       "line_id", "voice", "engine", "key", "emotion_hash", "path"]
    actions = ["purge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("script")

    def get_list_display(self, request):
        names = voice_names()  # once a page, not once a row

        @admin.display(description="Voice")
        def voice_name(obj: AudioClip) -> str:
            return names.get(obj.voice, obj.voice)

        return ["words", "who", voice_name, "length", "file_size", "player"]

    @admin.display(description="Line")
    def words(self, obj: AudioClip) -> str:
        text = clip_line(obj)[1]
        return (text[:117] + "…" if len(text) > 120 else text) or "Speech made on request (a voice preview)"

    @admin.display(description="Said by")
    def who(self, obj: AudioClip) -> str:
        return clip_line(obj)[0] or "—"

    @admin.display(description="Play")
    def play(self, obj: AudioClip) -> str:
        return obj.script.title if obj.script_id else "—"

    @admin.display(description="Voice")
    def voice_name(self, obj: AudioClip) -> str:
        return voice_names().get(obj.voice, obj.voice)

    @admin.display(description="Voice engine")
    def engine_name(self, obj: AudioClip) -> str:
        return engine_label(obj.engine)

    @admin.display(description="Length", ordering="duration")
    def length(self, obj: AudioClip) -> str:
        return seconds_text(obj.duration)

    @admin.display(description="Size", ordering="size")
    def file_size(self, obj: AudioClip) -> str:
        return bytes_text(obj.size)

    @admin.action(description="Delete the selected clips to free disk space (Generate makes them again)")
    def purge_selected(self, request, queryset):
        report = purge(clip_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"Deleted {report.rows} clip(s), freeing {bytes_text(report.bytes)}. "
                                   "Generate makes them again.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        purge(clip_ids=[obj.pk])

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
        extra_context = {**(extra_context or {}), "title": f"Audio clips ({bytes_text(total)} on disk)"}
        return super().changelist_view(request, extra_context)


class FailedLineInline(admin.TabularInline):
    model = JobLine
    verbose_name_plural = "Lines that could not be made"
    fields = ["line_words", "attempts", "engine_name", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=JobLine.Status.FAILED).select_related("job__script")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Line")
    def line_words(self, obj: JobLine) -> str:
        element = script_element_by_id(obj.job.script, obj.line_id)
        if element is None:
            return "A line since removed from the script"
        return f"{character_name(obj.job.script, element.get('character', ''))}: {element['text']}"

    @admin.display(description="Voice engine")
    def engine_name(self, obj: JobLine) -> str:
        return engine_label(obj.engine_used) if obj.engine_used else "—"


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "engine_name", "state", "progress", "failed", "created_at"]
    list_filter = ["state"]
    fieldsets = [
        (None, {"fields": ["script", "for_whom", "engine_name", "state", "progress", "made", "cached", "failed",
                           "error", "audio_length", "time_taken", "created_at", "started_at", "finished_at"]}),
        (TECHNICAL, {"classes": ["collapse"], "fields": ["session_id", "engine", "user_role", "total"]}),
    ]
    readonly_fields = ["script", "for_whom", "engine_name", "state", "progress", "made", "cached", "failed", "error",
                       "audio_length", "time_taken", "created_at", "started_at", "finished_at",
                       "session_id", "engine", "user_role", "total"]
    inlines = [FailedLineInline]
    actions = ["retry_failed", "cancel"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Voices for")
    def for_whom(self, obj: GenerationJob) -> str:
        if not obj.user_role:
            return "Every character"
        return f"Everyone except {character_name(obj.script, obj.user_role)}, whom the teen plays"

    @admin.display(description="Voice engine")
    def engine_name(self, obj: GenerationJob) -> str:
        return engine_label(obj.engine)

    @admin.display(description="Audio made")
    def audio_length(self, obj: GenerationJob) -> str:
        return seconds_text(obj.audio_seconds)

    @admin.display(description="Time taken")
    def time_taken(self, obj: GenerationJob) -> str:
        return seconds_text(obj.elapsed_seconds)

    @admin.display(description="Progress")
    def progress(self, obj: GenerationJob) -> str:
        pct = 100 * obj.finished_count // obj.total if obj.total else 100
        return format_html('<progress max="100" value="{}"></progress> {} of {} lines', pct, obj.finished_count,
                           obj.total)

    @admin.action(description="Try the failed lines again")
    def retry_failed(self, request, queryset):
        for job in queryset:
            job_retry(job=job)
        self.message_user(request, f"Trying {queryset.count()} again.")

    @admin.action(description="Stop making these voices (what is made so far is kept)")
    def cancel(self, request, queryset):
        for job in queryset:
            job_cancel(job=job)
        self.message_user(request, "Stopping. Each stops after the lines it is making now.")
