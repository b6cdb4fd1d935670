"""RunThru's batched Chatterbox path against upstream, on a small random-weight
checkpoint on CPU (skipped where torch / chatterbox-tts aren't installed).

Greedy: upstream has no top-1 switch. Its T3.inference() applies min-p as
``keep tokens with p >= min_p * p_max``, so ``min_p=1.0`` leaves only the top
token and the multinomial draw becomes an arg-max; upstream with ``min_p=1.0``
is therefore upstream-greedy, and we compare our own ``greedy=True`` path
(arg-max of the same processed logits) against it.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("chatterbox")

from tts_app.engines import chatterbox_fast as cf  # noqa: E402

STOP_AT = 14  # the rigged checkpoint emits the stop token as its 15th token
LINES = [
    "Hi.",
    "What light through yonder window breaks?",
    "It is the east, and Juliet is the sun. Arise, fair sun, and kill the envious moon.",
    "No, no.",
]


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory):
    from tts_app.random_checkpoint import build_random_checkpoint

    dest = tmp_path_factory.mktemp("cbfast") / "models" / "chatterbox"
    # conditioning_led: exaggeration and cfg_weight change upstream's tokens on this
    # checkpoint (checked below), so a fast path that ignored either would fail.
    build_random_checkpoint(dest, small=True, seed=0, speech_tokens=STOP_AT, ref_seconds=1.0, conditioning_led=True)
    return dest


@pytest.fixture(scope="session")
def model(checkpoint):
    from chatterbox.tts import ChatterboxTTS

    from tts_app.random_checkpoint import small_t3_config

    torch.set_flush_denormal(True)
    with small_t3_config():
        return ChatterboxTTS.from_local(str(checkpoint), "cpu")


def upstream_tokens(model, text, exaggeration=0.5, max_new_tokens=40, min_p=1.0, **kw):
    """upstream t3.inference() exactly as generate() calls it (batch of the CFG pair)."""
    conds = cf.t3_cond_for(model.conds, exaggeration, "cpu")
    tt = cf.text_tokens_for(model, text)[None].repeat(2, 1)
    args = dict(temperature=0.8, cfg_weight=0.5, repetition_penalty=1.2, top_p=1.0) | kw
    with torch.inference_mode():
        out = model.t3.inference(t3_cond=conds, text_tokens=tt, max_new_tokens=max_new_tokens, min_p=min_p, **args)
    return out[0]


def test_greedy_tokens_match_upstream_with_padding_and_stops(model):
    exaggerations = [0.5, 0.8, 0.3, 0.5]
    limits = [8, 12, 30, 30]  # two lines capped, two stop on the stop token
    ref = [upstream_tokens(model, t, e, n) for t, e, n in zip(LINES, exaggerations, limits, strict=False)]
    fast = cf.FastChatterbox(model, batch_size=4, check_every=4)
    items = [
        cf.FastItem(t, model.conds, exaggeration=e, max_new_tokens=n, greedy=True)
        for t, e, n in zip(LINES, exaggerations, limits, strict=False)
    ]
    got = fast.speech_tokens(items)
    total = agree = 0
    for r, g in zip(ref, got, strict=False):
        assert len(g) == len(r)  # same length: same audio length
        total += len(r)
        agree += int((r == g).sum())
    assert agree / total >= 0.99, f"greedy agreement {agree}/{total}"
    # per-line stop handling: capped lines stop at their cap, the others on the stop token
    stop = model.t3.hp.stop_speech_token
    assert [len(g) for g in got] == [8, 12, STOP_AT + 1, STOP_AT + 1]
    assert got[2][-1] == stop and got[3][-1] == stop and stop not in got[1].tolist()
    # the same with a DynamicCache instead of the preallocated StaticCache
    fast.t3.static_cache = False
    assert all(torch.equal(a, b) for a, b in zip(got, fast.speech_tokens(items), strict=False))


def test_exaggeration_and_cfg_weight_change_upstream_tokens_on_this_checkpoint(model):
    """Without this, the per-line checks below could not tell an ignored setting."""
    text = LINES[1]
    base = upstream_tokens(model, text, 0.5, 30)
    assert not torch.equal(base, upstream_tokens(model, text, 2.0, 30))
    assert not torch.equal(base, upstream_tokens(model, text, 0.3, 30))
    assert not torch.equal(base, upstream_tokens(model, text, 0.5, 30, cfg_weight=1.0))
    assert not torch.equal(base, upstream_tokens(model, text, 0.5, 30, cfg_weight=0.1))


def test_mixed_settings_in_one_batch_match_upstream_line_by_line(model):
    """Every line keeps its own exaggeration, cfg_weight, temperature and penalty in a shared batch."""
    settings = [  # (text, exaggeration, cfg_weight, temperature, repetition_penalty)
        (LINES[1], 2.0, 0.5, 0.8, 1.2),
        (LINES[1], 0.3, 0.5, 0.8, 1.2),
        (LINES[1], 0.5, 1.0, 1.3, 1.0),
        (LINES[2], 0.9, 0.1, 0.6, 2.0),
    ]
    ref = [
        upstream_tokens(model, t, e, 30, cfg_weight=c, temperature=temp, repetition_penalty=rp)
        for t, e, c, temp, rp in settings
    ]
    assert len({tuple(r.tolist()) for r in ref[:3]}) == 3  # same text, three settings, three token runs
    fast = cf.FastChatterbox(model, batch_size=4, check_every=4)
    items = [
        cf.FastItem(
            t, model.conds, exaggeration=e, cfg_weight=c, temperature=temp, repetition_penalty=rp,
            max_new_tokens=30, greedy=True,
        )
        for t, e, c, temp, rp in settings
    ]
    got = fast.speech_tokens(items)
    for n, (r, g) in enumerate(zip(ref, got, strict=True)):
        assert len(g) == len(r), n
        assert (r == g).float().mean() >= 0.99, (n, r.tolist(), g.tolist())


def test_seeded_sampling_matches_upstream_and_is_batch_independent(model):
    """Same seed → same draws as upstream generate() (which seeds the global RNG)."""
    text, seed = LINES[2], 1234
    torch.manual_seed(seed)
    ref = upstream_tokens(model, text, 0.5, 12, min_p=0.05, temperature=1.5)
    fast = cf.FastChatterbox(model, batch_size=4)

    def run(seed_, others):
        items = [cf.FastItem(text, model.conds, temperature=1.5, seed=seed_, max_new_tokens=12)]
        items += [cf.FastItem(t, model.conds, temperature=0.9, seed=7, max_new_tokens=12) for t in others]
        return fast.speech_tokens(items)[0]

    alone, batched = run(seed, []), run(seed, LINES[:3])
    assert torch.equal(alone, batched)  # other lines in the batch don't change a line's draws
    assert (alone == ref).float().mean() >= 0.99
    assert not torch.equal(run(seed + 1, LINES[:1]), alone)  # another seed, other tokens


def test_processors_match_upstream_logits_processors():
    """Row-wise CFG/penalty/temperature/min-p/top-p equal HF's processors row by row."""
    from transformers.generation.logits_process import (
        MinPLogitsWarper,
        RepetitionPenaltyLogitsProcessor,
        TopPLogitsWarper,
    )

    g = torch.Generator().manual_seed(0)
    B, V = 3, 500
    logits = torch.randn(2 * B, V, generator=g) * 3
    ids = torch.randint(0, V, (B, 9), generator=g)
    cfg, pen, temp = torch.tensor([0.5, 0.3, 1.0]), torch.tensor([1.2, 1.0, 2.0]), torch.tensor([0.8, 1.0, 1.7])
    min_p, top_p = torch.tensor([0.05, 0.2, 0.0]), torch.tensor([1.0, 0.9, 0.5])
    got = cf.process_logits(logits, ids, cfg, pen, temp, min_p, top_p)
    for b in range(B):
        cond, uncond = logits[2 * b : 2 * b + 1], logits[2 * b + 1 : 2 * b + 2]
        x = cond + cfg[b] * (cond - uncond)
        x = RepetitionPenaltyLogitsProcessor(penalty=float(pen[b]))(ids[b : b + 1], x)
        if temp[b] != 1.0:
            x = x / temp[b]
        x = MinPLogitsWarper(min_p=float(min_p[b]))(ids[b : b + 1], x)
        x = TopPLogitsWarper(top_p=float(top_p[b]))(ids[b : b + 1], x)
        assert torch.equal(torch.isinf(x), torch.isinf(got[b : b + 1]))
        finite = torch.isfinite(x)
        assert torch.allclose(x[finite], got[b : b + 1][finite], atol=1e-5)


