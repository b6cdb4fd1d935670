"""``python -m runthru_site.serve``: daphne, with request bodies stopped as they arrive once past
the largest body RunThru accepts.

Twisted reads a whole request body (into a temp file past 100 KB) before daphne hands any of it
on, and daphne then queues all of it in memory: a 1 GB POST cost 2 GB of temp disk and 1.27 GB of
memory before the 413. Here the connection answers 413 and closes as soon as the declared length,
or the bytes counted so far (chunked bodies declare none), pass the limit. The limit for each
path is checked again, before reading, in the ASGI handler (runthru_site/http.py).

Takes daphne's own command-line options.
"""

from daphne import server
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest

from .errors import too_large_body


def _max_bytes() -> int:
    from django.conf import settings  # configured by now: daphne loaded the app before listening

    return max(settings.RUNTHRU_MAX_BODY_BYTES, settings.RUNTHRU_MAX_VOICE_BYTES)


class BodyLimitedRequest(WebRequest):
    _received = 0
    _refused = False

    def gotLength(self, length):
        if length is not None and length > _max_bytes():
            self._refuse()
            length = 0  # nothing of the body is kept
        super().gotLength(length)

    def handleContentChunk(self, data):
        if self._refused:
            return
        self._received += len(data)
        if self._received > _max_bytes():
            self._refuse()
            return
        super().handleContentChunk(data)

    def process(self):
        if not self._refused:
            return super().process()

    def _refuse(self) -> None:
        self._refused = True
        limit = _max_bytes()
        body = too_large_body(limit)
        self.channel.transport.write(
            b"HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
        )
        self.channel.transport.loseConnection()


class BodyLimitedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr):
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = BodyLimitedRequest
        return protocol


def main() -> None:
    server.HTTPFactory = BodyLimitedHTTPFactory  # the name daphne's Server builds its factory from
    CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
