"""A background worker readies the default voices as it starts (django-q2's post_spawn)."""

import threading

import pytest
from django_q.signals import post_spawn

from tts_app.engines import natural


@pytest.fixture
def fresh_speakers(monkeypatch):
    speakers = {"heart": natural._Hibari(), "joe": natural._Piper()}
    monkeypatch.setattr(natural, "_SPEAKERS", speakers)
    return speakers


def _start_worker_and_wait():
    post_spawn.send(sender="django_q", proc_name="Process-1:1")
    for thread in threading.enumerate():
        if thread.name == "voices-warm":
            thread.join(timeout=120)


def test_a_starting_worker_loads_the_natural_voices_before_the_first_generate(fresh_speakers, monkeypatch):
    monkeypatch.setenv("RUNTHRU_TTS_ENGINE", "natural")
    _start_worker_and_wait()
    assert all(speaker._model is not None for speaker in fresh_speakers.values())


def test_with_espeak_as_the_default_no_natural_model_is_loaded(fresh_speakers, monkeypatch):
    monkeypatch.setenv("RUNTHRU_TTS_ENGINE", "espeak")
    _start_worker_and_wait()
    assert all(speaker._model is None for speaker in fresh_speakers.values())
