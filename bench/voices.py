"""How understandable, how fast and how evenly loud each installed voice is, against espeak-ng in the same run.

    python bench/voices.py [--lines 12] [--engines natural,espeak] [--play a_dolls_house_pg2542.txt]

For every available engine and each of its voices, on a fixed set of lines from a
public-domain play: pocketsphinx's word error rate (an independent offline
recogniser; installed with the test extras), compute seconds per second of
speech (the engine alone, then with post-processing), and the loudness of every
clip after post-processing. Prints a row per voice, then the default voice against
espeak-ng's first voice and the loudness spread across all voices (targets: WER at
most a quarter of espeak-ng's; spread at most 1 LU).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus"


def fixed_lines(play: Path, count: int, *, known_words_only: bool = True) -> list[str]:
    """Every line of dialogue of 6 to 20 words, taken at an even stride: the same lines every run.

    Lines with a word the recogniser's dictionary lacks (Torvald, Krogstad) are left out by
    default: it can never hear such a word, whatever the voice, so each one is an error for
    every voice alike and only hides the difference between voices."""
    from bench.recognise import in_vocabulary, words
    from scripts_app.parsing import parse_script

    parsed = parse_script(play.read_text(encoding="utf-8"))
    candidates = []
    for scene in parsed["scenes"]:
        for element in scene["elements"]:
            if element["type"] == "dialogue":
                text = " ".join(element["text"].split())
                if 6 <= len(re.findall(r"[A-Za-z']+", text)) <= 20 and (
                        not known_words_only or all(in_vocabulary(w) for w in words(text))):
                    candidates.append(text)
    stride = max(1, len(candidates) // count)
    return candidates[::stride][:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--play", default="a_dolls_house_pg2542.txt")
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--engines", default="", help="comma-separated; default: every available engine")
    parser.add_argument("--espeak-voices", type=int, default=4, help="how many espeak-ng voices to measure")
    parser.add_argument("--any-words", action="store_true",
                        help="also take lines with words the recogniser does not know (names)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runthru_site.settings")
    os.environ.setdefault("RUNTHRU_DATA_DIR", str(REPO / "data"))
    import django

    django.setup()
    from bench.recognise import word_error_rate
    from tts_app import audio
    from tts_app.engines.base import SynthesisRequest
    from tts_app.engines.registry import available_engine_names, default_engine_name, get_engine

    lines = fixed_lines(CORPUS / args.play, args.lines, known_words_only=not args.any_words)
    names = [n for n in args.engines.split(",") if n] or available_engine_names()
    if "espeak" not in names:
        names.append("espeak")
    os.environ.pop("RUNTHRU_TTS_ENGINE", None)
    default_engine = default_engine_name()
    print(f"{len(lines)} lines from {args.play}; default engine here: {default_engine}")
    print("(figures from a shared 2-core machine: timings are noisy)\n")
    print(f"{'engine':9s} {'voice':22s} {'WER':>6s} {'engine s/s':>10s} {'total s/s':>9s} "
          f"{'LUFS mean':>9s} {'LUFS min..max':>15s}")

    results: dict[tuple[str, str], dict] = {}
    for name in names:
        engine = get_engine(name)
        if not engine.availability().available:
            print(f"{name:9s} not available: {engine.availability().reason}")
            continue
        engine.load()
        voice_ids = engine.default_voice_ids()
        if name == "espeak":
            voice_ids = voice_ids[: args.espeak_voices]
        for voice in voice_ids:
            engine.synthesize([SynthesisRequest(text="Warm up.", voice_id=voice)])  # model load is not speech
            clips, engine_s, total_s = [], 0.0, 0.0
            for text in lines:
                started = time.perf_counter()
                raw = engine.synthesize([SynthesisRequest(text=text, voice_id=voice)])[0]
                spoken = time.perf_counter()
                clips.append(audio.postprocess(raw))
                engine_s += spoken - started
                total_s += time.perf_counter() - started
            speech_s = sum(c.duration for c in clips)
            levels = [audio.measure_loudness(c) for c in clips]
            row = {
                "wer": word_error_rate(clips, lines),
                "engine_rtf": engine_s / speech_s,
                "total_rtf": total_s / speech_s,
                "lufs": statistics.fmean(levels),
                "levels": levels,
            }
            results[(name, voice)] = row
            print(f"{name:9s} {voice:22s} {row['wer']:6.3f} {row['engine_rtf']:10.4f} {row['total_rtf']:9.4f} "
                  f"{row['lufs']:9.2f} {min(levels):7.2f}..{max(levels):.2f}", flush=True)

    espeak_first = get_engine("espeak").default_voice_ids()[0]
    ours_voice = get_engine(default_engine).default_voice_ids()[0]
    ours, peer = results.get((default_engine, ours_voice)), results.get(("espeak", espeak_first))
    print()
    if ours and peer:
        ratio = ours["wer"] / peer["wer"] if peer["wer"] else float("inf")
        verdict = "ok" if ratio <= 0.25 else "over target"
        print(f"default voice {default_engine}/{ours_voice}: WER {ours['wer']:.3f}; espeak-ng/{espeak_first} "
              f"{peer['wer']:.3f}; ratio {ratio:.2f} (target <= 0.25: {verdict})")
        print(f"compute per second of speech: {ours['engine_rtf']:.4f} s against espeak-ng's "
              f"{peer['engine_rtf']:.4f} s ({ours['engine_rtf'] / peer['engine_rtf']:.1f}x)")
    natural = [r for (n, _), r in results.items() if n != "espeak"]
    if natural:
        print(f"natural voices: WER {min(r['wer'] for r in natural):.3f}..{max(r['wer'] for r in natural):.3f}; "
              f"espeak-ng voices: {min(r['wer'] for (n, _), r in results.items() if n == 'espeak'):.3f}.."
              f"{max(r['wer'] for (n, _), r in results.items() if n == 'espeak'):.3f}")
    means = [r["lufs"] for r in results.values()]
    spread = max(means) - min(means)
    print(f"loudness spread across all {len(means)} voices (mean per voice): {spread:.2f} LU "
          f"(target <= 1 LU: {'ok' if spread <= 1.0 else 'over target'})")
    every = [level for r in results.values() for level in r["levels"]]
    print(f"every clip: {min(every):.2f}..{max(every):.2f} LUFS ({max(every) - min(every):.2f} LU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
