"""Clients that send too slowly, or open too many connections, cannot use up the web server: 43,500
connections sending half a header (or a byte every 15 s) once left /api/health with "connection
reset". Through the web server RunThru starts (runthru_site.serve), with a 1 s header limit."""

import json
import socket
import sys
import time

import pytest

from runthru_site.webservers import start_daphne
from tests.helpers import REPO, child_env, free_port

HEADER_SECONDS = 1
PER_ADDRESS = 6


@pytest.fixture(scope="module")
def port(django_db_setup):
    port = free_port()
    env = child_env(RUNTHRU_HEADER_SECONDS=str(HEADER_SECONDS), RUNTHRU_CONNECTIONS_PER_ADDRESS=str(PER_ADDRESS))
    [process] = start_daphne(sys.executable, "127.0.0.1", port, 1, env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def read_until_closed(conn: socket.socket, seconds: float, trickle: bytes = b"") -> tuple[bytes, float]:
    """What the server sends until it closes (sending `trickle` a byte every 0.3 s meanwhile), and
    when it closed; fails if it is still open after `seconds`."""
    start = time.monotonic()
    answer = b""
    conn.settimeout(0.3)
    while time.monotonic() - start < seconds:
        try:
            data = conn.recv(65536)
        except TimeoutError:
            if trickle:
                try:
                    conn.sendall(trickle[:1])
                except (BrokenPipeError, ConnectionResetError):
                    break
                trickle = trickle[1:] or trickle
            continue
        except ConnectionResetError:
            break
        if not data:
            break
        answer += data
    else:
        pytest.fail(f"the connection was still open after {seconds} s")
    return answer, time.monotonic() - start


def health(port: int) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer, _ = read_until_closed(conn, 5)
    return int(answer.split(b" ", 2)[1])


def test_half_a_header_and_then_nothing_is_answered_408_and_closed(port):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: loc")
        answer, took = read_until_closed(conn, HEADER_SECONDS + 4)
    assert answer.startswith(b"HTTP/1.1 408")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]["message"] == (
        "That took too long to arrive. Please try again.")


def test_a_header_sent_a_byte_at_a_time_is_cut_off_all_the_same(port):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        answer, took = read_until_closed(conn, HEADER_SECONDS + 4, trickle=b"GET /api/health HTTP/1.1\r\nX-Slow: ")
    assert answer.startswith(b"HTTP/1.1 408")


def test_a_body_that_trickles_in_is_cut_off(port):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(b"POST /api/auth/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 10000\r\n\r\n{")
        answer, took = read_until_closed(conn, HEADER_SECONDS + 4, trickle=b'"pin": "1')
    assert answer.startswith(b"HTTP/1.1 408")


def test_one_address_gets_only_so_many_connections_and_health_answers_again_after(port):
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(PER_ADDRESS)]
    try:
        with socket.create_connection(("127.0.0.1", port)) as extra:
            answer, _ = read_until_closed(extra, 3)
        assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After: 5" in answer
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]["code"] == "too_many_connections"
    finally:
        for conn in held:
            conn.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if health(port) == 200:
                break
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.1)
    else:
        pytest.fail("health did not answer 200 after the connections closed")
