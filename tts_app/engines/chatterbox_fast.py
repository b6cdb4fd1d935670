"""RunThru's batched fast path for Chatterbox (many lines per call).

Upstream ``ChatterboxTTS.generate()`` speaks one line at a time: T3 (a Llama
backbone) decodes speech tokens for a batch of two rows (the line and its
classifier-free-guidance twin), with a GPU→CPU sync per token, then S3Gen
(flow matching + HiFiGAN) makes the audio. This module reuses upstream's
modules and weights unchanged (``t3.prepare_input_embeds``, ``t3.tfmr``,
``t3.speech_emb``/``speech_pos_emb``/``speech_head``, ``s3gen.flow.inference``,
``s3gen.hift_inference``, the watermarker) and drives them with its own loop:

* **Batched T3.** Lines are sorted by text length and decoded together; every
  line contributes its CFG pair (rows ``2i`` conditional, ``2i+1``
  unconditional). Prompts of different lengths are *left*-padded; an attention
  mask hides the padding and explicit ``position_ids`` give every row the
  positions 0.. it would have unpadded, so each row sees exactly what
  upstream's unbatched ``t3.inference()`` sees. The KV cache is the backbone's
  own ``StaticCache`` preallocated to prompt + ``max_new_tokens`` (a
  ``DynamicCache`` fallback exists). Generated tokens go into a preallocated
  device tensor; a line that has emitted the stop token keeps running, fed
  the stop token, and its outputs are ignored. Stop conditions are read on the
  host only every ``check_every`` tokens (no per-token sync).
* **Sampling exactly as upstream's T3.inference().** CFG ``cond + w·(cond −
  uncond)``, then the repetition penalty over BOS + generated tokens, then
  ``/ temperature``, then min-p, then top-p, then a multinomial draw — each
  per row, so lines with different emotion settings share a batch. ``greedy``
  takes the arg-max of the same processed logits (upstream has no top-1 switch;
  ``min_p=1.0`` is upstream's equivalent: only the top token survives).
  With a ``seed`` a line draws from its own ``torch.Generator``, so its tokens
  do not depend on which other lines share the batch.
* **Batched S3Gen.** Lines that share a voice (same reference prompt) go
  through ``s3gen.flow.inference`` together, speech tokens right-padded with
  ``token_len`` masks; the mel of each line is cut to ``2 × tokens`` frames
  (what upstream produces) and vocoded on its own (HiFiGAN per line, exact
  lengths, no padded tail). Lines of different voices form separate groups.
  On CPU the flow-matching estimator (~90% of S3Gen) is compute-bound, so a
  bigger batch saves nothing while right-padding short lines to the longest
  one is pure waste: ``plan_s3gen_batches`` cuts the length-sorted lines into
  batches whose padded frames stay within a few percent of the real ones.
* **Optional bf16 S3Gen estimator** (``s3gen_dtype=torch.bfloat16``, off by
  default): the estimator runs under ``torch.autocast``; about 1.5x faster
  S3Gen on CPUs with native bf16, at the price of rounding (mel SNR ~40 dB vs
  fp32). The ODE state, the encoder and HiFiGAN stay float32.
* **Watermarking off the critical path.** Upstream's Perth watermark is
  applied in a background thread while the next group is synthesized.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

SPEECH_VOCAB = 6561  # upstream keeps tokens < 6561 (the rest are special)
TOKEN_MEL_RATIO = 2
MEL_HOP = 480  # 24 kHz samples per mel frame


@dataclass
class FastItem:
    """One line (or one chunk of a long line) for the batched path."""

    text: str
    conds: object  # upstream Conditionals (t3 + gen)
    exaggeration: float = 0.5
    cfg_weight: float = 0.5
    temperature: float = 0.8
    min_p: float = 0.05
    top_p: float = 1.0
    repetition_penalty: float = 1.2
    seed: int | None = None
    max_new_tokens: int = 1000
    greedy: bool = False
    group: object = None  # lines with the same group share S3Gen batches (default: id(conds.gen))


@dataclass
class T3Stats:
    steps: int = 0
    tokens: int = 0  # real (non-padding) tokens produced, summed over lines
    seconds: float = 0.0
    batches: int = 0


@dataclass
class FastStats:
    t3: T3Stats = field(default_factory=T3Stats)
    s3gen_seconds: float = 0.0
    watermark_seconds: float = 0.0


def _torch():
    import torch

    return torch


def text_tokens_for(model, text: str):
    """Upstream's text preparation: punc_norm, tokenizer, start/stop text tokens (1D)."""
    torch = _torch()
    from chatterbox.tts import punc_norm

    tokens = model.tokenizer.text_to_tokens(punc_norm(text)).reshape(-1)
    hp = model.t3.hp
    return torch.cat(
        [
            torch.tensor([hp.start_text_token]),
            tokens.to("cpu", torch.long),
            torch.tensor([hp.stop_text_token]),
        ]
    )


