"""manage.py runthru --lan: a phone on the home Wi-Fi can reach the laptop.

Test traffic goes to 127.0.0.1 only, carrying the home-network address in its Host header.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow

HOME_ADDRESS = "192.168.77.10"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listens_on_every_interface(port: int) -> bool:
    with open("/proc/net/tcp") as fh:
        rows = [line.split() for line in fh.readlines()[1:]]
    # local address 0.0.0.0:port, state 0A (LISTEN)
    return any(row[1] == f"00000000:{port:04X}" and row[3] == "0A" for row in rows)


def _get(port: int, host_header: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/api/health", headers={"Host": host_header})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture(scope="module")
def lan_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("lan")
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "RUNTHRU_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")}
    env |= {"RUNTHRU_DATA_DIR": str(tmp_path / "data"), "RUNTHRU_WEB_PROCS": "1", "PYTHONUNBUFFERED": "1",
            "RUNTHRU_LAN_ADDRESS": HOME_ADDRESS}
    proc = subprocess.Popen([sys.executable, "manage.py", "runthru", "--lan", "--port", str(port)], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "runthru stopped before it was running:\n" + "".join(lines)
            lines.append(line)
            if "Press Ctrl-C to stop" in line:
                break
        while time.monotonic() < deadline:
            try:
                _get(port, "localhost")
                break
            except OSError:
                time.sleep(0.3)
        yield port, "".join(lines)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_it_prints_the_home_address_and_a_qr_code_for_the_phone(lan_run):
    port, printed = lan_run
    assert f"https://{HOME_ADDRESS}:{port + 443}/" in printed
    assert "isn't private" in printed  # the one-time certificate warning, explained
    assert "same Wi-Fi" in printed
    assert printed.count("█") > 100  # the QR code, drawn in block characters
    assert "PIN" in printed


def test_it_listens_on_every_interface_and_answers_the_home_address(lan_run):
    port, _ = lan_run
    assert _listens_on_every_interface(port)
    assert _get(port, f"{HOME_ADDRESS}:{port}") == 200
    # Any other name is still refused: only the laptop's own address was added.
    assert _get(port, f"evil.example:{port}") == 400


def test_the_pages_still_ask_for_the_pin_over_the_home_network(lan_run):
    port, _ = lan_run
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/api/sessions", headers={"Host": f"{HOME_ADDRESS}:{port}"})
        assert conn.getresponse().status == 401
    finally:
        conn.close()


def test_phones_get_https_with_runthrus_own_certificate_so_the_microphone_works(lan_run):
    import ssl

    port, _ = lan_run
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # self-signed: the phone asks once
    conn = http.client.HTTPSConnection("127.0.0.1", port + 443, timeout=10, context=context)
    try:
        conn.request("GET", "/api/health", headers={"Host": f"{HOME_ADDRESS}:{port + 443}"})
        assert conn.getresponse().status == 200
        names = conn.sock.getpeercert(binary_form=True)
        assert names  # a certificate was offered
    finally:
        conn.close()
