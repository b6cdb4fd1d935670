"""A play's title from its front matter, when no `# Title`, title page or Gutenberg header names it."""

import re

from .headings import CAST_RE, CONTENTS_RE, classify

UNTITLED = "Untitled script"

_BY = re.compile(r"^by\s+\S", re.I)
_FIELD = re.compile(r"^title\s*:\s*(\S.*)$", re.I)
# The look-behind starts a trailing match only where a run begins: searched from every character
# of a long run of spaces, a plain [*_\s]+$ is quadratic (45 s for 40 such lines).
_MARKS = re.compile(r"^[#*_\s]+|(?<![*_\s])[*_\s]+$")
_FRONT_LINES = 40  # a title sits in the first few lines of text


def front_matter_title(lines: list[str], start: int, end: int) -> str | None:
    """'A Doll’s House' from 'A Doll’s House / by Henrik Ibsen', or a 'Title: …' line; None when the
    front matter (lines[start:end] up to the first act, scene or cast list) has neither."""
    previous = None
    seen = 0
    for i in range(start, end):
        text = _MARKS.sub("", lines[i])
        if not text:
            continue
        seen += 1
        if seen > _FRONT_LINES or classify(text, False) or CAST_RE.match(text) or CONTENTS_RE.match(text):
            return None
        field = _FIELD.match(text)
        if field:
            return field.group(1).strip()
        if _BY.match(text) and len(text) <= 80:
            return previous
        previous = text if len(text) <= 100 else None
    return None
