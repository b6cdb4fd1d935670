"""A script made from a PDF or Word file: parsed like text, its original kept whole and removed with it."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from runthru_site.errors import UserError
from scripts_app.documents import DocumentRejected
from scripts_app.models import Script
from scripts_app.originals import download_name, original_path
from scripts_app.selectors import script_summary
from scripts_app.services import script_create_from_upload, script_delete, upload_format

from . import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_bytes(play):
    return makers.stage_pdf(*play)


def _stored() -> list:
    return sorted(p.name for p in settings.RUNTHRU_SCRIPTS_DIR.glob("*") if not p.name.startswith("."))


def test_a_pdf_upload_becomes_a_script_with_its_cast_and_keeps_the_original_byte_for_byte(pdf_bytes):
    script = script_create_from_upload(upload=SimpleUploadedFile("Lighthouse (final).pdf", pdf_bytes))
    assert script.title == "The Lighthouse Keepers"
    assert {c["name"] for c in script.characters} == {"TOBIAS", "MAREN", "GRANDPA OSKAR", "CAPTAIN IDA"}
    assert script.original_name == "Lighthouse (final).pdf"
    assert original_path(script.original_file).read_bytes() == pdf_bytes
    assert download_name(script.original_name, script.original_file) == "Lighthouse (final).pdf"


def test_deleting_the_script_removes_its_original(pdf_bytes, django_capture_on_commit_callbacks):
    script = script_create_from_upload(upload=SimpleUploadedFile("play.pdf", pdf_bytes))
    path = original_path(script.original_file)
    with django_capture_on_commit_callbacks(execute=True):
        script_delete(script=script)
    assert not path.exists()


def test_the_same_file_uploaded_twice_is_kept_once_and_stays_while_a_script_uses_it(
        pdf_bytes, django_capture_on_commit_callbacks):
    first = script_create_from_upload(upload=SimpleUploadedFile("a.pdf", pdf_bytes))
    second = script_create_from_upload(upload=SimpleUploadedFile("b.pdf", pdf_bytes))
    assert first.original_file == second.original_file and _stored().count(first.original_file) == 1
    with django_capture_on_commit_callbacks(execute=True):
        script_delete(script=first)
    assert original_path(second.original_file).exists()


def test_a_refused_document_leaves_no_script_and_no_file():
    before = _stored()
    with pytest.raises(DocumentRejected):
        script_create_from_upload(upload=SimpleUploadedFile("play.pdf", b"%PDF-1.4 this is not really a PDF"))
    assert not Script.objects.exists() and _stored() == before


def test_a_word_file_upload_reads_like_the_text(play):
    script = script_create_from_upload(upload=SimpleUploadedFile("play.docx", makers.cue_style_docx(*play)))
    assert script.format == "markdown"
    assert script.line_count == sum(1 for e in play[1] if e.kind == "dialogue")


def test_the_summary_says_what_was_found_with_the_biggest_parts_first(corpus):
    path = corpus / "documents" / "a_dolls_house_act1_stage.pdf"
    if not path.exists():
        pytest.skip("the PDF is not in the corpus")
    summary = script_summary(script_create_from_upload(upload=SimpleUploadedFile(path.name, path.read_bytes())))
    # 12 names on the page; the parser may merge DOCTOR RANK into RANK and THE CHILDREN into CHILDREN
    assert summary["sentence"] == f"{summary['characters']} characters, 484 lines, 1 act"
    assert 10 <= summary["characters"] <= 12
    assert [b["name"] for b in summary["biggest"][:3]] == ["NORA", "MRS LINDE", "HELMER"]


@pytest.mark.parametrize("name,message", [
    ("photo.jpg", "picture"), ("play.doc", ".docx"), ("play.exe", "PDF"), ("PLAY.PDF", None), ("x.Docx", None),
])
def test_the_file_name_decides_how_an_upload_is_read(name, message):
    if message is None:
        assert upload_format(name) in ("pdf", "docx")
    else:
        with pytest.raises(UserError) as caught:
            upload_format(name)
        assert caught.value.code == "bad_file_type" and message in caught.value.message
