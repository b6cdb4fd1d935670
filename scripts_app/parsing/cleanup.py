"""Input clean-up: binary detection, BOM and line endings, Project Gutenberg boilerplate."""

import re

from .errors import BINARY, EMPTY, ScriptParseError
from .limits import MAX_LINE_CHARS, MAX_LINES, TOO_LONG_LINE, TOO_MANY_LINES

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_PG_START = re.compile(r"^\s*\*{3}\s*START OF", re.I)
_PG_END = re.compile(r"^\s*\*{3}\s*END OF", re.I)
# Greedy, trailing spaces stripped in code: a lazy (.*?) before \s*$ retries the rest of the line
# at every character, quadratic on a long run of spaces.
_PG_TITLE = re.compile(r"^Title:\s*(\S.*)$")


def check_and_split(text: str) -> list[str]:
    """Raise ScriptParseError for empty or binary input; return the lines (no line endings)."""
    if not isinstance(text, str):
        raise ScriptParseError(BINARY)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ScriptParseError(EMPTY)
    if "\x00" in text:
        raise ScriptParseError(BINARY)
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    if controls > 8 and controls * 50 > len(sample):
        raise ScriptParseError(BINARY)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u00a0" in text:  # pasted from a word processor: a no-break space after "JUNO:"
        text = text.replace("\u00a0", " ")
    if text.count("\n") >= MAX_LINES:
        raise ScriptParseError(TOO_MANY_LINES.format(limit=MAX_LINES))
    lines = text.split("\n")
    if len(text) > MAX_LINE_CHARS and max(map(len, lines)) > MAX_LINE_CHARS:
        line = next(i for i, ln in enumerate(lines, 1) if len(ln) > MAX_LINE_CHARS)
        raise ScriptParseError(TOO_LONG_LINE.format(line=line, limit=MAX_LINE_CHARS))
    return lines


def gutenberg_bounds(lines: list[str]) -> tuple[int, int, str | None]:
    """(first body line index, end index, title) — skipping the PG licence header and footer."""
    start, end, title = 0, len(lines), None
    limit = min(len(lines), 400)
    for i in range(limit):
        line = lines[i]
        if "***" in line and line.lstrip()[:3] == "***":  # one quick scan rules out most lines
            if _PG_START.match(line):
                start = i + 1
                break
    if start:
        for i in range(start):
            m = _PG_TITLE.match(lines[i])
            if m:
                title = m.group(1).rstrip()
                break
        for i in range(len(lines) - 1, start - 1, -1):
            line = lines[i]
            if "***" in line[:8] and _PG_END.match(line):
                end = i
                break
    return start, end, title
