"""Writes to rehearsal rooms: opening, joining, claiming characters, moving the shared line.

The room's row is the truth for every web process. Every move is a conditional UPDATE on the
row's version (and, for `done`, on the current line), so two taps on one line, or a tap and
RunThru's own move, advance it once whichever process they reach.

How RunThru moves on from a free part by itself: each move stores a deadline on the room
(`advance_at`: the line's clip length plus a beat) and whoever reads the room next after it
passed makes the move, with the same conditional UPDATE: each web process's room watcher
(web/consumers.py) polls its open rooms a few times a second, and a GET of the room does it
too. A deadline in the row works with any number of web processes and needs no phone awake
(the host's socket is enough, or any member's); a django-q2 schedule was not chosen because
its finest step is a minute and the cluster may be busy making audio for a long job.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from runthru_site.errors import NotFound, UserError
from scripts_app.selectors import character_ids
from tts_app.selectors import clip_for_line

from . import limits
from .cue_selectors import cue_for_line
from .models import LineNote, RehearsalSession, Room, RoomMember

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to mix up when typed
# Sent after a change is committed (room_id=...): web pushes the new state to the phones.
room_changed = Signal()
# Without a generated clip the line is timed by its words, as an unhurried reader says them.
SECONDS_PER_WORD = 0.4


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(limits.ROOM_CODE_LENGTH))


def speakers_of(element: dict) -> list[str]:
    names = [element.get("character"), *(element.get("characters") or [])]
    return list(dict.fromkeys(n for n in names if n))


def room_lines(script) -> list[tuple[int, str, dict]]:
    """Every spoken line in play order, as (scene index, scene id, element): the room stops
    only at speeches; directions are shown around them."""
    return [(scene["index"], scene["id"], element) for scene in script.scenes
            for element in scene["elements"] if element.get("type") == "dialogue"]


def _position(lines, index: int) -> dict:
    if 0 <= index < len(lines):
        scene_index, scene_id, element = lines[index]
        return {"scene_index": scene_index, "scene_id": scene_id, "line_id": element["id"],
                "speakers": speakers_of(element)}
    last = lines[-1] if lines else (0, "", None)
    return {"scene_index": last[0], "scene_id": last[1], "line_id": "", "speakers": []}


def _line_index(lines, line_id: str) -> int | None:
    return next((i for i, (_, _, element) in enumerate(lines) if element["id"] == line_id), None)


def member_present(member: RoomMember, now) -> bool:
    """Still holds their characters: connected, or gone quiet less than the grace period ago."""
    return member.seen_at >= now - limits.ROOM_GRACE


def holder_of(members, speakers: list[str], now) -> RoomMember | None:
    for member in members:
        if member_present(member, now) and set(member.characters) & set(speakers):
            return member
    return None


def _clip_seconds(session: RehearsalSession, element: dict) -> float:
    recorded = cue_for_line(session, element["id"])
    if recorded is not None:
        return recorded.duration
    row = clip_for_line(session.script, element["id"], engine=session.tts_engine,
                        voice_assignments=session.voice_assignments)
    if row is not None and row.duration:
        return row.duration
    return SECONDS_PER_WORD * max(1, len(element.get("text", "").split()))


def _deadline(room: Room, lines, index: int, members, now):
    """When RunThru moves on from line `index`, or None when a member speaks it (or paused)."""
    if room.paused or not 0 <= index < len(lines):
        return None
    element = lines[index][2]
    if holder_of(members, speakers_of(element), now) is not None:
        return None
    beat = settings.RUNTHRU_ROOM_BEAT_MS / 1000
    return now + timedelta(seconds=_clip_seconds(room.session, element) + beat)


def _changed(room_id: int) -> None:
    transaction.on_commit(lambda: room_changed.send(sender=Room, room_id=room_id))


def _write(room: Room, **fields) -> bool:
    """Apply fields if nobody changed the room since it was read; True when it did."""
    now = timezone.now()
    done = Room.objects.filter(pk=room.pk, version=room.version, closed_at=None).update(
        version=F("version") + 1, active_at=now, **fields)
    if done:
        _changed(room.pk)
    return bool(done)


def _fresh(room_id: int) -> Room:
    room = Room.objects.select_related("session__script").filter(pk=room_id, closed_at=None).first()
    if room is None:
        raise NotFound("This room has closed. Ask the host for a new code.", code="room_closed")
    return room


def _members(room: Room) -> list[RoomMember]:
    return list(RoomMember.objects.filter(room_id=room.pk))


def _move_to(room: Room, index: int, *, line_id: str | None = None, retries: int = 5) -> Room:
    """Move to line `index` of the play; with line_id, only if that is still the current line."""
    for _ in range(retries):
        if line_id is not None and room.line_id != line_id:
            raise UserError("That line is already over: the room has moved on.", code="not_current_line",
                            status=409, details={"line_id": room.line_id or None})
        lines = room_lines(room.session.script)
        now = timezone.now()
        target = index(lines) if callable(index) else index
        fields = _position(lines, target)
        fields["advance_at"] = _deadline(room, lines, target, _members(room), now)
        if _write(room, **fields):
            return room
        room = _fresh(room.pk)
    raise UserError("Lots happened at once. Try again.", code="busy", status=409)


def _next(line_id: str):
    def after(lines) -> int:
        found = _line_index(lines, line_id)
        return len(lines) if found is None else found + 1
    return after


# --- opening and joining ----------------------------------------------------------------------------------------

def _clean_name(name) -> str:
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not 1 <= len(name) <= 40:
        raise UserError("Type your first name (up to 40 letters).", code="bad_name")
    return name


def _new_member(room: Room, name: str, *, is_host: bool) -> tuple[RoomMember, str]:
    raw = secrets.token_urlsafe(32)
    member = RoomMember.objects.create(room=room, name=name, token_hash=token_hash(raw), is_host=is_host,
                                       seen_at=timezone.now())
    return member, raw


def rooms_open():
    return Room.objects.filter(closed_at=None, active_at__gte=timezone.now() - limits.ROOM_IDLE_CLOSE)


@transaction.atomic
def room_create(*, session: RehearsalSession, name="Host", playback=Room.Playback.HOST) -> tuple[Room, str]:
    """A room for a rehearsal, starting at its current scene; the host's token comes back once."""
    if playback not in Room.Playback.values:
        raise UserError('Playback must be "host" or "everyone".', code="bad_playback")
    if rooms_open().count() >= limits.ROOMS_OPEN_MAX:
        raise UserError("Too many rooms are open on this computer. Close one first.", code="too_many_rooms",
                        status=429)
    lines = room_lines(session.script)
    if not lines:
        raise UserError("This script has no spoken lines to rehearse together.", code="no_lines")
    start = next((i for i, line in enumerate(lines) if line[0] >= session.current_scene_index), 0)
    code = _new_code()
    while Room.objects.filter(code=code).exists():  # 2^40 codes: a second try is already rare
        code = _new_code()
    room = Room.objects.create(code=code, session=session, playback=playback, paused=True,
                               **_position(lines, start))
    host, raw = _new_member(room, _clean_name(name), is_host=True)
    # Opened paused: nothing plays before the cast is in; the host starts it.
    return room, raw


