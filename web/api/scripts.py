from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from runthru_site.errors import UserError
from scripts_app.services import script_create, script_create_from_upload, script_soft_delete, script_update
from sessions_app.selectors import script_by_id, scripts_with_last_rehearsal

from ..authentication import IsParent, IsSignedIn
from .serializers import (
    ErrorSerializer,
    ScriptCreateSerializer,
    ScriptDetailSerializer,
    ScriptListItemSerializer,
    ScriptUpdateSerializer,
)


def _etag(script) -> str:
    return f'"v{script.version}"'


def _with_etag(script, status: int = 200) -> Response:
    response = Response(ScriptDetailSerializer(script).data, status=status)
    response["ETag"] = _etag(script)
    return response


def _if_match(request) -> int | None:
    """The version named by If-Match ("v3", as the ETag gave it), or None when there is none."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.startswith("v") or not value[1:].isdigit():
        raise UserError("Send back the ETag this script came with, like \"v3\".", code="bad_if_match")
    return int(value[1:])


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The ETag from reading the script: if it changed since, the answer is 412 and nothing is saved.")


class ScriptViewSet(viewsets.ViewSet):
    lookup_value_regex = "[^/]+"

    def get_permissions(self):
        if self.action == "destroy":
            return [IsSignedIn(), IsParent()]
        return super().get_permissions()

    @extend_schema(responses={200: ScriptListItemSerializer(many=True)}, summary="List scripts")
    def list(self, request):
        return Response(ScriptListItemSerializer(scripts_with_last_rehearsal(), many=True).data)

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
        if values.get("file") is not None:  # a PDF or Word file is read here, outside any transaction
            script = script_create_from_upload(upload=values["file"], title=values.get("title"), fmt=fmt,
                                               aliases=values.get("aliases"))
        else:
            script = script_create(source=values.get("markdown_source", ""), title=values.get("title"), fmt=fmt,
                                   aliases=values.get("aliases"))
        return _with_etag(script, status=201)

    @extend_schema(responses={200: ScriptDetailSerializer, 404: ErrorSerializer},
                   summary="One script, parsed (with its version as the ETag)")
    def retrieve(self, request, pk=None):
        return _with_etag(script_by_id(pk))

    @extend_schema(
        request=ScriptUpdateSerializer, parameters=[IF_MATCH],
        responses={200: ScriptDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer,
                   412: ErrorSerializer},
        summary="Change the title, text or aliases (409/412 if another device changed it since you read it)",
    )
    def partial_update(self, request, pk=None):
        script = script_by_id(pk)
        data = ScriptUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if_match = _if_match(request)
        script = script_update(
            script=script, title=v.get("title"), source=v.get("markdown_source"), fmt=v.get("format"),
            aliases=v.get("aliases"),
            expected_version=if_match if if_match is not None else v.get("version"),
            conflict_status=412 if if_match is not None else 409,
        )
        return _with_etag(script)

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Delete a script with its sessions and audio (parents; undoable in the admin for a while)")
    def destroy(self, request, pk=None):
        script_soft_delete(script=script_by_id(pk))
        return Response(status=204)

