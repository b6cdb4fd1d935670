"""Default voices that fit the characters: what the script says about each one, then a voice to match.

Pure functions on the parsed script (characters and scenes as plain dicts) and
a list of voices; no database. Evidence, strongest first:

1. words in the name: titles and roles (MRS LINDE, LADY CAPULET, FRIAR LAWRENCE, the BOY);
2. pronouns in stage directions that name the character ("Enter NORA ... She is in
   outdoor dress"), and in the directions attached to the character's own lines
   ("calls out from his room");
3. the first name, from gender-guesser's dictionary (offline), only when it is sure.

A character nothing speaks for stays unknown and may get any voice. The parent
can still change every voice; this only sets the defaults.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

FEMALE, MALE, CHILD = "female", "male", "child"

# fmt: off
_NAME_WORDS = {
    FEMALE: {
        "MRS", "MISS", "MS", "MADAM", "MADAME", "MME", "LADY", "DAME", "QUEEN", "PRINCESS", "DUCHESS", "COUNTESS",
        "BARONESS", "EMPRESS", "MOTHER", "MUM", "MOM", "MAMA", "GRANDMOTHER", "GRANDMA", "GRANNY", "WIFE", "WIDOW",
        "BRIDE", "DAUGHTER", "SISTER", "AUNT", "NIECE", "WOMAN", "LASS", "MAID", "MAIDEN", "MISTRESS", "NUN",
        "ABBESS", "HOSTESS", "GODMOTHER", "NURSE", "GIRLFRIEND", "STEPMOTHER", "HEROINE", "WAITRESS", "ACTRESS",
        "GOVERNESS", "HOUSEMAID", "LANDLADY", "KINSWOMAN", "NOBLEWOMAN",
    },
    MALE: {
        "MR", "MISTER", "SIR", "LORD", "KING", "PRINCE", "DUKE", "EARL", "COUNT", "BARON", "EMPEROR", "FATHER",
        "DAD", "PAPA", "GRANDFATHER", "GRANDPA", "HUSBAND", "WIDOWER", "GROOM", "SON", "BROTHER", "UNCLE", "NEPHEW",
        "MAN", "GENTLEMAN", "LAD", "MASTER", "FRIAR", "MONK", "ABBOT", "SERVINGMAN", "HOST", "GODFATHER",
        "BOYFRIEND", "STEPFATHER", "HERO", "WAITER", "FISHERMAN", "POLICEMAN", "WATCHMAN",
        "BUTLER", "MANSERVANT", "FOOTMAN", "LANDLORD", "KINSMAN", "NOBLEMAN",
    },
    CHILD: {"BOY", "GIRL", "CHILD", "CHILDREN", "KID", "KIDS", "BABY", "INFANT", "TODDLER"},
}
# fmt: on
_PLAIN_TITLES = {"DOCTOR", "DR", "CAPTAIN", "PROFESSOR", "COLONEL", "GENERAL", "JUDGE", "REVEREND", "OFFICER"}
_WORD = re.compile(r"[A-Za-z]+")
_PRONOUNS = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_MALE_PRONOUNS = {"he", "him", "his", "himself"}
_OPENING_PRONOUN = re.compile(r"^[\s,.;:—–-]*(?:his|her|their)\b", re.IGNORECASE)
_SOMEONE_ELSE = re.compile(r"\b(?:to|of|for|with)\b|['’]s\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n")
# Pronouns need a clear majority: "she hands it to him" names two people.
MIN_PRONOUNS = 2
PRONOUN_MAJORITY = 2.0


def gender_from_name(name: str) -> str | None:
    """female / male / child from the words of a character's name, else None."""
    words = {w.upper() for w in _WORD.findall(name or "")}
    hits = [gender for gender, table in _NAME_WORDS.items() if words & table]
    return hits[0] if len(hits) == 1 else None