def test_batched_s3gen_flow_matches_unbatched(model, monkeypatch):
    """Right-padded flow matching over several lines equals one line at a time
    (noise fixed to zeros so both draw the same)."""
    monkeypatch.setattr(torch, "randn_like", lambda x, *a, **k: torch.zeros_like(x, *a, **k))
    g = torch.Generator().manual_seed(0)
    toks = [torch.randint(0, 6561, (n,), generator=g) for n in (5, 9)]
    with torch.inference_mode():
        single = [
            model.s3gen.flow_inference(t[None], ref_dict=model.conds.gen, finalize=True, n_cfm_timesteps=2)
            for t in toks
        ]
        pad = torch.zeros(2, 9, dtype=torch.long)
        for i, t in enumerate(toks):
            pad[i, : len(t)] = t
        with cf._mask_lookahead(model.s3gen.flow.encoder):
            both = model.s3gen.flow_inference(
                pad, ref_dict=model.conds.gen, finalize=True, n_cfm_timesteps=2, speech_token_lens=torch.tensor([5, 9])
            )
    for i, s in enumerate(single):
        assert s.shape[-1] == 2 * len(toks[i])
        assert torch.allclose(s, both[i : i + 1, :, : s.shape[-1]], atol=1e-4)


def test_s3gen_batches_cut_to_limit_padding():
    """Length-sorted lines: a line joins a batch while padding stays within 10%."""
    assert cf.plan_s3gen_batches([5, 5, 6, 40], 8, prompt_frames=50) == [[0, 1, 2], [3]]
    assert cf.plan_s3gen_batches([5] * 5, 2, prompt_frames=50) == [[0, 1], [2, 3], [4]]
    assert cf.plan_s3gen_batches([5, 6, 40], 8, max_padding=None) == [[0, 1, 2]]
    assert cf.plan_s3gen_batches([], 8) == []


