import json

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from scripts_app.admin import delete_each, when_text
from tts_app.admin import TECHNICAL
from tts_app.described import cast_in_words, character_name, engine_label
from tts_app.units import seconds_text

from . import limits
from .admin_login import LimitedAdminLoginForm
from .attempts import recordings_purge
from .cues import cue_recordings_purge
from .models import AccessPin, ApiToken, KnownDevice, RehearsalSession, SignInFailure
from .progress import daily_history, most_missed, progress_summary, session_progress
from .progress_chart import progress_svg
from .services import session_delete, session_update
from .signin import PIN_RULE, lockouts_clear, new_devices_wait, pin_is_valid_new, pin_set, token_revoke

admin.site.login_form = LimitedAdminLoginForm


class PinForm(forms.ModelForm):
    new_pin = forms.CharField(
        label="New PIN", min_length=limits.PIN_MIN_DIGITS, max_length=limits.PIN_MAX_DIGITS,
        widget=forms.PasswordInput(render_value=False),
        help_text=f"{limits.PIN_MIN_DIGITS} to {limits.PIN_MAX_DIGITS} digits. The teen signs in with this. "
                  "Saving a new PIN signs every device out, so each one signs in again with the new PIN.",
    )

    class Meta:
        model = AccessPin
        fields = []

    def clean_new_pin(self):
        pin = self.cleaned_data["new_pin"]
        if not pin_is_valid_new(pin):
            raise forms.ValidationError(PIN_RULE)
        return pin


