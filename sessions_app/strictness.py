"""How strictly a line is marked: word-perfect, close or gist.

The recogniser hears the same words whatever the setting; the setting decides which words
count before the heard words are lined up against the line's. Word-perfect counts every word
as written. Close forgives what a director would let go in rehearsal: a contraction said in
full or the other way round ("I am" / "I'm"), and filler ("um"). Gist keeps only the words
that carry the meaning, in order, so "I will not go to the party" and "I won't go to that party"
both come down to "not go party".
"""

from __future__ import annotations

from runthru_site.errors import UserError

WORD_PERFECT = "word_perfect"
CLOSE = "close"
GIST = "gist"
CHOICES = [(WORD_PERFECT, "Word-perfect"), (CLOSE, "Close"), (GIST, "Gist")]
NAMES = [c for c, _ in CHOICES]
# Licensed plays must be performed as written, and drama teachers ask for lines "off book,
# word-perfect": so every rehearsal starts strict, and a parent or teen can relax it.
DEFAULT = WORD_PERFECT

FILLERS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "ah", "hmm", "mm", "eh"})

_WHOLE = {
    "i'm": "i am", "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "ain't": "is not", "let's": "let us", "'tis": "it is", "'twas": "it was", "it's": "it is",
    "he's": "he is", "she's": "she is", "that's": "that is", "what's": "what is", "there's": "there is",
    "here's": "here is", "who's": "who is", "where's": "where is", "how's": "how is", "o'er": "over",
    "e'en": "even", "ne'er": "never", "e'er": "ever", "gonna": "going to", "wanna": "want to",
}
_ENDINGS = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'d", " would"))

# Words that hold a sentence together rather than carry its meaning (gist leaves them out).
_FUNCTION = frozenset("""
a an the and or but so yet nor for of to in on at by with from into onto upon about as than then
i me my mine we us our you your he him his she her it its they them their this that these those
am is are was were be been being do does did have has had will would shall should can could may
might must there here just very too also oh o well now what which who whom
""".split())


def _expanded(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word in _WHOLE:
            out += _WHOLE[word].split()
            continue
        for ending, full in _ENDINGS:
            if word.endswith(ending) and len(word) > len(ending):
                out += (word[: -len(ending)] + full).split()
                break
        else:
            out.append(word)
    return out


def counted_words(words: list[str], strictness: str) -> list[str]:
    """The words that count under this strictness, in order."""
    if strictness == WORD_PERFECT:
        return list(words)
    kept = [w for w in _expanded(words) if w not in FILLERS]
    if strictness == GIST:
        kept = [w for w in kept if w not in _FUNCTION] or kept  # a line of only small words keeps them
    return kept


def checked(value) -> str:
    if value not in NAMES:
        raise UserError("Strictness must be word_perfect, close or gist.", code="bad_strictness")
    return value