def t3_cond_for(conds, exaggeration: float, device):
    """The T3 conditioning upstream's generate() would use for this exaggeration."""
    torch = _torch()
    from chatterbox.models.t3.modules.cond_enc import T3Cond

    base = conds.t3
    if exaggeration == base.emotion_adv[0, 0, 0]:
        # upstream reuses the cached T3Cond; a shallow copy keeps it unmutated
        return dataclasses.replace(base)
    return T3Cond(
        speaker_emb=base.speaker_emb,
        cond_prompt_speech_tokens=base.cond_prompt_speech_tokens,
        emotion_adv=exaggeration * torch.ones(1, 1, 1),
    ).to(device=device)


# -- logits processing, row-wise, the way upstream's T3.inference() applies it ----
def process_logits(logits, ids, cfg, penalty, temperature, min_p, top_p):
    """logits (2B, V) [cond, uncond interleaved] → processed (B, V).

    ``ids`` (B, t): BOS + tokens generated so far. Per-row tensors of shape (B,).
    """
    torch = _torch()
    cond, uncond = logits[0::2], logits[1::2]
    scores = cond + cfg[:, None].to(cond.dtype) * (cond - uncond)
    # RepetitionPenaltyLogitsProcessor
    picked = torch.gather(scores, 1, ids)
    pen = penalty[:, None].to(scores.dtype)
    picked = torch.where(picked < 0, picked * pen, picked / pen)
    scores = scores.scatter(1, ids, picked)
    # temperature (upstream skips the division at exactly 1.0; x / 1.0 == x anyway)
    scores = scores / temperature[:, None].to(scores.dtype)
    # MinPLogitsWarper (min_tokens_to_keep=1)
    probs = torch.softmax(scores, dim=-1)
    top = probs.amax(dim=-1, keepdim=True)
    remove = probs < (min_p[:, None].to(probs.dtype) * top)
    remove.scatter_(-1, probs.argmax(dim=-1, keepdim=True), False)
    scores = scores.masked_fill(remove, -math.inf)
    # TopPLogitsWarper (min_tokens_to_keep=1); a no-op when top_p == 1 for every row
    if bool((top_p < 1.0).any()):
        sorted_logits, sorted_idx = torch.sort(scores, descending=False)
        cum = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        sorted_remove = cum <= (1 - top_p[:, None].to(cum.dtype))
        sorted_remove[..., -1:] = False
        remove = sorted_remove.scatter(1, sorted_idx, sorted_remove)
        scores = scores.masked_fill(remove, -math.inf)
    return scores


