"""Fountain screenplay parser (https://fountain.io/syntax).

We write our own: no well-kept Fountain library exists on PyPI (``jouvence`` has been
unmaintained since 2017 and ``screenplain`` targets rendering, not structured data).

Handled: title page (read for the title), scene headings (``INT.``/``EXT.``/``EST.``/``I/E``
and forced ``.HEADING``), character cues with extensions ``(V.O.)``, ``(O.S.)``, ``(CONT'D)``
(not new characters), parentheticals, dual dialogue ``^``, forced ``@NAME``, ``!action``,
``>transition``, centred ``>text<``, lyrics ``~``, sections ``#`` (an act when it says so),
synopses ``=`` and page breaks ``===`` (ignored); ``[[notes]]`` and ``/* boneyard */`` dropped.
Line numbers are kept intact while dropping notes and boneyard.
"""

import re

from .builder import Builder
from .headings import classify

_SCENE = re.compile(r"^(?:int|ext|est|int\.?/ext|i/e)[. ]", re.I)
_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z ]{0,30}):\s*(.*)$")
_EXTENSION = re.compile(r"\(([^)]{0,40})\)")
_OFFSTAGE = re.compile(r"\b(?:V\.?\s?O|O\.?\s?S|O\.?\s?C|OFF(?:STAGE|SCREEN)?|WITHIN)\b\.?", re.I)
_TRANSITION = re.compile(r"^[A-Z0-9 .'’-]+TO:$")
_EMPHASIS = re.compile(r"(?<!\\)[*_]+")
_SPACES = re.compile(r"[ \t]{2,}")


def _strip_spans(text: str, opener: str, closer: str) -> str:
    """Remove opener…closer spans (possibly spanning lines), keeping the newlines. Linear."""
    if opener not in text:
        return text
    out, pos = [], 0
    while True:
        a = text.find(opener, pos)
        if a < 0:
            break
        z = text.find(closer, a + len(opener))
        if z < 0:
            break
        out.append(text[pos:a])
        out.append("\n" * text.count("\n", a, z))
        pos = z + len(closer)
    out.append(text[pos:])
    return "".join(out)


def _drop_scene_number(heading: str) -> str:
    r"""`INT. HOUSE - DAY #1A#` -> `INT. HOUSE - DAY`. In code, not a regex: `\s*#[^#\s]+#\s*$`
    searched from every space of a long run of spaces, quadratic."""
    heading = heading.rstrip()
    if heading.endswith("#"):
        start = heading.rfind("#", 0, len(heading) - 1)
        number = heading[start + 1:-1]
        if start >= 0 and number and not any(ch.isspace() for ch in number):
            return heading[:start].rstrip()
    return heading


def _plain(text: str) -> str:
    return _SPACES.sub(" ", _EMPHASIS.sub("", text)).strip()


def _is_cue(s: str) -> bool:
    if s.startswith("@"):
        return len(s) > 1
    if s[:1] in "!.>~=#[" or s.endswith("TO:"):
        return False
    name = _EXTENSION.sub("", s).rstrip("^ ").strip()
    if not name or len(name) > 50:
        return False
    has_alpha = False
    for ch in name:
        if ch.islower():
            return False
        if ch.isalpha():
            has_alpha = True
    return has_alpha and not _SCENE.match(name)


