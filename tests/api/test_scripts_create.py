"""POST /api/scripts: JSON text or a file upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scripts_app.models import Script

from .api_helpers import assert_error

FOUNTAIN = """Title: The Kettle

INT. KITCHEN - NIGHT

ANNA
Is the kettle on?

BEN
(grumpily)
It's always on.
"""


def upload(api, name, content: bytes, **fields):
    return api.post("/api/scripts", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


def test_it_adds_a_script_sent_as_json(api, sample_text):
    response = api.post("/api/scripts", {"markdown_source": sample_text}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "The Lighthouse Keepers"
    assert {c["id"] for c in body["parsed"]["characters"]} >= {"maren", "tobias", "grandpa-oskar"}
    assert Script.objects.filter(pk=body["id"]).exists()


def test_it_uses_a_given_title(api, sample_text):
    response = api.post("/api/scripts", {"markdown_source": sample_text, "title": "Our play"}, format="json")
    assert response.json()["title"] == "Our play"


@pytest.mark.parametrize("name", ["play.md", "play.txt", "PLAY.MARKDOWN"])
def test_it_adds_an_uploaded_markdown_or_text_file(api, sample_text, name):
    response = upload(api, name, sample_text.encode())
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "The Lighthouse Keepers"


def test_it_reads_an_uploaded_fountain_file_as_fountain(api):
    response = upload(api, "kettle.fountain", FOUNTAIN.encode())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["format"] == "fountain"
    assert {c["id"] for c in body["parsed"]["characters"]} == {"anna", "ben"}


def test_it_reads_a_latin_1_file(api):
    text = "# Café\n\n**JOSÉ:** Où est le café?\n\n**RENÉE:** Là-bas, señor.\n"
    response = upload(api, "cafe.txt", text.encode("latin-1"))
    assert response.status_code == 201, response.content
    speeches = [e["text"] for e in response.json()["parsed"]["scenes"][0]["elements"] if e["type"] == "dialogue"]
    assert "Où est le café?" in speeches


@pytest.mark.parametrize("name", ["play.exe", "photo.png", "play", "play.rtf"])
def test_it_refuses_files_that_are_not_scripts_and_says_which_are(api, name):
    error = assert_error(upload(api, name, b"**A:** Hi.\n\n**B:** Hello.\n"), 400, "bad_file_type")
    assert ".docx" in error["message"]
    assert Script.objects.count() == 0


def test_it_refuses_binary_content_with_a_friendly_message(api):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    error = assert_error(upload(api, "play.txt", png), 400)
    assert "Traceback" not in error["message"]
    assert Script.objects.count() == 0


@pytest.mark.parametrize("source", ["", "   \n\n", "Just some prose with no speakers at all."])
def test_it_refuses_text_without_dialogue(api, source):
    assert_error(api.post("/api/scripts", {"markdown_source": source}, format="json"), 400)
    assert Script.objects.count() == 0


def test_it_refuses_a_request_with_neither_text_nor_file(api):
    assert_error(api.post("/api/scripts", {}, format="json"), 400)


def test_it_refuses_an_unknown_format(api, sample_text):
    error = assert_error(api.post("/api/scripts", {"markdown_source": sample_text, "format": "docx"}, format="json"),
                         400)
    assert "format" in error["message"].lower()


def test_it_refuses_a_body_over_two_megabytes(api):
    huge = "**A:** " + "la " * (800 * 1024) + "\n\n**B:** Hi.\n"
    error = assert_error(api.post("/api/scripts", {"markdown_source": huge}, format="json"), 413, "too_large")
    assert "2 MB" in error["message"]
    assert Script.objects.count() == 0


def test_it_refuses_an_upload_over_two_megabytes(api):
    assert_error(upload(api, "big.txt", b"**A:** hi\n" * (300 * 1024)), 413, "too_large")


def test_it_refuses_a_binary_file_that_happens_to_decode_as_text(api):
    # A zip (what a .docx really is) renamed to .txt: every byte is valid cp1252.
    fake = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(b for b in range(256) if b not in
                                                                 (0x81, 0x8D, 0x8F, 0x90, 0x9D)) * 8
    error = assert_error(upload(api, "play.txt", fake), 400)
    assert "Traceback" not in error["message"]
    assert Script.objects.count() == 0


def test_it_refuses_json_text_containing_nul_bytes_without_failing(api):
    response = api.post("/api/scripts", {"markdown_source": "**A:** Hi\x00there.\n\n**B:** Hello.\n"}, format="json")
    assert response.status_code in (201, 400), response.content
