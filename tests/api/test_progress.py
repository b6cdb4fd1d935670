"""GET /api/sessions/{id}/progress: lines learnt, rungs, schedule, daily history and most-missed lines, and
the learnt rule following the strictness."""

import io

import pytest

from scripts_app.services import script_create
from sessions_app.listening import check
from tests.speech import silence_wav

from .api_helpers import assert_error

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight, whatever my father says.

**DAD:** Then you can help me paint the fence on Saturday morning.

**MAYA:** Fine. But I am choosing the colour.
"""
DROPPED_THE = "i will not go to party tonight whatever my father says"
WITH_UM = "um i will not go to the party tonight whatever my father says"


@pytest.fixture
def play(db):
    return script_create(source=PLAY)


@pytest.fixture
def session(api, play):
    return api.post("/api/sessions", {"script_id": play.pk, "user_role": "maya"}, format="json").json()


@pytest.fixture
def hears(monkeypatch):
    """hears(text): the recogniser hears `text` for every attempt (the marking is what is tested)."""
    heard = {"text": ""}
    monkeypatch.setattr(check, "recognise", lambda samples, expected, context: heard["text"])
    return lambda text: heard.update(text=text)


def first_line(play) -> str:
    return play.scenes[0]["elements"][0]["id"]


def say(api, session, line_id):
    audio = io.BytesIO(silence_wav(1.0))
    audio.name = "attempt.wav"
    response = api.post(f"/api/sessions/{session['id']}/attempts", {"line_id": line_id, "audio": audio},
                        format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def progress(api, session) -> dict:
    response = api.get(f"/api/sessions/{session['id']}/progress")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_line_that_always_drops_the_same_word_is_not_learnt_word_perfect(api, session, play, hears):
    hears(DROPPED_THE)
    for _ in range(3):
        say(api, session, first_line(play))
    body = progress(api, session)
    assert body["strictness"] == "word_perfect"
    assert body["scenes"][0]["learnt"] == 0
    assert body["most_missed"][0]["line_id"] == first_line(play)
    assert body["most_missed"][0]["missed_words"] == ["the"] and body["most_missed"][0]["misses"] == 3


def test_the_same_line_with_an_um_is_learnt_under_close_but_not_word_perfect(api, session, play, hears):
    hears(WITH_UM)
    for _ in range(3):
        say(api, session, first_line(play))
    assert progress(api, session)["scenes"][0]["learnt"] == 0
    assert api.patch(f"/api/sessions/{session['id']}", {"strictness": "close"}, format="json").status_code == 200
    for _ in range(3):
        assert say(api, session, first_line(play))["score"] == 1.0
    body = progress(api, session)
    assert body["strictness"] == "close" and body["scenes"][0]["learnt"] == 1
    line = next(x for x in body["lines"] if x["line_id"] == first_line(play))
    assert line["learnt"] is True and line["rung"] == 3 and line["rung_name"] == "cue_only" and line["reviews"] == 6


def test_the_progress_has_a_day_by_day_history_and_the_five_most_missed_lines(api, session, play, hears):
    hears("i will not go")
    say(api, session, first_line(play))
    api.patch(f"/api/sessions/{session['id']}", {"practice_seconds_add": 120}, format="json")
    body = progress(api, session)
    assert len(body["history"]) == 1 and body["history"][0]["minutes"] == 2.0
    assert body["history"][0]["learnt_by_scene"] == [0]
    missed = body["most_missed"]
    assert missed[0]["misses"] == 1 and set(missed[0]["missed_words"]) <= {
        "to", "the", "party", "tonight", "whatever", "my", "father", "says"}
    assert missed[0]["text"].startswith("I will not go")


def test_a_strictness_that_is_not_one_of_the_three_is_refused(api, session):
    assert_error(api.patch(f"/api/sessions/{session['id']}", {"strictness": "lenient"}, format="json"), 400,
                 "bad_strictness")
