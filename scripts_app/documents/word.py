"""Read a play from a Word file (.docx) by its formatting, through python-docx.

A bold run that starts a paragraph (`Algernon.`) is a cue, a paragraph in italics a direction,
Heading styles are acts and scenes, a bold or centred name alone on its paragraph is a cue over
the speech below, and a two-column table (name | speech) reads as cue and speech. Bold and
italic count whether set on the run or through a character or paragraph style. Soft line breaks
stay line breaks inside a speech. Headers and footers are not part of the body, so never read.

The package is inspected before python-docx opens it: a .docx is a zip, and a zip can claim
to unpack to gigabytes (a decompression bomb) or carry macros.
"""

from __future__ import annotations

import io
import zipfile

from . import errors, limits
from .layout import BYLINE, CAST_INLINE, heading_kind, inline_name, is_cast_heading, standalone_cue
from .render import Item

_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex", "/embeddings/")


def check_package(data: bytes, damaged: str = errors.DAMAGED_DOCX, macro_parts: tuple = _MACRO_PARTS) -> None:
    """Refuse a .docx (or .odt) whose zip would unpack too big, holds too many parts, or carries macros."""
    if not data.startswith(b"PK\x03\x04"):
        raise errors.DocumentRejected(damaged)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise errors.DocumentRejected(damaged)
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise errors.DocumentRejected(errors.TOO_BIG.format(why=f"{len(infos)} parts inside"),
                                      code="document_too_big")
    total = 0
    for info in infos:
        name = info.filename.lower()
        if any(part in name for part in macro_parts):
            raise errors.DocumentRejected(errors.MACROS, code="document_has_macros")
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > limits.MAX_ZIP_MEMBER or total > limits.MAX_ZIP_TOTAL or (
                info.file_size > 1024 * 1024 and ratio > limits.MAX_ZIP_RATIO):
            raise errors.DocumentRejected(errors.TOO_BIG.format(why="it unpacks to far more than it weighs"),
                                          code="document_too_big")
        if info.flag_bits & 0x1:
            raise errors.DocumentRejected(damaged)  # an encrypted zip is no Word file


def read_docx(data: bytes) -> tuple[list[Item], int]:
    """Items for render() and a page estimate; raises DocumentRejected for what we won't read."""
    check_package(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "macroEnabled" in str(exc):
            raise errors.DocumentRejected(errors.MACROS, code="document_has_macros")
        raise errors.DocumentRejected(errors.DAMAGED_DOCX)
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, Exception):
        raise errors.DocumentRejected(errors.DAMAGED_DOCX)
    return paragraph_items(list(_paragraphs(document)))


