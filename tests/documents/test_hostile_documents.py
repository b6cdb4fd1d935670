"""Hostile documents are ordinary input: each is refused in plain words, within a few seconds.

Every file goes through the bounded worker (read_document), as an upload does.
"""

import io
import time
import zipfile
import zlib

import pytest

from scripts_app.documents import DocumentRejected, read_document

from . import hostile, makers
from .hostile import docx_variant, pdf_with_content, small_pdf

QUICK = 10  # seconds: the worker's own limit is 20, and a refusal must come well before it


def refused(data: bytes, kind: str, **limits) -> DocumentRejected:
    start = time.monotonic()
    with pytest.raises(DocumentRejected) as caught:
        read_document(data, kind, **limits)
    assert time.monotonic() - start < QUICK
    error = caught.value
    assert error.status in (400, 413)
    assert "Traceback" not in error.message and "Error" not in error.message
    return error


# -- PDF -----------------------------------------------------------------------------------------

def test_a_password_locked_pdf_is_refused_as_locked():
    error = refused(hostile.locked_pdf(), "pdf")
    assert error.code == "encrypted_document" and "password" in error.message


def test_a_pdf_only_restricted_by_its_owner_still_opens():
    # Schools often lock printing or copying; the text can still be read without a password.
    markdown = read_document(small_pdf(owner_password="owner"), "pdf").markdown
    assert "Goodbye" in markdown


def test_a_pdf_of_thousands_of_pages_is_refused_by_its_page_count():
    error = refused(hostile.thousands_of_pages(3000), "pdf")
    assert error.code == "too_many_pages" and "3000 pages" in error.message


def test_a_pdf_whose_page_unpacks_to_hundreds_of_megabytes_is_refused_for_memory():
    error = refused(hostile.decompression_bomb_pdf(700), "pdf")
    assert error.code == "document_too_big"


def test_a_page_crammed_with_tiny_text_is_refused():
    text = b"BT /F1 1 Tf 10 10 Td " + b"(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) Tj 0 1 Td " * 1000 + b"ET"
    body = pdf_with_content(zlib.compress(text)).replace(
        b"/MediaBox [0 0 612 792]",
        b"/MediaBox [0 0 612 792] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
        b"/BaseFont /Helvetica >> >> >>")
    error = refused(body, "pdf")
    assert error.code == "document_too_big"


@pytest.mark.parametrize("data", [
    b"hello, this is not a PDF",
    b"%PDF-1.7\n" + bytes(range(256)) * 100,
    small_pdf()[:400],
], ids=["not a pdf", "garbage after the header", "cut short"])
def test_a_damaged_pdf_is_refused_as_damaged(data):
    error = refused(data, "pdf")
    assert error.code == "bad_document" and "damaged" in error.message


def test_a_scanned_pdf_is_called_a_picture_of_a_script():
    error = refused(hostile.scanned_pdf(), "pdf")
    assert error.code == "scanned_document" and "picture of a script" in error.message


def test_a_document_that_takes_too_long_is_stopped_with_a_clear_message(play):
    title, elements = play
    long_play = makers.stage_pdf(title, elements * 20)  # about 80 pages: a second or more to read
    error = refused(long_play, "pdf", seconds=0.3)
    assert error.code == "document_too_slow" and "too long" in error.message


def test_a_reader_that_runs_out_of_memory_is_refused_politely(play):
    error = refused(makers.stage_pdf(*play), "pdf", memory=40 * 1024 * 1024)
    assert error.code == "document_too_big"


# -- Word ----------------------------------------------------------------------------------------

def test_a_word_file_with_macros_is_refused(play):
    error = refused(hostile.macro_docx(play), "docx")
    assert error.code == "document_has_macros" and "macros" in error.message


def test_a_macro_enabled_word_file_renamed_to_docx_is_refused(play):
    assert refused(docx_variant(play, macro_type=True), "docx").code == "document_has_macros"


def test_a_zip_bomb_named_docx_is_refused_before_it_is_unpacked():
    bomb = hostile.zip_bomb_docx(300)
    assert len(bomb) < 2 * 1024 * 1024  # it fits under the upload limit
    assert refused(bomb, "docx").code == "document_too_big"


def test_a_docx_of_thousands_of_parts_is_refused():
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(1500):
            z.writestr(f"x/{i}.xml", b"<a/>")
    assert refused(many.getvalue(), "docx").code == "document_too_big"


def test_an_xml_entity_bomb_inside_a_docx_is_not_expanded(play):
    entities = b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10) for i in range(1, 10))
    document = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">' + entities + b']>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>")
    assert refused(docx_variant(play, replace={"word/document.xml": document}), "docx").code in (
        "bad_document", "scanned_document")


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"x" * 1000,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000,
    b"just some text",
], ids=["broken zip", "an old .doc renamed", "text renamed"])
def test_a_damaged_or_renamed_word_file_is_refused_with_what_to_do(data):
    error = refused(data, "docx")
    assert error.code == "bad_document" and "Save As" in error.message


# -- Final Draft ---------------------------------------------------------------------------------

def test_a_final_draft_file_with_an_entity_bomb_or_an_outside_reference_reads_nothing_in(play):
    bomb = makers.final_draft(*play).replace(
        b"<FinalDraft", b'<!DOCTYPE F [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY l0 "lol">'
        + b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10) for i in range(1, 10)) + b"]><FinalDraft", 1,
    ).replace(b"<Text>Night.", b"<Text>&x;&l9;Night.", 1)
    start = time.monotonic()
    try:
        markdown = read_document(bomb, "fdx").markdown
    except DocumentRejected as error:
        assert error.code == "bad_document"
    else:
        assert "root:" not in markdown and "lollol" not in markdown
    assert time.monotonic() - start < QUICK


@pytest.mark.parametrize("data", [b"not xml at all", b"<?xml version='1.0'?><html><body/></html>"],
                         ids=["not xml", "other xml"])
def test_a_file_that_is_no_final_draft_script_is_refused(data):
    assert refused(data, "fdx").code == "bad_document"


def test_when_every_reading_slot_is_taken_an_upload_is_told_to_try_again(monkeypatch, play):
    from runthru_site.errors import Unavailable
    from scripts_app.documents import limits, sandbox

    monkeypatch.setattr(limits, "WORKER_SECONDS", 0.2)
    for _ in range(limits.WORKER_SLOTS):
        sandbox._SLOTS.acquire()
    try:
        with pytest.raises(Unavailable) as caught:
            read_document(makers.stage_pdf(*play), "pdf")
    finally:
        for _ in range(limits.WORKER_SLOTS):
            sandbox._SLOTS.release()
    assert caught.value.status == 503 and "busy" in caught.value.message


# -- OpenDocument --------------------------------------------------------------------------------

def _odt_with(play, **parts) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(makers.open_document(*play)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, parts.pop(info.filename, source.read(info.filename)))
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_an_open_document_with_basic_macros_is_refused(play):
    odt = _odt_with(play, **{"Basic/Standard/Module1.xml": b"<script:module/>"})
    assert refused(odt, "odt").code == "document_has_macros"


@pytest.mark.parametrize("part,data", [("mimetype", b"application/zip"), ("content.xml", b"<not xml")],
                         ids=["another kind of zip", "broken content"])
def test_a_damaged_open_document_is_refused_with_what_to_do(play, part, data):
    error = refused(_odt_with(play, **{part: data}), "odt")
    assert error.code == "bad_document" and ".odt" in error.message
