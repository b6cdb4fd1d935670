"""The admin's home page: what a parent looks at first, and the buttons they need.

It lives in `web`, the top app, because it reads every app; its buttons call the same
services the API and the other admin pages call."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from scripts_app.selectors import deleted_scripts, script_list
from scripts_app.services import script_restore
from sessions_app.models import AccessPin
from sessions_app.progress import progress_summary
from sessions_app.selectors import session_list
from tts_app.described import engine_label
from tts_app.purge import purge
from tts_app.selectors import jobs_running, script_audio_totals
from tts_app.units import bytes_text

UNHEARD_DAYS = 30  # audio nobody played for this long goes with "Free disk space"


def dashboard_context(request) -> dict:
    count, total = script_audio_totals(None)
    pin = AccessPin.objects.first()
    return {
        "runthru_plays": list(script_list().order_by("title")),
        "runthru_rehearsals": [(session, progress_summary(session)) for session in session_list()[:50]],
        "runthru_audio": f"{count} clips, {bytes_text(total)}",
        "runthru_jobs": [(job, engine_label(job.engine)) for job in jobs_running()],
        "runthru_deleted": [(script, script.deleted_at + timedelta(days=settings.RUNTHRU_UNDO_DAYS))
                            for script in deleted_scripts()],
        "runthru_pin_url": (f"sessions_app/accesspin/{pin.pk}/change/" if pin else "sessions_app/accesspin/add/"),
        "runthru_unheard_days": UNHEARD_DAYS,
    }


@require_POST
def free_disk_space(request):
    if not request.user.has_perm("tts_app.delete_audioclip"):
        raise PermissionDenied
    report = purge(older_than_days=UNHEARD_DAYS, orphans=True)
    messages.success(request, f"Freed {bytes_text(report.bytes)}. Generate makes any of it again when it is needed.")
    return redirect("admin:index")


@require_POST
def bring_back(request, script_id: int):
    if not request.user.has_perm("scripts_app.change_script"):
        raise PermissionDenied
    script = deleted_scripts().filter(pk=script_id).first()
    if script is None:
        raise Http404
    script_restore(script=script)
    messages.success(request, f"{script.title} is back, with its rehearsals and audio.")
    return redirect("admin:index")


def install(site: admin.AdminSite) -> None:
    """Make the dashboard the admin's home page and add its two buttons' addresses."""
    plain_index, plain_urls = site.index, site.get_urls

    def index(request, extra_context=None):
        return plain_index(request, {**dashboard_context(request), **(extra_context or {})})

    def get_urls():
        return [
            path("dashboard/free-disk-space/", site.admin_view(free_disk_space), name="runthru-free-disk-space"),
            path("dashboard/bring-back/<int:script_id>/", site.admin_view(bring_back), name="runthru-bring-back"),
        ] + plain_urls()

    site.index, site.get_urls = index, get_urls

