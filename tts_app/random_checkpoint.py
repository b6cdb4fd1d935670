"""Build a Chatterbox checkpoint directory with random weights.

The real Chatterbox weights are large and are never downloaded by RunThru. To
test the real loading and synthesis code (and to benchmark the real
architecture on a GPU) this module instantiates upstream's own modules
(VoiceEncoder, T3, S3Gen) with random weights and saves them exactly as
``ChatterboxTTS.from_local`` expects them::

    ve.safetensors  t3_cfg.safetensors  s3gen.safetensors  tokenizer.json  conds.pt

Random weights never choose the stop-of-speech token on their own, and upstream
``ChatterboxTTS.generate`` hard-codes ``max_new_tokens=1000``. So the builder
rigs one hidden dimension of T3: its learned speech position embedding is a
large negative value before position ``speech_tokens`` and a large positive one
from there on, and only the speech-head rows of non-speech tokens (the stop
token's most) read that dimension. Generation therefore stops after exactly ``speech_tokens`` tokens
(25 tokens = 1 second of audio) without touching upstream code.

``small=True`` (tests on CPU) uses a 2-layer Llama backbone (real width). Upstream
builds T3's backbone from ``LLAMA_CONFIGS["Llama_520M"]`` in every process, so a
small checkpoint only loads while :func:`small_t3_config` is active (the
builder writes ``runthru-random.json`` describing what it built).
``small=False`` keeps the real 520M architecture (for GPU benchmarks) and loads
like a real checkpoint.

Needs torch and chatterbox-tts (the ``chatterbox`` extra); import it only there.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

# The width stays 1024: upstream's perceiver resampler hard-codes it.
SMALL_LLAMA_OVERRIDES = dict(num_hidden_layers=2)

MARKER_FILE = "runthru-random.json"
_STOP_DIM = 0  # hidden dimension rigged to schedule the stop token
_STOP_MAGNITUDE = 1000.0


@contextlib.contextmanager
def small_t3_config() -> Iterator[None]:
    """Make upstream build T3 with the small backbone while the block runs."""
    from chatterbox.models.t3.llama_configs import LLAMA_CONFIGS

    saved = copy.deepcopy(LLAMA_CONFIGS["Llama_520M"])
    LLAMA_CONFIGS["Llama_520M"].update(SMALL_LLAMA_OVERRIDES)
    try:
        yield
    finally:
        LLAMA_CONFIGS["Llama_520M"].clear()
        LLAMA_CONFIGS["Llama_520M"].update(saved)


def synthetic_voice(seconds: float = 3.0, sample_rate: int = 24000, f0: float = 140.0) -> np.ndarray:
    """A vowel-like, slowly gliding harmonic signal: a stand-in reference voice."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    pitch = f0 * (1.0 + 0.08 * np.sin(2 * np.pi * 0.7 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / sample_rate
    wav = np.zeros_like(t)
    for k in range(1, 16):
        # crude formant envelope around 700 Hz and 1200 Hz
        f = k * f0
        amp = np.exp(-(((f - 700) / 300) ** 2)) + 0.6 * np.exp(-(((f - 1200) / 400) ** 2)) + 0.05 / k
        wav += amp * np.sin(k * phase)
    envelope = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.05)
    wav *= envelope * (0.6 + 0.4 * np.sin(2 * np.pi * 3.0 * t) ** 2)
    wav /= np.max(np.abs(wav)) + 1e-9
    return (0.5 * wav).astype(np.float32)


def write_tokenizer(path: Path) -> None:
    """A character-level tokenizer in the layout EnTokenizer expects (ids below 704)."""
    from tokenizers import Tokenizer
    from tokenizers.models import BPE

    specials = ["[STOP]", "[UNK]", "[SPACE]", "[PAD]", "[SEP]", "[CLS]", "[MASK]"]
    vocab = {tok: i for i, tok in enumerate(specials)}
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-()"
    for ch in chars:
        vocab[ch] = len(vocab)
    vocab["[START]"] = 255  # T3Config.start_text_token; [STOP] is 0 = stop_text_token
    tok = Tokenizer(BPE(vocab=vocab, merges=[], unk_token="[UNK]"))
    tok.add_special_tokens(specials + ["[START]"])
    tok.save(str(path))


