from django.conf import settings
from django.db import connection
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from tts_app.health import engines_health, queue_depth


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: OpenApiResponse(description="All is well"), 503: OpenApiResponse()},
                   summary="Is RunThru working?")
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            database = "ok"
        except Exception:  # any database failure means "not reachable"
            database = "unreachable"
        body = {
            "status": "ok" if database == "ok" else "degraded",
            "version": settings.VERSION,
            "database": database,
            "engines": engines_health(),
            "queue_depth": queue_depth() if database == "ok" else None,
        }
        return Response(body, status=200 if database == "ok" else 503)