@transaction.atomic
def room_join(*, room: Room, name) -> tuple[RoomMember, str]:
    name = _clean_name(name)
    room = Room.objects.select_for_update().get(pk=room.pk)
    if RoomMember.objects.filter(room=room).count() >= limits.ROOM_MEMBERS_MAX:
        raise UserError("This room is full.", code="room_full", status=409)
    member, raw = _new_member(room, name, is_host=False)
    _write(room)
    return member, raw


def room_close(*, room: Room) -> None:
    now = timezone.now()
    if Room.objects.filter(pk=room.pk, closed_at=None).update(closed_at=now, version=F("version") + 1):
        _changed(room.pk)


# --- characters -------------------------------------------------------------------------------------------------

def _after_cast_change(room: Room) -> None:
    """A claim or a release may hand the current line to a member or back to RunThru."""
    room = _fresh(room.pk)
    lines = room_lines(room.session.script)
    index = _line_index(lines, room.line_id)
    _write(room, advance_at=_deadline(room, lines, -1 if index is None else index, _members(room), timezone.now()))


@transaction.atomic
def room_claim(*, member: RoomMember, character) -> RoomMember:
    room = Room.objects.select_for_update().select_related("session__script").get(pk=member.room_id)
    if not isinstance(character, str) or character not in character_ids(room.session.script):
        raise UserError("There's no such character in this play.", code="unknown_character",
                        details={"valid": character_ids(room.session.script)})
    now = timezone.now()
    for other in RoomMember.objects.filter(room=room).exclude(pk=member.pk):
        if character in other.characters:
            if member_present(other, now):
                raise UserError(f"{other.name} is already playing that part.", code="character_taken",
                                status=409, details={"member_id": other.pk})
            other.characters = [c for c in other.characters if c != character]  # they left: it's free
            other.save(update_fields=["characters"])
    member = RoomMember.objects.get(pk=member.pk)
    if character not in member.characters:
        member.characters = [*member.characters, character]
    member.seen_at = now
    member.save(update_fields=["characters", "seen_at"])
    _after_cast_change(room)
    return member