@admin.register(AccessPin)
class AccessPinAdmin(admin.ModelAdmin):
    form = PinForm
    list_display = ["__str__", "updated_at"]

    def has_add_permission(self, request):
        return not AccessPin.objects.exists()

    def save_model(self, request, obj, form, change):
        saved = pin_set(pin=form.cleaned_data["new_pin"])
        # The admin logs str(obj) next, which shows when the PIN changed.
        obj.pk, obj.pin_hash, obj.updated_at = saved.pk, saved.pin_hash, saved.updated_at
        self.message_user(request, "Every device was signed out. Sign in again with the new PIN.", messages.WARNING)


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    list_display = ["kind", "client_address", "username", "device", "created_at"]
    list_filter = ["kind", "client_address"]
    readonly_fields = ["kind", "client_address", "username", "device", "created_at"]
    actions = ["clear_all"]
    change_list_template = "admin/sessions_app/signinfailure/change_list.html"

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        waits = []
        for kind, what in ((SignInFailure.Kind.PIN, "sign in with the PIN"),
                           (SignInFailure.Kind.ADMIN, "log in to this admin")):
            wait = new_devices_wait(kind=kind)
            if wait:
                minutes = max(1, round(wait / 60))
                waits.append(f"Because of many wrong guesses, a device that never signed in before must wait "
                             f"{minutes} minute(s) to {what}. Devices that signed in before are not affected.")
        return super().changelist_view(request, {**(extra_context or {}), "runthru_waits": waits})

    def get_urls(self):
        return [path("clear/", self.admin_site.admin_view(self.clear_view), name="clear-lockouts")] + super().get_urls()

    def clear_view(self, request):
        if request.method == "POST":
            count = lockouts_clear()
            self.message_user(request, f"Cleared {count} wrong PIN attempt(s). Everyone can sign in again.",
                              messages.SUCCESS)
        return redirect("admin:sessions_app_signinfailure_changelist")

    @admin.action(description="Clear these lock-outs")
    def clear_all(self, request, queryset):
        count = lockouts_clear(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Cleared {count} wrong PIN attempt(s).")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "expires_at"]
    readonly_fields = ["created_at", "expires_at", "client_address"]
    exclude = ["key_hash"]
    actions = ["sign_out"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        token_revoke(token_id=obj.pk)

    @admin.action(description="Sign out the selected devices (they can sign in again with the PIN)")
    def sign_out(self, request, queryset):
        delete_each(self, request, queryset, lambda t: token_revoke(token_id=t.pk), "Signed out {count} device(s).")


@admin.register(KnownDevice)
class KnownDeviceAdmin(admin.ModelAdmin):
    """Delete a device here to stop trusting it (it keeps any sign-in it has; change the PIN to end those)."""

    list_display = ["__str__", "client_address", "last_signed_in_at"]
    readonly_fields = ["created_at", "last_signed_in_at", "client_address"]
    exclude = ["key_hash"]
    actions = ["forget"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Stop trusting the selected devices (each waits like a new one after wrong PINs)")
    def forget(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"Stopped trusting {count} device(s).")


@admin.register(RehearsalSession)
class RehearsalSessionAdmin(admin.ModelAdmin):
    """Rehearsals start on the teen's pages; here a parent sees how one is going and tidies up."""

    list_display = ["__str__", "lines_learnt", "now_at", "engine_name", "last_used"]
    list_filter = ["script"]
    readonly_fields = ["play", "role", "now_at", "lines_learnt_by_scene", "progress_picture", "cast", "engine_name",
                       "practice_time", "started", "last_used", "technical"]
    fieldsets = [
        (None, {"fields": ["play", "role", "now_at", "lines_learnt_by_scene", "progress_picture", "cast", "engine_name",
                           "practice_time", "keep_recordings", "started", "last_used"]}),
        (TECHNICAL, {"classes": ["collapse"], "fields": ["technical"]}),
    ]
    actions = ["delete_rehearsals", "purge_recordings", "purge_cue_recordings"]

    def has_add_permission(self, request):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["keep_recordings"].label = "Keep the teen's last try at each line"
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {"title": "A rehearsal", **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if "keep_recordings" in form.changed_data:
            keep, obj.keep_recordings = obj.keep_recordings, form.initial["keep_recordings"]
            session_update(session=obj, keep_recordings=keep)  # turning it off deletes the kept recordings

    def delete_model(self, request, obj):
        session_delete(session=obj)

    @admin.display(description="Play")
    def play(self, obj):
        return obj.script.title

    @admin.display(description="The teen plays")
    def role(self, obj):
        return character_name(obj.script, obj.user_role)

    @admin.display(description="Now at")
    def now_at(self, obj):
        scenes = obj.script.scenes
        if not scenes:
            return "The start"
        scene = scenes[min(obj.current_scene_index, len(scenes) - 1)]
        return scene.get("title") or f"Scene {scene['index'] + 1}"

    @admin.display(description="Voices")
    def cast(self, obj):
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in
                                cast_in_words(obj.script, obj.voice_assignments))) or "The usual voices"

    @admin.display(description="Voice engine")
    def engine_name(self, obj):
        return engine_label(obj.tts_engine)

    @admin.display(description="Time rehearsed")
    def practice_time(self, obj):
        return seconds_text(obj.practice_seconds) if obj.practice_seconds else "Not yet"

    @admin.display(description="Started")
    def started(self, obj):
        return when_text(obj.created_at)

    @admin.display(description="Last rehearsed", ordering="last_accessed_at")
    def last_used(self, obj):
        return when_text(obj.last_accessed_at)

    @admin.display(description="For a director")
    def technical(self, obj):
        return format_html(
            "<dl><dt>Rehearsal</dt><dd><code>{}</code></dd><dt>Role</dt><dd><code>{}</code></dd>"
            "<dt>Scene and line</dt><dd>{}, {}</dd><dt>Voices</dt><dd><code>{}</code></dd>"
            "<dt>Scene runs</dt><dd><code>{}</code></dd></dl>",
            obj.pk, obj.user_role, obj.current_scene_index, obj.current_line_index,
            json.dumps(obj.voice_assignments), json.dumps(obj.scene_runs))

    @admin.display(description="Progress")
    def progress_picture(self, obj):
        if obj.pk is None:
            return "-"
        scenes, _ = session_progress(obj)
        # progress_svg escapes every piece of the script it draws, so the picture is safe inline.
        svg = mark_safe(progress_svg(scenes, daily_history(obj), most_missed(obj)))  # noqa: S308
        return render_to_string("admin/sessions_app/progress_chart.html", {"svg": svg, "session": obj})

    @admin.display(description="Lines learnt")
    def lines_learnt(self, obj):
        return progress_summary(obj)

    @admin.display(description="Lines learnt, scene by scene")
    def lines_learnt_by_scene(self, obj):
        scenes, _ = session_progress(obj)
        return "; ".join(f"{s.title}: {s.learnt} of {s.total}" for s in scenes if s.total) or "No lines yet"

    @admin.action(description="Delete the selected rehearsals, with the teen's tries and recordings "
                              "(this cannot be undone; the play stays)")
    def delete_rehearsals(self, request, queryset):
        delete_each(self, request, queryset, lambda s: session_delete(session=s), "Deleted {count} rehearsal(s).")

    @admin.action(description="Delete the teen's kept recordings of their lines (this cannot be undone)")
    def purge_recordings(self, request, queryset):
        count = sum(recordings_purge(session=session) for session in queryset)
        self.message_user(request, f"Deleted {count} recording(s).")

    @admin.action(description="Delete the lines a parent recorded (this cannot be undone; "
                              "the chosen voices read them again)")
    def purge_cue_recordings(self, request, queryset):
        count = sum(cue_recordings_purge(session=session) for session in queryset)
        self.message_user(request, f"Deleted {count} recorded line(s). The chosen voices read them again.")
