"""Collects scenes, speeches and directions from a layout parser and builds the result dict."""

import re
from collections import Counter
from functools import lru_cache

from .cast import automatic_merges, possible_misspellings
from .emotion import emotion_for_direction
from .errors import ScriptParseError
from .headings import scene_name
from .ids import normalise, short_hash, slugify
from .limits import MAX_ELEMENTS, MAX_SCENES, TOO_MANY_ELEMENTS, TOO_MANY_SCENES, Budget
from .warning_kinds import EMPTY_CUE, MERGED, MISSPELT_CUE, UNKNOWN_DELIVERY, warning_dict

# Trailing runs: the look-behind starts a match only where a run begins (searched from every
# character of a long run, a plain [\s.:;,]+$ is quadratic).
_TRAIL = re.compile(r"(?<![\s.:;,])[\s.:;,]+$")
_SPACES = re.compile(r"[ \t]+")
_WORDS = re.compile(r"[^\W\d_]+")
MAX_CAST_LINES = 200
_SHORT_DIRECTION = 4  # unknown-word warnings only for short delivery directions like "(frobnicate)"


@lru_cache(maxsize=4096)
def clean_name(name: str) -> str:
    """Cue as written, without trailing punctuation or doubled spaces: 'ROMEO.' -> 'ROMEO'."""
    return _SPACES.sub(" ", _TRAIL.sub("", name.replace("\u00a0", " "))).strip()


