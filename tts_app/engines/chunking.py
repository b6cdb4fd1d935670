"""Split long speeches into sentence-sized chunks and join the audio back.

Neural engines degrade (or truncate) on long inputs, so a long speech is spoken
chunk by chunk: chunks end at sentence boundaries and hold at most
``max_chars`` characters; a sentence longer than that is split at clause
punctuation, then at spaces. The clips are joined with a short equal-power
crossfade so the seams don't click. Pure Python + numpy.
"""

from __future__ import annotations

import re

import numpy as np

DEFAULT_MAX_CHARS = 280
DEFAULT_CROSSFADE_MS = 30.0

# A sentence ends at . ! ? or … (possibly followed by closing quotes/brackets),
# then whitespace.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—–])\s+")


def _split_long(piece: str, max_chars: int) -> list[str]:
    """Split one over-long sentence at clause punctuation, then at spaces, then hard."""
    if len(piece) <= max_chars:
        return [piece]
    out: list[str] = []
    for clause in _pack(_CLAUSE_END.split(piece), max_chars):
        if len(clause) <= max_chars:
            out.append(clause)
            continue
        for words in _pack(clause.split(), max_chars):
            while len(words) > max_chars:  # a single "word" longer than max_chars
                out.append(words[:max_chars])
                words = words[max_chars:]
            if words:
                out.append(words)
    return out


def _pack(pieces: list[str], max_chars: int) -> list[str]:
    """Greedily join consecutive pieces with spaces while they fit in max_chars."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        candidate = f"{current} {piece}" if current else piece
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """Chunks of at most ``max_chars`` characters, cut at sentence boundaries when possible.

    Whitespace is normalised; an empty or blank text gives an empty list.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentences.extend(_split_long(sentence.strip(), max_chars))
    return _pack(sentences, max_chars)


def crossfade_join(
    parts: list[np.ndarray], sample_rate: int, crossfade_ms: float = DEFAULT_CROSSFADE_MS
) -> np.ndarray:
    """Concatenate mono float clips, overlapping each seam by ``crossfade_ms``.

    The overlap uses equal-power (sin/cos) curves; a seam never overlaps more
    than half of the shorter neighbour. Returns float32.
    """
    arrays = [np.asarray(p, dtype=np.float32).reshape(-1) for p in parts]
    arrays = [a for a in arrays if a.size]
    if not arrays:
        return np.zeros(0, dtype=np.float32)
    out = arrays[0]
    fade = max(0, int(round(sample_rate * crossfade_ms / 1000.0)))
    for nxt in arrays[1:]:
        n = min(fade, out.size // 2, nxt.size // 2)
        if n <= 0:
            out = np.concatenate([out, nxt])
            continue
        t = (np.arange(n, dtype=np.float32) + 0.5) / n
        fade_out = np.cos(t * np.pi / 2).astype(np.float32)
        fade_in = np.sin(t * np.pi / 2).astype(np.float32)
        seam = out[-n:] * fade_out + nxt[:n] * fade_in
        out = np.concatenate([out[:-n], seam, nxt[n:]])
    return out.astype(np.float32, copy=False)
