"""Compressed clips: a sixth of the WAV size or less, the same speech, a format every browser plays."""

from __future__ import annotations

import pytest

from tts_app import audio
from tts_app.engines.base import SynthesisRequest
from tts_app.engines.registry import get_engine

LINE = "Is that my little lark twittering out there? I have been out all the morning."


@pytest.mark.parametrize(("engine", "voice"), [("natural", "hibari-heart"), ("natural", "piper-joe"),
                                               ("espeak", "en-us-f2")])
def test_an_mp3_clip_is_at_most_a_sixth_of_the_wav_and_sounds_the_same(engine, voice):
    clip = audio.postprocess(get_engine(engine).synthesize([SynthesisRequest(text=LINE, voice_id=voice)])[0])
    wav, mp3 = audio.encode_wav(clip), audio.encode_mp3(clip)
    assert len(mp3) * 6 <= len(wav)
    assert mp3[:3] == b"ID3" or (mp3[0] == 0xFF and mp3[1] & 0xE0 == 0xE0)  # an MPEG audio stream
    back = audio.decode_wav(mp3)
    assert back.sample_rate == clip.sample_rate
    assert abs(back.duration - clip.duration) < 0.1
    assert abs(audio.measure_loudness(back) - audio.measure_loudness(clip)) < 1.0
    assert audio.quality_problem(back, LINE) is None
