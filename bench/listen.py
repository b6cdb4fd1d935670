"""How well listen mode's line checker hears lines, and how fast.

Run from the repository root: ``python bench/listen.py [--voices N] [--lines N] [--peer N]``.
Attempts are made with the espeak-ng voices (the natural voices need a GPU
environment; none is used here), at paces 0.8-1.25x, with white noise at 20 dB
SNR, from the lines of the sample play. For each it prints our figure and the
target; the comparison ("peer") is pocketsphinx decoding the same attempts with
its general English model instead of our per-line scene model. Figures on a
shared machine are noisy, the timing ones most.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from scripts_app.parsing import parse_script  # noqa: E402
from sessions_app.listening.align import align_words, score_words, words_of  # noqa: E402
from sessions_app.listening.check import check_samples  # noqa: E402
from sessions_app.listening.recognise import _model_dir  # noqa: E402
from tests.speech import padded, speak, with_noise  # noqa: E402

SAMPLE = ROOT / "data" / "samples" / "the_lighthouse_keepers.md"
VOICES = ["en-us-f2", "en-us-m7", "en-us-annie", "en-gb-m3", "en-rp-f1", "en-nyc-m1"]
PACES = [0.8, 1.0, 1.25]
SNR_DB = 20


def scene_lines(min_words: int = 6, max_words: int = 22) -> list[list[str]]:
    parsed = parse_script(SAMPLE.read_text(encoding="utf-8"))
    scenes = []
    for scene in parsed["scenes"]:
        lines = [e["text"] for e in scene["elements"]
                 if e["type"] == "dialogue" and min_words <= len(words_of(e["text"])) <= max_words]
        if len(lines) >= 2:
            scenes.append(lines)
    return scenes


def attempt(text: str, voice: str, pace: float, seed: int) -> np.ndarray:
    # The page sends from when it starts listening until 1.2 s after the teen stops.
    return with_noise(padded(speak(text, voice=voice, pace=pace), before=0.5, after=1.0), SNR_DB, seed=seed)


class Peer:
    """pocketsphinx as it comes: the general US English model, no knowledge of the line."""

    def __init__(self):
        from pocketsphinx import Decoder

        d = _model_dir()
        self.decoder = Decoder(hmm=str(d / "en-us"), lm=str(d / "en-us.lm.bin"), dict=str(d / "cmudict-en-us.dict"),
                               loglevel="FATAL")

    def score(self, samples: np.ndarray, expected: str) -> tuple[float, float]:
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        t0 = time.perf_counter()
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        seconds = time.perf_counter() - t0
        hyp = self.decoder.hyp()
        heard = words_of(hyp.hypstr if hyp else "")
        return score_words(align_words(words_of(expected), heard)), seconds


def pct(values) -> str:
    values = list(values)
    return f"{100 * sum(values) / max(1, len(values)):.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voices", type=int, default=4)
    ap.add_argument("--lines", type=int, default=8, help="lines per pace and voice")
    ap.add_argument("--peer", type=int, default=12, help="attempts the peer decodes (it is slow)")
    args = ap.parse_args()
    rng = random.Random(16)
    scenes = scene_lines()
    voices = VOICES[: args.voices]

    correct, wrong, peer_correct, peer_wrong, times = [], [], [], [], []
    by_voice: dict[str, list[bool]] = {v: [] for v in voices}
    dropped_found, peer_times = [], []
    peer = Peer() if args.peer else None
    seed = 0
    for voice in voices:
        for pace in PACES:
            for _ in range(args.lines):
                lines = rng.choice(scenes)
                line, other = rng.sample(lines, 2)
                context = [t for t in lines if t != line]
                seed += 1
                said = attempt(line, voice, pace, seed)
                t0 = time.perf_counter()
                result = check_samples(said, line, context)
                times.append((time.perf_counter() - t0, said.size / 16000))
                correct.append(result.score)
                said_other = attempt(other, voice, pace, seed + 10_000)
                wrong.append(check_samples(said_other, line, context).score)
                by_voice[voice] += [correct[-1] >= 0.8, wrong[-1] <= 0.4]
                if peer and len(peer_correct) < args.peer:
                    s, t = peer.score(said, line)
                    peer_correct.append(s)
                    peer_times.append((t, said.size / 16000))
                    peer_wrong.append(peer.score(said_other, line)[0])

    # One dropped word in a 10-word line.
    ten = [(lines, t) for lines in scenes for t in lines if len(words_of(t)) >= 10]
    for i in range(len(voices) * len(PACES) * max(2, args.lines // 2)):
        lines, full = rng.choice(ten)
        words = full.split()[:10]
        gone = rng.randrange(1, 10)  # a word after the first, so speech still starts the same
        line = " ".join(words)
        said = attempt(" ".join(words[:gone] + words[gone + 1:]), voices[i % len(voices)], PACES[i % 3], 50_000 + i)
        result = check_samples(said, line, [t for t in lines if t != full])
        line_words = [w for w in result.words if w.status != "extra"]
        target = words_of(words[gone])
        found = any(w.status in ("missed", "changed") and w.word in target for w in line_words)
        others_ok = sum(w.status != "ok" for w in line_words) <= 2
        dropped_found.append(found and others_ok)

    # Recognition time for a 5 s attempt, one core: scale each measured attempt to 5 s.
    per5 = sorted(5 * t / d for t, d in times)
    peer5 = sorted(5 * t / d for t, d in peer_times)
    separated = [c >= 0.8 for c in correct] + [w <= 0.4 for w in wrong]

    print(f"attempts: {len(correct)} correct + {len(wrong)} different-line readings; voices {', '.join(voices)}; "
          f"paces {PACES}; noise {SNR_DB} dB SNR")
    print(f"separated (correct >= 0.8, wrong <= 0.4): ours {pct(separated)} "
          f"(correct {pct(c >= 0.8 for c in correct)}, wrong {pct(w <= 0.4 for w in wrong)}); target >= 95%")
    if peer_correct:
        peer_sep = [c >= 0.8 for c in peer_correct] + [w <= 0.4 for w in peer_wrong]
        print(f"  peer (general model, {len(peer_correct)} pairs): {pct(peer_sep)} "
              f"(correct {pct(c >= 0.8 for c in peer_correct)}, wrong {pct(w <= 0.4 for w in peer_wrong)})")
    print("  by voice: " + ", ".join(f"{v} {pct(ok)}" for v, ok in by_voice.items()))
    print(f"scores: correct median {statistics.median(correct):.2f} min {min(correct):.2f}; "
          f"wrong median {statistics.median(wrong):.2f} max {max(wrong):.2f}")
    print(f"one dropped word in a 10-word line found: ours {pct(dropped_found)} of {len(dropped_found)}; target >= 80%")
    print(f"recognition time for a 5 s attempt, one core: ours median {statistics.median(per5):.3f} s, "
          f"p90 {per5[int(0.9 * (len(per5) - 1))]:.3f} s; target <= 0.5 s")
    if peer5:
        ratio = statistics.median(peer5) / statistics.median(per5)
        print(f"  peer median {statistics.median(peer5):.3f} s ({ratio:.1f}x ours)")


if __name__ == "__main__":
    main()
