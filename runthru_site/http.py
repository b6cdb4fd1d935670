"""Django's HTTP side under daphne, with one thread hop per request.

Why not ``django.core.asgi.ASGIHandler`` as it comes: our views and middleware are all
sync, and for a sync project that handler hops between the event loop and a thread four
or more times per request (request_started, the middleware chain, back to the loop to
resolve the URL, the view, ``response.close``), starts a fresh thread for every request,
and so can never keep a database connection. Under ``bench/load.py`` that bookkeeping
was most of a request's CPU. It also buffers a sync streaming answer whole, so the SSE
progress stream arrived in one piece when the job ended.

Here the event loop only reads the body and writes the answer. The rest of the request
(signals, middleware, view) runs once on a long-lived thread from a small pool, as under a
threaded WSGI server, so each thread keeps its connection (``CONN_MAX_AGE``). Streaming
answers (audio files, the SSE stream) are read part by part on a second pool and sent as
they come, so a long stream never holds up ordinary requests.

A body is checked against its path's limit before it is read: a declared Content-Length over
the limit is answered 413 at once, and reading stops as soon as the bytes received pass it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import tempfile
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import close_old_connections
from django.http import FileResponse
from django.urls import set_script_prefix

from .body_limits import body_limit
from .errors import too_large_body

_END = object()
_GONE = object()


class BodyTooLarge(Exception):
    pass


def _header(scope, wanted: bytes) -> bytes | None:
    for name, value in scope["headers"]:
        if name.lower() == wanted:
            return value
    return None


def _declared_length(scope) -> int | None:
    try:
        return int(_header(scope, b"content-length") or b"")
    except ValueError:
        return None


def _next_part(parts):
    """One part of a streaming answer, read on a stream thread."""
    try:
        return next(parts, _END)
    finally:
        # The stream threads are not request threads: nothing else would give back a
        # connection that a generator (the SSE stream polls the job) opened here.
        close_old_connections()


class PooledASGIHandler(ASGIHandler):
    def __init__(self, *, threads: int, stream_threads: int):
        base.BaseHandler.__init__(self)  # skip ASGIHandler's async middleware chain
        self.load_middleware(is_async=False)
        self._requests = ThreadPoolExecutor(threads, thread_name_prefix="http")
        self._streams = ThreadPoolExecutor(stream_threads, thread_name_prefix="http-stream")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP here, not {scope['type']}.")
        limit = body_limit(scope["path"], (_header(scope, b"content-type") or b"").decode("latin1"))
        try:
            if (_declared_length(scope) or 0) > limit:
                raise BodyTooLarge
            body_file = await self.read_body_within(receive, limit)
        except RequestAborted:
            return
        except BodyTooLarge:
            body = too_large_body(limit)
            await send({"type": "http.response.start", "status": 413, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close")]})
            await send({"type": "http.response.body", "body": body})
            return
        loop = asyncio.get_running_loop()
        # Each request gets its own copy of the context, as under Django's own handler,
        # so nothing set in one request's context leaks into the next on the same thread.
        context = contextvars.copy_context()
        response = await loop.run_in_executor(self._requests, context.run, self._respond, scope, body_file)
        if not response.streaming:
            await self.send_response(response, send)
            return
        try:
            if response.is_async:
                await self._send_async_stream(response, send, receive)
            else:
                await self._send_sync_stream(response, send, receive, context)
        finally:
            await loop.run_in_executor(self._requests, context.run, self._close, response, body_file)

    async def read_body_within(self, receive, limit: int):
        """Django's read_body, stopping as soon as the body passes `limit` bytes."""
        body_file = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b")
        received = 0
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise RequestAborted()
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise BodyTooLarge
                if chunk:
                    if getattr(body_file, "_rolled", False):  # on disk: write off the event loop
                        await asyncio.get_running_loop().run_in_executor(None, body_file.write, chunk)
                    else:
                        body_file.write(chunk)
                if not message.get("more_body", False):
                    break
        except BaseException:
            body_file.close()
            raise
        body_file.seek(0)
        return body_file

    def _respond(self, scope, body_file):
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if not response.streaming:
            # The body is already in memory: finish the request (request_finished gives the
            # database connection back) in this same hop instead of coming back for it.
            self._close(response, body_file)
        return response

    @staticmethod
    def _close(response, body_file):
        try:
            response.close()
        finally:
            body_file.close()

    async def _send_async_stream(self, response, send, receive):
        """An async streaming answer (the progress stream) runs on the event loop and holds no
        thread while it waits; it stops where it waits as soon as the client goes away."""
        async with contextlib.aclosing(aiter(response)) as parts:
            async def next_part(gone):
                part = asyncio.ensure_future(anext(parts, _END))
                await asyncio.wait((part, gone), return_when=asyncio.FIRST_COMPLETED)
                if part.done():
                    return part.result()
                part.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await part
                return _GONE

            await self._send_stream(response, send, receive, next_part)

    async def _send_sync_stream(self, response, send, receive, context):
        loop = asyncio.get_running_loop()
        parts = iter(response.streaming_content)

        async def next_part(gone):
            part = await loop.run_in_executor(self._streams, context.run, _next_part, parts)
            return _GONE if gone.done() else part  # nobody is listening: stop making parts

        await self._send_stream(response, send, receive, next_part)

    async def _send_stream(self, response, send, receive, next_part):
        """Send the parts `await next_part(gone)` gives until _END, or until _GONE (the client left)."""
        gone = asyncio.ensure_future(self._client_gone(receive))
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": self._headers(response)})
            while True:
                part = await next_part(gone)
                if part is _GONE:
                    return
                if part is _END:
                    await send({"type": "http.response.body"})
                    return
                for chunk, _ in self.chunk_bytes(part):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            gone.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await gone

    @staticmethod
    async def _client_gone(receive):
        # After the body, the only message left is the disconnect.
        while (await receive())["type"] != "http.disconnect":
            pass

    @staticmethod
    def _headers(response):
        headers = [(str(k).encode("ascii"), str(v).encode("latin1")) for k, v in response.items()]
        headers += [(b"Set-Cookie", c.output(header="").encode("ascii").strip()) for c in response.cookies.values()]
        return headers
