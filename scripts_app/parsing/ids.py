"""Stable identifiers: slugs for characters, short content hashes for scenes and elements.

Ids never depend on a global counter or an absolute position, so editing one speech leaves
the ids of every other element unchanged.
"""

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=4096)
def slugify(name: str) -> str:
    """'LADY CAPULET' -> 'lady-capulet'; keeps non-Latin letters ('РОМЕО' -> 'ромео')."""
    text = unicodedata.normalize("NFKC", name).replace("’", "'").replace("'", "")
    slug = _NON_WORD.sub("-", text.casefold()).strip("-_").replace("_", "-")
    return slug or "character"


def normalise(text: str) -> str:
    """The form of a text that ids hash: re-wrapping lines or re-spacing words keeps an id.

    Element texts come out of the layout parsers already stripped, with single spaces and
    single newlines, so the common case is one replace; anything else takes the full path.
    """
    flat = text.replace("\n", " ")
    if "  " in flat or flat[:1] == " " or flat[-1:] == " ":
        return " ".join(flat.split())
    if flat.isascii():  # O(1); then only these control characters are whitespace besides " "
        if ("\t" in flat or "\r" in flat or "\x0b" in flat or "\x0c" in flat or "\x1c" in flat
                or "\x1d" in flat or "\x1e" in flat or "\x1f" in flat):
            return " ".join(flat.split())
    elif not flat.isprintable():  # False for every whitespace character but the plain space
        return " ".join(flat.split())
    return flat


# Copying a ready hasher is about a third faster than building blake2b(data, digest_size=6) for
# every element, and gives the same digest.
_EMPTY_HASH = hashlib.blake2b(digest_size=6)


def short_hash(*parts: str) -> str:
    digest = _EMPTY_HASH.copy()
    digest.update("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
