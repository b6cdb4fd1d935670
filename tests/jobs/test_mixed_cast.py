"""A cast can mix voices from every engine: each character's voice is any voice that can speak here."""

import pytest

from runthru_site.errors import UserError
from tts_app.jobs import job_for, job_run
from tts_app.models import AudioClip, GenerationJob
from tts_app.selectors import audio_readiness

pytestmark = pytest.mark.django_db


def test_one_character_in_a_natural_voice_and_the_rest_in_espeak_all_get_made(script):
    from sessions_app.services import session_create

    session = session_create(script=script, user_role="maren", tts_engine="espeak",
                             voice_assignments={"tobias": "piper-joe"})
    assert session.voice_assignments["tobias"] == "piper-joe"
    job = job_run(job_id=job_for(script=script, engine=session.tts_engine, user_role="maren",
                                 voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=False).pk)
    assert job.state == GenerationJob.State.DONE and job.failed == 0
    tobias = {el["id"] for scene in script.scenes for el in scene["elements"] if el.get("character") == "tobias"}
    made = dict(AudioClip.objects.filter(script=script).values_list("line_id", "engine"))
    assert {made[lid] for lid in tobias if lid in made} == {"natural"}
    assert set(made.values()) == {"natural", "espeak"}
    readiness = audio_readiness(script, user_role="maren", engine=session.tts_engine,
                                voice_assignments=session.voice_assignments)
    assert readiness["ready"] == readiness["total"] == job.total


def test_a_voice_of_an_engine_that_cannot_run_here_is_refused(script):
    from sessions_app.services import session_create
    from tts_app.engines.registry import get_engine

    if get_engine("chatterbox").availability().available:
        pytest.skip("Chatterbox is set up on this computer")
    with pytest.raises(UserError) as caught:
        session_create(script=script, user_role="maren", tts_engine="espeak",
                       voice_assignments={"tobias": "chatterbox-default"})
    assert caught.value.code == "unknown_voice"
    assert "piper-joe" in caught.value.details["valid"] and "en-us-f2" in caught.value.details["valid"]
