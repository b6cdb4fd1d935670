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
    # isprintable() is False for every whitespace character but the plain space.
    if "  " in flat or flat[:1] == " " or flat[-1:] == " " or not flat.isprintable():
        return " ".join(flat.split())
    return flat


def short_hash(*parts: str) -> str:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=6)
    return digest.hexdigest()
