from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from runthru_site.errors import UserError
from scripts_app.selectors import script_get
from sessions_app.selectors import plain_id, session_get, session_list
from sessions_app.services import session_create, session_delete, session_touch, session_update

from .serializers import (
    ErrorSerializer,
    SessionCreateSerializer,
    SessionDetailSerializer,
    SessionStateSerializer,
    SessionUpdateSerializer,
)


class SessionViewSet(viewsets.ViewSet):
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[OpenApiParameter("script", int, description="Only rehearsals of this script")],
        responses={200: SessionStateSerializer(many=True), 400: ErrorSerializer},
        summary="List rehearsals, newest first",
    )
    def list(self, request):
        script_id = request.query_params.get("script")
        if script_id is not None:
            script_id = plain_id(script_id)
            if script_id is None:
                raise UserError("The script filter must be a script id (a number).", code="bad_filter")
        return Response(SessionStateSerializer(session_list(script_id=script_id)[:200], many=True).data)

    @extend_schema(
        request=SessionCreateSerializer,
        responses={201: SessionDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Start a rehearsal",
    )
    def create(self, request):
        data = SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        session = session_create(
            script=script_get(v["script_id"]), user_role=v["user_role"],
            voice_assignments=v.get("voice_assignments"), tts_engine=v.get("tts_engine"),
            name=v.get("name", ""),
        )
        return Response(SessionDetailSerializer(session).data, status=201)

    @extend_schema(responses={200: SessionDetailSerializer, 404: ErrorSerializer}, summary="A rehearsal's state")
    def retrieve(self, request, pk=None):
        session = session_get(pk)
        session_touch(session=session)
        return Response(SessionDetailSerializer(session).data)

    @extend_schema(
        request=SessionUpdateSerializer,
        responses={200: SessionDetailSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Move the position or change role, voices, engine or the teen's name",
    )
    def partial_update(self, request, pk=None):
        session = session_get(pk)
        data = SessionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_update(session=session, **data.validated_data)
        return Response(SessionDetailSerializer(session).data)

    @extend_schema(responses={204: None, 404: ErrorSerializer}, summary="Delete a rehearsal")
    def destroy(self, request, pk=None):
        session_delete(session=session_get(pk))
        return Response(status=204)