@functools.lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def _given_name(name: str) -> str | None:
    """The name's first word that is no title: CAPTAIN IDA is Ida, MRS NORA HELMER is Nora."""
    titles = set().union(*_NAME_WORDS.values(), _PLAIN_TITLES)
    return next((w for w in _WORD.findall(name or "") if w.upper() not in titles and len(w) > 1), None)


def gender_from_first_name(name: str) -> str | None:
    """What gender-guesser is sure of for the name's first word that is not a title ("mostly" is not sure)."""
    given = _given_name(name)
    if not given:
        return None
    guess = _detector().get_gender(given.capitalize())
    return guess if guess in (FEMALE, MALE) else None


def _mention_patterns(characters: Sequence[dict]) -> dict[str, re.Pattern]:
    """How each character is written in directions: as cued (NORA), or in title case (Nora, Mrs Linde).

    Case matters: DOCTOR RANK is "Rank", never the word "rank".
    """
    patterns = {}
    for character in characters:
        forms = set()
        for name in [character.get("name") or "", *(character.get("aliases") or [])]:
            name = " ".join(name.split())
            if len(name) < 2:
                continue
            forms.update({name.upper(), name.title()})
            first, *rest = name.split()
            if rest and (gender_from_name(first) is not None or first.upper().rstrip(".") in _PLAIN_TITLES):
                # "DOCTOR RANK" is also just "Rank", "LADY CAPULET" just "Capulet"
                forms.update({" ".join(rest).upper(), " ".join(rest).title()})
        if forms:
            alternatives = "|".join(sorted((re.escape(f).replace(r"\ ", r"\.?\s+") for f in forms), key=len,
                                           reverse=True))
            patterns[character["id"]] = re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![a-z])")
    return patterns


def _named(sentence: str, patterns: dict[str, re.Pattern]) -> set[str]:
    return {cid for cid, pattern in patterns.items() if pattern.search(sentence)}


def _count(votes: dict[str, Counter], who: str, sentence: str, words: dict[str, Counter] | None) -> None:
    for pronoun in _PRONOUNS.findall(sentence):
        votes[who][MALE if pronoun.lower() in _MALE_PRONOUNS else FEMALE] += 1
        if words is not None:
            words[who][pronoun.lower()] += 1


def pronoun_votes(characters: Sequence[dict], scenes: Iterable[dict],
                  words: dict[str, Counter] | None = None) -> dict[str, Counter]:
    """character id -> Counter of female/male pronouns that refer to it in stage directions
    (and, given `words`, each pronoun as written, counted there)."""
    patterns = _mention_patterns(characters)
    votes: dict[str, Counter] = {c["id"]: Counter() for c in characters}
    for scene in scenes:
        for element in scene.get("elements") or []:
            if element.get("type") == "direction":
                subject = None
                for sentence in _SENTENCE.split(element.get("text") or ""):
                    named = _named(sentence, patterns)
                    if len(named) == 1:
                        subject = next(iter(named))
                    elif named:
                        subject = None  # two people: "she" could be either
                        continue
                    if subject is not None:
                        _count(votes, subject, sentence, words)
            elif element.get("type") == "dialogue" and element.get("direction"):
                speaker = element.get("character")
                if speaker not in votes:
                    continue
                for sentence in _SENTENCE.split(element["direction"]):
                    if not (_named(sentence, patterns) - {speaker}):
                        _count(votes, speaker, sentence, words)
    return votes


def _decide(counter: Counter) -> str | None:
    female, male = counter[FEMALE], counter[MALE]
    if max(female, male) < MIN_PRONOUNS:
        return None
    if female >= PRONOUN_MAJORITY * male and female > male:
        return FEMALE
    if male >= PRONOUN_MAJORITY * female and male > female:
        return MALE
    return None


def character_genders(characters: Sequence[dict], scenes: Iterable[dict],
                      cast_list: Sequence[str] = ()) -> dict[str, str | None]:
    """character id -> "female", "male", "child" or None (unknown)."""
    return {cid: clue[0] for cid, clue in character_clues(characters, scenes, cast_list).items()}