class Builder:
    def __init__(self, aliases: dict[str, str] | None = None, budget: Budget | None = None):
        self.budget = budget or Budget(None)
        self.element_count = 0
        self.alias_map: dict[str, str] = {}
        self.alias_target_name: dict[str, str] = {}
        for variant, canonical in (aliases or {}).items():
            if isinstance(variant, str) and isinstance(canonical, str) and clean_name(canonical):
                key = slugify(clean_name(canonical))
                self.alias_map[slugify(clean_name(variant))] = key
                self.alias_target_name[key] = clean_name(canonical)
        self.scenes: list[dict] = []
        self.scene: dict | None = None
        self.warnings: list[tuple[int, str, str]] = []  # (line, message, kind)
        self.chars: dict[str, dict] = {}
        self.name_words: set[str] = set()
        self._forms: dict[str, tuple[str, dict]] = {}  # clean cue -> (key, info), see _count_form
        self.speech_count = 0
        self.cast_list: list[str] = []  # the cast list's lines as written: casting reads "Miss Prism, governess"

    # -- structure -------------------------------------------------------------------------
    def new_scene(self, title: str | None, act: str | None, line: int) -> None:
        if len(self.scenes) >= MAX_SCENES:
            raise ScriptParseError(TOO_MANY_SCENES.format(limit=MAX_SCENES))
        self.scene = {"title": title, "act": act, "line": line, "elements": [], "dialogue": 0}
        self.scenes.append(self.scene)

    def _ensure_scene(self, line: int) -> dict:
        if self.scene is None:
            self.new_scene(None, None, line)
        return self.scene

    def cast_line(self, text: str) -> None:
        if len(self.cast_list) < MAX_CAST_LINES:
            self.cast_list.append(text)

    def warn(self, line: int, message: str, kind: str) -> None:
        self.warnings.append((line, message, kind))

    def _count_form(self, name: str) -> tuple[str, dict]:
        """(key, info) of the character a clean cue names, counting the form it was written in."""
        known = self._forms.get(name)
        if known is None:  # first time this exact form is seen: a few hundred per play at most
            key = slugify(name)
            key = self.alias_map.get(key, key)
            info = self.chars.get(key)
            if info is None:
                info = {"key": key, "forms": {}, "count": 0}  # forms: written form -> count
                self.chars[key] = info
                for w in _WORDS.findall(name):
                    self.name_words.add(w.casefold())
            known = self._forms[name] = (key, info)
        forms = known[1]["forms"]
        forms[name] = forms.get(name, 0) + 1  # a plain dict: twice as fast as a Counter here
        return known

    # -- elements ------------------------------------------------------------------------------
    def _count_element(self) -> None:
        self.element_count += 1
        if self.element_count > MAX_ELEMENTS:
            raise ScriptParseError(TOO_MANY_ELEMENTS.format(limit=MAX_ELEMENTS))
        self.budget.step()

    def direction(self, text: str, line: int) -> None:
        text = text.strip()
        if "[" in text or "]" in text or "(" in text or ")" in text:
            text = balance_brackets(text)
        if text:
            self._count_element()
            self._ensure_scene(line)["elements"].append(("direction", None, None, text, None, None, line, None))

    def speech(self, names: list[str], text: str, directions: list[str], line: int,
               extra: dict | None = None) -> bool:
        """Add one speech; returns False (with a warning) when it has no spoken text."""
        if len(names) == 1:  # the common case, without building generators
            first = clean_name(names[0])
            names = [first] if first else []
        else:
            names = [n for n in (clean_name(n) for n in names) if n]
        if not names:
            return False
        if directions:
            directions = [d for d in (clean_direction(d) for d in directions) if d]
        text = text.strip()
        if not text:
            self.warn(line, f"The cue {names[0]} has no dialogue after it — skipped.", EMPTY_CUE)
            if directions:
                self.direction("; ".join(directions), line)
            return False
        self._count_element()
        scene = self.scene or self._ensure_scene(line)
        if len(names) == 1:
            key, info = self._count_form(names[0])
            info["count"] += 1
            keys = (key,)
        else:
            keys = self._count_joint(names)
        direction = emotion = None
        if directions:
            direction = "; ".join(directions)
            emotion = self._emotion(directions, line)
        # extra fields of the element; None (not an empty dict) in the common case
        fields = dict(extra) if extra else None
        if len(keys) > 1:
            fields = {**(fields or {}), "characters": keys}
        scene["elements"].append(("dialogue", keys[0], names[0], text, direction, emotion, line, fields))
        scene["dialogue"] += 1
        self.speech_count += 1
        return True

    def _count_joint(self, names: list[str]) -> list[str]:
        """Keys of the characters of a joint cue, each counted once."""
        keys: list[str] = []
        for n in names:
            k, info = self._count_form(n)
            if k not in keys:
                keys.append(k)
                info["count"] += 1
        return keys

    def _emotion(self, directions: list[str], line: int) -> dict | None:
        """The strongest emotion of a speech's directions; warns about unknown delivery words."""
        emotion = None
        for d in directions:
            found, unknown = emotion_for_direction(d, self.name_words)
            if found and (emotion is None or found["intensity"] > emotion["intensity"]):
                emotion = found
            if unknown and len(_WORDS.findall(d)) <= _SHORT_DIRECTION:
                listed = ", ".join(f"'{w}'" for w in unknown)
                self.warn(line, f"Unknown delivery word(s) in direction: {listed} — read as neutral",
                          UNKNOWN_DELIVERY)
        return emotion

    # -- result ----------------------------------------------------------------------------
    def first_speech_line(self) -> int:
        """The (1-based) line of the first speech: front matter ends there."""
        return next((el[6] for s in self.scenes for el in s["elements"] if el[0] == "dialogue"), 1)

    def _merge_duplicates(self) -> tuple[dict[str, dict[str, int]], dict[str, int], dict[str, str]]:
        """(forms, count) of each speaking character after the automatic merges (DOCTOR RANK into
        RANK, each with a warning), and the merges as {key: key merged into}."""
        forms = {k: dict(info["forms"]) for k, info in self.chars.items() if info["count"]}
        counts = {k: self.chars[k]["count"] for k in forms}
        merges = automatic_merges(counts, set(self.alias_map) | set(self.alias_map.values()))
        if merges:
            first_lines = self._first_lines(set(merges))
            names = {src: _display(forms[src]) for src in merges}
            for src, dst in merges.items():
                for form, n in forms.pop(src).items():
                    forms[dst][form] = forms[dst].get(form, 0) + n
                counts[dst] += counts.pop(src)
            for src, dst in merges.items():
                self.warn(first_lines.get(src, 0), f"{names[src]} and {_display(forms[dst])} are read as one "
                          f"person, {_display(forms[dst])}.", MERGED)
        return forms, counts, merges

    def _first_lines(self, keys: set[str]) -> dict[str, int]:
        """The line of each of these characters' first speech."""
        found: dict[str, int] = {}
        for scene in self.scenes:
            for el in scene["elements"]:
                if el[1] in keys and el[1] not in found:
                    found[el[1]] = el[6]
        return found

    def _warn_misspellings(self, forms: dict[str, dict[str, int]], counts: dict[str, int]) -> None:
        names = {k: _display(f) for k, f in forms.items()}
        pairs = possible_misspellings(names, counts)
        if pairs:
            lines = self._first_lines({rare for rare, _ in pairs})
            for rare, common in pairs:
                said = "one speech" if counts[rare] == 1 else f"{counts[rare]} speeches"
                self.warn(lines.get(rare, 0), f"{names[rare]} ({said}) may be a misspelt {names[common]}.",
                          MISSPELT_CUE)

    def result(self, title: str, fmt: str) -> dict:
        kept = [s for s in self.scenes if s["dialogue"]]
        char_ids: dict[str, str] = {}
        characters = []
        used_ids: set[str] = set()
        all_forms, counts, merges = self._merge_duplicates()
        self._warn_misspellings(all_forms, counts)
        # Characters in order of their first speech: speech() adds elements in reading order and
        # creates a character (counted from 1) at its first speech, so self.chars is in that order.
        order = [k for k in self.chars if k in counts]
        for k in order:
            cid = k
            n = 2
            while cid in used_ids:
                cid = f"{k}-{n}"
                n += 1
            used_ids.add(cid)
            char_ids[k] = cid
        merged = {}
        for src, dst in merges.items():
            char_ids[src] = char_ids[dst]
            merged[_display(self.chars[src]["forms"])] = _display(all_forms[dst])
        for k in order:
            forms = all_forms[k]
            display = _display(forms)
            seen = {display.casefold()}
            aliases = []
            for form in forms:
                if form.casefold() not in seen:
                    seen.add(form.casefold())
                    aliases.append(form)
            target = self.alias_target_name.get(k)
            if target and target.casefold() not in seen and aliases:
                aliases.append(target)
            characters.append({"id": char_ids[k], "name": display, "aliases": aliases,
                               "line_count": counts[k]})

        scenes = []
        scene_seen: Counter = Counter()
        lone = len(kept) == 1
        per_act = Counter(s["act"] for s in kept if s["title"])
        nth_in_act: Counter = Counter()
        for index, s in enumerate(kept):
            title_text = s["title"] or ("Scene 1" if lone else "Opening")
            if s["title"]:
                nth_in_act[s["act"]] += 1
                shown = scene_name(title_text, s["act"], nth_in_act[s["act"]], per_act[s["act"]])
            else:
                shown = title_text
            skey = normalise(s["act"] or "") + "|" + normalise(title_text)
            scene_seen[skey] += 1
            scene_id = short_hash("scene", skey, str(scene_seen[skey]))
            seen: dict = {}
            elements = []
            append = elements.append
            for kind, key, _written, text, direction, emotion, line, fields in s["elements"]:
                key = key or ""
                flat = normalise(text)
                ckey = (kind, key, flat)
                n = seen.get(ckey, 0) + 1
                seen[ckey] = n
                el = {
                    "id": short_hash(scene_id, kind, key, flat, str(n)),
                    "type": kind,
                    "character": char_ids[key] if key else None,
                    "text": text,
                    "direction": direction,
                    "emotion": emotion,
                    "source_line": line,
                }
                if fields:
                    if "characters" in fields:
                        joint = [char_ids[c] for c in fields["characters"]]
                        fields = dict(fields, characters=list(dict.fromkeys(joint)))
                    el.update(fields)
                append(el)
            # the id hashes the heading as written: renaming how scenes read keeps every id
            scenes.append({"id": scene_id, "index": index, "title": shown, "act": s["act"],
                           "elements": elements})
        warnings = [warning_dict(*w) for w in sorted(self.warnings, key=lambda w: w[0])]
        out = {"title": title, "format": fmt, "characters": characters, "scenes": scenes,
               "warnings": warnings, "merged": merged}
        if self.cast_list:
            out["cast_list"] = self.cast_list
        return out


