"""How well an independent recogniser understands a voice: pocketsphinx's word error rate.

pocketsphinx ships its US English acoustic model, dictionary and language model in
the wheel, so this runs offline. It is installed with the test extras only
(`pip install -e '.[test]'`): RunThru itself never listens to its own audio.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from math import gcd

import numpy as np
from scipy.signal import resample_poly

RECOGNISER_RATE = 16000
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return _WORDS.findall((text or "").lower().replace("’", "'"))


@functools.lru_cache(maxsize=1)
def _decoder():
    from pocketsphinx import Decoder

    return Decoder(samprate=RECOGNISER_RATE, loglevel="FATAL")


@functools.lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    from pathlib import Path

    import pocketsphinx

    dictionary = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    with open(dictionary, encoding="utf-8") as fh:
        return frozenset(line.split(" ", 1)[0].split("(")[0] for line in fh)


def in_vocabulary(word: str) -> bool:
    return word in _vocabulary()


def transcribe(samples: np.ndarray, sample_rate: int) -> str:
    x = np.asarray(samples, dtype=np.float64)
    if sample_rate != RECOGNISER_RATE:
        g = gcd(int(sample_rate), RECOGNISER_RATE)
        x = resample_poly(x, RECOGNISER_RATE // g, int(sample_rate) // g)
    pcm = (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    decoder = _decoder()
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions).

    Written out because it is ten lines; pulling in jiwer for it would add a
    dependency with its own text normalisation we would then have to match.
    """
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, 1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def word_error_rate(clips, texts: Sequence[str]) -> float:
    """Errors over reference words, summed across all the clips (Clip objects with samples/sample_rate)."""
    errors = total = 0
    for clip, text in zip(clips, texts, strict=True):
        reference = words(text)
        errors += edit_distance(reference, words(transcribe(clip.samples, clip.sample_rate)))
        total += len(reference)
    return errors / max(1, total)
