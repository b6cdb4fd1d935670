"""How understandable, how fast and how evenly loud each installed voice is, against espeak-ng in the same run.

    python bench/voices.py [--lines 12] [--engines natural,espeak] [--play a_dolls_house_pg2542.txt]

For every available engine and each of its voices, on a fixed set of lines from a
public-domain play: pocketsphinx's word error rate (an independent offline
recogniser; installed with the test extras), compute seconds per second of
speech on this process's CPU clock (the engine alone, then with post-processing: the
other core's load disturbs it less than wall time), and the loudness of every
clip after post-processing. Prints a row per voice, then the default voice against
espeak-ng's first voice, the loudness spread across all voices (targets: WER at
most a quarter of espeak-ng's; spread at most 1 LU), the floors every voice cast by
default must meet (WER <= 0.15; compute <= 0.15 s/s for a derived man, 0.1 for a derived
woman) and how far apart in pitch and timbre the voices of one cast are.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

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
                started = time.process_time()
                raw = engine.synthesize([SynthesisRequest(text=text, voice_id=voice)])[0]
                spoken = time.process_time()
                clips.append(audio.postprocess(raw))
                engine_s += spoken - started
                total_s += time.process_time() - started
            speech_s = sum(c.duration for c in clips)
            levels = [audio.measure_loudness(c) for c in clips]
            row = {
                "wer": word_error_rate(clips, lines),
                "engine_rtf": engine_s / speech_s,
                "total_rtf": total_s / speech_s,
                "lufs": statistics.fmean(levels),
                "levels": levels,
                "clips": clips,
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
    floors(results, default_engine)
    return 0


WER_FLOOR = 0.15
COMPUTE_FLOOR = {"male": 0.15, "female": 0.1, "child": 0.1}  # s/s, for a voice derived by reshaping


def floors(results: dict, engine_name: str) -> None:
    """Every voice the default engine casts by default against the floors, then how far apart they are."""
    from tts_app.engines import natural
    from tts_app.engines.registry import get_engine

    engine = get_engine(engine_name)
    cast_ids = engine.default_voice_ids()
    offered = [v.id for v in engine.voices()]
    print(f"\nfloors for {engine_name}'s voices (cast by default: {len(cast_ids)} of {len(offered)}):")
    for vid in offered:
        row = results.get((engine_name, vid))
        if row is None:
            continue
        spec = natural._SPECS_BY_ID.get(vid)
        derived = spec is not None and not natural.reshape.is_neutral(spec.pitch_st, 1.0, spec.formant)
        limit = COMPUTE_FLOOR.get(spec.gender, 0.15) if derived else None
        checks = [f"WER {row['wer']:.3f} {'ok' if row['wer'] <= WER_FLOOR else 'OVER'}"]
        if limit is not None:
            checks.append(f"compute {row['engine_rtf']:.3f} s/s (<= {limit}) "
                          f"{'ok' if row['engine_rtf'] <= limit else 'OVER'}")
        print(f"  {vid:22s} {'cast' if vid in cast_ids else 'by choice only':15s} " + "; ".join(checks))
    traits = {vid: voice_traits(results[(engine_name, vid)]["clips"]) for vid in cast_ids
              if (engine_name, vid) in results}
    pairs = []
    ids = list(traits)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            pitch = abs(traits[a][0] - traits[b][0])
            timbre = float(np.linalg.norm(traits[a][1] - traits[b][1]))
            pairs.append((pitch + timbre, pitch, timbre, a, b))
    if pairs:
        pairs.sort()
        print("how far apart the voices of a default cast are (median pitch in semitones; timbre: distance "
              "between mean mel-cepstra of the voiced frames, in dB-like units); closest pairs first:")
        for _, pitch, timbre, a, b in pairs[:4]:
            print(f"  {a} / {b}: pitch {pitch:.1f} st, timbre {timbre:.2f}")
        print(f"  closest pair: {pairs[0][3]} / {pairs[0][4]}, {pairs[0][1]:.1f} st and timbre {pairs[0][2]:.2f}; "
              f"widest: {pairs[-1][1]:.1f} st and {pairs[-1][2]:.2f}")


def voice_traits(clips) -> tuple[float, np.ndarray]:
    """A voice's median pitch (semitones above 100 Hz) and mean timbre (WORLD's spectral envelope
    coded as 24 mel-cepstral coefficients, the level term left out, over voiced frames)."""
    import pyworld
    from scipy.signal import resample_poly

    pitches, envelopes = [], []
    for clip in clips:
        x = resample_poly(np.asarray(clip.samples, np.float64), 16000, clip.sample_rate)
        f0, times = pyworld.harvest(x, 16000, f0_floor=60.0, f0_ceil=500.0, frame_period=10.0)
        voiced = f0 > 0
        if not voiced.any():
            continue
        sp = pyworld.cheaptrick(x, f0, times, 16000)
        coded = pyworld.code_spectral_envelope(sp, 16000, 24)[voiced][:, 1:]
        pitches.append(f0[voiced])
        envelopes.append(coded)
    pitch = 12.0 * np.log2(np.median(np.concatenate(pitches)) / 100.0)
    return float(pitch), np.concatenate(envelopes).mean(axis=0)


if __name__ == "__main__":
    raise SystemExit(main())