KIND_WORDS = {FEMALE: "a woman", MALE: "a man", CHILD: "a child"}
NO_CLUE = "any voice: nothing in the script says who this is"


def _name_word(name: str) -> tuple[str, str] | None:
    """(gender, the word) when a word of the name says it: MRS, KING, BOY."""
    words = _WORD.findall(name or "")
    found = [(g, w) for w in words for g, table in _NAME_WORDS.items() if w.upper() in table]
    return found[0] if found and len({g for g, _w in found}) == 1 else None


def _cast_list_clue(character: dict, lines: Sequence[str], pattern: re.Pattern | None) -> tuple[str, str] | None:
    """(gender, reason) from the character's line in the cast list: "Miss Prism, governess",
    "NORA, his wife" (a role word first: "his" there is someone else), else "her"/"his" alone."""
    if pattern is None:
        return None
    for line in lines[:200]:
        m = pattern.search(line)
        if not m or m.start() > 12 or "," in line[:m.start()]:
            continue  # the name starts the line, a title before it at most ("Hon. Gwendolen Fairfax")
        # "servant to Juliet’s Nurse", "kinsman to the Prince": the words after "to" are someone else
        description = _SOMEONE_ELSE.split(line[m.end():], 1)[0]
        word = _name_word(description)
        if word:
            return word[0], f"{KIND_WORDS[word[0]]}: “{word[1].lower()}” in the cast list"
        # "Cecily, his ward": a pronoun opening the description is whoever she is the ward of;
        # "a girl in her teens", "who thinks he is clever" are about the character
        said = [p.lower() for p in _PRONOUNS.findall(_OPENING_PRONOUN.sub("", description, count=1))]
        kinds = {MALE if p in _MALE_PRONOUNS else FEMALE for p in said}
        if len(kinds) == 1:
            gender = kinds.pop()
            return gender, f"{KIND_WORDS[gender]}: “{said[0]}” in the cast list"
        return None
    return None


def _pronoun_reason(gender: str, counter: Counter, words: Counter) -> str:
    n = counter[gender]
    top = next((w for w, _n in words.most_common() if (w in _MALE_PRONOUNS) == (gender == MALE)), "")
    return f"{KIND_WORDS[gender]}: “{top}” in the stage directions ({n} times)"


def character_clues(characters: Sequence[dict], scenes: Iterable[dict],
                    cast_list: Sequence[str] = ()) -> dict[str, tuple[str | None, str]]:
    """character id -> (kind of voice or None, why, in plain words a parent can check at a glance).

    The strongest clue wins: a word of the name (MRS, KING), the character's line in the cast
    list, pronouns about them in the stage directions, then what a first name usually is."""
    scenes = list(scenes)
    words: dict[str, Counter] = {c["id"]: Counter() for c in characters}
    votes = pronoun_votes(characters, scenes, words)
    patterns = _mention_patterns(characters)
    out: dict[str, tuple[str | None, str]] = {}
    for character in characters:
        cid = character["id"]
        name = character.get("name") or cid
        word = _name_word(name)
        if word:
            out[cid] = (word[0], f"{KIND_WORDS[word[0]]}: “{word[1]}” in the name")
            continue
        listed = _cast_list_clue(character, cast_list, patterns.get(cid))
        if listed:
            out[cid] = listed
            continue
        decided = _decide(votes[cid])
        if decided:
            out[cid] = (decided, _pronoun_reason(decided, votes[cid], words[cid]))
            continue
        first = gender_from_first_name(name)
        if first:
            out[cid] = (first, f"{KIND_WORDS[first]}: {_given_name(name).capitalize()} is usually a "
                               f"{'woman' if first == FEMALE else 'man'}’s name")
            continue
        out[cid] = (None, NO_CLUE)
    return out


