"""Read a play from a PDF by its layout: what the page shows, not the bare text stream.

pdfminer.six gives every character with its font and place. We skip its layout analysis (and
pdfplumber's per-character dictionaries, which cost more than the rest of the reading put
together), rebuild lines ourselves, drop what repeats at the same place on most pages (running headers, footers, page
numbers), skip the title page and cast list, and tell cues from speech and directions by
font weight and style (bold names, italic directions), horizontal position (centred names,
indented dialogue, a name column) and vertical gaps (paragraphs). A speech that runs over a
page break stays one speech: the pages are read as one stream once their furniture is gone.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from . import errors, limits
from .layout import (
    BYLINE,
    CAST_INLINE,
    PAGE_NUMBER,
    heading_kind,
    inline_name,
    is_cast_heading,
    join_lines,
    standalone_cue,
)
from .render import Item

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC = re.compile(r"italic|oblique|[-,]it$|-bi$", re.I)
_LINE_START_CUE = re.compile(r"^([^\W\d_][\w'’]*(?: [\w'’]+){0,3})[.:] +\S")
# "ROMEO. [To Juliet.] If I profane…": a name in capitals, then a direction, starts a speech
_CUE_THEN_DIRECTION = re.compile(r"^([^\W\d_][\w'’]*(?: [\w'’]+){0,3})[.:] *[\[(]")
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Span:
    text: str
    bold: bool
    italic: bool
    x0: float
    gap: float  # space before this span, in points
    space: bool = False  # a word space before it (no space: a style change inside a word)


@dataclass(slots=True)
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join((" " if s.space else "") + s.text for s in self.spans)

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.spans)

    @property
    def italic(self) -> bool:
        return all(s.italic for s in self.spans)


@dataclass(slots=True)
class Geometry:
    page_width: float
    left: float
    right: float
    body_size: float
    pitch: float
    margin: float  # the leftmost place lines often start: where a name column sits
    dialogue_x: float | None = None


def read_pdf(data: bytes) -> tuple[list[Item], int]:
    """Items for render() and the page count; raises DocumentRejected for what we won't read."""
    if b"%PDF-" not in data[:1024]:
        raise errors.DocumentRejected(errors.DAMAGED_PDF)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        declared = resolve1(resolve1(document.catalog.get("Pages")).get("Count", 0))
    except Exception as exc:
        raise _refusal(exc)
    if isinstance(declared, int) and declared > limits.MAX_PAGES:  # before walking the page tree
        raise errors.DocumentRejected(
            errors.TOO_MANY_PAGES.format(pages=declared, limit=limits.MAX_PAGES), code="too_many_pages")
    collector = _Collector(PDFResourceManager(caching=True))
    interpreter = PDFPageInterpreter(collector.rsrcmgr, collector)
    lines: list[Line] = []
    count = 0
    width = 612.0
    try:
        for count, page in enumerate(PDFPage.create_pages(document), 1):
            if count > limits.MAX_PAGES:
                raise errors.DocumentRejected(errors.TOO_MANY_PAGES.format(pages=f"more than {limits.MAX_PAGES}",
                                                                           limit=limits.MAX_PAGES),
                                              code="too_many_pages")
            interpreter.process_page(page)
            x0, y0, x1, y1 = collector.box
            width = x1 - x0
            lines.extend(_page_lines(collector.chars, count - 1, x0, y1, max(1.0, y1 - y0)))
    except errors.DocumentRejected:
        raise
    except Exception as exc:
        raise _refusal(exc)
    total = collector.total
    if total < 30 * max(1, count) or not lines:
        kind = errors.SCAN if collector.pictures or not total else errors.NOTHING
        raise errors.DocumentRejected(kind, code="scanned_document")
    return PdfLayout(lines, count, width).items(), count


