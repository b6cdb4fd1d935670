"""WebSocket /ws/jobs/{id}/: the same progress events as the SSE stream."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

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
