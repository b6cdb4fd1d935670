"""Rehearsal rooms over HTTP. Opening one takes the teen's or a parent's sign-in; everything
else takes the room's own token (the host's or a member's, `Authorization: Bearer`), which
opens that room and nothing else: these views read no other sign-in, and no other view
knows room tokens."""

from __future__ import annotations

import segno
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import authentication
from rest_framework.response import Response
from rest_framework.views import APIView

from runthru_site.env import env_str
from runthru_site.errors import UserError
from sessions_app.room_selectors import member_for_token, room_open_by_code, room_script
from sessions_app.rooms import (
    member_seen,
    room_claim,
    room_close,
    room_create,
    room_done,
    room_goto,
    room_join,
    room_note,
    room_pause,
    room_release,
    room_set_playback,
    room_tick,
)
from sessions_app.selectors import session_get

from ..throttles import RoomJoinThrottle
from .audio import session_line_audio
from .room_serializers import (
    CharacterSerializer,
    GotoSerializer,
    LineSerializer,
    NoteSerializer,
    PauseSerializer,
    RoomCreatedSerializer,
    RoomCreateSerializer,
    RoomInviteSerializer,
    RoomJoinedSerializer,
    RoomJoinSerializer,
    RoomScriptSerializer,
    RoomSettingsSerializer,
    RoomStateSerializer,
    room_state_json,
)
from .serializers import ErrorSerializer

ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def join_url(request, code: str) -> str:
    # With `runthru --lan` the phones' address (HTTPS) is the one to hand out, even when the
    # host opened the room on the computer itself.
    base = env_str("RUNTHRU_LAN_URL").rstrip("/") or request.build_absolute_uri("/").rstrip("/")
    return f"{base}/rooms/{code}"


def _invite(request, code: str) -> dict:
    url = join_url(request, code)
    return {"code": code, "join_url": url, "qr_svg": segno.make(url, error="m").svg_inline(scale=5)}


def room_member(request, code: str, *, host: bool = False):
    """The member whose room token came with the request, in the open room `code`."""
    header = authentication.get_authorization_header(request).split()
    raw = header[1].decode("latin-1") if len(header) == 2 and header[0].lower() == b"bearer" else ""
    member = member_for_token(code, raw)
    if member is None:
        room_open_by_code(code)  # an unknown or closed room is a 404, a stranger to an open one a 401
        raise UserError("Open the room's link again to join it.", code="not_in_room", status=401)
    if host and not member.is_host:
        raise UserError("Only the host can do that.", code="host_only", status=403)
    member_seen(member=member)
    return member


class _RoomView(APIView):
    authentication_classes: list = []
    permission_classes: list = []


class RoomsView(APIView):
    @extend_schema(request=RoomCreateSerializer, responses={201: RoomCreatedSerializer, 400: ErrorSerializer,
                                                            404: ErrorSerializer, 429: ErrorSerializer},
                   summary="Open a rehearsal room: a code, a link and a QR code for castmates")
    def post(self, request):
        data = RoomCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        room, host_token = room_create(session=session_get(v["session"]), name=v["name"], playback=v["playback"])
        host = room.members.get(is_host=True)
        body = {**_invite(request, room.code), "host_token": host_token, "member_id": host.pk}
        return Response(RoomCreatedSerializer(body).data, status=201)


class RoomView(_RoomView):
    @extend_schema(responses={200: RoomStateSerializer, **ERRORS}, summary="The room's state (host or member)")
    def get(self, request, code: str):
        member = room_member(request, code)
        room_tick(room_id=member.room_id)  # a reader moves a room on whose deadline passed
        return Response(room_state_json(member.room_id))

    @extend_schema(request=RoomSettingsSerializer, responses={200: RoomStateSerializer, **ERRORS},
                   summary="Where free parts play: only the host's device, or everyone's (host only)")
    def patch(self, request, code: str):
        member = room_member(request, code, host=True)
        data = RoomSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        room_set_playback(member=member, playback=data.validated_data["playback"])
        return Response(room_state_json(member.room_id))

    @extend_schema(responses={204: None, **ERRORS}, summary="Close the room (host only)")
    def delete(self, request, code: str):
        member = room_member(request, code, host=True)
        room_close(room=member.room)
        return Response(status=204)


class RoomInviteView(_RoomView):
    @extend_schema(responses={200: RoomInviteSerializer, **ERRORS}, summary="The room's link and QR code (host only)")
    def get(self, request, code: str):
        member = room_member(request, code, host=True)
        return Response(RoomInviteSerializer(_invite(request, member.room.code)).data)


class RoomMembersView(_RoomView):
    throttle_classes = [RoomJoinThrottle]

    @extend_schema(request=RoomJoinSerializer, responses={201: RoomJoinedSerializer, 400: ErrorSerializer,
                                                          404: ErrorSerializer, 409: ErrorSerializer,
                                                          429: ErrorSerializer},
                   summary="Join a room with its code and a first name (no sign-in)")
    def post(self, request, code: str):
        room = room_open_by_code(code)
        data = RoomJoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member, token = room_join(room=room, name=data.validated_data["name"])
        return Response(RoomJoinedSerializer({"member_id": member.pk, "token": token}).data, status=201)


class RoomScriptView(_RoomView):
    @extend_schema(responses={200: RoomScriptSerializer, **ERRORS},
                   summary="The play as the room reads it, with the director's notes")
    def get(self, request, code: str):
        member = room_member(request, code)
        return Response(RoomScriptSerializer(room_script(member.room)).data)


class RoomAudioView(_RoomView):
    @extend_schema(responses={(200, "audio/mpeg"): OpenApiResponse(description="The line as the room hears it"),
                              **ERRORS}, summary="A line's audio in the room's voices")
    def get(self, request, code: str, line_id: str):
        member = room_member(request, code)
        session = member.room.session
        return session_line_audio(session, session.script, line_id, request)


def _action(serializer, run, summary: str, *, host: bool = False):
    """One POST /api/rooms/{code}/<action>: read the body, do it, answer the new state."""

    class ActionView(_RoomView):
        @extend_schema(request=serializer, responses={200: RoomStateSerializer, 400: ErrorSerializer, **ERRORS},
                       summary=summary)
        def post(self, request, code: str):
            member = room_member(request, code, host=host)
            data = serializer(data=request.data)
            data.is_valid(raise_exception=True)
            run(member, data.validated_data)
            return Response(room_state_json(member.room_id))

    ActionView.__name__ = ActionView.__qualname__ = f"Room{summary.split()[0].capitalize()}View"
    return ActionView.as_view()


claim_view = _action(CharacterSerializer, lambda m, v: room_claim(member=m, character=v["character"]),
                     "Claim a character (409 when another member plays it)")
release_view = _action(CharacterSerializer, lambda m, v: room_release(member=m, character=v["character"]),
                       "Release a character: RunThru reads it again")
done_view = _action(LineSerializer, lambda m, v: room_done(member=m, line_id=v["line_id"]),
                    "Done with the current line (its speaker or the host; 409 when it is not the current line)")
goto_view = _action(GotoSerializer, lambda m, v: room_goto(member=m, **v),
                    "Go to a line or a scene (host only)", host=True)
pause_view = _action(PauseSerializer, lambda m, v: room_pause(member=m, paused=v["paused"]),
                     "Pause or carry on (host only)", host=True)
note_view = _action(NoteSerializer, lambda m, v: room_note(member=m, line_id=v["line_id"], text=v["text"]),
                    "Note a line for the actor who says it (host only)", host=True)
