"""sessions_app.cues: a parent's recording of a line is trimmed, loudness-matched to the clips'
target and stored as MP3 like a clip, and it leaves with its rehearsal or a parent's purge."""

import numpy as np
import pyloudnorm
import pytest

from scripts_app.services import script_create, script_delete
from sessions_app.cues import cue_path, cue_record, cue_recordings_purge
from sessions_app.models import CueRecording
from sessions_app.services import session_create, session_delete
from tests.speech import padded, speak, wav_bytes
from tts_app.audio import TARGET_LUFS, decode_wav

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight.

**DAD:** Then you can help me paint the fence on Saturday morning.
"""
DAD_LINE = "Then you can help me paint the fence on Saturday morning."
RATE = 48000


@pytest.fixture
def session(db):
    return session_create(script=script_create(source=PLAY), user_role="maya")


@pytest.fixture
def dad_line(session) -> str:
    return next(e["id"] for e in session.script.scenes[0]["elements"] if e.get("character") == "dad")


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return speak(DAD_LINE, voice="en-us-m3", rate=RATE)


def loudness(samples: np.ndarray, rate: int) -> float:
    return pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64))


@pytest.mark.parametrize("gain", [0.02, 0.9], ids=["a-quiet-microphone", "a-loud-one"])
def test_a_recording_is_trimmed_and_matched_to_the_clips_loudness(session, dad_line, speech, gain):
    # A second and a half of quiet room before the line and two after, as a parent pressing
    # Record and Stop leaves them.
    rng = np.random.default_rng(1)
    raw = padded(speech * gain, before=1.5, after=2.0, rate=RATE)
    raw = raw + rng.standard_normal(raw.size).astype(np.float32) * 1e-4
    assert abs(loudness(raw, RATE) - TARGET_LUFS) > 3  # far from the target before

    row = cue_record(session=session, line_id=dad_line, data=wav_bytes(raw, rate=RATE))

    data = cue_path(row.path).read_bytes()
    assert data[:3] == b"ID3" or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")  # MP3, like the clips
    assert row.path.endswith(".mp3") and row.size == len(data) and CueRecording.objects.get() == row
    stored = decode_wav(data)
    spoken = speech.size / RATE
    assert spoken <= stored.duration <= spoken + 0.35, (stored.duration, spoken)  # 3.5 s of quiet gone
    assert abs(row.duration - stored.duration) < 0.15
    assert loudness(stored.samples, stored.sample_rate) == pytest.approx(TARGET_LUFS, abs=1.0)
    assert float(np.max(np.abs(stored.samples))) < 1.0


def test_recording_again_replaces_the_file_and_the_row(session, dad_line, speech,
                                                       django_capture_on_commit_callbacks):
    first = cue_record(session=session, line_id=dad_line, data=wav_bytes(padded(speech, rate=RATE), rate=RATE))
    old = cue_path(first.path)
    with django_capture_on_commit_callbacks(execute=True):
        second = cue_record(session=session, line_id=dad_line,
                            data=wav_bytes(padded(speech * 0.5, after=0.8, rate=RATE), rate=RATE))
    assert second.pk == first.pk and second.path != first.path
    assert not old.exists() and cue_path(second.path).exists()
    assert CueRecording.objects.count() == 1
    # Nothing half-written is left behind in the folder.
    assert [p.name for p in cue_path(second.path).parent.iterdir()] == [cue_path(second.path).name]


def test_deleting_the_rehearsal_removes_its_recordings(session, dad_line, speech, django_capture_on_commit_callbacks):
    row = cue_record(session=session, line_id=dad_line, data=wav_bytes(padded(speech, rate=RATE), rate=RATE))
    path = cue_path(row.path)
    with django_capture_on_commit_callbacks(execute=True):
        session_delete(session=session)
    assert not path.exists() and not path.parent.exists()
    assert not CueRecording.objects.exists()


def test_deleting_the_script_for_good_removes_them_too(session, dad_line, speech, django_capture_on_commit_callbacks):
    path = cue_path(cue_record(session=session, line_id=dad_line,
                               data=wav_bytes(padded(speech, rate=RATE), rate=RATE)).path)
    with django_capture_on_commit_callbacks(execute=True):
        script_delete(script=session.script)
    assert not path.exists() and not CueRecording.objects.exists()


def test_a_parents_purge_removes_every_recording(session, dad_line, speech, django_capture_on_commit_callbacks):
    other = session_create(script=session.script, user_role="maya")
    paths = [cue_path(cue_record(session=s, line_id=dad_line,
                                 data=wav_bytes(padded(speech, rate=RATE), rate=RATE)).path) for s in (session, other)]
    with django_capture_on_commit_callbacks(execute=True):
        assert cue_recordings_purge(session=other) == 1
    assert paths[0].exists() and not paths[1].exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert cue_recordings_purge() == 1
    assert not paths[0].exists() and not CueRecording.objects.exists()
