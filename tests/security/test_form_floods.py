"""Forms with too many fields or files: 1,001 fields or 300 files on /api/auth/verify were a 500
with a full traceback in the terminal where the PIN was printed. Through the web server RunThru
starts, whose terminal output is checked too."""

import json
import sys
import time
import urllib.error
import urllib.request

import pytest

from runthru_site.webservers import start_daphne
from sessions_app.signin import pin_set, pin_verify
from tests.helpers import REPO, child_env, free_port


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    port = free_port()
    terminal = tmp_path_factory.mktemp("terminal") / "out.txt"
    with open(terminal, "wb") as out:
        [process] = start_daphne(sys.executable, "127.0.0.1", port, 1, env=child_env(), cwd=REPO, stdout=out,
                                 stderr=out)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.1)
        yield port, terminal
    finally:
        process.terminate()
        process.wait(10)


def post(port: int, path: str, body: bytes, content_type: str, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def many_files(count: int) -> tuple[bytes, str]:
    parts = b"".join(b'--b\r\nContent-Disposition: form-data; name="file"; filename="%d.txt"\r\n'
                     b"Content-Type: text/plain\r\n\r\nHAMLET. Hi.\r\n" % i for i in range(count))
    return parts + b"--b--\r\n", "multipart/form-data; boundary=b"


FIELDS = "&".join(f"f{i}=x" for i in range(1001)).encode()


def test_a_thousand_form_fields_on_the_sign_in_is_a_4xx_in_the_error_shape(server):
    status, body = post(server[0], "/api/auth/verify", FIELDS, "application/x-www-form-urlencoded")
    assert 400 <= status < 500, (status, body)
    assert set(body["error"]) == {"code", "message", "details"}


def test_three_hundred_files_on_the_sign_in_is_a_4xx_in_the_error_shape(server):
    status, body = post(server[0], "/api/auth/verify", *many_files(300))
    assert 400 <= status < 500, (status, body)
    assert set(body["error"]) == {"code", "message", "details"}


def test_a_cross_site_form_cannot_post_pins(server):
    status, body = post(server[0], "/api/auth/verify", b"pin=123456", "application/x-www-form-urlencoded")
    assert status == 415 and body["error"]["code"] == "unsupported_media_type"


@pytest.mark.django_db(transaction=True)
def test_three_hundred_files_in_a_script_upload_is_a_400_that_says_why(server):
    pin_set(pin="24681357")
    token = pin_verify(pin="24681357", client_address="127.0.0.1", device_key=None).token
    status, body = post(server[0], "/api/scripts", *many_files(300), token=token)
    assert status == 400, body
    assert body["error"] == {"code": "too_many_fields", "details": None,
                             "message": "That form has too many fields or files. Send fewer at once."}
    status, body = post(server[0], "/api/scripts", FIELDS, "application/x-www-form-urlencoded", token=token)
    assert status == 400 and body["error"]["code"] == "too_many_fields"


def test_none_of_it_printed_a_traceback_in_the_terminal(server):
    assert "Traceback" not in server[1].read_text(errors="replace")
