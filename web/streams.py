"""Progress streams (server-sent events): how many each signed-in device has open in this web
process, capped at sessions_app.limits.PROGRESS_STREAMS_PER_DEVICE."""

from __future__ import annotations

import threading
from collections import Counter

from django.http import StreamingHttpResponse

from runthru_site.errors import UserError
from sessions_app import limits

_open: Counter = Counter()
_lock = threading.Lock()  # views take a slot on request threads, the event loop gives it back


class TooManyStreams(UserError):
    status = 429
    code = "too_many_streams"


def stream_slot_take(device: str):
    """Count one more open stream for `device`; returns the function that gives the slot back
    (safe to call twice). Raises TooManyStreams past the limit."""
    with _lock:
        if _open[device] >= limits.PROGRESS_STREAMS_PER_DEVICE:
            raise TooManyStreams(
                "This device is already following generation in other tabs. Close one and try again.",
                details={"max_streams": limits.PROGRESS_STREAMS_PER_DEVICE},
            )
        _open[device] += 1
    given_back = False

    def give_back() -> None:
        nonlocal given_back
        with _lock:
            if not given_back:
                given_back = True
                _open[device] -= 1
                if _open[device] <= 0:
                    del _open[device]

    return give_back


class ProgressStreamResponse(StreamingHttpResponse):
    """An event stream that gives its device's slot back when it is closed (the web server closes
    every response, whether the stream ended or the client left)."""

    def __init__(self, stream, give_back):
        super().__init__(stream, content_type="text/event-stream")
        self._give_back = give_back
        self["Cache-Control"] = "no-cache"
        self["X-Accel-Buffering"] = "no"

    def close(self):
        try:
            super().close()
        finally:
            self._give_back()


def device_of(request) -> str:
    """The signed-in device a request comes from (its sign-in's key hash)."""
    return getattr(request.auth, "key_hash", "") or "unknown"