def _rig_stop_token(t3, speech_tokens: int) -> None:
    import torch

    with torch.no_grad():
        pos = t3.speech_pos_emb.emb.weight
        pos[:, _STOP_DIM] = -_STOP_MAGNITUDE
        pos[speech_tokens:, _STOP_DIM] = _STOP_MAGNITUDE
        head = t3.speech_head.weight
        head[:, _STOP_DIM] = 0.0
        # Tokens from 6561 up are not speech (upstream drops them): make them
        # unlikely before the stop position, and the stop token likeliest after it.
        head[t3.hp.start_speech_token :, _STOP_DIM] = 1.0
        stop = t3.hp.stop_speech_token
        head[stop, :] = 0.0
        head[stop, _STOP_DIM] = 2.0
        t3.speech_emb.weight[:, _STOP_DIM] = 0.0  # only the position decides


def _lead_with_conditioning(t3) -> None:
    """Make T3's tokens depend on its conditioning, exaggeration included.

    With random weights the next token follows mostly from the previous
    token's embedding (N(0, 1) per dimension), so upstream gives the same
    tokens for exaggeration 0.3 and 2.0. Shrinking the speech embeddings lets
    the attention over text and conditioning decide instead; exaggeration only
    scales a vector that the next layer normalises, so it shows once that
    vector is about as large as the attention output added to it (gain 0.1).
    """
    import torch

    with torch.no_grad():
        t3.speech_emb.weight.mul_(0.05)
        t3.speech_pos_emb.emb.weight.mul_(0.05)
        t3.cond_enc.emotion_adv_fc.weight.mul_(0.1)


def build_random_checkpoint(
    dest: Path,
    small: bool = True,
    seed: int = 0,
    speech_tokens: int = 25,
    ref_seconds: float = 3.0,
    conditioning_led: bool = False,
) -> Path:
    """Write a random-weight Chatterbox checkpoint into ``dest`` and return it.

    ``speech_tokens``: how many speech tokens every generate() call produces
    (25 per second of audio). ``conditioning_led``: tokens that change with
    exaggeration and cfg_weight (for faithfulness tests; see _lead_with_conditioning).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import soundfile as sf
    import torch
    from chatterbox.models.s3gen import S3Gen
    from chatterbox.models.t3 import T3
    from chatterbox.models.tokenizers import EnTokenizer
    from chatterbox.models.voice_encoder import VoiceEncoder
    from chatterbox.tts import ChatterboxTTS
    from safetensors.torch import save_file

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    np.random.seed(seed)

    ctx = small_t3_config() if small else contextlib.nullcontext()
    with ctx:
        ve = VoiceEncoder().eval()
        t3 = T3().eval()
        s3gen = S3Gen().eval()
    if conditioning_led:
        _lead_with_conditioning(t3)
    _rig_stop_token(t3, speech_tokens)

    def save(module, name: str) -> None:
        state = {k: v.detach().contiguous().clone() for k, v in module.state_dict().items()}
        save_file(state, str(dest / name))

    save(ve, "ve.safetensors")
    save(t3, "t3_cfg.safetensors")
    save(s3gen, "s3gen.safetensors")
    write_tokenizer(dest / "tokenizer.json")

    ref = dest / "reference.wav"
    sf.write(str(ref), synthetic_voice(seconds=ref_seconds), 24000)
    model = ChatterboxTTS(t3, s3gen, ve, EnTokenizer(str(dest / "tokenizer.json")), "cpu")
    model.prepare_conditionals(str(ref), exaggeration=0.5)
    model.conds.save(dest / "conds.pt")
    ref.unlink()

    (dest / MARKER_FILE).write_text(
        json.dumps(
            {
                "random_weights": True,
                "small": small,
                "seed": seed,
                "speech_tokens": speech_tokens,
                "conditioning_led": conditioning_led,
                "ref_seconds": ref_seconds,
                "llama_overrides": SMALL_LLAMA_OVERRIDES if small else {},
            },
            indent=2,
        )
    )
    return dest


if __name__ == "__main__":  # pragma: no cover - manual use
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--full", action="store_true", help="real 520M T3 architecture (GPU benchmark)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speech-tokens", type=int, default=25)
    args = parser.parse_args()
    dest = build_random_checkpoint(
        args.dest, small=not args.full, seed=args.seed, speech_tokens=args.speech_tokens
    )
    print(dest)
