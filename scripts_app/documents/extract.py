"""Bytes of a PDF or Word file in, Markdown for the text parser out (in this process, unbounded).

Call it only inside the bounded worker (worker.py) for files from users; tests and the
benchmark call it directly on files they made.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import errors, limits
from .render import render

KINDS = ("pdf", "docx", "odt", "fdx")


@dataclass(frozen=True, slots=True)
class Extraction:
    kind: str
    markdown: str
    pages: int


def extract(data: bytes, kind: str) -> Extraction:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if len(data) > limits.MAX_BYTES:
        raise errors.DocumentRejected(
            errors.TOO_BIG.format(why=f"{len(data) // (1024 * 1024)} MB"), code="document_too_big", status=413)
    if kind == "pdf":
        from .pdf import read_pdf

        items, pages = read_pdf(data)
    elif kind == "docx":
        from .word import read_docx

        items, pages = read_docx(data)
    elif kind == "odt":
        from .opendoc import read_odt

        items, pages = read_odt(data)
    else:
        from .finaldraft import read_fdx

        items, pages = read_fdx(data)
    markdown = render(items)
    if len(markdown) > limits.MAX_CHARS:
        raise errors.DocumentRejected(errors.TOO_MUCH_TEXT.format(limit=limits.MAX_CHARS), code="document_too_big")
    return Extraction(kind, markdown, pages)
