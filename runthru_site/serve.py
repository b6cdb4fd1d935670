"""``python -m runthru_site.serve``: daphne, guarded against clients that send too much or too slowly.

- Bodies: Twisted reads a whole request body (into a temp file past 100 KB) before daphne hands any
  of it on, and daphne then queues all of it in memory: a 1 GB POST cost 2 GB of temp disk and
  1.27 GB of memory before the 413, and 200 sign-ins declaring 12 MB grew the web processes by 2 GB.
  Here the connection answers 413 and closes as soon as the declared length, or the bytes counted
  so far (chunked bodies declare none), pass that path's own limit (runthru_site/body_limits.py).
- Slow clients: Twisted's only clock is a 12-hour idle timer that every byte resets, so connections
  sending half a header (or a byte every 15 s) used up every file descriptor. Here headers must
  arrive within RUNTHRU_HEADER_SECONDS, a body must keep coming at a walking pace, an idle kept-alive
  connection closes after a minute, and one address holds at most RUNTHRU_CONNECTIONS_PER_ADDRESS
  connections to each web process.

Takes daphne's own command-line options.
"""

from __future__ import annotations

import json
import time
from urllib.parse import unquote

from daphne import server
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from twisted.internet import protocol as twisted_protocol
from twisted.internet import task
from twisted.web.http import HTTPChannel, _GenericHTTPChannelProtocol

from .env import env_int
from .errors import too_large_body

HEADER_SECONDS = env_int("RUNTHRU_HEADER_SECONDS", 10)
CONNECTIONS_PER_ADDRESS = env_int("RUNTHRU_CONNECTIONS_PER_ADDRESS", 128)
IDLE_SECONDS = 60  # a browser opens a new connection when it needs one
# A body slower than this, once its first HEADER_SECONDS are over, is someone holding the line
# (a phone on poor Wi-Fi sends a 20 MB document a hundred times faster).
BODY_BYTES_PER_SECOND = 8 * 1024
CLOSING_SECONDS = 2  # a client that will not read our last answer is cut off


def _limit_for(request: WebRequest) -> int:
    from .body_limits import body_limit  # Django is configured by now: daphne loaded the app first

    path = unquote(request.channel._path.split(b"?", 1)[0].decode("latin1"))
    content_type = (request.requestHeaders.getRawHeaders(b"content-type") or [b""])[0].decode("latin1")
    return body_limit(path, content_type)


class BodyLimitedRequest(WebRequest):
    # Twisted would parse every form and multipart body into memory itself (daphne never looks),
    # a second whole copy of a 20 MB document, and answer a malformed one with a bare 400.
    _received = 0
    _refused = False
    _limit = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._parsePOSTFormSubmission = False

    def gotLength(self, length):
        self._limit = _limit_for(self)
        if length is not None and length > self._limit:
            self._refuse()
            length = 0  # nothing of the body is kept
        super().gotLength(length)

    def handleContentChunk(self, data):
        if self._refused:
            return
        self._received += len(data)
        if self._received > self._limit:
            self._refuse()
            return
        super().handleContentChunk(data)

    def process(self):
        if not self._refused:
            return super().process()

    def _refuse(self) -> None:
        self._refused = True
        self.channel.answer_and_close(413, b"Content Too Large", too_large_body(self._limit))


def _error(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": None}}).encode()


SLOW = _error("too_slow", "That took too long to arrive. Please try again.")
TOO_MANY = _error("too_many_connections", "This device has too many connections open. Close some tabs and try again.")


def _answer(status: int, reason: bytes, body: bytes, extra: bytes = b"") -> bytes:
    return (b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s"
            b"Connection: close\r\n\r\n%s" % (status, reason, len(body), extra, body))


class GuardedChannel(HTTPChannel):
    """An HTTP connection that knows which part of a request it waits for, and since when."""

    phase = "headers"  # headers, body, handling (ours to answer: no clock), idle (kept alive), closing
    since = 0.0
    body_bytes = 0

    def connectionMade(self):
        super().connectionMade()
        self._enter("headers")

    def _enter(self, phase: str) -> None:
        self.phase, self.since, self.body_bytes = phase, time.monotonic(), 0

    def dataReceived(self, data):
        if self.phase == "idle":
            self._enter("headers")
        super().dataReceived(data)

    def allHeadersReceived(self):
        self._enter("body")
        super().allHeadersReceived()

    def rawDataReceived(self, data):
        if self.phase == "body":
            self.body_bytes += len(data)
        super().rawDataReceived(data)

    def allContentReceived(self):
        self._enter("handling")
        super().allContentReceived()

    def requestDone(self, request):
        super().requestDone(request)
        if self.phase == "handling" and not self.requests:
            self._enter("idle")

    def answer_and_close(self, status: int, reason: bytes, body: bytes, extra: bytes = b"") -> None:
        if self.phase == "closing":
            return
        self._enter("closing")
        self.transport.write(_answer(status, reason, body, extra))
        self.transport.loseConnection()

    def overdue(self, now: float) -> bool:
        """Answer a client too slow to finish its request, and cut off one that will not even
        take that answer; True when this connection is on its way out."""
        waited = now - self.since
        if self.phase == "closing":
            if waited > CLOSING_SECONDS:
                self.transport.abortConnection()
            return True
        slow_headers = self.phase == "headers" and waited > HEADER_SECONDS
        slow_body = (self.phase == "body" and waited > HEADER_SECONDS
                     and self.body_bytes < BODY_BYTES_PER_SECOND * waited)
        if slow_headers or slow_body:
            self.answer_and_close(408, b"Request Timeout", SLOW)
        return slow_headers or slow_body


def _closed(channel: HTTPChannel) -> bool:
    # A connection upgraded to a WebSocket never tells its HTTP channel it closed: ask the socket.
    transport = channel.transport
    if transport is None:
        return True
    while transport is not None:
        if getattr(transport, "disconnected", False):
            return True
        transport = getattr(transport, "transport", None)
    return False


class TooManyConnections(twisted_protocol.Protocol):
    def connectionMade(self):
        self.transport.write(_answer(503, b"Service Unavailable", TOO_MANY, b"Retry-After: 5\r\n"))
        self.transport.loseConnection()


class GuardedHTTPFactory(HTTPFactory):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeOut = IDLE_SECONDS
        self.by_address: dict[str, set[GuardedChannel]] = {}
        self._clock = task.LoopingCall(self.sweep)
        self._clock.start(min(1.0, HEADER_SECONDS / 2), now=False)

    def buildProtocol(self, addr):
        host = getattr(addr, "host", "")
        open_here = self._still_open(host)
        if len(open_here) >= CONNECTIONS_PER_ADDRESS:
            return TooManyConnections()
        channel = GuardedChannel()
        open_here.add(channel)
        wrapper = _GenericHTTPChannelProtocol(channel)
        wrapper.factory = self
        wrapper.requestFactory = BodyLimitedRequest
        wrapper.callLater = self.reactor.callLater
        wrapper.timeOut = self.timeOut
        return wrapper

    def _still_open(self, host: str) -> set[GuardedChannel]:
        channels = self.by_address.setdefault(host, set())
        channels.difference_update([c for c in channels if _closed(c)])
        return channels

    def sweep(self) -> None:
        now = time.monotonic()
        for host in list(self.by_address):
            for channel in self._still_open(host):
                channel.overdue(now)
            if not self.by_address[host]:
                del self.by_address[host]


def main() -> None:
    server.HTTPFactory = GuardedHTTPFactory  # the name daphne's Server builds its factory from
    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
