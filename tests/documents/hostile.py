"""Hostile documents, built in code: locked, bombed, crammed, scanned, macro-laden."""

import io
import zipfile
import zlib

from fpdf import FPDF

from . import makers


def small_pdf(**encryption) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "NORA: Hello there.\nHELMER: Hello.\nNORA: Goodbye.\nHELMER: Goodbye.")
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def pdf_with_content(stream: bytes) -> bytes:
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


def docx_variant(play, *, extra=None, replace=None, macro_type=False) -> bytes:
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


def locked_pdf() -> bytes:
    return small_pdf(owner_password="owner", user_password="secret")


def thousands_of_pages(pages: int = 3000) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=8)
    for _ in range(pages):
        pdf.add_page()
        pdf.cell(0, 5, "x")
    return bytes(pdf.output())


def decompression_bomb_pdf(megabytes: int = 700) -> bytes:
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(megabytes)) + packer.flush()
    return pdf_with_content(stream)


def scanned_pdf() -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(picture).text((40, 40), "NORA. Hello there.\nHELMER. Hello.", fill=0)
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(picture, x=10, y=10, w=190)
    return bytes(pdf.output())


def zip_bomb_docx(megabytes: int = 300) -> bytes:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(b" " * (1 << 20))
    return bomb.getvalue()


def macro_docx(play) -> bytes:
    return docx_variant(play, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512})