def parse_fountain(lines: list[str], builder: Builder) -> str | None:
    """Parse Fountain `lines` into `builder`; returns the title page's title, if any."""
    text = "\n".join(lines)
    text = _strip_spans(text, "/*", "*/")
    text = _strip_spans(text, "[[", "]]")
    lines = text.split("\n")
    n = len(lines)
    title = None
    i = 0
    while i < n and not lines[i].strip():
        i += 1
    m = _TITLE_KEY.match(lines[i]) if i < n else None
    if m and not _SCENE.match(lines[i]):
        key = None
        values: dict[str, list[str]] = {}
        while i < n and lines[i].strip():
            line = lines[i]
            m = _TITLE_KEY.match(line) if line[:1] not in " \t" else None
            if m:
                key = m.group(1).strip().lower()
                values[key] = [m.group(2).strip()] if m.group(2).strip() else []
            elif key is not None:
                values[key].append(line.strip())
            i += 1
        parts = [_plain(v) for v in values.get("title", []) if _plain(v)]
        if parts:
            title = " — ".join(parts)
    b = builder
    act: str | None = None
    prev_blank = True
    last_was_action = False
    action: tuple[list, int, list[str]] | None = None  # (scene elements, index, lines) of a long action
    step = b.budget.step
    while i < n:
        step()
        raw = lines[i]
        s = raw.strip()
        ln = i + 1
        if not s:
            prev_blank = True
            last_was_action = False
            i += 1
            continue
        nxt_blank = i + 1 >= n or not lines[i + 1].strip()
        if s.startswith("==="):
            i += 1
            prev_blank = False
            continue
        if s[0] == "=" or (s[0] == "#" and not s.startswith("#!")):
            if s[0] == "#":
                heading = s.lstrip("#").strip()
                kind = classify(heading, True)
                if kind and kind[0] == "act":
                    act = kind[1]
                    b.new_scene(heading, act, ln)
            i += 1
            prev_blank = False
            continue
        # scene heading
        if prev_blank and ((s[0] == "." and s[1:2] not in (".", "") and s[1:2].isalnum())
                           or _SCENE.match(s)):
            heading = s[1:] if s[0] == "." else s
            b.new_scene(_plain(_drop_scene_number(heading)), act, ln)
            i += 1
            prev_blank = False
            continue
        # transitions
        if s[0] == ">" and not s.endswith("<"):
            b.direction(_plain(s[1:]), ln)
            i += 1
            prev_blank = False
            continue
        if prev_blank and nxt_blank and _TRANSITION.match(s):
            b.direction(_plain(s), ln)
            i += 1
            prev_blank = False
            continue
        # character cue + dialogue
        if prev_blank and not nxt_blank and s[0] != "!" and _is_cue(s):
            cue = s[1:] if s[0] == "@" else s
            dual = cue.rstrip().endswith("^")
            cue = cue.rstrip().rstrip("^").rstrip()
            extensions = [e.strip() for e in _EXTENSION.findall(cue)]
            name = _plain(_EXTENSION.sub("", cue))
            offstage = any(_OFFSTAGE.search(e) for e in extensions)
            dirs: list[str] = []
            spoken: list[str] = []
            j = i + 1
            while j < n and lines[j].strip():
                t = lines[j].strip()
                if t[0] == "(" and t.endswith(")"):
                    dirs.append(t[1:-1])
                elif t[0] == "(" and ")" not in t:
                    # parenthetical wrapped over lines
                    buf = [t[1:]]
                    while j + 1 < n and lines[j + 1].strip():
                        j += 1
                        u = lines[j].strip()
                        if u.endswith(")"):
                            buf.append(u[:-1])
                            break
                        buf.append(u)
                    dirs.append(" ".join(buf))
                else:
                    if t[0] == "~":
                        t = t[1:].strip()
                    spoken.append(_plain(t))
                j += 1
            extra: dict = {}
            if offstage:
                extra["offstage"] = True
            if dual:
                extra["dual"] = True
            b.speech([name], "\n".join(x for x in spoken if x), dirs, ln, extra)
            i = j
            prev_blank = False
            continue
        # action (a paragraph), centred text, forced action
        if s[0] == "!":
            s = s[1:]
        if s[:1] == ">" and s.endswith("<"):
            s = s[1:-1]
        text = _plain(s)
        if text:
            scene = b.scene
            if last_was_action and scene is not None and scene["elements"] \
                    and scene["elements"][-1][0] == "direction":
                # The action goes on: gather its lines and join them once (adding each line to
                # the text as it came was quadratic in the length of the paragraph).
                elements = scene["elements"]
                if action is None or action[0] is not elements or action[1] != len(elements) - 1:
                    _join_action(action)
                    action = (elements, len(elements) - 1, [elements[-1][3]])
                action[2].append(text)
            else:
                b.direction(text, ln)
            last_was_action = True
        i += 1
        prev_blank = False
    _join_action(action)
    return title


def _join_action(action: tuple[list, int, list[str]] | None) -> None:
    """Write an action paragraph's gathered lines into its direction element."""
    if action is not None:
        elements, index, parts = action
        kind, key, w, _old, d, e, line, f = elements[index]
        elements[index] = (kind, key, w, " ".join(parts), d, e, line, f)