def _display(forms: dict[str, int]) -> str:
    """A character's name as most often written (case-insensitively); the first seen wins ties."""
    groups: Counter = Counter()
    for form, n in forms.items():
        groups[form.casefold()] += n
    top = max(groups.items(), key=lambda kv: kv[1])[0]
    return max(((f, n) for f, n in forms.items() if f.casefold() == top), key=lambda kv: kv[1])[0]


_OPENER = {")": "(", "]": "["}


def balance_brackets(text: str) -> str:
    """Drop brackets that close nothing or are never closed: a direction wrapped over two
    paragraphs (`[SCENE.—A room … winter.` + `… opened the door.]`) reads as one clean text."""
    stack: list[int] = []
    drop: set[int] = set()
    for i, ch in enumerate(text):
        if ch in "([":
            stack.append(i)
        elif ch in ")]":
            if stack and text[stack[-1]] == _OPENER[ch]:
                stack.pop()
            else:
                drop.add(i)
    drop.update(stack)
    if not drop:
        return text
    text = "".join(ch for i, ch in enumerate(text) if i not in drop)
    return _SPACES.sub(" ", text).strip()


_DIR_HEAD = re.compile(r"^[\s_*\[\](){}.:;,—–-]+")
_DIR_TAIL = re.compile(r"(?<![\s_*\[\](){}:;,—–-])[\s_*\[\](){}:;,—–-]+$")  # see _TRAIL


@lru_cache(maxsize=1024)  # plays repeat their directions: "Aside", "Exit", "Sings"
def clean_direction(text: str) -> str:
    text = text.replace("\n", " ").replace("_", "").replace("*", "")
    text = _DIR_TAIL.sub("", _DIR_HEAD.sub("", text, count=1), count=1)
    text = _SPACES.sub(" ", text).strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    if "[" in text or "]" in text or "(" in text or ")" in text:
        text = balance_brackets(text)
    return text
