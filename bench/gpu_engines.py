"""One neural engine on the GPU: load time, real-time factor and GPU memory.

Runs RunThru's engine (the same adapter the app uses) on a random-weight
checkpoint built here, and again on the real weights when they are in
``<data>/models/<engine>`` (RUNTHRU_DATA_DIR, default ``data/``). Random
checkpoints are rigged to stop early and IndexTTS2's is shrunk, so only the
real-weight figures say how fast a family's machine will be. Called by
bench/gpu_check.sh, once per engine environment:

    python bench/gpu_engines.py chatterbox      # in the Chatterbox environment
    python bench/gpu_engines.py indextts2       # in the IndexTTS2 environment
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

LINES = [
    "But soft, what light through yonder window breaks?",
    "It is the east, and Juliet is the sun.",
    "Arise, fair sun, and kill the envious moon, who is already sick and pale with grief.",
    "O Romeo, Romeo, wherefore art thou Romeo? Deny thy father and refuse thy name.",
    "Good night, good night! Parting is such sweet sorrow.",
    "What's in a name? That which we call a rose by any other word would smell as sweet.",
    "I will.",
    "Thus with a kiss I die.",
]


def gpu_memory(torch) -> dict:
    free, total = torch.cuda.mem_get_info()
    return {
        "max_allocated_mib": round(torch.cuda.max_memory_allocated() / 2**20),
        "used_mib": round((total - free) / 2**20),
        "total_mib": round(total / 2**20),
    }


def run(engine_name: str, models: Path, voices: Path, label: str, batch: int, extra_env: dict) -> dict:
    import torch

    from tts_app.engines.base import SynthesisRequest
    from tts_app.prosody import params_for

    os.environ.update(extra_env)
    if engine_name == "chatterbox":
        from tts_app.engines.chatterbox import ChatterboxEngine as Engine
    else:
        from tts_app.engines.indextts import IndexTTS2Engine as Engine
    engine = Engine(models_dir=models, voices_dir=voices)
    avail = engine.availability()
    if not avail.available:
        return {"label": label, "skipped": avail.reason, "setup": getattr(engine, "setup_report", list)()}
    torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    ctx = _small_t3(models) if engine_name == "chatterbox" else None
    if ctx:
        with ctx:
            engine.load()
    else:
        engine.load()
    load_s = time.perf_counter() - started
    voice = engine.voices()[0].id
    reqs = [SynthesisRequest(t, voice, params_for(engine_name, None)) for t in LINES]
    engine.synthesize(reqs[:1])  # warm-up (kernels, caches, voice conditioning)
    torch.cuda.synchronize()
    per_line = []
    started = time.perf_counter()
    for req in reqs:
        t0 = time.perf_counter()
        (clip,) = engine.synthesize([req])
        torch.cuda.synchronize()
        per_line.append({"seconds": time.perf_counter() - t0, "audio_s": clip.duration})
    one_by_one = time.perf_counter() - started
    audio = sum(p["audio_s"] for p in per_line)
    result = {
        "label": label,
        "version": engine.version(),
        "load_s": round(load_s, 2),
        "lines": len(reqs),
        "audio_s": round(audio, 2),
        "rtf_one_by_one": round(one_by_one / audio, 4) if audio else None,
        "worst_line_rtf": round(max(p["seconds"] / p["audio_s"] for p in per_line if p["audio_s"]), 4),
    }
    if batch > 1 and engine.capabilities().batch_size > 1:
        started = time.perf_counter()
        clips = engine.synthesize(reqs)
        torch.cuda.synchronize()
        took = time.perf_counter() - started
        result["rtf_batched"] = round(took / sum(c.duration for c in clips), 4)
    result["gpu"] = gpu_memory(torch)
    engine.unload()
    return result


def _small_t3(models: Path):
    import contextlib

    marker = models / "chatterbox" / "runthru-random.json"
    if marker.is_file() and json.loads(marker.read_text()).get("small"):
        from tts_app.random_checkpoint import small_t3_config

        return small_t3_config()
    return contextlib.nullcontext()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("engine", choices=["chatterbox", "indextts2"])
    ap.add_argument("--real", type=Path, default=None, help="models dir with real weights (default <data>/models)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()

    import soundfile as sf
    import torch

    if not torch.cuda.is_available():
        sys.exit("no CUDA GPU visible to torch: this check is for a GPU machine")
    print(f"GPU: {torch.cuda.get_device_name(0)}; torch {torch.__version__}", flush=True)
    from tts_app.engines.chatterbox import data_dir
    from tts_app.random_checkpoint import synthetic_voice

    work = Path(tempfile.mkdtemp(prefix=f"runthru-gpu-{args.engine}-"))
    voices = work / "voices"
    voices.mkdir()
    sf.write(str(voices / "narrator.wav"), synthetic_voice(seconds=6.0, sample_rate=24000, f0=170.0), 24000)
    subdir = "chatterbox" if args.engine == "chatterbox" else "index-tts"
    results = []
    base_env = {"RUNTHRU_TTS_DEVICE": "cuda"}
    started = time.perf_counter()
    if args.engine == "chatterbox":
        from tts_app.random_checkpoint import build_random_checkpoint

        build_random_checkpoint(work / "random" / subdir, small=False, speech_tokens=50)  # real 520M T3, 2 s lines
        runs = [("random full-size, float32", {"RUNTHRU_CHATTERBOX_DTYPE": "float32"}),
                ("random full-size, bfloat16 T3", {"RUNTHRU_CHATTERBOX_DTYPE": "bfloat16"})]
    else:
        from tts_app.indextts_checkpoint import build_random_checkpoint

        build_random_checkpoint(work / "random" / subdir, codes=100)  # shrunken model, 2 s per segment
        runs = [("random shrunken, fp32", {"RUNTHRU_INDEXTTS_FP16": "0"}),
                ("random shrunken, fp16", {"RUNTHRU_INDEXTTS_FP16": "1"})]
    print(f"random checkpoint built in {time.perf_counter() - started:.1f} s", flush=True)
    for label, env in runs:
        results.append(run(args.engine, work / "random", voices, label, batch=16, extra_env=base_env | env))
        print(json.dumps(results[-1]), flush=True)
    real = args.real or data_dir() / "models"
    if (real / subdir).is_dir():
        real_voices = data_dir() / "voices"
        use_voices = real_voices if any(real_voices.glob("*.wav")) else voices
        for label, env in runs:
            label = label.replace("random full-size", "real weights").replace("random shrunken", "real weights")
            results.append(run(args.engine, real, use_voices, label, batch=16, extra_env=base_env | env))
            print(json.dumps(results[-1]), flush=True)
    else:
        print(f"no real weights in {real / subdir}: real-weight figures skipped", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"gpu_{args.engine}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