@transaction.atomic
def room_release(*, member: RoomMember, character) -> RoomMember:
    room = Room.objects.select_for_update().get(pk=member.room_id)
    member = RoomMember.objects.get(pk=member.pk)
    member.characters = [c for c in member.characters if c != character]
    member.save(update_fields=["characters"])
    _after_cast_change(room)
    return member


# --- the shared line --------------------------------------------------------------------------------------------

def room_done(*, member: RoomMember, line_id) -> Room:
    """The current line is over: only its speaker or the host may say so, and only once."""
    room = _fresh(member.room_id)
    if not isinstance(line_id, str) or line_id != room.line_id:
        raise UserError("That line is already over: the room has moved on.", code="not_current_line",
                        status=409, details={"line_id": room.line_id or None})
    characters = RoomMember.objects.filter(pk=member.pk).values_list("characters", flat=True).first() or []
    if not member.is_host and not set(characters) & set(room.speakers):
        raise UserError("That's not your line. Wait for the person who says it.", code="not_your_line", status=403)
    return _move_to(room, _next(line_id), line_id=line_id)


def _host_only(member: RoomMember) -> None:
    if not member.is_host:
        raise UserError("Only the host can do that.", code="host_only", status=403)


def room_goto(*, member: RoomMember, line_id=None, scene_id=None) -> Room:
    """Jump to a line, or to the first line of a scene (host only)."""
    _host_only(member)
    room = _fresh(member.room_id)
    lines = room_lines(room.session.script)
    if scene_id is not None:
        index = next((i for i, line in enumerate(lines) if line[1] == scene_id), None)
    else:
        index = _line_index(lines, line_id) if isinstance(line_id, str) else None
    if index is None:
        raise UserError("That line isn't a spoken line of this play.", code="unknown_line")
    return _move_to(room, index)


def room_pause(*, member: RoomMember, paused: bool = True) -> Room:
    _host_only(member)
    if not isinstance(paused, bool):
        raise UserError("Paused must be true or false.", code="bad_paused")
    for _ in range(5):
        room = _fresh(member.room_id)
        room.paused = paused
        lines = room_lines(room.session.script)
        index = _line_index(lines, room.line_id)
        deadline = _deadline(room, lines, -1 if index is None else index, _members(room), timezone.now())
        if _write(room, paused=paused, advance_at=deadline):
            return _fresh(room.pk)
    raise UserError("Lots happened at once. Try again.", code="busy", status=409)


