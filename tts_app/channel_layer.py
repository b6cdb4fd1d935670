"""The Redis channel layer that carries progress pushes to WebSocket clients (scale-out).

Why a subclass of channels_redis's layer: a push is only a nudge, since every event is
also a database row that the consumer polls (tts_app.consumers). When Redis restarts or
a read times out, the stock layer's blocking receive raises, channels ends the consumer
and the client's socket closes with 1011 "internal error" in the middle of a job. Here
the receive waits and tries again instead, so the socket stays open and keeps hearing
events from the database until Redis is back.
"""

from __future__ import annotations

import asyncio
import logging

import redis.exceptions
from channels_redis.core import RedisChannelLayer

log = logging.getLogger(__name__)

# What a Redis that is restarting or unreachable raises.
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 5.0


class PatientRedisChannelLayer(RedisChannelLayer):
    async def receive(self, channel):
        wait = RETRY_FIRST_SECONDS
        while True:
            try:
                return await super().receive(channel)
            except REDIS_DOWN as exc:
                if wait == RETRY_FIRST_SECONDS:
                    log.warning("Redis is not answering (%s); WebSocket pushes wait, database polling goes on", exc)
                await asyncio.sleep(wait)
                wait = min(wait * 2, RETRY_MAX_SECONDS)
