from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe

from . import limits
from .admin_login import LimitedAdminLoginForm
from .attempts import recordings_purge
from .cues import cue_recordings_purge
from .models import AccessPin, ApiToken, KnownDevice, RehearsalSession, SignInFailure
from .progress import daily_history, most_missed, progress_summary, session_progress
from .progress_chart import progress_svg
from .signin import PIN_RULE, lockouts_clear, new_devices_wait, pin_is_valid_new, pin_set

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

    def has_add_permission(self, request):
        return False


@admin.register(KnownDevice)
class KnownDeviceAdmin(admin.ModelAdmin):
    """Delete a device here to stop trusting it (it keeps any sign-in it has; change the PIN to end those)."""

    list_display = ["__str__", "client_address", "last_signed_in_at"]
    readonly_fields = ["created_at", "last_signed_in_at", "client_address"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RehearsalSession)
class RehearsalSessionAdmin(admin.ModelAdmin):
    list_display = ["script", "user_role", "lines_learnt", "tts_engine", "current_scene_index",
                    "current_line_index", "last_accessed_at"]
    list_filter = ["script", "user_role", "tts_engine"]
    readonly_fields = ["created_at", "last_accessed_at", "lines_learnt_by_scene", "progress_picture"]
    actions = ["purge_recordings", "purge_cue_recordings"]

    @admin.display(description="progress")
    def progress_picture(self, obj):
        if obj.pk is None:
            return "-"
        scenes, _ = session_progress(obj)
        # progress_svg escapes every piece of the script it draws, so the picture is safe inline.
        svg = mark_safe(progress_svg(scenes, daily_history(obj), most_missed(obj)))  # noqa: S308
        return render_to_string("admin/sessions_app/progress_chart.html", {"svg": svg, "session": obj})

    @admin.display(description="lines learnt")
    def lines_learnt(self, obj):
        return progress_summary(obj)

    @admin.display(description="lines learnt, scene by scene")
    def lines_learnt_by_scene(self, obj):
        scenes, _ = session_progress(obj)
        return "; ".join(f"{s.title}: {s.learnt} of {s.total}" for s in scenes if s.total) or "No lines yet"

    @admin.action(description="Delete the teen's kept recordings")
    def purge_recordings(self, request, queryset):
        count = sum(recordings_purge(session=session) for session in queryset)
        self.message_user(request, f"Deleted {count} recording(s).")

    @admin.action(description="Delete the lines a parent recorded")
    def purge_cue_recordings(self, request, queryset):
        count = sum(cue_recordings_purge(session=session) for session in queryset)
        self.message_user(request, f"Deleted {count} recorded line(s). The chosen voices read them again.")
