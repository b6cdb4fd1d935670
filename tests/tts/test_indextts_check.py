"""`manage.py tts_check` tells a parent exactly what the neural engines still need."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tts_app.engines import chatterbox as cb
from tts_app.engines import indextts as ix

try:
    from tests.tts.fakes import INDEXTTS_FILES, make_voice, make_weights
except ImportError:  # tests/ not importable as a package
    from fakes import INDEXTTS_FILES, make_voice, make_weights


@pytest.fixture
def bare(settings, tmp_path, monkeypatch):
    """No neural package installed, no GPU, no weights, no voices."""
    settings.RUNTHRU_MODELS_DIR = str(tmp_path / "models")
    settings.RUNTHRU_VOICES_DIR = str(tmp_path / "voices")
    for module in (ix, cb):
        monkeypatch.setattr(module, "module_installed", lambda name: False)
    monkeypatch.setattr(ix, "_cuda_available", lambda: False)
    monkeypatch.delenv("RUNTHRU_TTS_DEVICE", raising=False)
    return tmp_path


def check(engine: str) -> str:
    out = io.StringIO()
    call_command("tts_check", "--engine", engine, stdout=out)
    return out.getvalue()


def test_indextts_check_lists_packages_gpu_every_file_and_voices_with_fixes(bare):
    text = check("indextts2")
    assert "package missing: torch. Install the CUDA pair first: pip install torch==2.11.0" in text
    assert f"package missing: indextts. Install: {ix.INDEXTTS_INSTALL}" in text
    assert "no NVIDIA GPU: torch.cuda.is_available() is False" in text
    weights = bare / "models" / "index-tts"
    for name in ix.WEIGHT_FILES:
        assert f"weight file missing: {weights / name} (from the IndexTeam/IndexTTS-2" in text
    assert f"helper model file missing: {weights / 'hf_cache/campplus_cn_common.bin'} (file " in text
    assert "of funasr/campplus" in text
    assert f"no voice clip: put a 5-15 s .wav of clean speech in {bare / 'voices'}" in text


def test_indextts_check_names_only_what_is_still_missing(bare, monkeypatch):
    monkeypatch.setattr(ix, "module_installed", lambda name: True)
    monkeypatch.setattr(ix, "distribution_name", lambda: "tts-webui.index-tts")
    monkeypatch.setenv("RUNTHRU_TTS_DEVICE", "cpu")
    make_weights(bare / "models" / "index-tts", INDEXTTS_FILES)
    (bare / "models" / "index-tts" / "hf_cache" / "bigvgan" / "bigvgan_generator.pt").unlink()
    make_voice(bare / "voices", "alice")
    report = ix.IndexTTS2Engine().setup_report()
    assert report == [
        f"helper model file missing: {bare / 'models/index-tts/hf_cache/bigvgan/bigvgan_generator.pt'} "
        "(file bigvgan_generator.pt of nvidia/bigvgan_v2_22khz_80band_256x)",
        f"folder missing: {bare / 'models/index-tts' / ix.QWEN_DIR} (from IndexTeam/IndexTTS-2; "
        "the installed tts-webui.index-tts always loads it)",
    ]
    make_weights(bare / "models" / "index-tts", INDEXTTS_FILES)
    assert "(missing qwen0.6bemo4-merge/)" in ix.IndexTTS2Engine().availability().reason


def test_chatterbox_check_lists_packages_and_every_weight_file(bare):
    text = check("chatterbox")
    assert f"package missing: chatterbox-tts. Install: {cb.CHATTERBOX_INSTALL}" in text
    for name in cb.WEIGHT_FILES:
        assert f"weight file missing: {bare / 'models' / 'chatterbox' / name}" in text
