"""Reads of rehearsal rooms: who a token is, the state every phone shows, the script they read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from runthru_site.errors import NotFound
from scripts_app.selectors import is_user_line, script_elements

from . import limits
from .models import LineNote, Room, RoomMember
from .rooms import holder_of, room_lines, speakers_of, token_hash

# A socket counts as connected while its process keeps saying so (web/consumers.py beats
# every few seconds); a process that died stops, and its members drop off.
CONNECTED_WITHIN = timedelta(seconds=10)
ROOM_GONE = "We couldn't find that room. Check the code, or ask the host for a new one."


def room_open_by_code(code) -> Room:
    room = None
    if isinstance(code, str) and len(code) == limits.ROOM_CODE_LENGTH:
        room = (Room.objects.select_related("session")
                .filter(code=code.upper(), closed_at=None,
                        active_at__gte=timezone.now() - limits.ROOM_IDLE_CLOSE).first())
    if room is None:
        raise NotFound(ROOM_GONE, code="room_not_found")
    return room


def member_for_token(code, raw_token) -> RoomMember | None:
    """The member a token belongs to, in the open room with this code (None otherwise)."""
    if not isinstance(raw_token, str) or not raw_token or not isinstance(code, str):
        return None
    # The script (the whole parsed play) is read only by what needs it.
    member = (RoomMember.objects.select_related("room__session")
              .filter(token_hash=token_hash(raw_token), room__code=code.upper(), room__closed_at=None,
                      room__active_at__gte=timezone.now() - limits.ROOM_IDLE_CLOSE).first())
    return member


def room_stamps(room_ids) -> dict[int, tuple[int, bool]]:
    """room id -> (version, whether its deadline has passed) for the open ones among room_ids:
    all one process's poll reads, for all its rooms, in one query."""
    now = timezone.now()
    rows = Room.objects.filter(pk__in=list(room_ids), closed_at=None).values_list("id", "version", "advance_at",
                                                                                "paused")
    return {pk: (version, advance_at is not None and not paused and advance_at <= now)
            for pk, version, advance_at, paused in rows}


def room_state(room_id: int) -> dict:
    """The state every phone shows: the same JSON over HTTP and the WebSocket."""
    room = Room.objects.select_related("session").get(pk=room_id)
    members = list(RoomMember.objects.filter(room_id=room_id))
    now = timezone.now()
    holder = holder_of(members, room.speakers, now)
    note = None
    if room.line_id:
        note = (LineNote.objects.filter(script_id=room.session.script_id, line_id=room.line_id)
                .values_list("text", flat=True).first())
    return {
        "code": room.code,
        "version": room.version,
        "closed": room.closed_at is not None,
        "position": {"scene_id": room.scene_id or None, "line_id": room.line_id or None,
                     "scene_index": room.scene_index},
        "finished": not room.line_id,
        "speaking": {"character": (room.speakers or [None])[0], "characters": room.speakers,
                     "member_id": holder.pk if holder else None},
        "members": [{"member_id": m.pk, "name": m.name, "characters": m.characters, "is_host": m.is_host,
                     "connected": m.sockets > 0 and m.seen_at >= now - CONNECTED_WITHIN} for m in members],
        "paused": room.paused,
        "playback": room.playback,
        "advance_at": room.advance_at.isoformat() if room.advance_at else None,
        "note": note,
        "session": str(room.session_id),
        "script_id": room.session.script_id,
    }


def room_script(room: Room) -> dict:
    """The play as the room reads it: scenes, every element, the characters, each line's note."""
    script = room.session.script
    notes = dict(LineNote.objects.filter(script=script).values_list("line_id", "text"))
    scenes = [{"id": scene["id"], "index": scene["index"], "title": scene.get("title") or "",
               "elements": [{"id": e["id"], "type": e["type"], "character": e.get("character"),
                             "characters": speakers_of(e) if e.get("type") == "dialogue" else [],
                             "text": e.get("text", ""), "note": notes.get(e["id"])}
                            for e in scene["elements"]]}
              for scene in script.scenes]
    return {"title": script.title, "characters": [{"id": c["id"], "name": c["name"]} for c in script.characters],
            "scenes": scenes, "lines": len(room_lines(script))}


def session_line_notes(session) -> dict[str, str]:
    """The director's notes on the lines this rehearsal's actor says (line id -> note)."""
    notes = dict(LineNote.objects.filter(script_id=session.script_id).values_list("line_id", "text"))
    if not notes:
        return {}
    return {e["id"]: notes[e["id"]] for _, _, e in script_elements(session.script)
            if e["id"] in notes and is_user_line(e, session.user_role)}
