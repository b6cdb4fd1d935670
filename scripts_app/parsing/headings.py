"""Act and scene headings: Markdown (`# Act 1`, `### SCENE I.`) and play-style (`ACT I`, `FIRST ACT`)."""

import re

_NUM = r"(?:[IVXLCivxlc]{1,7}|\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)"
_ORD = r"(?:first|second|third|fourth|fifth|sixth|seventh|last|final)"
ACT_RE = re.compile(rf"^(?P<kw>act)\s+(?P<num>{_NUM})\b\s*[.:,—–-]?\s*(?P<rest>.*)$", re.I)
ORD_ACT_RE = re.compile(rf"^(?P<num>{_ORD})\s+(?P<kw>act)\b\s*[.:]?\s*(?P<rest>.*)$", re.I)
SCENE_RE = re.compile(
    rf"^(?P<kw>scene)(?:\s+(?P<num>{_NUM})\b|(?=[\s.:—–-]|$))\s*(?P<sep>[.:—–-]?)\s*(?P<rest>.*)$", re.I
)
ORD_SCENE_RE = re.compile(rf"^(?P<num>{_ORD})\s+(?P<kw>scene)\b\s*[.:]?\s*(?P<rest>.*)$", re.I)
PART_RE = re.compile(
    r"^(?:the\s+)?(?P<kw>prologue|epilogue|induction|interlude|interval|intermission|finale)\b\s*[.:]?\s*(?P<rest>.*)$",
    re.I,
)
CAST_RE = re.compile(
    r"^(?:dramatis\s+person\w*|(?:the\s+)?(?:persons|characters)(?:\s+(?:in|of)\s+the\s+play)?|cast"
    r"(?:\s+(?:list|of\s+characters))?|the\s+cast|list\s+of\s+characters)\s*[.:]?$",
    re.I,
)
# Every pattern above starts with one of these words: one match rules out most lines.
_FIRST_WORD = re.compile(
    rf"^(?:act|scene|{_ORD}|the|prologue|epilogue|induction|interlude|interval|intermission|finale)", re.I
)
CONTENTS_RE = re.compile(r"^(?:table\s+of\s+)?contents\.?$", re.I)
# A screenplay's scene heading (INT. KITCHEN - DAY), upper case
SCREEN_HEADING = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[. ]")


def _keyword_case_ok(kw: str) -> bool:
    return kw.isupper() or kw[:1].isupper()


def classify(text: str, markdown: bool) -> tuple[str, str] | None:
    """('act'|'scene'|'part', act label) for a heading line, else None.

    For play-style (non-Markdown) lines the keyword must be capitalised, and an unnumbered
    ``SCENE`` must be upper case (``SCENE``, ``SCENE.`` or ``SCENE. A room``).
    """
    if len(text) > 160 or not _FIRST_WORD.match(text):
        return None
    m = ACT_RE.match(text)
    if m and (markdown or _keyword_case_ok(m.group("kw"))):
        if markdown or m.group("kw").isupper() or not m.group("rest") or m.group("num").isdigit() \
                or m.group("num").isupper():
            return "act", f"{m.group('kw')} {m.group('num')}"
    m = ORD_ACT_RE.match(text)
    if m and (markdown or (_keyword_case_ok(m.group("num")) and not m.group("rest"))):
        return "act", f"{m.group('num')} {m.group('kw')}"
    m = SCENE_RE.match(text)
    if m and (markdown or _keyword_case_ok(m.group("kw"))):
        if m.group("num"):
            num = m.group("num")
            # "Scene One - The Kitchen" as typed; "Scene one of…" in a sentence is no heading
            if markdown or m.group("kw").isupper() or num.isupper() or num.isdigit() or num[:1].isupper():
                return "scene", ""
        elif markdown or (m.group("kw").isupper() and (not m.group("rest") or m.group("sep"))):
            return "scene", ""
    m = ORD_SCENE_RE.match(text)
    if m and (markdown or (_keyword_case_ok(m.group("num")) and not m.group("rest"))):
        return "scene", ""
    m = PART_RE.match(text)
    if m and (markdown or (m.group("kw").isupper() or text[:1].isupper()) and len(text) < 40):
        return "part", ""
    return None


_ORDINAL_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
_WORD_NUMBER = {w: n for n, w in enumerate(
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 1)}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _number(word: str) -> int | None:
    """'III', '3', 'three', 'third' -> 3."""
    w = word.casefold()
    if w.isdigit():
        return int(w)
    if w in _WORD_NUMBER or w in _ORDINAL_NUMBER:
        return _WORD_NUMBER.get(w) or _ORDINAL_NUMBER[w]
    if w and all(ch in _ROMAN for ch in w):
        total = 0
        for ch, nxt in zip(w, w[1:] + " ", strict=True):
            value = _ROMAN[ch]
            total += -value if nxt in _ROMAN and _ROMAN[nxt] > value else value
        return total
    return None


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                           (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def act_name(label: str) -> str:
    """How an act label reads in a scene picker: 'ACT I' and 'FIRST ACT' -> 'Act I', 'Act 2' stays."""
    m = ACT_RE.match(label) or ORD_ACT_RE.match(label)
    if not m:
        return label
    num = m.group("num")
    n = _number(num)
    if n is None:  # 'LAST ACT'
        return label
    return f"Act {num}" if num.isdigit() else f"Act {_roman(n)}"


def scene_name(title: str, act: str | None, nth_in_act: int, scenes_in_act: int) -> str:
    """A scene's name for a picker: 'Act I · Scene 1' for a bare `SCENE I.` heading, 'Act I' for an
    act's only, unnumbered `SCENE`; a heading that says more ('SCENE II. A street.') as it is."""
    m = SCENE_RE.match(title) or ORD_SCENE_RE.match(title)
    if m and not m.group("rest"):
        num = m.group("num")
        act_text = act_name(act) if act else None
        if num is None and act_text and scenes_in_act == 1:
            return act_text
        n = _number(num) if num else nth_in_act
        scene = f"Scene {n if n is not None else num}"
        return f"{act_text} · {scene}" if act_text else scene
    m = ACT_RE.match(title) or ORD_ACT_RE.match(title)
    if m and not m.group("rest"):
        return act_name(title)
    return title
