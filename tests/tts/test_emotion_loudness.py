"""A shouted line ends up louder than a whispered one, on every path that makes clips."""

from __future__ import annotations

import pytest

from tts_app import audio, cache
from tts_app.models import AudioClip

pytestmark = pytest.mark.django_db

LINE = "Get out of my house and never come back here again."
PLAY = """# Two Voices

## Scene 1

**ANNA:** (shouting) Get out of my house and never come back here again.

**ANNA:** (whispering) Get out of my house and never come back here again.

**BEN:** Fine.
"""


def _loudness(row) -> tuple[float, float]:
    """(LUFS, seconds) of a script's clip row, or of an ad-hoc clip's bytes."""
    clip = audio.decode_wav(cache.absolute(row.path) if isinstance(row, AudioClip) else row.data)
    return audio.measure_loudness(clip), clip.duration


@pytest.mark.parametrize(("engine", "voice"), [("espeak", "en-us-f2"), ("natural", "hibari-heart")])
def test_a_shout_is_louder_and_faster_than_a_whisper_when_spoken_one_at_a_time(engine, voice):
    from tts_app.services import synthesize_one

    shout = _loudness(synthesize_one(text=LINE, engine=engine, voice_id=voice,
                                     emotion={"label": "shout", "intensity": 0.8}))
    whisper = _loudness(synthesize_one(text=LINE, engine=engine, voice_id=voice,
                                       emotion={"label": "whisper", "intensity": 0.8}))
    neutral = _loudness(synthesize_one(text=LINE, engine=engine, voice_id=voice, emotion=None))
    assert shout[0] > neutral[0] + 2 > whisper[0] + 4  # LUFS
    assert abs(neutral[0] - audio.TARGET_LUFS) < 0.5
    assert shout[1] < whisper[1]


def test_an_actor_who_wants_flat_delivery_gets_the_common_loudness():
    from tts_app.services import synthesize_one

    row = synthesize_one(text=LINE, engine="espeak", voice_id="en-us-f2",
                         emotion={"label": "shout", "intensity": 0.8}, flat=True)
    assert abs(_loudness(row)[0] - audio.TARGET_LUFS) < 0.5


def test_a_generated_job_keeps_the_shout_louder_than_the_whisper():
    from scripts_app.services import script_create
    from tts_app.jobs import job_for, job_run

    script = script_create(source=PLAY)
    job = job_run(job_id=job_for(script=script, engine="espeak", user_role="ben",
                                 voice_assignments={"anna": "en-us-f2"}, enqueue=False).pk)
    assert job.failed == 0
    shouted, whispered = [el for scene in script.scenes for el in scene["elements"] if el["type"] == "dialogue"][:2]
    assert shouted["emotion"]["label"] == "shout" and whispered["emotion"]["label"] == "whisper"
    rows = {row.line_id: row for row in AudioClip.objects.filter(script=script)}
    assert _loudness(rows[shouted["id"]])[0] > _loudness(rows[whispered["id"]])[0] + 6