def room_set_playback(*, member: RoomMember, playback) -> Room:
    _host_only(member)
    if playback not in Room.Playback.values:
        raise UserError('Playback must be "host" or "everyone".', code="bad_playback")
    room = _fresh(member.room_id)
    Room.objects.filter(pk=room.pk).update(playback=playback, version=F("version") + 1, active_at=timezone.now())
    _changed(room.pk)
    return _fresh(room.pk)


def room_note(*, member: RoomMember, line_id, text) -> LineNote | None:
    """The host's note on a line for whoever speaks it; empty text removes it."""
    _host_only(member)
    room = _fresh(member.room_id)
    script = room.session.script
    if not isinstance(line_id, str) or _line_index(room_lines(script), line_id) is None:
        raise UserError("That line isn't a spoken line of this play.", code="unknown_line")
    text = " ".join(text.split()) if isinstance(text, str) else None
    if text is None or len(text) > limits.NOTE_MAX_CHARS:
        raise UserError(f"A note is at most {limits.NOTE_MAX_CHARS} letters.", code="bad_note")
    with transaction.atomic():
        if not text:
            LineNote.objects.filter(script=script, line_id=line_id).delete()
            note = None
        else:
            if (not LineNote.objects.filter(script=script, line_id=line_id).exists()
                    and LineNote.objects.filter(script=script).count() >= limits.NOTES_PER_SCRIPT):
                raise UserError("This play has as many notes as it can hold. Remove some first.",
                                code="too_many_notes", status=409)
            note, _ = LineNote.objects.update_or_create(script=script, line_id=line_id, defaults={"text": text})
        Room.objects.filter(pk=room.pk).update(version=F("version") + 1, active_at=timezone.now())
        _changed(room.pk)
    return note


# --- phones coming and going, and the clock -----------------------------------------------------------------------

SEEN_EVERY = timedelta(seconds=2)


def member_seen(*, member: RoomMember) -> None:
    """A request from the member: they are here (at most one write every few seconds)."""
    now = timezone.now()
    if now - member.seen_at >= SEEN_EVERY:
        RoomMember.objects.filter(pk=member.pk).update(seen_at=now)


def members_heartbeat(*, member_ids) -> None:
    """Members whose sockets are open on this process are still here."""
    RoomMember.objects.filter(pk__in=list(member_ids)).update(seen_at=timezone.now())


def member_connected(*, member_id: int) -> None:
    RoomMember.objects.filter(pk=member_id).update(sockets=F("sockets") + 1, seen_at=timezone.now())
    _touch(member_id)


def member_disconnected(*, member_id: int) -> None:
    # The grace period starts now: seen_at is when they dropped off.
    RoomMember.objects.filter(pk=member_id, sockets__gt=0).update(sockets=F("sockets") - 1, seen_at=timezone.now())
    _touch(member_id)


def _touch(member_id: int) -> None:
    room_id = RoomMember.objects.filter(pk=member_id).values_list("room_id", flat=True).first()
    if room_id is not None and Room.objects.filter(pk=room_id, closed_at=None).update(version=F("version") + 1):
        _changed(room_id)
        room_tick(room_id=room_id)


def room_tick(*, room_id: int) -> None:
    """What time alone changes: an idle room closes, a dropped member's line goes to RunThru
    (or comes back), and a passed deadline moves the room on."""
    room = Room.objects.select_related("session").filter(pk=room_id, closed_at=None).first()
    if room is None:
        return
    now = timezone.now()
    if room.active_at < now - limits.ROOM_IDLE_CLOSE:
        room_close(room=room)
        return
    if room.paused or not room.line_id:
        return
    if room.advance_at is not None and room.advance_at <= now:
        try:
            _move_to(room, _next(room.line_id), line_id=room.line_id, retries=1)
        except UserError:
            pass  # someone else moved it first
        return
    held = holder_of(_members(room), room.speakers, now) is not None
    if held and room.advance_at is not None:
        _write(room, advance_at=None)
    elif not held and room.advance_at is None:
        lines = room_lines(room.session.script)
        index = _line_index(lines, room.line_id)
        if index is not None:
            _write(room, advance_at=_deadline(room, lines, index, [], now))
