"""What people (or their computers) upload: too big, not text, odd encodings, huge plays."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scripts_app.models import Script
from tests.api.api_helpers import SMALL_PLAY, assert_error

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def upload(client, name, content: bytes, **fields):
    return client.post("/api/scripts", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


# --- size ---------------------------------------------------------------------

def test_a_json_body_over_two_megabytes_gets_a_json_413_and_nothing_is_saved(api):
    huge = "**A:** hello\n" * (2 * 1024 * 1024 // 13 + 10)
    error = assert_error(api.post("/api/scripts", {"markdown_source": huge}, format="json"), 413, "too_large")
    assert error["details"]["max_bytes"] == 2 * 1024 * 1024
    assert not Script.objects.exists()


def test_a_multipart_upload_over_two_megabytes_gets_a_json_413_and_nothing_is_saved(api):
    assert_error(upload(api, "big.txt", b"**A:** hello\n" * (170 * 1024)), 413, "too_large")
    assert not Script.objects.exists()


def test_an_oversized_body_is_refused_even_before_sign_in(anon):
    response = anon.post("/api/scripts", {"markdown_source": "x" * (3 * 1024 * 1024)}, format="json")
    assert_error(response, 413, "too_large")


# --- not text -------------------------------------------------------------------

@pytest.mark.parametrize("content", [PNG, PNG.replace(b"\x81", b"\x80"), bytes(range(256)) * 4])
def test_a_binary_file_renamed_to_txt_gets_a_clear_400_and_nothing_is_saved(api, content):
    # Some bytes cp1252 can't decode ("bad_encoding"); others decode to control characters
    # and NUL bytes, which the parser calls out as not a text file ("not_a_script").
    error = assert_error(upload(api, "photo.txt", content), 400)
    assert error["code"] in ("bad_encoding", "not_a_script")
    assert "plain text" in error["message"]
    assert not Script.objects.exists()


def test_a_png_with_a_script_extension_and_no_nul_bytes_still_saves_nothing_broken(api):
    # Only the magic number and printable bytes: decodes as cp1252, then the parser decides.
    response = upload(api, "photo.md", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 50)
    assert response.status_code in (201, 400), response.content
    assert response["Content-Type"].startswith("application/json")


def test_nul_bytes_in_json_markdown_source_get_a_clear_400(api):
    response = api.post("/api/scripts", {"markdown_source": SMALL_PLAY + "\x00\x00"}, format="json")
    assert_error(response, 400, "invalid")
    assert not Script.objects.exists()


def test_nul_bytes_in_a_title_or_alias_get_a_clear_400(api):
    assert_error(api.post("/api/scripts", {"markdown_source": SMALL_PLAY, "title": "a\x00b"}, format="json"), 400)
    body = {"markdown_source": SMALL_PLAY, "aliases": {"DOCTOR RANK": "RA\x00NK"}}
    assert_error(api.post("/api/scripts", body, format="json"), 400)
    assert not Script.objects.exists()


@pytest.mark.parametrize("key", ["DOCTOR\\u0000RANK", "DOCTOR\\ud800RANK"])
def test_nul_bytes_or_lone_surrogates_in_alias_names_get_a_clear_400(api, small_script, key):
    # Dictionary keys skip the serializer's character checks; PostgreSQL's jsonb refuses \u0000.
    raw = '{"markdown_source": "**A:** hi\\n\\n**B:** yo\\n", "aliases": {"KEY": "A"}}'.replace("KEY", key)
    assert_error(api.generic("POST", "/api/scripts", raw, content_type="application/json"), 400, "bad_aliases")
    raw = '{"aliases": {"KEY": "RANK"}}'.replace("KEY", key)
    response = api.generic("PATCH", f"/api/scripts/{small_script.pk}", raw, content_type="application/json")
    assert_error(response, 400, "bad_aliases")
    assert Script.objects.count() == 1


def test_nul_bytes_in_voice_assignment_names_get_a_clear_400(api, small_script):
    created = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora"}, format="json")
    assert created.status_code == 201, created.content
    session_id = created.json()["id"]
    for body in ({"voice_assignments": {"ra\x00nk": "en-gb-m3"}}, {"voice_assignments": {"rank": "en\x00"}}):
        response = api.patch(f"/api/sessions/{session_id}", body, format="json")
        assert 400 <= response.status_code < 500, response.content
        assert_error(response, response.status_code)
    body = {"script_id": small_script.pk, "user_role": "nora", "voice_assignments": {"\x00": "x"}}
    response = api.post("/api/sessions", body, format="json")
    assert 400 <= response.status_code < 500, response.content


def test_nul_bytes_in_an_update_get_a_clear_400_and_leave_the_script_alone(api, small_script):
    response = api.patch(f"/api/scripts/{small_script.pk}", {"markdown_source": "\x00"}, format="json")
    assert_error(response, 400)
    small_script.refresh_from_db()
    assert small_script.markdown_source == SMALL_PLAY


def test_lone_surrogates_in_json_get_a_clear_400_not_a_crash(api):
    raw = '{"markdown_source": "**A:** hi \\ud800 there\\n\\n**B:** yes\\n", "title": "\\udfff"}'
    response = api.generic("POST", "/api/scripts", raw, content_type="application/json")
    assert_error(response, 400)
    assert not Script.objects.exists()


# --- encodings ------------------------------------------------------------------

CAFE = "# Café\n\n**JOSÉ:** Où est le café?\n\n**RENÉE:** Là-bas, señor.\n"


def dialogue(response) -> list[str]:
    return [e["text"] for s in response.json()["parsed"]["scenes"] for e in s["elements"] if e["type"] == "dialogue"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_file_with_a_byte_order_mark_is_read_properly(api, encoding):
    raw = CAFE.encode(encoding)
    if encoding.endswith(("-le", "-be")):  # plain "utf-16"/"utf-32" write their own BOM
        raw = ("\ufeff" + CAFE).encode(encoding)
    response = upload(api, "cafe.txt", raw)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Café"
    assert dialogue(response) == ["Où est le café?", "Là-bas, señor."]
    assert "\x00" not in Script.objects.get().markdown_source


def test_a_utf8_file_with_a_byte_order_mark_is_read_without_it(api):
    response = upload(api, "cafe.md", "\ufeff".encode() + CAFE.encode())
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Café"


def test_a_latin1_file_is_read(api):
    response = upload(api, "cafe.txt", CAFE.encode("latin-1"))
    assert response.status_code == 201, response.content
    assert dialogue(response) == ["Où est le café?", "Là-bas, señor."]


def test_a_utf16_file_without_a_byte_order_mark_gets_a_clear_400(api):
    # Without the mark it can't be told from binary: the NUL bytes say "not a text file".
    error = assert_error(upload(api, "cafe.txt", CAFE.encode("utf-16-le")), 400)
    assert error["code"] in ("bad_encoding", "not_a_script")
    assert "plain text" in error["message"]
    assert not Script.objects.exists()


def test_the_admin_reads_a_utf16_upload_too(parent):
    form = {"title": "", "format": "auto", "markdown_source": "", "aliases": "{}",
            "upload": SimpleUploadedFile("cafe.txt", CAFE.encode("utf-16"))}
    response = parent.post("/admin/scripts_app/script/add/", form)
    assert response.status_code == 302, response.content[:3000]
    assert Script.objects.get().title == "Café"


def test_the_admin_refuses_a_png_renamed_to_txt(parent):
    form = {"title": "", "format": "auto", "markdown_source": "", "aliases": "{}",
            "upload": SimpleUploadedFile("photo.txt", PNG)}
    response = parent.post("/admin/scripts_app/script/add/", form)
    assert response.status_code == 200
    assert b"plain text" in response.content
    assert not Script.objects.exists()


# --- huge plays ---------------------------------------------------------------

def timed_post(client, body):
    started = time.monotonic()
    response = client.post("/api/scripts", body, format="json")
    return response, time.monotonic() - started


def test_a_script_with_twenty_thousand_lines_answers_quickly(api):
    lines = []
    for i in range(10_000):
        lines.append(f"**{'NORA' if i % 2 else 'RANK'}:** Line number {i}.")
        lines.append("")
    response, seconds = timed_post(api, {"markdown_source": "# Long\n\n" + "\n".join(lines)})
    assert response.status_code in (201, 400, 413), response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert seconds < 5, f"took {seconds:.1f} s"


def test_a_script_with_twenty_thousand_blank_or_junk_lines_answers_quickly(api):
    junk = "\n".join(("(" * (i % 7)) + "*" * (i % 5) + ":" for i in range(20_000))
    response, seconds = timed_post(api, {"markdown_source": "**A:** hi\n\n**B:** yo\n" + junk})
    assert response.status_code in (201, 400), response.content[:500]
    assert seconds < 5, f"took {seconds:.1f} s"


@pytest.mark.parametrize("line", [
    "**NORA:** " + "word " * 4_000,
    "**" + "N" * 20_000,
    "(" * 20_000,
    "*" * 20_000,
    "NORA: " + "(angrily) " * 2_000,
    "# " + "#" * 20_000,
    "[" * 10_000 + "]" * 10_000,
])
def test_a_script_with_a_twenty_thousand_character_line_answers_quickly(api, line):
    response, seconds = timed_post(api, {"markdown_source": SMALL_PLAY + "\n" + line + "\n\n**NORA:** Bye.\n"})
    assert response.status_code in (201, 400), response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert seconds < 5, f"took {seconds:.1f} s"
