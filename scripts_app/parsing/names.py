"""What a character cue may look like: `ROMEO`, `LADY CAPULET`, `MRS. SMITH`, `GUARD 1`, `РОМЕО`."""

import re
from functools import lru_cache

CONNECTORS = frozenset({"and", "&", "of", "the", "de", "la", "le", "du", "von", "van", "da", "di", "y", "et"})
ABBREVIATIONS = frozenset({
    "MR", "MRS", "MS", "DR", "ST", "MME", "MLLE", "REV", "SGT", "CAPT", "LT", "COL", "GEN", "PROF",
    "MT", "SR", "JR", "JNR", "SNR", "HON", "MESSRS", "NO",
})
# Words that start a name and make it a person's name even written once: MS. PARK, SIR TOBY
NAME_TITLES = ABBREVIATIONS | {"SIR", "LADY", "LORD", "KING", "QUEEN", "PRINCE", "PRINCESS", "MISS", "MADAM",
                             "AUNT", "UNCLE", "MISTER", "MASTER", "MISTRESS", "FATHER", "MOTHER", "SISTER",
                             "BROTHER", "COACH", "OFFICER", "DOCTOR", "CAPTAIN", "PROFESSOR", "GRANDMA",
                             "GRANDPA", "NURSE", "DAME"}
NOT_NAMES = frozenset({
    "ENTER", "EXIT", "EXEUNT", "EXEUNT OMNES", "EXIT ALL", "THE END", "END", "CURTAIN", "FINIS",
    "BLACKOUT", "LIGHTS UP", "LIGHTS DOWN", "LIGHTS OUT", "FADE IN", "FADE OUT", "FADE TO BLACK",
    "CUT TO", "DISSOLVE TO", "INTERMISSION", "INTERVAL", "END OF ACT", "END OF SCENE", "END OF PLAY",
    "CONTENTS", "NOTE", "NOTES", "SETTING", "TIME", "PLACE", "SCENE", "ACT", "PAUSE", "BEAT",
    "SILENCE", "TITLE", "AUTHOR", "BY", "THE CURTAIN FALLS", "CURTAIN FALLS", "TRANSCRIBER'S NOTE",
})
# "#" for numbered roles as families type them (WITCH #2)
_ALLOWED = re.compile(r"^[^\W_][\w .'’&/#-]*$")
JOINT_SPLIT = re.compile(r"\s+(?:and|AND|And|&)\s+|\s*,\s*(?:and\s+|AND\s+)?|\s*/\s*")
# The look-behind starts a match only where a run begins: searched from every character of a long
# run, a plain [\s.:]+$ is quadratic.
_TRAIL = re.compile(r"(?<![\s.:])[\s.:]+$")


@lru_cache(maxsize=4096)
def name_shape(name: str) -> str | None:
    """'caps', 'mixed' or 'caseless' when `name` could be a cue (joint cues allowed), else None."""
    name = _TRAIL.sub("", name)
    if not name or len(name) > 48 or not _ALLOWED.match(name):
        return None
    words = name.split()
    if len(words) > 7:
        return None
    if name.upper().replace("’", "'") in NOT_NAMES:
        return None
    upper = lower = 0
    for w in words:
        if w.lower() in CONNECTORS and w.islower():
            continue
        for ch in w:
            if ch.isupper():
                upper += 1
            elif ch.islower():
                lower += 1
    if upper + lower == 0:
        if any(ch.isalpha() for ch in name):
            return "caseless"
        return None
    if lower == 0:
        return "caps" if upper >= 2 or len(name) == 1 else "caps"
    # mixed case: every word capitalised (Lady Bracknell, Pyramus), connectors excepted
    for w in words:
        if w.lower() in CONNECTORS and w.islower():
            continue
        if not (w[0].isupper() or w[0].isdigit()):
            return None
    if len(words) > 4:
        return None
    return "mixed"


@lru_cache(maxsize=4096)
def split_joint(name: str) -> tuple[str, ...]:
    parts = tuple(p for p in JOINT_SPLIT.split(_TRAIL.sub("", name)) if p)
    return parts or (name,)
