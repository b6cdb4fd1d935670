"""Bodies over the limit are refused as they arrive, not after they are read: a 1 GB POST once
cost 2 GB of temp disk and 1.27 GB of memory before its 413."""

import asyncio
import json
import socket
import sys
import time

import pytest

from runthru_site.http import PooledASGIHandler
from runthru_site.webservers import start_daphne
from tests.helpers import REPO, child_env

MB = 1024 * 1024
LIMIT = 2 * MB  # a script's text
CHUNK = 64 * 1024


def post_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    return {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": [(b"host", b"localhost"), (b"content-type", b"application/json"), *headers],
            "server": ("localhost", 80), "client": ("127.0.0.1", 5000), "scheme": "http", "root_path": "",
            "http_version": "1.1", "asgi": {"version": "3.0"}}


def post_through_handler(path: str, total: int, declared: int | None) -> tuple[int, dict, int]:
    """POST `total` bytes in 64 KB messages to the handler; (status, JSON body, bytes it read)."""
    headers = [(b"content-length", str(declared).encode())] if declared is not None else []
    read = [0]

    async def receive():
        size = min(CHUNK, total - read[0])
        read[0] += size
        return {"type": "http.request", "body": b"x" * size, "more_body": read[0] < total}

    messages = []

    async def send(message):
        messages.append(message)

    app = PooledASGIHandler(threads=1, stream_threads=1)
    asyncio.run(app(post_scope(path, headers), receive, send))
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return messages[0]["status"], json.loads(body), read[0]


@pytest.mark.django_db
def test_a_declared_body_over_the_limit_is_refused_before_a_byte_is_read():
    status, body, read = post_through_handler("/api/scripts", 64 * MB, declared=64 * MB)
    assert status == 413 and body["error"]["code"] == "too_large"
    assert body["error"]["details"] == {"max_bytes": LIMIT}
    assert read == 0


@pytest.mark.django_db
def test_a_chunked_body_stops_being_read_just_past_the_limit():
    status, body, read = post_through_handler("/api/scripts", 64 * MB, declared=None)
    assert status == 413 and body["error"]["message"] == "That's too big. The most we accept is 2 MB."
    assert read <= LIMIT + CHUNK


@pytest.mark.django_db
def test_a_voice_recording_may_be_bigger_than_a_script():
    status, body, read = post_through_handler("/api/tts/voices", 13 * MB, declared=None)
    assert status == 413 and body["error"]["details"] == {"max_bytes": 12 * MB}
    assert 12 * MB <= read <= 12 * MB + CHUNK


# --- on the wire, through the web server RunThru starts ------------------------------------------

@pytest.fixture(scope="module")
def web_server(django_db_setup):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [process] = start_daphne(sys.executable, "127.0.0.1", port, 1, env=child_env(), cwd=REPO)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def send_until_refused(port: int, head: bytes, chunk: bytes, most: int) -> tuple[bytes, int]:
    """Send `head`, then `chunk` after chunk (up to `most` bytes) until the server answers and
    closes; (the answer, bytes of body sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head)
        conn.settimeout(0.0)
        answer = b""
        try:
            while sent < most:
                try:
                    answer += conn.recv(65536)
                except BlockingIOError:
                    pass
                if answer:
                    break
                conn.settimeout(5)
                conn.sendall(chunk)
                conn.settimeout(0.0)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        conn.settimeout(5)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, sent


def test_a_gigabyte_post_is_answered_413_long_before_it_is_sent(web_server):
    head = (b"POST /api/scripts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1073741824\r\n\r\n")
    answer, sent = send_until_refused(web_server, head, b"x" * CHUNK, 128 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code": "too_large"' in answer
    assert sent < 64 * MB


def test_an_endless_chunked_post_is_cut_off_soon_after_the_limit(web_server):
    head = (b"POST /api/scripts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (CHUNK, b"x" * CHUNK)
    answer, sent = send_until_refused(web_server, head, chunk, 128 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 64 * MB


def answer_to(port: int, head: bytes, body_bytes: int) -> tuple[bytes, int]:
    return send_until_refused(port, head, b"x" * CHUNK, body_bytes)


def test_a_sign_in_declaring_12_mb_is_refused_at_its_headers_with_its_own_limit(web_server):
    head = (b"POST /api/auth/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (12 * MB))
    answer, sent = answer_to(web_server, head, 12 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]["details"] == {"max_bytes": 16 * 1024}
    assert sent < 6 * MB  # once, all 12 MB were read before the answer (loopback buffers hold a few MB)


def test_a_chunked_sign_in_is_cut_off_just_past_16_kb(web_server):
    head = (b"POST /api/auth/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    answer, sent = send_until_refused(web_server, head, b"%x\r\n%s\r\n" % (CHUNK, b"x" * CHUNK), 12 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 6 * MB


def multipart_head(path: bytes, length: int) -> bytes:
    return (b"POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: %d\r\n\r\n" % (path, length))


def test_a_12_mb_word_file_gets_past_the_body_limit_as_the_readme_promises(web_server):
    answer, sent = answer_to(web_server, multipart_head(b"/api/scripts", 12 * MB), 12 * MB)
    assert sent == 12 * MB
    assert answer.startswith(b"HTTP/1.1 401"), answer[:300]  # as far as the sign-in check, not a 413


def test_a_document_over_20_mb_is_refused_at_its_declared_length(web_server):
    answer, sent = answer_to(web_server, multipart_head(b"/api/scripts", 21 * MB), 21 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"The most we accept is 20 MB." in answer
    assert sent < 6 * MB


def test_text_sent_to_the_script_list_keeps_the_2_mb_limit(web_server):
    head = (b"POST /api/scripts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (3 * MB))
    answer, sent = answer_to(web_server, head, 3 * MB)
    assert answer.startswith(b"HTTP/1.1 413") and b"The most we accept is 2 MB." in answer
