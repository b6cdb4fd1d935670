"""The check after every parse: no line that looks like a cue is ever silently part of a speech.

Whatever layout read the script, a line inside a speech that starts like a cue (`MS. PARK: …`,
`JUNO - …`, a known speaker's `ROMEO. …`) was either a cue the layout missed or a line a parent
should look at: it gets a warning with its line number, so no layout loses a speech quietly.
"""

import re
from bisect import bisect_right

from .ids import slugify
from .names import NAME_TITLES, name_shape
from .warning_kinds import GLUED_CUE

MAX_GLUED = 50  # warnings of this kind per script: enough to see the pattern, bounded

# A speech's lines are joined by newlines: a literal "\n" lets the scan jump from line to line, and
# a name in capitals (MS. PARK, GUARD 1) or in one or two capitalised words (Juno, Ms. Park) fails
# by the second letter on an ordinary line of verse.
_UP = "A-ZÀ-ÖØ-Þ"
_CAPS_NAME = rf"[{_UP}][{_UP}0-9'’-]*+\.?(?:[ ][{_UP}0-9#][{_UP}0-9'’-]*+){{0,3}}"
_MIXED_NAME = rf"[{_UP}][a-zß-ÿ'’-]++\.?(?:[ ][{_UP}][a-zß-ÿ'’-]++)?"
_AFTER = r"[ \t*]*+(?:[(\[][^()\[\]\n]{0,60}[)\]][ \t]*)?(?P<sep>[:：]|[-–—](?=[ ])|\.(?=[ ]))[ \t]*(?=\S)"
_GLUED = re.compile(rf"\n[ \t*]*+(?P<name>{_CAPS_NAME}|{_MIXED_NAME}){_AFTER}")
# Where every speaker is written in capitals, only a name in capitals is looked for: an ordinary line
# of verse ("What is he…") then fails at its second letter.
_GLUED_CAPS = re.compile(rf"\n[ \t*]*+(?P<name>{_CAPS_NAME}){_AFTER}")


def _speaker_like(name: str, sep: str, known: set[str]) -> bool:
    shape = name_shape(name)
    if shape is None:
        return False
    if sep == ".":  # "Good night. Sleep well": only a known speaker, in capitals, says cue
        return shape == "caps" and slugify(name) in known
    if slugify(name) in known:
        return True
    letters = sum(ch.isalpha() for ch in name)
    return letters >= 2 and (shape == "caps" or name.split(None, 1)[0].upper().rstrip(".") in NAME_TITLES)


def glued_cue_warnings(lines: list[str], scenes: list[dict], names: dict[str, str]) -> list[tuple[int, str, str]]:
    """(line, message, kind) for each line inside a speech that looks like someone else's cue.

    `scenes` are the builder's (elements as tuples, line 1-based), `names` character key -> name.
    """
    known = set(names)
    pattern = _GLUED_CAPS if all(n.upper() == n for n in names.values()) else _GLUED
    speeches = [el for scene in scenes for el in scene["elements"] if el[0] == "dialogue" and "\n" in el[3]]
    # one scan over all the speeches, each hit traced back to its speech by where it starts
    starts, pos = [], 0
    for el in speeches:
        starts.append(pos)
        pos += len(el[3]) + 1
    text = "\x00".join(el[3] for el in speeches)
    out: list[tuple[int, str, str]] = []
    for m in pattern.finditer(text):
        name = m.group("name")
        before = text[m.start() - 1] if m.start() else ""
        if before.isalnum() or before in ",-":  # a sentence the page wrapped: "…for\nKrogstad."
            continue
        if not _speaker_like(name, m.group("sep"), known):
            continue
        _kind, key, written, _text, *rest = speeches[bisect_right(starts, m.start()) - 1]
        where = _line_of(lines, rest[2], name)
        speaker = names.get(key) or written
        out.append((where, f"Line {where} looks like {name} speaking, but it was read as part of "
                           f"{speaker}’s speech. Put a blank line before it, or write the name "
                           f"on its own line.", GLUED_CUE))
        if len(out) >= MAX_GLUED:
            break
    return out


def _line_of(lines: list[str], cue_line: int, name: str) -> int:
    """The line (1-based) after the cue's own that starts with `name`; the cue's line if none does."""
    for i in range(cue_line, min(len(lines), cue_line + 400)):
        if lines[i].lstrip(" \t*").startswith(name):
            return i + 1
    return cue_line