class _Collector(PDFLayoutAnalyzer):
    """A pdfminer device that keeps each page's characters (no layout analysis: we do our own)."""

    def __init__(self, rsrcmgr: PDFResourceManager):
        super().__init__(rsrcmgr, laparams=None)
        self.chars: list[LTChar] = []
        self.box = (0.0, 0.0, 612.0, 792.0)
        self.total = 0
        self.pictures = False

    def render_char(self, *args, **kwargs) -> float:
        adv = super().render_char(*args, **kwargs)
        self.total += 1
        if len(self.cur_item._objs) > limits.MAX_PAGE_CHARS:  # checked as it grows: a crammed page stops early
            raise errors.DocumentRejected(errors.TOO_BIG.format(why="a page is crammed with text"),
                                          code="document_too_big")
        if self.total > limits.MAX_CHARS:
            raise errors.DocumentRejected(errors.TOO_MUCH_TEXT.format(limit=limits.MAX_CHARS),
                                          code="document_too_big")
        return adv

    def render_image(self, name, stream) -> None:
        self.pictures = True  # never decoded: a scan is only told apart, not read

    def receive_layout(self, ltpage) -> None:
        self.box = ltpage.bbox
        self.chars = [o for o in _flatten(ltpage) if isinstance(o, LTChar)]


def _flatten(container):
    for obj in container:
        if hasattr(obj, "_objs"):
            yield from _flatten(obj)
        else:
            yield obj


def _refusal(exc: BaseException) -> BaseException:
    """The friendly refusal for what pdfminer raised; memory errors pass on as they are."""
    causes = [exc, *exc.args, exc.__cause__, exc.__context__]
    if any(isinstance(c, MemoryError) for c in causes):
        return MemoryError()
    if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
        return errors.DocumentRejected(errors.ENCRYPTED, code="encrypted_document")
    return errors.DocumentRejected(errors.DAMAGED_PDF)


def _page_lines(chars: list, page: int, left: float, top: float, height: float) -> list[Line]:
    """Characters grouped into lines (top to bottom) and, along each line, into styled spans."""
    glyphs = []
    for ch in chars:
        if not ch.upright:
            continue  # a diagonal watermark, a rotated margin note
        text = ch.get_text()
        glyphs.append((top - ch.y1, top - ch.y0, ch.x0 - left, ch.x1 - left, ch.size, ch.fontname, text))
    glyphs.sort(key=lambda g: (round(g[1]), g[2]))
    rows: list[list[tuple]] = []
    for g in glyphs:
        if rows and abs(g[1] - rows[-1][0][1]) <= max(2.0, 0.4 * g[4]):
            rows[-1].append(g)
        else:
            rows.append([g])
    out = []
    styles: dict[str, tuple[bool, bool]] = {}
    for row in rows:
        row.sort(key=lambda g: g[2])
        size = max(g[4] for g in row)
        line = Line(page, min(g[0] for g in row) / height, max(g[1] for g in row) / height,
                    0.0, max(g[3] for g in row), size)
        span: Span | None = None
        prev_x1 = prev_x0 = None
        prev_text = ""
        space = False
        for _t, _b, x0, x1, gsize, font, text in row:
            if text.isspace() or not text:
                space = True
                continue
            if prev_x0 is not None and text == prev_text and abs(x0 - prev_x0) < 0.3 * (x1 - x0):
                continue  # the same glyph printed twice, slightly offset: a fake bold
            style = styles.get(font)
            if style is None:
                style = styles[font] = (bool(_BOLD.search(font)), bool(_ITALIC.search(font)))
            gap = 0.0 if prev_x1 is None else x0 - prev_x1
            space = space or gap > 0.15 * gsize
            if span is not None and (span.bold, span.italic) == style and gap < 2.5 * size:
                span.text += (" " if space else "") + text
            else:
                span = Span(text, style[0], style[1], x0, gap, space and span is not None)
                line.spans.append(span)
            prev_x1, prev_x0, prev_text, space = x1, x0, text, False
        if line.spans:
            line.x0 = line.spans[0].x0
            out.append(line)
    return out


