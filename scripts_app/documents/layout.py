"""What both readers ask of a line of a document: is it a heading, a cue, a cast list, a page number?"""

from __future__ import annotations

import re

from scripts_app.parsing.headings import CAST_RE, SCREEN_HEADING, classify
from scripts_app.parsing.names import name_shape

# "Characters: Algernon, Gwendolen, …" or "Cast: …" on one line, as many title pages print it.
CAST_INLINE = re.compile(
    r"^(?:dramatis\s+person\w*|characters(?:\s+in\s+the\s+play)?|cast(?:\s+of\s+characters)?|"
    r"persons\s+of\s+the\s+play)\s*[:.]\s+\S", re.I
)
PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
# "by Henrik Ibsen", "Translated by R. Farquharson Sharp": "by" and capitalised words only
# (a speech may start "By love, that first did prompt me").
BYLINE = re.compile(
    r"^(?:(?i:written|translated|adapted|a\s+play)\s+)?(?i:by)\s+[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von)){0,5}\.?$|©|(?i:copyright)"
)
# NAME, NAME (softly), NAME. or NAME: alone on a line
_CUE_LINE = re.compile(r"^(?P<name>[^()\[\]]{1,48}?)\s*(?:[(\[](?P<dir>[^()\[\]]{0,80})[)\]])?\s*(?P<punct>[.:]?)$")
_CONTD = re.compile(r"\s*[(\[]\s*(?:cont(?:'|’)?d\.?|continued|more)\s*[)\]]\s*", re.I)


def heading_kind(text: str) -> str | None:
    """'act', 'scene', 'part' or 'screen' for a heading line, else None."""
    text = text.strip()
    if len(text) > 90:
        return None
    if SCREEN_HEADING.match(text) and text.upper() == text:
        return "screen"
    found = classify(text, False)
    return found[0] if found else None


def is_cast_heading(text: str) -> bool:
    return bool(CAST_RE.match(text.strip()))


def standalone_cue(text: str) -> tuple[str, str, str, str] | None:
    """(name, direction, punctuation, shape) when a whole line could be a character cue."""
    text = _CONTD.sub(" ", text).strip()
    m = _CUE_LINE.match(text)
    if not m:
        return None
    name = m.group("name").strip().rstrip(".:").strip()
    shape = name_shape(name) if name else None
    if shape is None or len(name) > 40 or heading_kind(name):
        return None
    return name, (m.group("dir") or "").strip(), m.group("punct"), shape


def inline_name(text: str) -> tuple[str, str] | None:
    """(name, shape) for the bold run that starts a speech: 'Algernon.' or 'NORA:' or 'JACK'."""
    name = text.strip()
    if name[-1:] in ".:":
        name = name[:-1].strip()
    shape = name_shape(name) if name else None
    if shape is None or len(name) > 40 or heading_kind(name):
        return None
    return name, shape


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one line: words hyphenated across a line end joined again."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if not out:
            out = ln
        elif out.endswith("\u00ad"):
            out = out[:-1] + ln
        elif out[-1:] == "-" and out[-2:-1].isalpha() and ln[:1].islower():
            out = out[:-1] + ln
        else:
            out += " " + ln
    return out
