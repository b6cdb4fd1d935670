"""Who is who in a cast: the obvious duplicates (DOCTOR RANK is RANK, THE CHILDREN are CHILDREN)
and cues that may be a misspelt name (HERNIA among HERMIA's 47 speeches)."""

# Words in front of a name that never make a different person: merged whenever the bare name speaks.
_ALWAYS = frozenset({"the", "a", "an", "doctor", "dr", "professor", "prof"})
# Titles that say which of a family speaks (MR SMITH, MRS SMITH): merged only when just one of
# them is in the play, since SMITH could then be no one else.
_FAMILY = frozenset({"mr", "mrs", "ms", "miss", "mister"})
_RARE = 2  # a cue this rare beside a similar, common name may be a typo
_COMMON = 5


def automatic_merges(counts: dict[str, int], fixed: set[str]) -> dict[str, str]:
    """{key: key it is merged into} for names that are another speaker's name with a title or an
    article in front (keys are slugs: 'doctor-rank' -> 'rank'). Keys in `fixed` (named in the
    parent's aliases) are left as the parent set them."""
    by_rest: dict[str, list[tuple[str, str]]] = {}
    for key in counts:
        first, _, rest = key.partition("-")
        if rest and (first in _ALWAYS or first in _FAMILY):
            by_rest.setdefault(rest, []).append((first, key))
    merges = {}
    for rest, titled in by_rest.items():
        if rest not in counts or rest in fixed:
            continue
        family = [key for first, key in titled if first in _FAMILY]
        for first, key in titled:
            if key in fixed or (first in _FAMILY and len(family) > 1):
                continue
            merges[key] = rest
    for key, into in merges.items():  # THE DR RANK -> DR RANK -> RANK: straight to RANK
        seen = {key}
        while into in merges and into not in seen:
            seen.add(into)
            into = merges[into]
        merges[key] = into
    return {key: into for key, into in merges.items() if key != into}


def possible_misspellings(names: dict[str, str], counts: dict[str, int]) -> list[tuple[str, str]]:
    """(rare key, common key) pairs whose names differ by a letter or two."""
    common = [(k, names[k].casefold()) for k, n in counts.items() if n >= _COMMON]
    pairs = []
    for key, n in counts.items():
        if n > _RARE:
            continue
        name = names[key].casefold()
        if len(name) < 4:
            continue
        limit = 1 if len(name) < 9 else 2
        for other, other_name in common:
            if n * 3 <= counts[other] and _within(name, other_name, limit):
                pairs.append((key, other))
                break
    return pairs


def _within(a: str, b: str, limit: int) -> bool:
    """Edit distance of a and b at most `limit`. Hand-written: names are short (48 characters at
    most) and a play has a few rare cues, so a plain dynamic programme is quick enough."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit
