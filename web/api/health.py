from django.conf import settings
from django.db import connection
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from tts_app.health import disk_free_bytes, disk_nearly_full, engines_health, queue_depth

from ..authentication import Parent, Rehearser


class HealthView(APIView):
    """Anyone (a load balancer) learns whether RunThru answers and reaches its database; the
    version, the engines and the queue are for someone signed in, not for strangers to probe."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: OpenApiResponse(description="All is well"), 503: OpenApiResponse()},
                   summary="Is RunThru working? (details when signed in)")
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            database = "ok"
        except Exception:  # any database failure means "not reachable"
            database = "unreachable"
        disk = "nearly full" if disk_nearly_full() else "ok"
        status = "ok" if database == "ok" and disk == "ok" else "degraded"
        code = 200 if status == "ok" else 503
        if not isinstance(request.user, (Rehearser, Parent)):
            return Response({"status": status}, status=code)
        body = {
            "status": status,
            "version": settings.VERSION,
            "database": database,
            "disk": disk,
            "disk_free_bytes": disk_free_bytes(),
            "engines": engines_health(),
            "queue_depth": queue_depth() if database == "ok" else None,
            "parent": isinstance(request.user, Parent),  # the pages offer a parent's buttons only to a parent
            "undo_days": settings.RUNTHRU_UNDO_DAYS,
        }
        return Response(body, status=code)
