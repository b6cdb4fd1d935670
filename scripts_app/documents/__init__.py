"""Scripts as schools hand them out: PDF, Word, OpenDocument and Final Draft files read into the text parser's layout.

Public API::

    from scripts_app.documents import read_document, document_kind, DOCUMENT_SUFFIXES, DocumentRejected

``read_document(data, kind)`` reads the bytes in a bounded child process and returns an
Extraction (kind, markdown, pages); the Markdown then goes through ``parse_script`` like any
text upload. Pure functions of bytes: no Django, no database.
"""

from .errors import DocumentRejected
from .extract import KINDS, Extraction, extract
from .sandbox import read_document

DOCUMENT_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".fdx": "fdx"}
# What people try to upload instead; each gets its own explanation.
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".gif", ".tif", ".tiff", ".bmp")

__all__ = ["DocumentRejected", "Extraction", "KINDS", "DOCUMENT_SUFFIXES", "PICTURE_SUFFIXES", "document_kind",
           "extract", "read_document"]


def document_kind(filename: str) -> str | None:
    """'pdf', 'docx', 'odt' or 'fdx' for a document's file name, else None."""
    name = (filename or "").lower()
    for suffix, kind in DOCUMENT_SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    return None
