"""PDF and Word uploads through the API: school scripts in, hostile documents politely out.

Each hostile file gets a clear 4xx in the one JSON error shape within a few seconds, and
leaves no script and no stored file behind.
"""

import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from scripts_app.models import Script
from scripts_app.originals import original_path
from tests.api.api_helpers import assert_error
from tests.documents import hostile, makers

QUICK = 10


def upload(client, name, content: bytes, **fields):
    return client.post("/api/scripts", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


def stored() -> list[str]:
    return sorted(p.name for p in settings.RUNTHRU_SCRIPTS_DIR.glob("*") if not p.name.startswith("."))


@pytest.fixture(scope="module")
def play():
    return makers.sample_play()


def test_the_schools_pdf_uploads_and_the_answer_says_what_was_found(api, corpus):
    path = corpus / "documents" / "a_dolls_house_act1_stage.pdf"
    if not path.exists():
        pytest.skip("the PDF is not in the corpus")
    response = upload(api, path.name, path.read_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["found"]["sentence"].endswith(" characters, 484 lines, 1 act")
    assert body["found"]["biggest"][0] == {"name": "NORA", "line_count": 229}
    assert body["original_name"] == path.name
    script = Script.objects.get(pk=body["id"])
    assert original_path(script.original_file).read_bytes() == path.read_bytes()


def test_a_word_file_uploads_like_a_text_file(api, play):
    response = upload(api, "lighthouse.docx", makers.styled_docx(*play))
    assert response.status_code == 201, response.content
    assert {c["name"] for c in response.json()["parsed"]["characters"]} == {
        "TOBIAS", "MAREN", "GRANDPA OSKAR", "CAPTAIN IDA"}


def test_deleting_an_uploaded_pdf_script_removes_the_kept_file_once_it_cannot_be_undone(
        api, parent_api, play, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from tts_app.purge import purge_deleted_scripts

    body = upload(api, "play.pdf", makers.stage_pdf(*play)).json()
    path = original_path(Script.objects.get(pk=body["id"]).original_file)
    with django_capture_on_commit_callbacks(execute=True):
        assert parent_api.delete(f"/api/scripts/{body['id']}").status_code == 204
    assert path.exists()  # a deleted script can be brought back for a while, with its original
    Script.objects.filter(pk=body["id"]).update(deleted_at=timezone.now() - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_deleted_scripts() == 1
    assert not path.exists()


HOSTILE = [
    ("locked.pdf", hostile.locked_pdf, "encrypted_document", "password"),
    ("huge.pdf", hostile.thousands_of_pages, "too_many_pages", "pages"),
    ("bomb.pdf", hostile.decompression_bomb_pdf, "document_too_big", "too big"),
    ("scan.pdf", hostile.scanned_pdf, "scanned_document", "picture of a script"),
    ("broken.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 64, "bad_document", "damaged"),
    ("bomb.docx", hostile.zip_bomb_docx, "document_too_big", "too big"),
    ("renamed.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "bad_document", "Save As"),
    ("photo.jpg", lambda: b"\xff\xd8\xff\xe0" + b"\0" * 100, "bad_file_type", "picture"),
    ("play.docm", lambda: b"PK\x03\x04", "bad_file_type", ".docx"),
]


@pytest.mark.parametrize("name,make,code,words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_document_gets_a_clear_400_quickly_and_leaves_nothing(api, name, make, code, words):
    before, data = stored(), make()
    start = time.monotonic()
    error = assert_error(upload(api, name, data), 400, code)
    assert time.monotonic() - start < QUICK
    assert words in error["message"]
    assert not Script.objects.exists() and stored() == before


def test_a_word_file_with_macros_is_refused(api, play):
    assert_error(upload(api, "play.docx", hostile.macro_docx(play)), 400, "document_has_macros")
    assert not Script.objects.exists()


def test_a_document_over_the_document_limit_gets_a_json_413(api):
    limit = settings.RUNTHRU_MAX_DOCUMENT_BYTES
    error = assert_error(upload(api, "big.pdf", b"%PDF-1.4\n" + b"0" * limit), 413, "too_large")
    assert error["details"]["max_bytes"] == limit


def test_a_text_file_still_has_the_text_limit_though_documents_may_be_bigger(api):
    assert_error(upload(api, "big.txt", b"**A:** hello\n" * (170 * 1024)), 413, "too_large")
