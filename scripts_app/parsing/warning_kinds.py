"""What each parser warning is about, and the short list a parent is shown.

The parsed JSON keeps every warning (line, message, kind, actionable); ``parent_warnings`` picks
the ones a parent can do something about and groups them, so a long play gives a few lines, not
a hundred notes about words in stage directions.
"""

UNKNOWN_DELIVERY = "unknown_delivery"  # a direction word with no emotion: read as neutral
EMPTY_CUE = "empty_cue"                # a cue with nothing said after it
UNREADABLE_CUE = "unreadable_cue"      # a line shaped like a cue whose name we cannot read
MISSPELT_CUE = "misspelt_cue"          # a rare cue very like a common name (HERNIA / HERMIA)
MERGED = "merged"                      # two names read as one person (DOCTOR RANK -> RANK)
GLUED_CUE = "glued_cue"                # a line inside a speech that looks like another speaker's cue
SILENT_NAME = "silent_name"            # a name in the cast list or a direction who never speaks

ACTIONABLE = frozenset({EMPTY_CUE, UNREADABLE_CUE, MISSPELT_CUE, MERGED, GLUED_CUE, SILENT_NAME})
_MAX_LINES = 6  # line numbers listed per group; more are counted


def warning_dict(line: int, message: str, kind: str) -> dict:
    return {"line": line, "message": message, "kind": kind, "actionable": kind in ACTIONABLE}


def _kind(warning: dict) -> str:
    """The kind of a warning, also for scripts parsed before warnings had kinds."""
    kind = warning.get("kind")
    if kind:
        return kind
    message = warning.get("message", "")
    if message.startswith("Unknown delivery word"):
        return UNKNOWN_DELIVERY
    if "has no dialogue after it" in message:
        return EMPTY_CUE
    return "other"


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:_MAX_LINES])
    more = len(lines) - _MAX_LINES
    return f"{shown} and {more} more" if more > 0 else shown


_GROUPED = {  # kind -> one line for all of them, when a play has more than _ONE_BY_ONE
    EMPTY_CUE: "{n} cues with nothing said after them were skipped (lines {lines}).",
    UNREADABLE_CUE: "{n} lines look like cues but have no name we can read (lines {lines}).",
    GLUED_CUE: "{n} lines look like someone starting to speak, but were read as part of the speech "
               "before them (lines {lines}). Put a blank line before each, or the name on its own line.",
    SILENT_NAME: "{n} names in the cast list or stage directions never speak (lines {lines}). Check that "
                 "their lines start with their name.",
}
_ONE_BY_ONE = 3


def parent_warnings(parsed: dict) -> list[dict]:
    """The warnings a parent can act on, grouped and short: [{kind, message, lines}].

    Merges and possible misspellings are listed one by one (a cast has few); cues with nothing
    after them and unreadable cues are listed one by one up to three, else as one line. Notes
    about delivery words stay in parsed["warnings"] only.
    """
    by_kind: dict[str, list[dict]] = {}
    for w in parsed.get("warnings") or []:
        kind = _kind(w)
        if kind != UNKNOWN_DELIVERY:
            by_kind.setdefault(kind, []).append(w)
    out: list[dict] = []
    for kind, found in by_kind.items():
        lines = [w.get("line", 0) for w in found]
        if kind in _GROUPED and len(found) > _ONE_BY_ONE:
            out.append({"kind": kind, "message": _GROUPED[kind].format(n=len(found), lines=_lines(lines)),
                        "lines": lines})
        else:
            out.extend({"kind": kind, "message": w.get("message", ""), "lines": [w.get("line", 0)]} for w in found)
    order = {GLUED_CUE: 0, SILENT_NAME: 1, MERGED: 2, MISSPELT_CUE: 3, UNREADABLE_CUE: 4, EMPTY_CUE: 5}
    out.sort(key=lambda g: (order.get(g["kind"], 6), g["lines"][0]))
    return out
