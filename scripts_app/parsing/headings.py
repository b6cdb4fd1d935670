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
            if markdown or m.group("kw").isupper() or m.group("num").isupper() or m.group("num").isdigit():
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
