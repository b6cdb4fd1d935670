"""Progress events leave the worker two ways: always as JobEvent rows (read by
the web process, so the embedded default needs no Redis), and, when REDIS_URL
is set, pushed through channels_redis so WebSocket clients hear at once."""

from __future__ import annotations

import logging

from django.conf import settings

log = logging.getLogger(__name__)


def group_name(job_id: int) -> str:
    return f"job-{job_id}"


def event_message(event) -> dict:
    return {"id": event.id, "event": event.kind, "data": event.payload}


def publish(job_id: int, event) -> None:
    if not settings.REDIS_URL:
        return
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(job_id), {"type": "job.event", "message": event_message(event)}
        )
    except Exception:  # Redis down: the database copy still reaches every client
        log.warning("Could not push job event %s through Redis", event.id, exc_info=True)
