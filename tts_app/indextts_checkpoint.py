"""Build an IndexTTS2 checkpoint directory with random weights, offline.

The real IndexTTS-2 weights (~6 GB plus auxiliary models from four other
model repositories) are never downloaded by RunThru. To run RunThru's adapter
through real upstream code, this module instantiates upstream's own modules
(UnifiedVoice, the s2mel flow-matching model, the MaskGCT semantic codec,
CAMPPlus, BigVGAN, w2v-BERT 2.0) from a shrunken ``config.yaml`` with random
weights and writes every file IndexTTS2 loads:

    config.yaml gpt.pth s2mel.pth bpe.model wav2vec2bert_stats.pt feat1.pt feat2.pt
    hf_cache/w2v-bert-2.0/{config.json,preprocessor_config.json,model.safetensors}
    hf_cache/semantic_codec_model.safetensors  hf_cache/campplus_cn_common.bin
    hf_cache/bigvgan/{config.json,bigvgan_generator.pt}
    qwen0.6bemo4-merge/   (a tiny random Qwen3: only for distributions that always load it)

``hf_cache/`` is the flat layout of the official release's
``ensure_models_available`` (passed as ``aux_paths``); distributions without
``aux_paths`` read the same files through a Hugging Face cache view the
adapter makes (``tts_app.engines.indextts``).

The sizes that connect the parts stay real: GPT width 1280 (s2mel's
``gpt_layer`` hard-codes it), semantic features 1024, speaker style 192,
80 mels at 22,050 Hz with hop 256, 8192 semantic codes and the eight emotion
groups (``emo_num``). Depths and inner widths shrink (2 GPT layers instead of
24, 1 DiT block instead of 13, a thin BigVGAN), and w2v-BERT keeps 18 layers
because IndexTTS2 reads hidden state 17.

Random weights never choose the stop token, and upstream's default is 1,500
tokens per segment. As for Chatterbox (``tts_app.random_checkpoint``) one
hidden dimension of the GPT is rigged: the learned mel position embedding is a
large negative value before position ``codes`` and a large positive one from
there on, and the mel head's stop row reads it most (the start token, which
is not a semantic code, reads it too and so is never drawn early). So every
segment ends after exactly ``codes`` semantic codes, sampling or not.

Needs torch and an ``indextts`` distribution (the ``indextts`` extra); import
it only there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

MARKER_FILE = "runthru-random.json"
EMO_NUM = [3, 17, 2, 8, 4, 5, 10, 24]  # rows per emotion group in feat1/feat2 (the real checkpoint's)
GPT_DIM, SEMANTIC_DIM, STYLE_DIM = 1280, 1024, 192
W2V_LAYERS = 18  # IndexTTS2 reads hidden_states[17]
_STOP_DIM = 0
_STOP_MAGNITUDE = 1000.0

_CONFORMER = {
    "output_size": 128,
    "linear_units": 128,
    "attention_heads": 2,
    "num_blocks": 1,
    "input_layer": "conv2d2",
    "perceiver_mult": 1,
}
# The real IndexTTS-2 config.yaml with depths and inner widths shrunk
# (the keys and the interface sizes are the real ones).
CONFIG = {
    "dataset": {
        "bpe_model": "bpe.model",
        "sample_rate": 24000,
        "squeeze": False,
        "mel": {
            "sample_rate": 24000,
            "n_fft": 1024,
            "hop_length": 256,
            "win_length": 1024,
            "n_mels": 100,
            "mel_fmin": 0,
            "normalize": False,
        },
    },
    "gpt": {
        "model_dim": GPT_DIM,
        "max_mel_tokens": 1815,
        "max_text_tokens": 600,
        "heads": 20,
        "use_mel_codes_as_input": True,
        "mel_length_compression": 1024,
        "layers": 2,
        "number_text_tokens": 256,
        "number_mel_codes": 8194,
        "start_mel_token": 8192,
        "stop_mel_token": 8193,
        "start_text_token": 0,
        "stop_text_token": 1,
        "train_solo_embeddings": False,
        "condition_type": "conformer_perceiver",
        "condition_module": _CONFORMER,  # the speaker's conformer + perceiver (real: 6 blocks of 512)
        "emo_condition_module": _CONFORMER,  # the emotion's (real: 4 blocks of 512)
    },
    "semantic_codec": {
        "codebook_size": 8192,
        "hidden_size": SEMANTIC_DIM,
        "codebook_dim": 8,
        "vocos_dim": 64,
        "vocos_intermediate_dim": 128,
        "vocos_num_layers": 1,
    },
    "s2mel": {
        "preprocess_params": {
            "sr": 22050,
            "spect_params": {
                "n_fft": 1024,
                "win_length": 1024,
                "hop_length": 256,
                "n_mels": 80,
                "fmin": 0,
                "fmax": "None",
            },
        },
        "dit_type": "DiT",
        "reg_loss_type": "l1",
        "style_encoder": {"dim": STYLE_DIM},
        "length_regulator": {
            "channels": 64,
            "is_discrete": False,
            "in_channels": SEMANTIC_DIM,
            "content_codebook_size": 2048,
            "sampling_ratios": [1, 1, 1, 1],
            "vector_quantize": False,
            "n_codebooks": 1,
            "quantizer_dropout": 0.0,
            "f0_condition": False,
            "n_f0_bins": 512,
        },
        "DiT": {
            "hidden_dim": 64,
            "num_heads": 2,
            "depth": 1,
            "class_dropout_prob": 0.1,
            "block_size": 8192,
            "in_channels": 80,
            "style_condition": True,
            "final_layer_type": "wavenet",
            "target": "mel",
            "content_dim": 64,
            "content_codebook_size": 1024,
            "content_type": "discrete",
            "f0_condition": False,
            "n_f0_bins": 512,
            "content_codebooks": 1,
            "is_causal": False,
            "long_skip_connection": True,
            "zero_prompt_speech_token": False,
            "time_as_token": False,
            "style_as_token": False,
            "uvit_skip_connection": True,
            "add_resblock_in_transformer": False,
        },
        "wavenet": {
            "hidden_dim": 64,
            "num_layers": 1,
            "kernel_size": 5,
            "dilation_rate": 1,
            "p_dropout": 0.2,
            "style_condition": True,
        },
    },
    "gpt_checkpoint": "gpt.pth",
    "w2v_stat": "wav2vec2bert_stats.pt",
    "s2mel_checkpoint": "s2mel.pth",
    "emo_matrix": "feat2.pt",
    "spk_matrix": "feat1.pt",
    "emo_num": EMO_NUM,
    "qwen_emo_path": "qwen0.6bemo4-merge/",
    "vocoder": {"type": "bigvgan", "name": "nvidia/bigvgan_v2_22khz_80band_256x"},
    "version": 2.0,
}

# nvidia/bigvgan_v2_22khz_80band_256x's config.json, thinned (same rates, mels, hop).
BIGVGAN_CONFIG = {
    "resblock": "1",
    "num_gpus": 0,
    "batch_size": 1,
    "learning_rate": 0.0001,
    "adam_b1": 0.8,
    "adam_b2": 0.99,
    "lr_decay": 0.9999996,
    "seed": 1234,
    "upsample_rates": [4, 4, 2, 2, 2, 2],
    "upsample_kernel_sizes": [8, 8, 4, 4, 4, 4],
    "upsample_initial_channel": 64,
    "resblock_kernel_sizes": [3],
    "resblock_dilation_sizes": [[1, 3, 5]],
    "use_tanh_at_final": False,
    "use_bias_at_final": False,
    "activation": "snakebeta",
    "snake_logscale": True,
    "num_mels": 80,
    "num_freq": 1025,
    "n_fft": 1024,
    "hop_size": 256,
    "win_size": 1024,
    "sampling_rate": 22050,
    "fmin": 0,
    "fmax": None,
    "fmax_for_loss": None,
}

_BPE_TEXT = """\
But soft, what light through yonder window breaks? It is the east, and Juliet is the sun.
Arise, fair sun, and kill the envious moon, who is already sick and pale with grief.
Now is the winter of our discontent made glorious summer by this sun of York.
To be, or not to be, that is the question. I told you so! Who goes there? Hello there.
The quick brown fox jumps over the lazy dog, 0 1 2 3 4 5 6 7 8 9 times.
"""


def _plain(value):
    """A copy without shared sub-dicts (YAML would write them as anchors and aliases)."""
    return json.loads(json.dumps(value))


def write_bpe_model(dest: Path, vocab_size: int = 200) -> None:
    """A tiny SentencePiece BPE model (IndexTTS2's tokenizer format), trained offline."""
    import io

    import sentencepiece as spm

    lines = [line.upper() for line in _BPE_TEXT.splitlines()] * 20  # IndexTTS upper-cases English
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="bpe",
        character_coverage=1.0,
        minloglevel=2,
    )
    dest.write_bytes(model.getvalue())