class BatchedT3:
    """Batched, KV-cached, CFG-paired decoding with upstream's T3 modules."""

    def __init__(self, t3, *, check_every: int = 8, static_cache: bool = True, autocast_dtype=None):
        self.t3 = t3
        self.check_every = max(1, int(check_every))
        self.static_cache = static_cache
        self.autocast_dtype = autocast_dtype  # e.g. torch.bfloat16 (T3 only), None = float32

    def _autocast(self):
        torch = _torch()
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        device_type = "cuda" if self.t3.device.type == "cuda" else "cpu"
        return torch.autocast(device_type=device_type, dtype=self.autocast_dtype)

    def _prompt(self, item: FastItem, text_tokens):
        """(2, L, D): upstream's prefill embeddings for one line (cond, uncond rows)."""
        torch = _torch()
        t3 = self.t3
        dev = t3.device
        tt = text_tokens.to(dev)[None].repeat(2, 1)
        start = t3.hp.start_speech_token * torch.ones_like(tt[:, :1])
        cond = t3_cond_for(item.conds, item.exaggeration, dev)
        # cfg_weight > 0 makes upstream zero the text embedding of the unconditional row
        embeds, _ = t3.prepare_input_embeds(
            t3_cond=cond, text_tokens=tt, speech_tokens=start, cfg_weight=max(item.cfg_weight, 1e-6)
        )
        bos = t3.speech_emb(start[:1]) + t3.speech_pos_emb.get_fixed_embedding(0)
        return torch.cat([embeds, torch.cat([bos, bos])], dim=1)

    def _make_cache(self, batch_rows: int, max_len: int):
        from transformers import DynamicCache, StaticCache

        cfg = self.t3.cfg
        if self.static_cache and self.autocast_dtype is None:  # autocast: K/V dtype differs
            try:
                return StaticCache(config=cfg, max_cache_len=max_len), True
            except TypeError:  # older/newer signature: fall back
                pass
        try:
            return DynamicCache(config=cfg), False
        except TypeError:
            return DynamicCache(), False

    def generate(self, items: list[FastItem], text_tokens: list, stats: T3Stats | None = None) -> list:
        """Speech tokens per line (1D long tensors on CPU), like upstream's
        ``t3.inference(...)[0]``: the stop token included when it was drawn."""
        import time

        torch = _torch()
        t3 = self.t3
        dev = t3.device
        hp = t3.hp
        B = len(items)
        t_start = time.perf_counter()
        with torch.inference_mode(), self._autocast():
            prompts = [self._prompt(it, tt) for it, tt in zip(items, text_tokens, strict=False)]
            lens = [p.size(1) for p in prompts]
            P = max(lens)
            max_new = max(it.max_new_tokens for it in items)
            D = prompts[0].size(-1)
            embeds = prompts[0].new_zeros(2 * B, P, D)
            total = P + max_new
            mask = torch.zeros(2 * B, total, dtype=torch.long, device=dev)
            for i, p in enumerate(prompts):
                embeds[2 * i : 2 * i + 2, P - lens[i] :] = p
                mask[2 * i : 2 * i + 2, P - lens[i] :] = 1
            mask[:, P:] = 1
            prompt_pos = (mask[:, :P].cumsum(-1) - 1).clamp(min=0)
            row_len = torch.tensor(lens, device=dev).repeat_interleave(2)  # next position per row

            f32 = lambda vals: torch.tensor(vals, dtype=torch.float32, device=dev)  # noqa: E731
            cfg = f32([it.cfg_weight for it in items])
            pen = f32([it.repetition_penalty for it in items])
            temp = f32([it.temperature for it in items])
            min_p = f32([it.min_p for it in items])
            top_p = f32([it.top_p for it in items])
            greedy = torch.tensor([it.greedy for it in items], device=dev)
            limit = torch.tensor([it.max_new_tokens for it in items], device=dev)
            gens = None
            if any(it.seed is not None for it in items):
                gens = []
                for it in items:
                    g = torch.Generator(device=dev)
                    g.manual_seed(int(it.seed) if it.seed is not None else int(torch.randint(0, 2**62, (1,))))
                    gens.append(g)

            ids = torch.full((B, max_new + 1), hp.stop_speech_token, dtype=torch.long, device=dev)
            ids[:, 0] = hp.start_speech_token
            finished = torch.zeros(B, dtype=torch.bool, device=dev)
            n_out = limit.clone()  # tokens kept per line (stop token included)

            cache, is_static = self._make_cache(2 * B, total)
            out = t3.tfmr(
                inputs_embeds=embeds,
                attention_mask=mask if is_static else mask[:, :P],
                position_ids=prompt_pos,
                past_key_values=cache,
                use_cache=True,
                cache_position=torch.arange(P, device=dev),
            )
            hidden = out.last_hidden_state[:, -1]
            step = 0
            for step in range(max_new):
                logits = t3.speech_head(hidden).float()
                scores = process_logits(logits, ids[:, : step + 1], cfg, pen, temp, min_p, top_p)
                nxt = scores.argmax(dim=-1)
                if not bool(greedy.all()):
                    probs = torch.softmax(scores, dim=-1)
                    if gens is None:
                        drawn = torch.multinomial(probs, 1).squeeze(1)
                    else:
                        drawn = torch.stack(
                            [torch.multinomial(probs[b : b + 1], 1, generator=gens[b])[0, 0] for b in range(B)]
                        )
                    nxt = torch.where(greedy, nxt, drawn)
                # a finished line keeps padding with the stop token
                nxt = torch.where(finished, torch.full_like(nxt, hp.stop_speech_token), nxt)
                ids[:, step + 1] = nxt
                newly = ~finished & ((nxt == hp.stop_speech_token) | (limit <= step + 1))
                n_out = torch.where(newly, torch.full_like(n_out, step + 1), n_out)
                finished = finished | newly
                if step + 1 >= max_new:
                    break
                if (step + 1) % self.check_every == 0 and bool(finished.all()):
                    break
                emb = t3.speech_emb(nxt[:, None]) + t3.speech_pos_emb.get_fixed_embedding(step + 1)
                emb = emb.repeat_interleave(2, dim=0)
                cur = P + step
                out = t3.tfmr(
                    inputs_embeds=emb,
                    attention_mask=mask if is_static else mask[:, : cur + 1],
                    position_ids=(row_len + step)[:, None],
                    past_key_values=out.past_key_values,
                    use_cache=True,
                    cache_position=torch.tensor([cur], device=dev),
                )
                hidden = out.last_hidden_state[:, -1]
            ids_cpu = ids.cpu()
            n_cpu = n_out.cpu().tolist()
        result = [ids_cpu[b, 1 : 1 + n_cpu[b]] for b in range(B)]
        if stats is not None:
            stats.steps += step + 1
            stats.tokens += sum(n_cpu)
            stats.seconds += time.perf_counter() - t_start
            stats.batches += 1
        return result


