"""Offline recognition of one attempt with pocketsphinx (its US English model ships in the wheel).

The recogniser is biased toward the expected line but not forced onto it: a
tiny trigram model is built per attempt from the line (weighted four times)
and the other lines of its scene, with a dictionary of just those words. So a
right reading is heard well, a wrong line from the same scene is still heard
as itself, and dropping a word leaves a path the model knows. A small model
also makes the search fast (a few tenths of a second for a 5 s attempt) and a
decoder cheap to build (a few ms), so each attempt gets its own and threads
share nothing but the read-only pronunciation dictionary.
"""

from __future__ import annotations

import os
import tempfile
import threading
from functools import cache
from pathlib import Path

import numpy as np

from .align import words_of
from .audio import trim_silence

# Tuned on bench/listen.py (espeak-ng voices): how much the line model counts
# against the sound, and the cost of each extra word.
LANGUAGE_WEIGHT = 6.5
WORD_INSERTION_PENALTY = 0.65
LINE_WEIGHT = 4  # copies of the expected line in the model's text
DROP_PATHS = True  # +3 to +5 points of dropped words found (bench/listen.py), same separation
# Narrower search beams than pocketsphinx's defaults: with a model this small the best path is
# rarely pruned, and it takes about 20% off the time (same scores on the benchmark's attempts).
# A single pass (no fwdflat) would halve the time but missed 5-10% more (bench/listen.py).
DECODER_OPTIONS: dict = {"beam": 1e-40, "wbeam": 1e-30, "pbeam": 1e-40, "fwdflatbeam": 1e-40, "fwdflatwbeam": 1e-30}

# The page sends the whole attempt, silence either side; the search's time grows with every
# frame, so only the speech (and a margin) is decoded: about 20% less time for a 5 s attempt.
TRIM_SILENCE = True

_DICT_LOCK = threading.Lock()


def _model_dir() -> Path:
    import pocketsphinx

    return Path(pocketsphinx.get_model_path()) / "en-us"


@cache
def _pronunciations() -> dict[str, list[str]]:
    """word -> its pronunciations, from the CMU dictionary in the wheel (read once a process)."""
    with _DICT_LOCK:
        table: dict[str, list[str]] = {}
        with open(_model_dir() / "cmudict-en-us.dict", encoding="utf-8") as fh:
            for line in fh:
                word, _, phones = line.strip().partition(" ")
                table.setdefault(word.split("(")[0], []).append(phones.split("#")[0].strip())
        return table


def known(word: str) -> bool:
    return word in _pronunciations()


def _write_model(folder: str, expected: list[str], context: list[list[str]]) -> tuple[str, str]:
    from pocketsphinx.lm import ArpaBoLM

    table = _pronunciations()
    line = [w for w in expected if w in table]
    # The line with each one word left out, once each: the model then knows every
    # "dropped a word" path, so the sound (not the model) decides whether the word was said.
    dropped = [line[:i] + line[i + 1:] for i in range(len(line))] if DROP_PATHS and len(line) > 2 else []
    sentences = [[w for w in s if w in table] for s in [line] * LINE_WEIGHT + dropped + context]
    sentences = [s for s in sentences if s]
    lm = ArpaBoLM(text="\n".join(" ".join(s) for s in sentences), add_start=True, discount_mass=0.5)
    lm.compute()
    lm_path, dict_path = os.path.join(folder, "line.arpa"), os.path.join(folder, "line.dict")
    with open(lm_path, "w", encoding="utf-8") as fh:
        lm.write(fh)
    with open(dict_path, "w", encoding="utf-8") as fh:
        for word in sorted({w for s in sentences for w in s}):
            for i, phones in enumerate(table[word]):
                fh.write(f"{word}{'' if i == 0 else f'({i + 1})'} {phones}\n")
    return lm_path, dict_path


def recognise(samples: np.ndarray, expected_text: str, context_texts: list[str] = ()) -> str:
    """The words heard in 16 kHz mono float samples, as lower-case text."""
    from pocketsphinx import Decoder

    expected = words_of(expected_text)
    context = [words_of(t) for t in context_texts]
    if not any(known(w) for w in expected + [w for s in context for w in s]) or samples.size == 0:
        return ""
    if TRIM_SILENCE:
        samples = trim_silence(samples)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    with tempfile.TemporaryDirectory(prefix="runthru-listen-") as folder:
        lm_path, dict_path = _write_model(folder, expected, context)
        decoder = Decoder(hmm=str(_model_dir() / "en-us"), dict=dict_path, lm=lm_path,
                          lw=LANGUAGE_WEIGHT, wip=WORD_INSERTION_PENALTY, loglevel="FATAL", **DECODER_OPTIONS)
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.strip() if hyp is not None else ""