def paragraph_items(paragraphs: list[Para]) -> tuple[list[Item], int]:
    """Items and a page estimate (3,000 characters a page) for a word processor's paragraphs."""
    chars = sum(len(p.text) for p in paragraphs)
    if chars > limits.MAX_CHARS:
        raise errors.DocumentRejected(errors.TOO_MUCH_TEXT.format(limit=limits.MAX_CHARS), code="document_too_big")
    if not chars:
        raise errors.DocumentRejected(errors.NOTHING, code="scanned_document")
    return WordLayout(paragraphs).items(), max(1, chars // 3000)


class Para:
    """One paragraph as runs of (text, bold, italic), with its style and alignment."""

    __slots__ = ("runs", "style", "centred", "row")

    def __init__(self, runs: list[tuple[str, bool, bool]], style: str, centred: bool, row: tuple[str, str] | None):
        self.runs = runs
        self.style = style
        self.centred = centred
        self.row = row  # (name cell, speech cell) of a two-column table row

    @property
    def text(self) -> str:
        return "".join(t for t, _b, _i in self.runs).strip() if self.row is None else " ".join(self.row)

    @property
    def bold(self) -> bool:
        shown = [(t, b) for t, b, _i in self.runs if t.strip()]
        return bool(shown) and all(b for _t, b in shown)

    @property
    def italic(self) -> bool:
        shown = [(t, i) for t, _b, i in self.runs if t.strip()]
        return bool(shown) and all(i for _t, i in shown)


def _style_flag(style, attr: str) -> bool:
    """Bold or italic set by a style or the styles it is based on (Word's inheritance)."""
    seen = 0
    while style is not None and seen < 10:
        value = getattr(style.font, attr, None)
        if value is not None:
            return bool(value)
        style = style.base_style
        seen += 1
    return False


class _Styles:
    """Bold, italic and centring of each style, looked up once: python-docx searches the style
    list on every lookup, which made a 120-page play take ten seconds."""

    def __init__(self, document):
        self.part = document.part
        self.cache: dict[tuple[str | None, int], tuple[str, bool, bool, bool]] = {}

    def get(self, style_id: str | None, style_type) -> tuple[str, bool, bool, bool]:
        key = (style_id, int(style_type))
        found = self.cache.get(key)
        if found is None:
            style = self.part.get_style(style_id, style_type)
            alignment = None
            probe, depth = style, 0
            while probe is not None and alignment is None and depth < 10 and hasattr(probe, "paragraph_format"):
                alignment = probe.paragraph_format.alignment
                probe, depth = probe.base_style, depth + 1
            found = ((style.name or "") if style is not None else "", _style_flag(style, "bold"),
                     _style_flag(style, "italic"), alignment is not None and int(alignment) == 1)
            self.cache[key] = found
        return found


def _para(p, styles: _Styles, row=None) -> Para:
    from docx.enum.style import WD_STYLE_TYPE

    style_name, para_bold, para_italic, style_centred = styles.get(p._p.style, WD_STYLE_TYPE.PARAGRAPH)
    runs = []
    for run in p.runs:
        text = run.text  # soft line breaks come through as "\n", tabs as "\t"
        if not text:
            continue
        bold, italic = para_bold, para_italic
        char_style = run._r.style
        if char_style:
            _name, char_bold, char_italic, _c = styles.get(char_style, WD_STYLE_TYPE.CHARACTER)
            bold, italic = bold or char_bold, italic or char_italic
        if run.bold is not None:
            bold = run.bold
        if run.italic is not None:
            italic = run.italic
        runs.append((text, bool(bold), bool(italic)))
    centred = int(p.alignment) == 1 if p.alignment is not None else style_centred
    return Para(runs, style_name, centred, row)


def _paragraphs(document):
    """Body paragraphs in reading order, with table rows of (name, speech) read as one each."""
    from docx.table import Table

    styles = _Styles(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]  # merged cells repeat
                if len(cells) == 2:
                    yield Para([(cells[0] + " " + cells[1], False, False)], "", False, (cells[0], cells[1]))
                else:
                    for text in cells:
                        yield Para([(text, False, False)], "", False, None)
        else:
            yield _para(block, styles)


class WordLayout:
    def __init__(self, paras: list[Para]):
        self.paras = [p for p in paras if p.text]

    def items(self) -> list[Item]:
        items: list[Item] = []
        started = False  # past the title page: a heading or a cue was seen
        cast = False
        paras = self.paras
        for i, p in enumerate(paras):
            text = p.text
            style = p.style.lower()
            if style in ("title", "subtitle") and not started:
                if style == "title" and not any(it.kind == "title" for it in items):
                    items.append(Item("title", text.replace("\n", " ")))
                continue
            if CAST_INLINE.match(text):
                continue
            if is_cast_heading(text.rstrip(":")):
                cast = True
                continue
            kind = heading_kind(text) if "\n" not in text else None
            if kind or (style.startswith("heading") and len(text) < 90):
                items.append(Item("heading", text))
                started, cast = True, False
                continue
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            cue = self._cue(p, nxt)
            if cue and cast and not p.bold:
                continue
            if cue:
                started, cast = True, False
                items.append(Item("cue", name=cue[0], direction=cue[1]))
                continue
            inline = self._inline(p)
            if inline:
                started, cast = True, False
                items.append(Item("cue", name=inline[0], text=inline[1]))
                continue
            if cast:
                continue
            if not started and BYLINE.search(text) and len(text) < 120:
                continue
            if p.italic:
                items.append(Item("direction", text))
            else:
                items.append(Item("text", text))
        return items

    def _cue(self, p: Para, nxt: Para | None) -> tuple[str, str] | None:
        """(name, direction) for a name alone on its paragraph, bold or centred, over its speech."""
        if p.row is not None or p.italic or "\n" in p.text or nxt is None or len(p.text) > 60:
            return None
        found = standalone_cue(p.text)
        if not found:
            return None
        name, direction, punct, shape = found
        if nxt.row is not None or heading_kind(nxt.text) or (standalone_cue(nxt.text) and (nxt.bold or nxt.centred)):
            return None
        if p.bold or p.style.lower().startswith(("character", "name", "cue", "speaker")):
            return name, direction
        if shape == "caps" and (p.centred or punct):
            return name, direction
        return None

    def _inline(self, p: Para) -> tuple[str, str] | None:
        """(name, speech) for `**Algernon.** text`, `NORA<tab>text` or a table row."""
        if p.row is not None:
            found = inline_name(p.row[0])
            return (found[0], p.row[1]) if found else None
        runs = p.runs
        shown = [i for i, r in enumerate(runs) if r[0].strip()]
        head, head_end = [], -1
        for i in shown:  # a name may be split over several bold runs
            if not runs[i][1]:
                break
            head.append(runs[i][0])
            head_end = i
        if head and shown and head_end != shown[-1]:
            name_text = "".join(head).strip()
            found = inline_name(name_text)
            if found and (found[1] == "caps" or name_text[-1:] in ".:"):
                return found[0], "".join(t for t, _b, _i in runs[head_end + 1:]).strip()
            return None
        name, tab, rest = p.text.partition("\t")  # NORA<tab>speech
        found = inline_name(name.strip()) if tab and rest.strip() else None
        return (found[0], rest.strip()) if found and found[1] == "caps" else None
