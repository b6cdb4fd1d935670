from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

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
        return Response(ScriptDetailSerializer(script).data, status=201)

    @extend_schema(responses={200: ScriptDetailSerializer, 404: ErrorSerializer}, summary="One script, parsed")
    def retrieve(self, request, pk=None):
        return Response(ScriptDetailSerializer(script_by_id(pk)).data)

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
        return Response(ScriptDetailSerializer(script).data)

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Delete a script with its sessions and audio (parents; undoable in the admin for a while)")
    def destroy(self, request, pk=None):
        script_soft_delete(script=script_by_id(pk))
        return Response(status=204)