def _pool(gender: str | None, voices: Sequence[tuple[str, str]]) -> list[str]:
    """The voices that fit, in casting order. A voice of unknown gender (a parent's uploaded
    voice) fits anyone; a child gets a child's voice, else a woman's (the closest in pitch)."""
    if gender is None:
        return [vid for vid, _ in voices]
    fitting = [vid for vid, g in voices if g in (gender, "")]
    if gender == CHILD and not any(g == CHILD for _, g in voices):
        fitting = [vid for vid, g in voices if g in (FEMALE, "")]
    return fitting or [vid for vid, _ in voices]


def cast(
    characters: Sequence[dict], genders: dict[str, str | None], voices: Sequence[tuple[str, str]], *,
    scenes: Iterable[dict] = (), fallback: Iterable[str] = (),
) -> dict[str, str]:
    """character id -> voice id. `characters` in billing order (most lines first); `voices`
    as (id, gender) in casting order (the preferred engine's first); `fallback`: the voices of the
    engines it falls back to (robotic: used only where the others would put one voice twice in a scene).

    Each character gets, in this order of importance: a voice nobody else in any of its `scenes`
    has (a teen must tell apart who speaks to whom), a voice that fits, a preferred engine's voice,
    the voice used least so far. So the leads get distinct voices, and a voice is shared only by
    characters who never meet, unless a scene has more speakers than there are voices."""
    if not voices:
        return {}
    fallback = set(fallback)
    used: Counter = Counter()
    order = {vid: i for i, (vid, _) in enumerate(voices)}
    scenes_of: dict[str, list[list[str]]] = {}
    for _, speakers in _speakers_by_scene(scenes):
        for who in speakers:
            scenes_of.setdefault(who, []).append(speakers)
    out: dict[str, str] = {}

    def clashes(cid: str, vid: str) -> tuple[int, int]:
        # (scenes with room for everyone where someone has this voice already, crowded scenes where
        # someone has): a clash in a scene with more speakers than voices cannot always be helped
        roomy = crowded = 0
        for speakers in scenes_of.get(cid, ()):
            if any(out.get(other) == vid for other in speakers if other != cid):
                if len(speakers) > len(order):
                    crowded += 1
                else:
                    roomy += 1
        return roomy, crowded

    for character in characters:
        cid = character["id"]
        fitting = set(_pool(genders.get(cid), voices))
        choice = min(order, key=lambda vid: (*clashes(cid, vid), vid not in fitting, vid in fallback, used[vid],
                                             order[vid]))
        used[choice] += 1
        out[cid] = choice
    return out


def _speakers_by_scene(scenes: Iterable[dict]) -> list[tuple[dict, list[str]]]:
    out = []
    for scene in scenes:
        speakers = dict.fromkeys(e["character"] for e in scene.get("elements") or []
                                 if e.get("type") == "dialogue" and e.get("character"))
        out.append((scene, list(speakers)))
    return out


def shared_in_scenes(scenes: Iterable[dict], assignments: dict[str, str]) -> list[dict]:
    """Where characters of one scene are given one voice: [{"voice", "characters", "scenes"}], the
    characters in the order they first speak, the scenes by title. Characters without a voice (the
    teen's own) are left out."""
    shares: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for index, (scene, speakers) in enumerate(_speakers_by_scene(scenes)):
        by_voice: dict[str, list[str]] = {}
        for who in speakers:
            if who in assignments:
                by_voice.setdefault(assignments[who], []).append(who)
        for voice, group in by_voice.items():
            if len(group) > 1:
                title = scene.get("title") or f"Scene {index + 1}"
                act = scene.get("act")
                if act and not title.upper().startswith(act.upper()):
                    title = f"{act}, {title}"
                shares.setdefault((voice, tuple(group)), []).append(title)
    return [{"voice": voice, "characters": list(group), "scenes": titles}
            for (voice, group), titles in shares.items()]
