"""WebSocket /ws/jobs/{id}/: the same progress events as the SSE stream."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from sessions_app.rooms import room_changed
from sessions_app.selectors import plain_id
from sessions_app.signin import SESSION_KEY, token_by_id, token_lookup
from tts_app import events
from tts_app.channel_layer import REDIS_DOWN
from tts_app.jobs import job_events_since, job_resume_if_stalled
from tts_app.selectors import job_find

POLL_SECONDS = 0.25
log = logging.getLogger(__name__)


@database_sync_to_async
def _signed_in(scope) -> bool:
    token = parse_qs(scope.get("query_string", b"").decode()).get("token", [""])[0]
    if token:
        return token_lookup(token) is not None
    session = scope.get("session")
    return session is not None and token_by_id(session.get(SESSION_KEY)) is not None


@database_sync_to_async
def _job_exists(job_id: int) -> bool:
    return job_find(job_id) is not None


@database_sync_to_async
def _events_since(job_id: int, after: int) -> list[dict]:
    found = [events.event_message(e) for e in job_events_since(job_id, after)]
    if not found:
        job = job_find(job_id)
        if job:
            job_resume_if_stalled(job=job)
    return found


class JobProgressConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.job_id = plain_id(str(self.scope["url_route"]["kwargs"]["job_id"]))
        if not await _signed_in(self.scope):
            await self.close(code=4401)
            return
        if self.job_id is None or not await _job_exists(self.job_id):
            await self.close(code=4404)
            return
        # A refusal (the handshake is answered 403), not a 500, for `last_event_id=abc`
        last_id = parse_qs(self.scope.get("query_string", b"").decode()).get("last_event_id", ["0"])[0] or "0"
        self.last_id = plain_id(last_id)
        if self.last_id is None:
            await self.close(code=4400)
            return
        self.finished = False
        await self.accept()
        if self.channel_layer is not None:
            try:
                await self.channel_layer.group_add(events.group_name(self.job_id), self.channel_name)
            except REDIS_DOWN:  # the database poll still delivers every event
                log.warning("Redis is not answering: job %s's WebSocket hears events by polling only", self.job_id)
        self.poller = asyncio.ensure_future(self._poll())

    async def disconnect(self, code):
        if hasattr(self, "poller"):
            self.poller.cancel()
        if self.channel_layer is not None and hasattr(self, "job_id"):
            try:
                await self.channel_layer.group_discard(events.group_name(self.job_id), self.channel_name)
            except REDIS_DOWN:
                pass  # the group entry expires by itself (channels_redis group_expiry)

    async def _send(self, message: dict):
        if message["id"] <= self.last_id:
            return
        self.last_id = message["id"]
        await self.send_json(message)
        if message["event"] in ("complete", "error", "cancelled"):
            self.finished = True
            await self.close()

    async def _poll(self):
        while not self.finished:
            for message in await _events_since(self.job_id, self.last_id):
                await self._send(message)
            await asyncio.sleep(POLL_SECONDS)

    async def job_event(self, event):
        # A push from Redis means "something new": read it from the database so
        # events are always delivered in order and none is skipped.
        for message in await _events_since(self.job_id, self.last_id):
            await self._send(message)


# --- WebSocket /ws/rooms/{code}/?token=…: a rehearsal room's state on every phone ---------------------------------

ROOM_POLL_SECONDS = 0.1  # how soon a change made through the other web process shows
ROOM_TICK_SECONDS = 2.0  # dropped members, idle rooms: what only time changes
ROOM_BEAT_SECONDS = 3.0  # "still here" for the members connected to this process
ROOM_MESSAGE_MAX = 1024  # phones only listen; a client that talks more is closed


@database_sync_to_async
def _room_member(code: str, token: str):
    from sessions_app.room_selectors import member_for_token

    member = member_for_token(code, token)
    return (member.pk, member.room_id) if member else None


@database_sync_to_async
def _member_arrived(member_id: int, arrived: bool) -> None:
    from sessions_app.rooms import member_connected, member_disconnected

    (member_connected if arrived else member_disconnected)(member_id=member_id)


# Rooms are read on threads of their own, not the one thread Channels shares between every
# consumer of the process: ten rooms waking at once must not queue behind each other.
@functools.partial(database_sync_to_async, thread_sensitive=False)
def _room_stamps(room_ids: list[int]) -> dict:
    from sessions_app.room_selectors import room_stamps

    return room_stamps(room_ids)


@functools.partial(database_sync_to_async, thread_sensitive=False)
def _room_step(room_id: int, tick: bool, here: list[int]):
    """The room woke: move it on if its deadline passed; its state (None when closed)."""
    from sessions_app.room_selectors import room_stamps
    from sessions_app.rooms import members_heartbeat, room_tick

    from .api.room_serializers import room_state_json

    if here:
        members_heartbeat(member_ids=here)
    stamp = room_stamps([room_id]).get(room_id)
    if stamp is not None and (tick or stamp[1]):
        room_tick(room_id=room_id)
    try:
        return room_state_json(room_id)
    except ObjectDoesNotExist:  # the rehearsal was deleted, and its rooms with it
        return {"closed": True, "version": 0}


class RoomWatch:
    """One watcher per open room per web process, however many of its phones are connected
    here. The database is the truth: one poll per process reads every watched room's version
    in one query (the other process's changes arrive that way), and a change made in this
    process, or pushed through Redis, wakes the room at once."""

    watches: dict[int, RoomWatch] = {}
    poller: asyncio.Task | None = None

    def __init__(self, room_id: int):
        self.room_id = room_id
        self.sockets: set[RoomConsumer] = set()
        self.wake = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self.version: int | None = None
        self.sent: dict | None = None
        self.task = asyncio.ensure_future(self._run())

    @classmethod
    def join(cls, room_id: int, socket: RoomConsumer) -> RoomWatch:
        watch = cls.watches.get(room_id)
        if watch is None or watch.task.done():
            watch = cls.watches[room_id] = cls(room_id)
        watch.sockets.add(socket)
        if cls.poller is None or cls.poller.done():
            cls.poller = asyncio.ensure_future(cls._poll())
        return watch

    def leave(self, socket: RoomConsumer) -> None:
        self.sockets.discard(socket)
        if not self.sockets:
            self.task.cancel()
            if self.watches.get(self.room_id) is self:
                del self.watches[self.room_id]

    def sockets_of(self, member_id: int) -> int:
        return sum(1 for s in self.sockets if s.member_id == member_id)

    def nudge(self) -> None:
        self.loop.call_soon_threadsafe(self.wake.set)

    @classmethod
    async def _poll(cls):
        while cls.watches:
            await asyncio.sleep(ROOM_POLL_SECONDS)
            try:
                stamps = await _room_stamps(list(cls.watches))
            except Exception:  # a locked or restarting database: try again on the next poll
                log.warning("Rooms could not be read", exc_info=True)
                continue
            for room_id, watch in list(cls.watches.items()):
                stamp = stamps.get(room_id)
                if stamp is None or stamp[0] != watch.version or stamp[1]:
                    watch.wake.set()

    async def _run(self):
        last_tick = last_beat = self.loop.time()
        while self.sockets:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), ROOM_TICK_SECONDS)
            self.wake.clear()
            now = self.loop.time()
            tick, beat = now - last_tick >= ROOM_TICK_SECONDS, now - last_beat >= ROOM_BEAT_SECONDS
            last_tick, last_beat = (now if tick else last_tick), (now if beat else last_beat)
            here = sorted({s.member_id for s in self.sockets}) if beat else []
            try:
                state = await _room_step(self.room_id, tick, here)
            except Exception:
                log.warning("Room %s could not be read", self.room_id, exc_info=True)
                continue
            self.version = state["version"]
            if state != self.sent:
                self.sent = state
                for socket in list(self.sockets):
                    await socket.send_state(state)


def _room_group(room_id: int) -> str:
    return f"room-{room_id}"


def _room_changed(sender, room_id: int, **kwargs) -> None:
    watch = RoomWatch.watches.get(room_id)
    if watch is not None:
        watch.nudge()
    if settings.REDIS_URL:  # the other web processes' phones hear it at once too
        _push_through_redis(room_id)


# This process's event loop, once a room socket has opened here: pushes go out on it (and its
# Redis connections) without holding the request that made the change. async_to_sync from a
# request thread would start a loop, and a Redis connection, for every push.
_main_loop: asyncio.AbstractEventLoop | None = None


def _push_through_redis(room_id: int) -> None:
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    message = (_room_group(room_id), {"type": "room.changed"})
    try:
        if _main_loop is not None and _main_loop.is_running():
            future = asyncio.run_coroutine_threadsafe(get_channel_layer().group_send(*message), _main_loop)
            future.add_done_callback(lambda f: f.exception() and log.warning(
                "Redis is not answering: room %s's phones hear the change by polling", room_id))
        else:
            async_to_sync(get_channel_layer().group_send)(*message)
    except REDIS_DOWN:
        log.warning("Redis is not answering: room %s's phones hear the change by polling", room_id)


room_changed.connect(_room_changed, dispatch_uid="web.consumers.room_changed")


class RoomConsumer(AsyncJsonWebsocketConsumer):
    member_id: int | None = None

    async def connect(self):
        from sessions_app.limits import ROOM_SOCKETS_PER_MEMBER

        global _main_loop
        _main_loop = asyncio.get_running_loop()
        code = str(self.scope["url_route"]["kwargs"]["code"])
        token = parse_qs(self.scope.get("query_string", b"").decode()).get("token", [""])[0]
        found = await _room_member(code, token)
        if found is None:
            await self.close(code=4404)
            return
        self.member_id, self.room_id = found
        watch = RoomWatch.watches.get(self.room_id)
        if watch is not None and watch.sockets_of(self.member_id) >= ROOM_SOCKETS_PER_MEMBER:
            await self.close(code=4429)
            return
        await self.accept()
        self.watch = RoomWatch.join(self.room_id, self)
        await _member_arrived(self.member_id, True)
        if self.channel_layer is not None and settings.REDIS_URL:
            try:
                await self.channel_layer.group_add(_room_group(self.room_id), self.channel_name)
            except REDIS_DOWN:
                log.warning("Redis is not answering: room %s's socket hears changes by polling", self.room_id)
        from .api.room_serializers import room_state_json

        await self.send_state(await database_sync_to_async(room_state_json)(self.room_id))

    async def disconnect(self, code):
        if not hasattr(self, "watch"):
            return
        self.watch.leave(self)
        with contextlib.suppress(Exception):  # the database copy expires by itself (seen_at)
            await _member_arrived(self.member_id, False)
        if self.channel_layer is not None and settings.REDIS_URL:
            with contextlib.suppress(*REDIS_DOWN):
                await self.channel_layer.group_discard(_room_group(self.room_id), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if len(text_data or bytes_data or "") > ROOM_MESSAGE_MAX:
            await self.close(code=4400)

    async def send_state(self, state: dict):
        await self.send_json(state)
        if state.get("closed"):
            await self.close(code=4410)

    async def room_changed(self, event):
        if hasattr(self, "watch"):
            self.watch.nudge()
