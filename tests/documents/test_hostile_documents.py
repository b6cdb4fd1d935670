"""Hostile documents are ordinary input: each is refused in plain words, within a few seconds.

Every file goes through the bounded worker (read_document), as an upload does.
"""

import io
import time
import zipfile
import zlib

import pytest
from fpdf import FPDF

from scripts_app.documents import DocumentRejected, read_document

from . import makers

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


def _small_pdf(**encryption) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "NORA: Hello there.\nHELMER: Hello.\nNORA: Goodbye.\nHELMER: Goodbye.")
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def _pdf_with_content(stream: bytes) -> bytes:
    """A one-page PDF whose page content is `stream`, deflated (written by hand to shape it exactly)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _docx(play, *, extra=None, replace=None, macro_type=False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(makers.cue_style_docx(*play)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            if macro_type and info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


# -- PDF -----------------------------------------------------------------------------------------

def test_a_password_locked_pdf_is_refused_as_locked():
    error = refused(_small_pdf(owner_password="owner", user_password="secret"), "pdf")
    assert error.code == "encrypted_document" and "password" in error.message


def test_a_pdf_only_restricted_by_its_owner_still_opens():
    # Schools often lock printing or copying; the text can still be read without a password.
    markdown = read_document(_small_pdf(owner_password="owner"), "pdf").markdown
    assert "Goodbye" in markdown


def test_a_pdf_of_thousands_of_pages_is_refused_by_its_page_count():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=8)
    for _ in range(3000):
        pdf.add_page()
        pdf.cell(0, 5, "x")
    error = refused(bytes(pdf.output()), "pdf")
    assert error.code == "too_many_pages" and "3000 pages" in error.message


def test_a_pdf_whose_page_unpacks_to_hundreds_of_megabytes_is_refused_for_memory():
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(700)) + packer.flush()
    error = refused(_pdf_with_content(stream), "pdf")
    assert error.code == "document_too_big"


def test_a_page_crammed_with_tiny_text_is_refused():
    text = b"BT /F1 1 Tf 10 10 Td " + b"(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) Tj 0 1 Td " * 1000 + b"ET"
    body = _pdf_with_content(zlib.compress(text)).replace(
        b"/MediaBox [0 0 612 792]",
        b"/MediaBox [0 0 612 792] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
        b"/BaseFont /Helvetica >> >> >>")
    error = refused(body, "pdf")
    assert error.code == "document_too_big"


@pytest.mark.parametrize("data", [
    b"hello, this is not a PDF",
    b"%PDF-1.7\n" + bytes(range(256)) * 100,
    _small_pdf()[:400],
], ids=["not a pdf", "garbage after the header", "cut short"])
def test_a_damaged_pdf_is_refused_as_damaged(data):
    error = refused(data, "pdf")
    assert error.code == "bad_document" and "damaged" in error.message


def test_a_scanned_pdf_is_called_a_picture_of_a_script():
    from PIL import Image, ImageDraw

    picture = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(picture).text((40, 40), "NORA. Hello there.\nHELMER. Hello.", fill=0)
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(picture, x=10, y=10, w=190)
    error = refused(bytes(pdf.output()), "pdf")
    assert error.code == "scanned_document" and "picture of a script" in error.message


def test_a_document_that_takes_too_long_is_stopped_with_a_clear_message(play):
    error = refused(makers.stage_pdf(*play), "pdf", seconds=0.3)
    assert error.code == "document_too_slow" and "too long" in error.message


def test_a_reader_that_runs_out_of_memory_is_refused_politely(play):
    error = refused(makers.stage_pdf(*play), "pdf", memory=40 * 1024 * 1024)
    assert error.code == "document_too_big"


# -- Word ----------------------------------------------------------------------------------------

def test_a_word_file_with_macros_is_refused(play):
    error = refused(_docx(play, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}), "docx")
    assert error.code == "document_has_macros" and "macros" in error.message


def test_a_macro_enabled_word_file_renamed_to_docx_is_refused(play):
    assert refused(_docx(play, macro_type=True), "docx").code == "document_has_macros"


def test_a_zip_bomb_named_docx_is_refused_before_it_is_unpacked():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(b" " * (1 << 20))
    assert len(bomb.getvalue()) < 2 * 1024 * 1024  # it fits under the upload limit
    assert refused(bomb.getvalue(), "docx").code == "document_too_big"


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
    assert refused(_docx(play, replace={"word/document.xml": document}), "docx").code in (
        "bad_document", "scanned_document")


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"x" * 1000,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000,
    b"just some text",
], ids=["broken zip", "an old .doc renamed", "text renamed"])
def test_a_damaged_or_renamed_word_file_is_refused_with_what_to_do(data):
    error = refused(data, "docx")
    assert error.code == "bad_document" and "Save As" in error.message