def _rig_stop_token(gpt, codes: int) -> None:
    import torch

    with torch.no_grad():
        pos = gpt.mel_pos_embedding.emb.weight
        pos[:, _STOP_DIM] = -_STOP_MAGNITUDE
        pos[codes:, _STOP_DIM] = _STOP_MAGNITUDE
        gpt.mel_embedding.weight[:, _STOP_DIM] = 0.0  # only the position decides
        head = gpt.mel_head.weight
        head[:, _STOP_DIM] = 0.0
        head[gpt.start_mel_token, _STOP_DIM] = 1.0
        head[gpt.stop_mel_token, :] = 0.0
        head[gpt.stop_mel_token, _STOP_DIM] = 2.0


def _state(module, dtype=None) -> dict:
    import torch

    dtype = dtype or torch.float32
    return {
        k: (v.detach().to(dtype) if v.is_floating_point() else v.detach()).contiguous().clone()
        for k, v in module.state_dict().items()
    }


def _write_w2v_bert(dest: Path) -> None:
    from transformers import SeamlessM4TFeatureExtractor, Wav2Vec2BertConfig, Wav2Vec2BertModel

    config = Wav2Vec2BertConfig(
        hidden_size=SEMANTIC_DIM,
        num_hidden_layers=W2V_LAYERS,
        num_attention_heads=16,
        intermediate_size=32,
        conv_depthwise_kernel_size=3,
        add_adapter=False,
    )
    model = Wav2Vec2BertModel(config).eval()
    # float16 on disk halves the largest file; from_pretrained loads it as float32
    model.half().save_pretrained(str(dest), safe_serialization=True)
    (dest / "config.json").write_text(
        json.dumps(json.loads((dest / "config.json").read_text()) | {"torch_dtype": "float32"}, indent=2)
    )
    SeamlessM4TFeatureExtractor().save_pretrained(str(dest))


