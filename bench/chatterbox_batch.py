"""Upstream sequential Chatterbox generate() vs RunThru's batched path, same lines.

Needs the neural venv (torch + chatterbox-tts). Builds a random-weight
checkpoint (small 2-layer T3 by default, ``--full`` = real 520M size), takes
speeches from Romeo and Juliet, and caps every line at a token count derived
from its text length (random weights never stop on their own: the checkpoint is
rigged to stop only after 4000 tokens). Both paths run greedy (upstream:
``min_p=1.0``, see tests/tts/test_chatterbox_fast.py) so they make the same
tokens, and the run reports their agreement. Writes
bench/results/chatterbox_batch.json.

    PYTHONPATH=. .venv-neural/bin/python bench/chatterbox_batch.py --lines 16
    python bench/chatterbox_batch.py --full --lines 64          # on a GPU
    ... --s3gen-bf16   # also S3Gen's estimator in bf16: throughput and waveform SNR vs fp32
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CORPUS = ROOT.parent / "shared" / "corpus" / "romeo_and_juliet_pg1513.txt"  # beside the checkout
SR = 24000


def speeches(path: Path, n: int, min_chars: int, max_chars: int) -> list[str]:
    from scripts_app.parsing import parse_script

    result = parse_script(path.read_text(encoding="utf-8"))
    out = []
    for scene in result["scenes"]:
        for el in scene["elements"]:
            text = " ".join((el.get("text") or "").split())
            if el["type"] == "dialogue" and min_chars <= len(text) <= max_chars:
                out.append(text)
    # spread over the play, keep order
    step = max(1, len(out) // n)
    return out[::step][:n]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="real-size T3 (520M); default small 2-layer")
    ap.add_argument("--lines", type=int, default=16)
    ap.add_argument("--batch", type=int, default=0, help="lines per batch (default 16 on cuda, 8 on cpu)")
    ap.add_argument("--tokens-per-char", type=float, default=0.4, help="token cap = chars x this (real speech ~1.7)")
    ap.add_argument("--max-tokens", type=int, default=40)
    ap.add_argument("--min-tokens", type=int, default=8)
    ap.add_argument("--ref-seconds", type=float, default=1.0, help="synthetic reference voice length")
    ap.add_argument("--checkpoint", type=Path, help="reuse/build the checkpoint here")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "chatterbox_batch.json")
    ap.add_argument("--skip-upstream", action="store_true")
    ap.add_argument(
        "--s3gen-bf16",
        action="store_true",
        help="also run the batched path with S3Gen's estimator in bf16 (same tokens): throughput, waveform SNR vs fp32",
    )
    args = ap.parse_args()

    import torch
    from chatterbox.tts import ChatterboxTTS

    from tts_app.engines import chatterbox_fast as cf
    from tts_app.random_checkpoint import build_random_checkpoint, small_t3_config

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        torch.set_flush_denormal(True)  # both paths: denormals make CPU ~10x slower
    small = not args.full
    ckpt = args.checkpoint or Path(tempfile.gettempdir()) / f"runthru-cb-bench-{'small' if small else 'full'}"
    t = time.perf_counter()
    if not (ckpt / "conds.pt").is_file():
        build_random_checkpoint(ckpt, small=small, speech_tokens=4000, ref_seconds=args.ref_seconds)
    build_s = time.perf_counter() - t
    ctx = small_t3_config() if small else __import__("contextlib").nullcontext()
    with ctx:
        model = ChatterboxTTS.from_local(str(ckpt), device)
    conds = model.conds

    lines = speeches(CORPUS, args.lines, 8, 400)
    caps = [max(args.min_tokens, min(args.max_tokens, round(len(x) * args.tokens_per_char))) for x in lines]
    batch = args.batch or (16 if device == "cuda" else 8)

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    def reset_peak():
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()

    def peak():
        return torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" else rss_mib()

    # warm-up (kernels, allocator) for both paths
    fast = cf.FastChatterbox(model, batch_size=batch)
    fast.generate([cf.FastItem(lines[0], conds, max_new_tokens=4, greedy=True)])

    res: dict = {
        "device": torch.cuda.get_device_name() if device == "cuda" else f"cpu x{torch.get_num_threads()}",
        "model": "small (2-layer T3)" if small else "full (520M T3)",
        "lines": len(lines),
        "batch": batch,
        "token_caps": caps,
        "checkpoint_build_s": round(build_s, 1),
    }

    # -- upstream: sequential generate() -------------------------------------------
    up_tokens: list = []
    if not args.skip_upstream:
        real_t3, real_s3 = model.t3.inference, model.s3gen.inference
        timing = {"t3": 0.0, "s3": 0.0}
        cap = {"n": 0}

        def t3_inf(**kw):
            t0 = time.perf_counter()
            out = real_t3(**(kw | {"max_new_tokens": cap["n"]}))
            sync()
            timing["t3"] += time.perf_counter() - t0
            up_tokens.append(out[0].cpu())
            return out

        def s3_inf(*a, **kw):
            t0 = time.perf_counter()
            out = real_s3(*a, **kw)
            sync()
            timing["s3"] += time.perf_counter() - t0
            return out

        model.t3.inference, model.s3gen.inference = t3_inf, s3_inf
        reset_peak()
        audio = 0
        first = None
        t0 = time.perf_counter()
        for text, n in zip(lines, caps, strict=False):
            cap["n"] = n
            model.conds = conds
            wav = model.generate(text, min_p=1.0)  # min_p=1.0: upstream-greedy
            audio += wav.shape[-1]
            first = first or time.perf_counter() - t0
        wall = time.perf_counter() - t0
        model.t3.inference, model.s3gen.inference = real_t3, real_s3
        model.conds = conds
        ntok = sum(len(x) for x in up_tokens)
        res["upstream"] = {
            "wall_s": wall,
            "lines_per_s": len(lines) / wall,
            "audio_s": audio / SR,
            "audio_s_per_s": audio / SR / wall,
            "rtf": wall / (audio / SR),
            "t3_s": timing["t3"],
            "t3_tokens_per_s": ntok / timing["t3"],
            "s3gen_s": timing["s3"],
            "first_clip_s": first,
            "peak_mib": peak(),
        }

    # -- RunThru: batched -----------------------------------------------------------
    items = [cf.FastItem(x, conds, max_new_tokens=n, greedy=True) for x, n in zip(lines, caps, strict=False)]

    def run_fast(s3gen_dtype=None):
        """One timed fast.generate(); clips as handed to on_clip (before the watermark)."""
        fast.stats = cf.FastStats()
        fast.s3gen_dtype = s3gen_dtype
        reset_peak()
        first, clips = {}, {}

        def on_clip(i, w):
            first.setdefault("t", time.perf_counter() - t0)
            clips[i] = w

        torch.manual_seed(0)  # the flow-matching noise: same draws for the fp32 and bf16 runs
        t0 = time.perf_counter()
        wavs = fast.generate(items, on_clip=on_clip)
        sync()
        wall = time.perf_counter() - t0
        audio = sum(len(w) for w in wavs)
        st = fast.stats
        row = {
            "wall_s": wall,
            "lines_per_s": len(lines) / wall,
            "audio_s": audio / SR,
            "audio_s_per_s": audio / SR / wall,
            "rtf": wall / (audio / SR),
            "t3_s": st.t3.seconds,
            "t3_tokens_per_s": st.t3.tokens / st.t3.seconds,
            "s3gen_s": st.s3gen_seconds,
            "watermark_s_background": st.watermark_seconds,
            "first_clip_s": first.get("t"),
            "peak_mib": peak(),
        }
        return row, [clips[i] for i in range(len(items))]

    res["runthru"], clips32 = run_fast()
    if args.s3gen_bf16:
        import numpy as np

        res["runthru_s3gen_bf16"], clips16 = run_fast(torch.bfloat16)
        a, b = np.concatenate(clips32), np.concatenate(clips16)
        same = [len(x) for x in clips32] == [len(x) for x in clips16]
        err = float(np.linalg.norm(a - b) / max(np.linalg.norm(a), 1e-12)) if same else float("nan")
        res["s3gen_bf16_vs_fp32"] = {
            "same_audio_length": same,
            "wav_rel_l2": err,
            "wav_snr_db": -20 * float(np.log10(err)) if err > 0 else float("inf"),
            "s3gen_speedup": res["runthru"]["s3gen_s"] / res["runthru_s3gen_bf16"]["s3gen_s"],
        }
        fast.s3gen_dtype = None
    if up_tokens:
        total = sum(len(u) for u in up_tokens)
        agree = sum(int((u[: len(g)] == g[: len(u)]).sum()) for u, g in zip(up_tokens, fast.last_tokens, strict=False))
        up, ours = res["upstream"], res["runthru"]
        res["faithfulness"] = {
            "greedy_token_agreement": agree / total,
            "same_token_counts": [len(u) for u in up_tokens] == [len(g) for g in fast.last_tokens],
            "same_audio_length": abs(up["audio_s"] - ours["audio_s"]) < 1e-9,
        }
        res["speedup"] = {
            "throughput": ours["lines_per_s"] / up["lines_per_s"],
            "t3": ours["t3_tokens_per_s"] / up["t3_tokens_per_s"],
            "s3gen": up["s3gen_s"] / ours["s3gen_s"],
        }
        if "runthru_s3gen_bf16" in res:
            res["speedup"]["throughput_s3gen_bf16"] = res["runthru_s3gen_bf16"]["lines_per_s"] / up["lines_per_s"]
    if device == "cpu":
        res["note"] = "peak_mib is the process's max RSS so far (upstream ran first)"
    fast.close()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2))
    rows = [k for k in ("upstream", "runthru", "runthru_s3gen_bf16") if k in res]
    keys = ["wall_s", "lines_per_s", "audio_s_per_s", "rtf", "t3_tokens_per_s", "t3_s", "s3gen_s"]
    keys += ["first_clip_s", "peak_mib"]
    print(f"{res['device']}  {res['model']}  {res['lines']} lines, batch {batch}")
    names = {"runthru_s3gen_bf16": "s3gen-bf16"}
    print(f"{'':16}" + "".join(f"{names.get(r, r):>12}" for r in rows))
    for k in keys:
        print(f"{k:16}" + "".join(f"{res[r][k]:12.3f}" for r in rows))
    for k in ("faithfulness", "speedup", "s3gen_bf16_vs_fp32"):
        if k in res:
            print(k, {a: float(f"{b:.4g}") if isinstance(b, float) else b for a, b in res[k].items()})
    print("wrote", args.out)


if __name__ == "__main__":
    main()
