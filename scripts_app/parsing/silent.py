"""The check after every parse: a name in the cast list or a stage direction who never speaks.

Such a name usually means that person's cues were not read (a layout we missed, a typo in every
cue), so the parent is told where the name is. Only names written in capitals count, the
convention of Gutenberg's and typed cast lists and directions: a mixed-case cast list
("John Worthing, J.P." for JACK) says too little to tell a missing speaker from a full name.
"""

import re

from .names import CONNECTORS, NAME_TITLES, NOT_NAMES
from .warning_kinds import SILENT_NAME

MAX_SILENT = 10  # warnings of this kind per script

# Words in capitals that name a crowd, a thing or a number, never one person who should speak.
_NOT_A_PERSON = frozenset({
    "ALL", "BOTH", "OTHERS", "OTHER", "SERVANTS", "LORDS", "LADIES", "ATTENDANTS", "CITIZENS", "GUARDS",
    "SOLDIERS", "MUSICIANS", "WATCHMEN", "MEN", "WOMEN", "CHILDREN", "PEOPLE", "CROWD", "CHORUS",
    "MAN", "WOMAN", "OLD", "YOUNG", "THREE", "TWO", "FOUR", "SEVERAL", "SOME", "AND", "WITH", "TO",
    "ACT", "SCENE", "END", "CURTAIN", "OFF", "ON", "STAGE", "LEFT", "RIGHT", "CENTRE", "CENTER", "DS",
    "US", "SL", "SR", "DSL", "DSR", "USL", "USR", "INT", "EXT", "DAY", "NIGHT", "SFX", "FX", "VO", "OS",
    "TV", "OK", "NOT", "THE", "A", "AN", "OF", "IN", "AT", "IS", "I",
})
_ROMAN = re.compile(r"^[IVXLC]+$")
_UP = "A-ZÀ-ÖØ-Þ"
# A name in capitals: words of two letters or more (a title may keep its full stop), up to four.
_CAPS = re.compile(rf"(?<![\w’'])[{_UP}][{_UP}'’-]+\.?(?:[ ][{_UP}][{_UP}'’-]+\.?){{0,3}}(?![\w’'])")
# In a direction only someone coming on is taken for a person: a screenplay's capitals are as often
# a sound (FWOOSH) or a crowd (SEVEN CHIHUAHUAS) as a part.
_ENTER = re.compile(r"\b(?:[Rr]e-?)?(?:[Ee]nter|ENTER)(?:s|S)?\b")
_NEXT = re.compile(r"[ \t,]*(?:(?:and|&|with|then)[ \t]+)?")
_COMES_ON = re.compile(rf"({_CAPS.pattern})(?=[ ](?:enters|comes in|comes on)\b)")
_POSSESSIVE = re.compile(r"['’]S$")
_CAST_SPLIT = re.compile(r"([,:(;]| - | – | — )")
_LITTLE = frozenset({"A", "AN", "THE", "HIS", "HER", "THEIR"})


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w’'-]+", name.upper()) if w]


def _person_words(name: str) -> list[str]:
    """The words of a name that say who it is: titles and little words left out."""
    return [w for w in _words(name) if w not in NAME_TITLES and w.lower() not in CONNECTORS]


def silent_name_warnings(lines: list[str], scenes: list[dict], cast_list: list[str],
                         spoken: set[str]) -> list[tuple[int, str, str]]:
    """(line, message, kind) for each name in capitals in the cast list or a direction that shares
    no word with anyone who speaks (`spoken`: every form of every speaker's name, and aliases)."""
    spoken_words = {w for name in spoken for w in _words(name.replace("-", " "))}
    out: list[tuple[int, str, str]] = []
    seen: set[str] = set()

    def consider(name: str, line: int, where: str) -> None:
        name = _POSSESSIVE.sub("", name.rstrip("."))
        words = _person_words(name)
        if (not words or name in seen or name.upper() in NOT_NAMES or len(out) >= MAX_SILENT
                or any(w in spoken_words or w in _NOT_A_PERSON or _ROMAN.match(w) for w in words)):
            return
        seen.add(name)
        out.append((line, f"Line {line}: {name} is in {where} but never speaks. "
                          f"Check that their lines start with their name.", SILENT_NAME))

    cast_lines = iter(range(len(lines)))
    for entry in cast_list:
        head, _, about = [*_CAST_SPLIT.split(entry, maxsplit=1), "", ""][:3]
        head = head.strip()
        if not head or head.upper() != head or not _CAPS.fullmatch(head):
            continue
        role = next((w for w in _words(about) if w not in _LITTLE), "")
        if role in spoken_words:  # ESCALUS, Prince of Verona: his cues say PRINCE
            continue
        line = next((i + 1 for i in cast_lines if entry in lines[i]), 0)
        if line:
            consider(head, line, "the cast list")
    for scene in scenes:
        for el in scene["elements"]:
            if el[0] != "direction" or el[3].isupper():
                continue  # a direction all in capitals is a heading or a sound, not a name
            for name in _coming_on(el[3]):
                consider(name, el[6], "a stage direction")
    return out


def _coming_on(text: str) -> list[str]:
    """Names in capitals straight after "Enter" (Enter NORA and HELMER) or before "enters"."""
    # the plain `in` tests skip the regexes on the many directions that bring no one on
    names = [m.group(1) for m in _COMES_ON.finditer(text)] if " come" in text or " enters" in text else []
    if "nter" not in text and "NTER" not in text:
        return names
    for m in _ENTER.finditer(text):
        pos = m.end()
        while (name := _CAPS.match(text, _NEXT.match(text, pos).end())) and name.group() != "ENTER":
            names.append(name.group())
            pos = name.end()
    return names