def _write_qwen(dest: Path) -> None:
    """A tiny random Qwen3 causal LM with a character tokenizer, for distributions
    that load the emotion-text model whatever they are asked (RunThru never calls it)."""
    from tokenizers import Tokenizer
    from tokenizers.models import BPE
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    chars = sorted(set(_BPE_TEXT + _BPE_TEXT.upper() + "{}\":,"))
    vocab = {"<|endoftext|>": 0, "<unk>": 1} | {c: i + 2 for i, c in enumerate(c for c in chars if c != "\n")}
    tok = Tokenizer(BPE(vocab=vocab, merges=[], unk_token="<unk>"))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", unk_token="<unk>")
    fast.save_pretrained(str(dest))
    config = AutoConfig.for_model(
        "qwen3",
        vocab_size=len(vocab),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        max_position_embeddings=512,
        eos_token_id=0,
    )
    AutoModelForCausalLM.from_config(config).save_pretrained(str(dest), safe_serialization=True)


def build_random_checkpoint(dest: Path, seed: int = 0, codes: int = 12, with_qwen: bool = True) -> Path:
    """Write a random-weight IndexTTS2 checkpoint into ``dest`` and return it.

    ``codes``: semantic codes per text segment (about 20 ms of audio each, x 1.72 mel frames).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import safetensors.torch
    import torch
    import yaml
    from indextts.gpt.model_v2 import UnifiedVoice
    from indextts.s2mel.modules.bigvgan import bigvgan
    from indextts.s2mel.modules.campplus.DTDNN import CAMPPlus
    from indextts.s2mel.modules.commons import MyModel
    from indextts.utils.maskgct_utils import build_semantic_codec
    from omegaconf import OmegaConf

    dest = Path(dest)
    hf = dest / "hf_cache"
    (hf / "bigvgan").mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    np.random.seed(seed)
    half = torch.float16

    (dest / "config.yaml").write_text(yaml.safe_dump(_plain(CONFIG), sort_keys=False))
    cfg = OmegaConf.load(dest / "config.yaml")

    gpt = UnifiedVoice(**cfg.gpt).eval()
    _rig_stop_token(gpt, codes)
    torch.save(_state(gpt, half), dest / "gpt.pth")
    del gpt

    s2mel = MyModel(cfg.s2mel, use_gpt_latent=True).eval()
    torch.save({"net": {key: _state(s2mel.models[key], half) for key in s2mel.models}}, dest / "s2mel.pth")
    del s2mel

    codec = build_semantic_codec(cfg.semantic_codec).eval()
    safetensors.torch.save_file(_state(codec), str(hf / "semantic_codec_model.safetensors"))
    campplus = CAMPPlus(feat_dim=80, embedding_size=STYLE_DIM).eval()
    torch.save(_state(campplus), hf / "campplus_cn_common.bin")

    (hf / "bigvgan" / "config.json").write_text(json.dumps(BIGVGAN_CONFIG, indent=2))
    h = bigvgan.AttrDict(BIGVGAN_CONFIG)
    torch.save({"generator": _state(bigvgan.BigVGAN(h))}, hf / "bigvgan" / "bigvgan_generator.pt")

    _write_w2v_bert(hf / "w2v-bert-2.0")
    torch.save(
        {"mean": torch.randn(SEMANTIC_DIM) * 0.1, "var": torch.rand(SEMANTIC_DIM) + 0.5}, dest / "wav2vec2bert_stats.pt"
    )
    rows = sum(EMO_NUM)
    torch.save(torch.randn(rows, STYLE_DIM), dest / "feat1.pt")  # speaker styles, one row per emotion sample
    torch.save(torch.randn(rows, GPT_DIM) * 0.05, dest / "feat2.pt")  # emotion vectors in the GPT's width
    write_bpe_model(dest / "bpe.model")
    if with_qwen:
        _write_qwen(dest / CONFIG["qwen_emo_path"].rstrip("/"))

    (dest / MARKER_FILE).write_text(
        json.dumps({"random_weights": True, "seed": seed, "codes_per_segment": codes}, indent=2)
    )
    return dest


if __name__ == "__main__":  # pragma: no cover - manual use
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--codes", type=int, default=12, help="semantic codes per text segment")
    args = parser.parse_args()
    print(build_random_checkpoint(args.dest, seed=args.seed, codes=args.codes))