class PdfLayout:
    def __init__(self, lines: list[Line], pages: int, width: float):
        self.pages = pages
        self.lines = self._without_furniture(lines, pages)
        self.geo = self._geometry(width)
        self.cast = False
        self._starts: Counter | None = None
        # Bold names alone on a line, counted: "Nora" in bold over her speech, again and again, is a
        # cue even at the margin, where one bold "Warning" line is not.
        self.bold_names: Counter = Counter()
        for ln in self.lines:
            if ln.bold and not ln.italic and len(ln.text) <= 60:
                found = standalone_cue(ln.text)
                if found:
                    self.bold_names[found[0]] += 1

    # -- running headers, footers, page numbers ------------------------------------------------
    @staticmethod
    def _without_furniture(lines: list[Line], pages: int) -> list[Line]:
        by_page: dict[int, list[Line]] = {}
        for ln in lines:
            by_page.setdefault(ln.page, []).append(ln)
        candidates: dict[int, Line] = {}
        isolated: set[int] = set()  # set apart from the text by more than a line's space
        steps = [b.top - a.top for pl in by_page.values() for a, b in zip(pl, pl[1:], strict=False) if b.top > a.top]
        pitch = median(steps) if steps else 0.02
        for page_lines in by_page.values():
            for k, ln in enumerate(page_lines):
                if 3 <= k < len(page_lines) - 3 or not (ln.top < 0.15 or ln.bottom > 0.85):
                    continue
                candidates[id(ln)] = ln
                near = [abs(o.top - ln.top) for o in page_lines[max(0, k - 1):k + 2] if o is not ln]
                if not near or min(near) > 1.6 * pitch:
                    isolated.add(id(ln))

        def key(ln: Line) -> tuple:
            return round(ln.top * 200), _DIGITS.sub("#", ln.text.casefold())

        seen: dict[tuple, set[int]] = {}
        for ln in candidates.values():
            seen.setdefault(key(ln), set()).add(ln.page)
        parity = [sum(1 for p in range(pages) if p % 2 == k) for k in (0, 1)]

        def repeats(on: set[int], alone: bool) -> bool:
            # on two pages only when it also stands apart, as headers do and a cue atop a page doesn't
            if len(on) >= (2 if alone else 3) and len(on) >= 0.6 * max(1, pages - 1):
                return True
            return any(n >= 3 and sum(1 for p in on if p % 2 == k) >= 0.7 * n for k, n in enumerate(parity))

        drop = {i for i, ln in candidates.items()
                if repeats(seen[key(ln)], i in isolated) or PAGE_NUMBER.match(ln.text)}
        return [ln for ln in lines if id(ln) not in drop]

    # -- where the text sits -------------------------------------------------------------------
    def _geometry(self, width: float) -> Geometry:
        lines = self.lines
        sizes: Counter = Counter()
        for ln in lines:
            sizes[round(ln.size)] += len(ln.text)
        body_size = float(sizes.most_common(1)[0][0]) if sizes else 11.0
        body = [ln for ln in lines if abs(ln.size - body_size) < 1.5 and not ln.italic] or lines
        xs = sorted(ln.x0 for ln in body)
        rights = sorted(ln.x1 for ln in body)
        left, right = xs[len(xs) // 20], rights[len(rights) * 19 // 20]
        steps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and b.top > a.top]
        pitch = median(steps) if steps else 0.02
        starts = Counter(round(ln.x0 / 6) * 6 for ln in lines if not ln.italic)
        margin = min((x for x, k in starts.items() if k >= 3), default=left)
        return Geometry(width, left, right, body_size, pitch, margin)

    def _centred(self, ln: Line) -> bool:
        g = self.geo
        mid = (ln.x0 + ln.x1) / 2
        if ln.x1 - ln.x0 > 0.6 * (g.right - g.left):
            return False
        tol = 0.05 * g.page_width
        return abs(mid - g.page_width / 2) < tol or abs(mid - (g.left + g.right) / 2) < tol

    def _indented(self, ln: Line) -> bool:
        g = self.geo
        return ln.x0 > g.left + 0.2 * (g.right - g.left)

    # -- one line's role -------------------------------------------------------------------------
    def _cue(self, ln: Line) -> tuple[str, str] | None:
        """(name, direction) when the line is a cue standing alone over its speech."""
        if ln.italic or len(ln.text) > 60 or ln.size > self.geo.body_size + 1.5:
            return None
        found = standalone_cue(ln.text)
        if not found:
            return None
        name, direction, punct, shape = found
        if ln.bold and (shape != "mixed" or punct or self._centred(ln) or self.bold_names[name] >= 3):
            return name, direction
        if shape == "caps" and (self._centred(ln) or self._indented(ln) or punct):
            return name, direction
        return None

    def _inline(self, ln: Line) -> tuple[str, str] | None:
        """(name, rest) for a bold name starting the line, or a name in its own column."""
        spans = ln.spans
        if len(spans) < 2 or spans[0].italic:
            return None
        first = spans[0]
        found = inline_name(first.text)
        if not found:
            return None
        name, shape = found
        rest = "".join((" " if s.space else "") + s.text for s in spans[1:]).strip()
        # a name column: a gap after the name at the margin, and the speech where other lines start
        # (a justified line can gap as wide after a one-letter word: "O deadly sin")
        column = (spans[1].gap > 2.5 * ln.size and shape == "caps" and abs(first.x0 - self.geo.margin) < 8
                  and self._line_start(spans[1].x0))
        if first.bold and (shape == "caps" or first.text.rstrip()[-1:] in ".:") or column:
            return name, rest
        return None

    def _line_start(self, x: float) -> bool:
        """Do two or more lines start at x (give or take 3 points)?"""
        if self._starts is None:
            self._starts = Counter(round(ln.x0) for ln in self.lines)
        near = round(x)
        return sum(self._starts.get(near + d, 0) for d in range(-3, 4)) >= 2

    def _heading(self, ln: Line) -> str | None:
        kind = heading_kind(ln.text)
        if not kind:
            return None
        if kind == "screen" or ln.bold or ln.size > self.geo.body_size + 0.5 or self._centred(ln) \
                or ln.text.upper() == ln.text:
            return kind
        return None

    # -- the stream ------------------------------------------------------------------------------
    def items(self) -> list[Item]:
        lines = self.lines
        roles = [self._role(ln) for ln in lines]
        # a cue stands over its speech: one followed by another cue or a heading is no cue
        for i, role in enumerate(roles):
            if role[0] == "cue" and (i + 1 >= len(lines) or roles[i + 1][0] in ("cue", "heading")
                                     or BYLINE.match(lines[i + 1].text)):
                roles[i] = ("text", None)
        self._learn_dialogue_column(roles)
        first_page = next((ln.page for ln, r in zip(lines, roles, strict=True) if r[0] in ("cue", "inline", "heading")),
                          0)
        items: list[Item] = []
        title = self._title(lines, first_page)
        if title:
            items.append(Item("title", title))
        para: list[Line] = []
        para_kind = ""

        def flush() -> None:
            nonlocal para
            if para and para_kind != "cue":  # an inline cue's lines are in its item already
                items.append(Item(para_kind, self._join(para)))
            para = []

        cues = self._line_start_cues()
        for i, (ln, (role, data)) in enumerate(zip(lines, roles, strict=True)):
            if ln.page < first_page or (ln.page == first_page and title and ln.text == title):
                continue  # the title page: title, author, cast list
            if role == "heading":
                flush()
                self.cast = False
                items.append(Item("heading", ln.text))
                continue
            if role == "cast":
                flush()
                self.cast = True
                continue
            if self.cast:
                if i and ln.page != lines[i - 1].page and role in ("cue", "inline"):
                    self.cast = False
                else:
                    continue
            if role == "drop":
                continue
            if role == "cue":
                flush()
                items.append(Item("cue", name=data[0], direction=data[1]))
                continue
            if role == "inline":
                flush()
                para, para_kind = [Line(ln.page, ln.top, ln.bottom, ln.x0, ln.x1, ln.size,
                                        [Span(data[1], False, False, ln.x0, 0.0)])], "cue"
                items.append(Item("cue", name=data[0], text=data[1]))
                continue
            kind = "direction" if ln.italic or self._action(ln) else "text"
            if para and (kind != para_kind and para_kind != "cue" or kind == "direction" and para_kind == "cue"
                         or self._breaks(para, ln, cues)):
                flush()
            if para_kind == "cue" and para:
                # an inline cue's speech goes on: its lines belong to the cue item
                para.append(ln)
                items[-1].text = self._join(para)
                continue
            if not para:
                para_kind = kind
            para.append(ln)
        flush()
        return [it for it in items if it.kind != "cue" or it.name]

    def _role(self, ln: Line) -> tuple[str, object]:
        text = ln.text
        if self._heading(ln):
            return "heading", None
        if is_cast_heading(text) or CAST_INLINE.match(text):
            return "cast", None
        cue = self._cue(ln)
        if cue:
            return "cue", cue
        inline = self._inline(ln)
        if inline:
            return "inline", inline
        return "text", None

    def _learn_dialogue_column(self, roles: list) -> None:
        """Where speech starts after a standalone cue; text well left of it is action (a screenplay)."""
        xs: Counter = Counter()
        lines = self.lines
        for i, (role, _data) in enumerate(roles[:-1]):
            if role == "cue":
                nxt = lines[i + 1]
                if not nxt.italic and not nxt.text.startswith(("(", "[")):
                    xs[round(nxt.x0 / 6) * 6] += 1
        if sum(xs.values()) >= 3:
            x, n = xs.most_common(1)[0]
            if n * 2 >= sum(xs.values()) and x - self.geo.margin >= 36:
                self.geo.dialogue_x = x

    def _action(self, ln: Line) -> bool:
        x = self.geo.dialogue_x
        return x is not None and ln.x0 < x - 18

    def _join(self, para: list[Line]) -> str:
        """A paragraph's lines as its text: lines the page wrapped joined, verse lines kept apart."""
        runs: list[list[str]] = [[]]
        for k, ln in enumerate(para):
            if k and self._verse_break(para[k - 1], ln):
                runs.append([])
            runs[-1].append(ln.text)
        return "\n".join(join_lines(run) for run in runs)

    def _verse_break(self, prev: Line, ln: Line) -> bool:
        """Did the writer end `prev` (a short line, the next starting with a capital), not the page?"""
        g = self.geo
        first = ln.text.lstrip("[(“‘\"'")[:1]
        return first.isupper() and prev.x1 < g.right - 0.2 * (g.right - g.left) and prev.page == ln.page

    def _breaks(self, para: list[Line], ln: Line, cues: set[str]) -> bool:
        """Does `ln` start a new paragraph after the lines in `para`?"""
        prev = para[-1]
        m = _LINE_START_CUE.match(ln.text)
        if m and m.group(1) in cues:
            return True
        m = _CUE_THEN_DIRECTION.match(ln.text)
        if m and m.group(1).upper() == m.group(1) and sum(ch.isalpha() for ch in m.group(1)) >= 2 \
                and inline_name(m.group(1)):
            return True
        if ln.page == prev.page and ln.top - prev.top > 1.35 * self.geo.pitch:
            return True
        if not ln.italic and len(para) >= 2 and abs(ln.x0 - para[1].x0) > 6 and abs(para[1].x0 - prev.x0) <= 6:
            return True
        return False

    def _line_start_cues(self) -> set[str]:
        """Names that start three or more lines as `NAME.` / `Name:` (two, in capitals): a new speech
        begins there."""
        counts: Counter = Counter()
        for ln in self.lines:
            m = _LINE_START_CUE.match(ln.text)
            if m:
                counts[m.group(1)] += 1  # as written: "tonight." starting lines is no cue
        return {n for n, c in counts.items() if (c >= 3 or c == 2 and n.isupper() and len(n) > 1) and inline_name(n)}

    def _title(self, lines: list[Line], first_page: int) -> str:
        """The biggest line(s) of the first page, when bigger than the text: the play's title."""
        head = [ln for ln in lines if ln.page == lines[0].page] if lines else []
        if not head:
            return ""
        big = max(ln.size for ln in head)
        if big < self.geo.body_size * 1.25:
            # a title page in the text's own font (a screenplay's): its first line, when the page is no play yet
            if first_page > head[0].page and not BYLINE.search(head[0].text) and len(head[0].text) <= 120:
                return head[0].text
            return ""
        parts = []
        for ln in head:
            if ln.size == big:
                parts.append(ln)
            elif parts:
                break
        text = " ".join(p.text for p in parts).strip()
        if heading_kind(text) or BYLINE.search(text) or len(text) > 120:
            return ""
        return text
