"""Play-script parsing for RunThru: plain text / Markdown (Traditional, Modern, Gutenberg) and Fountain.

Public API::

    from scripts_app.parsing import parse_script, ScriptParseError, FORMATS

``parse_script`` is a pure, deterministic function (no Django, no ORM) that returns a plain
dict of title, characters, scenes (with dialogue and direction elements), warnings (each with a
kind and whether a parent can act on it) and merged (names read as one person, e.g.
{"DOCTOR RANK": "RANK"}; an alias from a name to itself undoes a merge). ``parent_warnings``
gives the short, grouped list of warnings to show a parent.
"""

from .builder import Builder
from .cleanup import check_and_split, gutenberg_bounds
from .detect import detect_format
from .emotion import EMOTION_LABELS, emotion_for_direction
from .errors import ScriptParseError, no_dialogue
from .fountain import parse_fountain
from .glued import glued_cue_warnings
from .limits import PARSE_SECONDS, Budget
from .markdown import parse_markdown
from .silent import silent_name_warnings
from .titles import UNTITLED, front_matter_title
from .warning_kinds import parent_warnings

FORMATS = ("auto", "markdown", "fountain")

__all__ = ["parse_script", "parent_warnings", "ScriptParseError", "FORMATS", "UNTITLED", "EMOTION_LABELS",
           "emotion_for_direction"]


def parse_script(text: str, format: str = "auto", title: str | None = None,
                 aliases: dict[str, str] | None = None, seconds: float | None = PARSE_SECONDS) -> dict:
    """Parse a play script into title, characters, scenes, warnings and merged (see the module docs).

    Raises ScriptParseError past `seconds` (None: no limit) or past the limits in limits.py.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    lines = check_and_split(text)
    start, end, pg_title = gutenberg_bounds(lines)
    fmt = format if format != "auto" else detect_format(lines, start, end)
    builder = Builder(aliases, Budget(seconds))
    if fmt == "fountain":
        found = parse_fountain(lines[start:end] if start else lines[:end], builder)
        if start:
            _shift_lines(builder, start)
    else:
        found = parse_markdown(lines, start, end, builder)
    if builder.speech_count == 0:
        raise no_dialogue(lines, start)
    names = {key: next(iter(info["forms"])) for key, info in builder.chars.items()}
    builder.warnings += glued_cue_warnings(lines, builder.scenes, names)
    spoken = set(builder.alias_map) | {form for info in builder.chars.values() for form in info["forms"]}
    builder.warnings += silent_name_warnings(lines, builder.scenes, builder.cast_list, spoken)
    final_title = ((title or "").strip() or found or pg_title
                   or front_matter_title(lines, start, builder.first_speech_line() - 1) or UNTITLED)
    return builder.result(final_title, fmt)


def _shift_lines(builder: Builder, offset: int) -> None:
    for scene in builder.scenes:
        scene["line"] += offset
        scene["elements"] = [el[:6] + (el[6] + offset,) + el[7:] for el in scene["elements"]]
    builder.warnings = [(line + offset, msg, kind) for line, msg, kind in builder.warnings]