def clean_speech_tokens(tokens):
    """What upstream's generate() hands S3Gen: drop_invalid_tokens, then < 6561."""
    from chatterbox.models.s3tokenizer import drop_invalid_tokens

    tokens = drop_invalid_tokens(tokens.reshape(-1))
    return tokens[tokens < SPEECH_VOCAB]


@contextlib.contextmanager
def _mask_lookahead(encoder):
    """Zero the padded tail before the encoder's look-ahead convolution.

    Upstream's ``PreLookaheadLayer`` lets each token see the next few frames;
    unbatched, past the end it sees zeros (``F.pad``), but in a right-padded
    batch it would see the embedded padding. These hooks (on upstream's own
    modules, removed afterwards) give every row what it sees unbatched.
    """
    lens = {}

    def grab(_module, args, kwargs):
        xs_lens = kwargs.get("xs_lens", args[1] if len(args) > 1 else None)
        lens["v"] = xs_lens

    def zero_tail(_module, args):
        xs = args[0]
        if lens.get("v") is None:
            return None
        keep = _torch().arange(xs.size(1), device=xs.device)[None, :] < lens["v"].to(xs.device)[:, None]
        return (xs * keep[..., None].to(xs.dtype),) + tuple(args[1:])

    handles = [
        encoder.register_forward_pre_hook(grab, with_kwargs=True),
        encoder.pre_lookahead_layer.register_forward_pre_hook(zero_tail),
    ]
    try:
        yield
    finally:
        for h in handles:
            h.remove()