def snr_db(ref, got):
    return float(-20 * torch.log10((ref - got).norm() / ref.norm()))


def test_bf16_s3gen_keeps_lengths_and_stays_close_to_fp32(model):
    """The opt-in bf16 estimator: same audio lengths, waveform and mel close to fp32.

    bf16 keeps 8 significant bits (rounding ~2^-9, ~54 dB per operation); over the
    estimator's 56 transformer blocks and 10 Euler steps the errors add up to a
    mel SNR of ~40 dB and a waveform SNR of ~50-70 dB on these random weights.
    The bounds (mel > 30 dB, waveform > 35 dB) leave ~10 dB of margin yet fail
    on real breakage (a wrong mask, dropped CFG, wrong dtype), which lands
    near 0 dB.
    """
    g = torch.Generator().manual_seed(0)
    toks = [torch.randint(0, 6561, (n,), generator=g) for n in (6, 11)]
    est = model.s3gen.flow.decoder.estimator
    mels = {}

    def run(dtype):
        mels[dtype] = []
        real = model.s3gen.hift_inference

        def grab(mel, cache=None):
            mels[dtype].append(mel.float().clone())
            return real(mel, cache)

        model.s3gen.hift_inference = grab
        try:
            torch.manual_seed(0)  # same flow-matching noise for both runs
            return cf.s3gen_batch(model.s3gen, toks, model.conds.gen, dtype=dtype)
        finally:
            del model.s3gen.hift_inference

    fp32, bf16 = run(None), run(torch.bfloat16)
    assert "forward" not in vars(est)  # the autocast wrapper is gone afterwards
    assert [len(w) for w in bf16] == [len(w) for w in fp32] == [n * 2 * cf.MEL_HOP for n in (6, 11)]
    assert all(w.dtype == torch.float32 for w in bf16)
    flat = {k: torch.cat([m.flatten() for m in v]) for k, v in mels.items()}
    mel_snr = snr_db(flat[None], flat[torch.bfloat16])
    wav_snr = snr_db(torch.cat(fp32), torch.cat(bf16))
    print(f"bf16 S3Gen vs fp32: mel SNR {mel_snr:.1f} dB, waveform SNR {wav_snr:.1f} dB")
    assert mel_snr > 30, mel_snr
    assert wav_snr > 35, wav_snr


def test_engine_batch_returns_clips_in_order_with_upstream_lengths(checkpoint, tmp_path, monkeypatch):
    """ChatterboxEngine with 2+ requests takes the fast path: N clips, in order,
    each as long as upstream generate() makes it."""
    from tts_app.engines import chatterbox as cb
    from tts_app.engines.base import SynthesisRequest
    from tts_app.random_checkpoint import small_t3_config

    monkeypatch.setenv(cb.DEVICE_ENV, "cpu")
    engine = cb.ChatterboxEngine(models_dir=checkpoint.parent, voices_dir=tmp_path / "voices")
    assert engine.capabilities().batch_size > 1
    lines = ["Hi.", "But soft, what light?", "No."]
    caps = [6, 10, 4]  # max_new_tokens per line keeps S3Gen short on CPU
    real_item = cf.FastItem
    monkeypatch.setattr(
        cf, "FastItem", lambda text, *a, **k: real_item(text, *a, max_new_tokens=caps[lines.index(text)], **k)
    )
    with small_t3_config():
        engine.load()
    reqs = [SynthesisRequest(t, cb.DEFAULT_VOICE_ID, {"seed": 3}) for t in lines]
    clips = engine.synthesize(reqs)
    assert engine._fast is not None and engine._fast.stats.t3.batches == 1
    assert len(clips) == 3
    # each line's token count (cap, stop token excluded from audio) → 2 mel frames x 480 samples
    assert [len(c.samples) for c in clips] == [c * 2 * cf.MEL_HOP for c in caps]
    # upstream generate() on the first line with the same cap gives the same length
    model = engine._model
    real = model.t3.inference
    monkeypatch.setattr(model.t3, "inference", lambda **kw: real(**(kw | {"max_new_tokens": caps[0]})))
    model.conds = engine._builtin_conds
    wav = model.generate(lines[0], min_p=1.0)
    assert wav.shape[-1] == len(clips[0].samples)
    engine.unload()
