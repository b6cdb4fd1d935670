from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from runthru_site.errors import UserError
from scripts_app.selectors import script_list
from scripts_app.services import script_create, script_delete, script_text_from_bytes, script_update

from ..selectors import script_by_id
from .serializers import (
    ErrorSerializer,
    ScriptCreateSerializer,
    ScriptDetailSerializer,
    ScriptListItemSerializer,
    ScriptUpdateSerializer,
)

ALLOWED_SUFFIXES = (".md", ".markdown", ".txt", ".fountain", ".spmd")


def script_list_item(script, last_rehearsed=None) -> dict:
    return {
        "id": script.pk,
        "title": script.title,
        "character_count": len(script.characters),
        "line_count": script.line_count,
        "updated_at": script.updated_at,
        "last_rehearsed_at": last_rehearsed,
    }


def script_detail(script) -> dict:
    return {
        "id": script.pk,
        "title": script.title,
        "format": script.format,
        "markdown_source": script.markdown_source,
        "aliases": script.aliases,
        "parsed": script.parsed_json,
        "created_at": script.created_at,
        "updated_at": script.updated_at,
    }


def _read_upload(upload) -> tuple[str, str]:
    name = upload.name or ""
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise UserError(
            "Upload a script saved as .md, .txt or .fountain.", code="bad_file_type",
            details={"allowed": list(ALLOWED_SUFFIXES)},
        )
    text = script_text_from_bytes(upload.read())
    fmt = "fountain" if name.lower().endswith(".fountain") else "auto"
    return text, fmt


class ScriptViewSet(viewsets.ViewSet):
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: ScriptListItemSerializer(many=True)}, summary="List scripts")
    def list(self, request):
        from django.db.models import Max

        from sessions_app.models import RehearsalSession

        last = dict(
            RehearsalSession.objects.values_list("script_id").annotate(m=Max("last_accessed_at")).values_list(
                "script_id", "m"
            )
        )
        return Response([script_list_item(s, last.get(s.pk)) for s in script_list()])

    @extend_schema(
        request={"application/json": ScriptCreateSerializer, "multipart/form-data": ScriptCreateSerializer},
        responses={201: ScriptDetailSerializer, 400: ErrorSerializer, 413: ErrorSerializer},
        summary="Add a script (JSON text or a file upload)",
    )
    def create(self, request):
        data = ScriptCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        fmt = values.get("format", "auto")
        if values.get("file") is not None:
            source, detected = _read_upload(values["file"])
            if fmt == "auto":
                fmt = detected
        else:
            source = values.get("markdown_source", "")
        script = script_create(source=source, title=values.get("title"), fmt=fmt, aliases=values.get("aliases"))
        return Response(script_detail(script), status=201)

    @extend_schema(responses={200: ScriptDetailSerializer, 404: ErrorSerializer}, summary="One script, parsed")
    def retrieve(self, request, pk=None):
        return Response(script_detail(script_by_id(pk)))

    @extend_schema(
        request=ScriptUpdateSerializer,
        responses={200: ScriptDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Change the title, text or aliases",
    )
    def partial_update(self, request, pk=None):
        script = script_by_id(pk)
        data = ScriptUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        script = script_update(
            script=script, title=v.get("title"), source=v.get("markdown_source"), fmt=v.get("format"),
            aliases=v.get("aliases"),
        )
        return Response(script_detail(script))

    @extend_schema(responses={204: None, 404: ErrorSerializer}, summary="Delete a script, its sessions and audio")
    def destroy(self, request, pk=None):
        script_delete(script=script_by_id(pk))
        return Response(status=204)