def plan_s3gen_batches(lengths: list[int], max_batch: int, prompt_frames: int = 0, max_padding: float | None = 0.1):
    """Cut lines, already sorted by token count (ascending), into consecutive
    S3Gen batches of at most ``max_batch``; returns lists of positions.

    A batch costs about rows x padded frames (the estimator is compute-bound on
    CPU), so a line joins the current batch only while the batch's padded
    frames stay within ``max_padding`` of its real frames (prompt + 2 per
    token). ``max_padding=None``: plain chunks of ``max_batch`` (e.g. on a GPU,
    where padding is nearly free and bigger batches pay).
    """
    groups: list[list[int]] = []
    cur: list[int] = []
    real = 0
    for pos, n in enumerate(lengths):
        frames = prompt_frames + TOKEN_MEL_RATIO * int(n)
        too_padded = max_padding is not None and (len(cur) + 1) * frames > (1 + max_padding) * (real + frames)
        if cur and (len(cur) >= max_batch or too_padded):
            groups.append(cur)
            cur, real = [], 0
        cur.append(pos)
        real += frames
    if cur:
        groups.append(cur)
    return groups


@contextlib.contextmanager
def _estimator_autocast(estimator, dtype):
    """Run the flow-matching estimator (only) under ``torch.autocast(dtype)``.

    Autocast rather than bf16 weights: it keeps LayerNorm, softmax and the
    residual stream in float32 (mel SNR ~42 dB vs ~27 dB for an estimator cast
    to bf16 outright, same speed), and upstream's Euler solver keeps its state
    in the estimator's (float32) dtype. The instance attribute shadows the
    class's ``forward`` and is removed afterwards.
    """
    if dtype is None:
        yield
        return
    torch = _torch()
    device_type = "cuda" if next(estimator.parameters()).device.type == "cuda" else "cpu"
    forward = estimator.forward

    def autocast_forward(*args, **kwargs):
        with torch.autocast(device_type=device_type, dtype=dtype):
            return forward(*args, **kwargs).float()

    estimator.forward = autocast_forward
    try:
        yield
    finally:
        del estimator.forward


def s3gen_batch(s3gen, token_lists: list, ref_dict: dict, dtype=None) -> list:
    """Waveforms (1D float tensors) for lines sharing one voice: batched flow
    matching over right-padded tokens, then HiFiGAN per line, like upstream's
    ``s3gen.inference``. ``dtype=torch.bfloat16``: the flow-matching estimator
    under autocast (see ``_estimator_autocast``); None = float32, upstream's math."""
    torch = _torch()
    dev = s3gen.device
    out: list = [None] * len(token_lists)
    live = [i for i, t in enumerate(token_lists) if t.numel() > 0]
    for i in set(range(len(token_lists))) - set(live):
        out[i] = torch.zeros(0)
    if not live:
        return out
    with torch.inference_mode(), _estimator_autocast(s3gen.flow.decoder.estimator, dtype):
        lens = torch.tensor([token_lists[i].numel() for i in live], device=dev)
        toks = torch.zeros(len(live), int(lens.max()), dtype=torch.long, device=dev)
        for row, i in enumerate(live):
            toks[row, : lens[row]] = token_lists[i].to(dev)
        if len(live) == 1:
            mels = s3gen.flow_inference(toks, ref_dict=ref_dict, finalize=True)
        else:
            with _mask_lookahead(s3gen.flow.encoder):
                mels = s3gen.flow_inference(toks, ref_dict=ref_dict, finalize=True, speech_token_lens=lens)
        mels = mels.to(dtype=s3gen.dtype)
        fade = s3gen.trim_fade
        for row, i in enumerate(live):
            mel = mels[row : row + 1, :, : TOKEN_MEL_RATIO * int(lens[row])]
            wav, _ = s3gen.hift_inference(mel, None)
            wav = wav[0].clone()
            n = min(len(fade), wav.numel())
            wav[:n] *= fade[:n]
            out[i] = wav
    return out


