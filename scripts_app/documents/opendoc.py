"""Read a play from an OpenDocument text file (.odt: LibreOffice, Google Docs' download).

The paragraphs, their styles (bold, italic, centred, by automatic or named style, with the
styles they are based on) and headings become the same paragraphs the Word reader makes, so
one set of rules (word.WordLayout) tells cues, speeches and directions apart. The zip is
checked before it is opened, like a .docx; lxml parses the XML without expanding entities.
"""

from __future__ import annotations

import io
import zipfile

from . import errors
from .render import Item
from .word import Para, check_package, paragraph_items

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
_MACRO_PARTS = ("basic/", "scripts/")


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def read_odt(data: bytes) -> tuple[list[Item], int]:
    from lxml import etree

    check_package(data, damaged=errors.DAMAGED_ODT, macro_parts=_MACRO_PARTS)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if zf.read("mimetype").strip() != b"application/vnd.oasis.opendocument.text":
                raise errors.DocumentRejected(errors.DAMAGED_ODT)
            content = etree.fromstring(zf.read("content.xml"), parser)
            styles_xml = zf.read("styles.xml") if "styles.xml" in zf.namelist() else None
            styles_root = etree.fromstring(styles_xml, parser) if styles_xml else None
    except errors.DocumentRejected:
        raise
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, OSError):
        raise errors.DocumentRejected(errors.DAMAGED_ODT)
    styles = _Styles([r for r in (styles_root, content) if r is not None])
    body = content.find(f"{_q('office', 'body')}/{_q('office', 'text')}")
    if body is None:
        raise errors.DocumentRejected(errors.DAMAGED_ODT)
    return paragraph_items(list(_blocks(body, styles)))


class _Styles:
    """Bold, italic and centring of every style, with what each inherits from its parent."""

    def __init__(self, roots):
        self.raw: dict[str, tuple[str | None, dict, str]] = {}
        for root in roots:
            automatic = {id(el) for box in root.iter(_q("office", "automatic-styles")) for el in box}
            for el in root.iter(_q("style", "style")):
                name = el.get(_q("style", "name"))
                if not name:
                    continue
                props: dict = {}
                text = el.find(_q("style", "text-properties"))
                if text is not None:
                    weight = text.get(_q("fo", "font-weight"))
                    if weight is not None:
                        props["bold"] = weight == "bold" or (weight.isdigit() and int(weight) >= 600)
                    style = text.get(_q("fo", "font-style"))
                    if style is not None:
                        props["italic"] = style in ("italic", "oblique")
                para = el.find(_q("style", "paragraph-properties"))
                if para is not None and para.get(_q("fo", "text-align")) is not None:
                    props["centred"] = para.get(_q("fo", "text-align")) == "center"
                # an automatic style (P1, T2) is no name a person gave: it shows its named parent's
                shown = "" if id(el) in automatic else el.get(_q("style", "display-name")) or name.replace("_20_", " ")
                self.raw[name] = (el.get(_q("style", "parent-style-name")), props, shown)
        self.cache: dict[str, tuple[str, bool, bool, bool]] = {}

    def get(self, name: str | None) -> tuple[str, bool, bool, bool]:
        """(shown name, bold, italic, centred) of a style, its parents' settings filling the gaps."""
        if not name:
            return "", False, False, False
        found = self.cache.get(name)
        if found is None:
            merged: dict = {}
            shown, probe, depth = "", name, 0
            while probe in self.raw and depth < 10:
                parent, props, label = self.raw[probe]
                merged = {**props, **merged}
                shown = shown or label
                probe, depth = parent, depth + 1
            found = (shown, merged.get("bold", False), merged.get("italic", False), merged.get("centred", False))
            self.cache[name] = found
        return found


def _runs(el, styles: _Styles, bold: bool, italic: bool, out: list) -> None:
    """The text of a paragraph as (text, bold, italic) runs, through nested spans."""
    if el.text:
        out.append((el.text, bold, italic))
    for child in el:
        tag = child.tag
        if tag == _q("text", "span"):
            _name, b, i, _c = styles.get(child.get(_q("text", "style-name")))
            _runs(child, styles, b or bold, i or italic, out)
        elif tag == _q("text", "line-break"):
            out.append(("\n", bold, italic))
        elif tag == _q("text", "tab"):
            out.append(("\t", bold, italic))
        elif tag == _q("text", "s"):
            out.append((" " * min(100, int(child.get(_q("text", "c"), "1") or 1)), bold, italic))
        elif tag in (_q("text", "a"), _q("text", "bookmark-ref"), _q("text", "reference-ref")):
            _runs(child, styles, bold, italic, out)
        if child.tail:
            out.append((child.tail, bold, italic))


def _para(el, styles: _Styles, heading: int = 0) -> Para:
    shown, bold, italic, centred = styles.get(el.get(_q("text", "style-name")))
    if heading and not shown.lower().startswith(("heading", "title")):
        shown = f"Heading {heading}"
    runs: list = []
    _runs(el, styles, bold, italic, runs)
    return Para(runs, shown, centred, None)


def _blocks(parent, styles: _Styles):
    """Paragraphs in reading order, through lists and sections; two-cell table rows as cue | speech."""
    for el in parent:
        tag = el.tag
        if tag == _q("text", "p"):
            yield _para(el, styles)
        elif tag == _q("text", "h"):
            yield _para(el, styles, heading=int(el.get(_q("text", "outline-level"), "1") or 1))
        elif tag in (_q("text", "list"), _q("text", "list-item"), _q("text", "section")):
            yield from _blocks(el, styles)
        elif tag == _q("table", "table"):
            for row in el.iter(_q("table", "table-row")):
                cells = ["".join(c.itertext()).strip() for c in row.iter(_q("table", "table-cell"))]
                cells = [c for c in cells if c]
                if len(cells) == 2:
                    yield Para([(cells[0] + " " + cells[1], False, False)], "", False, (cells[0], cells[1]))
                else:
                    for text in cells:
                        yield Para([(text, False, False)], "", False, None)