class FastChatterbox:
    """Batched generation for a loaded upstream ``ChatterboxTTS``."""

    def __init__(
        self,
        model,
        *,
        batch_size: int = 8,
        check_every: int = 8,
        static_cache: bool = True,
        autocast_dtype=None,
        watermark: bool = True,
        s3gen_dtype=None,
        s3gen_max_padding: float | None | str = "auto",
    ):
        """``autocast_dtype``: T3 under autocast (None = float32). ``s3gen_dtype``:
        S3Gen's flow-matching estimator under autocast, e.g. ``torch.bfloat16``
        (None = float32, the default: upstream's math). ``s3gen_max_padding``:
        see ``plan_s3gen_batches``; "auto" = 0.1 on CPU, None (no split) on GPU."""
        self.model = model
        self.batch_size = max(1, int(batch_size))
        self.t3 = BatchedT3(model.t3, check_every=check_every, static_cache=static_cache, autocast_dtype=autocast_dtype)
        self.watermark = watermark and getattr(model, "watermarker", None) is not None
        self.s3gen_dtype = s3gen_dtype
        if s3gen_max_padding == "auto":
            s3gen_max_padding = None if model.s3gen.device.type == "cuda" else 0.1
        self.s3gen_max_padding = s3gen_max_padding
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chatterbox-watermark")
        self._lock = threading.Lock()
        self.stats = FastStats()
        self.last_tokens: list = []  # raw T3 tokens of the last generate() call

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def speech_tokens(self, items: list[FastItem]) -> list:
        """T3 only: raw tokens per item, in order, decoded in length-sorted batches."""
        texts = [text_tokens_for(self.model, it.text) for it in items]
        order = sorted(range(len(items)), key=lambda i: texts[i].numel())
        out: list = [None] * len(items)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            toks = self.t3.generate([items[i] for i in idx], [texts[i] for i in idx], self.stats.t3)
            for i, t in zip(idx, toks, strict=False):
                out[i] = t
        return out

    def _watermark(self, wav: np.ndarray) -> np.ndarray:
        import time

        t = time.perf_counter()
        marked = self.model.watermarker.apply_watermark(wav, sample_rate=self.model.sr)
        self.stats.watermark_seconds += time.perf_counter() - t
        return np.asarray(marked, dtype=np.float32)

    def generate(self, items: list[FastItem], on_clip=None) -> list[np.ndarray]:
        """Audio (float32 numpy, 24 kHz) per item, in the order given.

        ``on_clip(index, samples)`` is called as soon as a clip is ready
        (before watermarking), e.g. to measure first-clip latency.
        """
        import time

        with self._lock:
            raw = self.speech_tokens(items)
            self.last_tokens = raw
            tokens = [clean_speech_tokens(t) for t in raw]
            groups: dict[object, list[int]] = {}
            for i, it in enumerate(items):
                key = it.group if it.group is not None else id(it.conds.gen)
                groups.setdefault(key, []).append(i)
            results: list = [None] * len(items)
            futures: dict[int, Future] = {}
            for idx in groups.values():
                ref = items[idx[0]].conds.gen
                idx = sorted(idx, key=lambda i: tokens[i].numel())
                prompt_frames = int(ref["prompt_feat"].shape[1]) if "prompt_feat" in ref else 0
                plan = plan_s3gen_batches(
                    [tokens[i].numel() for i in idx], self.batch_size, prompt_frames, self.s3gen_max_padding
                )
                for positions in plan:
                    part = [idx[p] for p in positions]
                    t = time.perf_counter()
                    wavs = s3gen_batch(self.model.s3gen, [tokens[i] for i in part], ref, dtype=self.s3gen_dtype)
                    self.stats.s3gen_seconds += time.perf_counter() - t
                    for i, w in zip(part, wavs, strict=False):
                        wav = w.detach().float().cpu().numpy()
                        if on_clip is not None:
                            on_clip(i, wav)
                        if self.watermark and wav.size:
                            futures[i] = self._pool.submit(self._watermark, wav)
                        else:
                            results[i] = wav.astype(np.float32, copy=False)
            for i, fut in futures.items():
                results[i] = fut.result()
            return results
