"""POST/GET/DELETE /api/sessions/{id}/attempts and lines learnt, with real recognition."""

import io

import numpy as np
import pytest

from scripts_app.services import script_create
from sessions_app import limits
from sessions_app.attempts import recording_path, recordings_purge
from sessions_app.models import LineAttempt
from tests.speech import bad_recordings, mp4_bytes, mp4_with_an_odd_encoder_tag, padded, speak, wav_bytes, webm_bytes

from .api_helpers import assert_error

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight, whatever my father says.

**DAD:** Then you can help me paint the fence on Saturday morning.

**MAYA:** Come down from there at once, you foolish boy, before you fall.
"""
LINE = "I will not go to the party tonight, whatever my father says."
OTHER = "Come down from there at once, you foolish boy, before you fall."


@pytest.fixture
def play(db):
    return script_create(source=PLAY)


@pytest.fixture
def session(api, play):
    response = api.post("/api/sessions", {"script_id": play.pk, "user_role": "maya"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def line_ids(play):
    return [e["id"] for e in play.scenes[0]["elements"]]


def upload(data: bytes, name="attempt.wav"):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def post(api, session, line_id, data, name="attempt.wav"):
    return api.post(f"/api/sessions/{session['id']}/attempts",
                    {"line_id": line_id, "audio": upload(data, name)}, format="multipart")


@pytest.fixture(scope="module")
def said_right() -> bytes:
    return wav_bytes(padded(speak(LINE)))


def test_saying_the_line_right_returns_a_high_score_and_every_word(api, session, play, said_right):
    response = post(api, session, line_ids(play)[0], said_right)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "line_id", "score", "heard", "words", "duration"}
    assert body["score"] >= 0.8
    assert [w["word"] for w in body["words"] if w["status"] != "extra"][:3] == ["i", "will", "not"]
    assert 3 < body["duration"] < 6
    assert body["recording_url"] is None


def test_a_webm_opus_recording_from_a_browser_is_checked_too(api, session, play):
    response = post(api, session, line_ids(play)[0], webm_bytes(padded(speak(LINE))), "attempt.webm")
    assert response.status_code == 201, response.content
    assert response.json()["score"] >= 0.8


def test_an_mp4_recording_from_an_iphone_is_checked_too(api, session, play):
    response = post(api, session, line_ids(play)[0], mp4_bytes(padded(speak(LINE))), "attempt.mp4")
    assert response.status_code == 201, response.content
    assert response.json()["score"] >= 0.8


def test_an_mp4_longer_than_a_minute_is_refused_without_decoding_it_all(api, session, play):
    quiet = (np.random.default_rng(1).standard_normal(16000 * 70) * 0.01).astype(np.float32)
    assert_error(post(api, session, line_ids(play)[0], mp4_bytes(quiet), "attempt.mp4"), 400, "audio_too_long")


def test_a_dropped_word_comes_back_missed(api, session, play):
    body = post(api, session, line_ids(play)[0], wav_bytes(padded(speak(LINE.replace(" not", ""))))).json()
    assert [w["word"] for w in body["words"] if w["status"] == "missed"] == ["not"]


@pytest.mark.parametrize("data, code", bad_recordings())
def test_bad_audio_is_a_clear_400(api, session, play, data, code):
    error = assert_error(post(api, session, line_ids(play)[0], data), 400, code)
    assert "recording" in error["message"] or "audio" in error["message"].lower()
    assert not LineAttempt.objects.exists()


def test_an_unknown_line_is_a_404(api, session, said_right):
    assert_error(post(api, session, "no-such-line", said_right), 404, "unknown_line")


def test_another_characters_line_is_refused(api, session, play, said_right):
    assert_error(post(api, session, line_ids(play)[1], said_right), 400, "not_your_line")


def test_an_unknown_session_is_a_404(api, play, said_right):
    fake = {"id": "00000000-0000-0000-0000-000000000000"}
    assert_error(post(api, fake, line_ids(play)[0], said_right), 404)


def test_attempts_are_listed_per_line_and_deleted_one_by_one(api, session, play, said_right):
    first, _, third = line_ids(play)
    a = post(api, session, first, said_right).json()
    post(api, session, third, said_right)
    listed = api.get(f"/api/sessions/{session['id']}/attempts", {"line_id": first}).json()
    assert [x["id"] for x in listed] == [a["id"]]
    assert len(api.get(f"/api/sessions/{session['id']}/attempts").json()) == 2
    assert api.delete(f"/api/sessions/{session['id']}/attempts/{a['id']}").status_code == 204
    assert api.get(f"/api/sessions/{session['id']}/attempts", {"line_id": first}).json() == []
    assert_error(api.delete(f"/api/sessions/{session['id']}/attempts/{a['id']}"), 404)


def test_a_device_sending_too_fast_is_told_to_wait(api, session, play, said_right, monkeypatch):
    monkeypatch.setattr(limits, "ATTEMPTS_PER_DEVICE", 1)
    assert post(api, session, line_ids(play)[0], said_right).status_code == 201
    response = post(api, session, line_ids(play)[0], said_right)
    assert_error(response, 429, "too_many_attempts")
    assert int(response["Retry-After"]) >= 1


def test_recordings_we_could_not_read_count_against_the_limit_too(api, session, play, said_right, monkeypatch):
    monkeypatch.setattr(limits, "ATTEMPTS_PER_DEVICE", 2)
    for _ in range(2):
        assert_error(post(api, session, line_ids(play)[0], mp4_with_an_odd_encoder_tag(), "attempt.mp4"), 400)
    assert_error(post(api, session, line_ids(play)[0], said_right), 429, "too_many_attempts")


def test_kept_recordings_play_back_in_their_own_session_only_and_go_with_it(api, session, play, said_right,
                                                                           django_capture_on_commit_callbacks):
    assert api.patch(f"/api/sessions/{session['id']}", {"keep_recordings": True}, format="json").json()[
        "keep_recordings"] is True
    first = line_ids(play)[0]
    old = post(api, session, first, said_right).json()
    new = post(api, session, first, said_right).json()
    assert new["recording_url"]
    heard = api.get(new["recording_url"])
    assert heard.status_code == 200 and b"".join(heard.streaming_content)[:4] == b"RIFF"
    # Only the last attempt of a line keeps its recording.
    assert api.get(f"/api/sessions/{session['id']}/attempts/{old['id']}/audio").status_code == 404
    other = api.post("/api/sessions", {"script_id": play.pk, "user_role": "maya"}, format="json").json()
    assert_error(api.get(f"/api/sessions/{other['id']}/attempts/{new['id']}/audio"), 404)
    path = recording_path(LineAttempt.objects.get(pk=new["id"]).recording)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/sessions/{session['id']}").status_code == 204
    assert not path.exists()


def test_a_parents_purge_removes_kept_recordings(api, session, play, said_right, django_capture_on_commit_callbacks):
    api.patch(f"/api/sessions/{session['id']}", {"keep_recordings": True}, format="json")
    post(api, session, line_ids(play)[0], said_right)
    path = recording_path(LineAttempt.objects.get().recording)
    with django_capture_on_commit_callbacks(execute=True):
        assert recordings_purge() == 1
    assert not path.exists() and LineAttempt.objects.get().recording == ""


def test_recordings_are_not_kept_unless_the_session_asks(api, session, play, said_right):
    post(api, session, line_ids(play)[0], said_right)
    assert LineAttempt.objects.get().recording == ""


def test_a_line_is_learnt_after_three_good_attempts_in_a_row(api, session, play, said_right):
    first = line_ids(play)[0]
    progress = f"/api/sessions/{session['id']}/progress"
    assert api.get(progress).json()["scenes"][0] == {"index": 0, "title": "Scene 1: The Kitchen", "learnt": 0,
                                                      "total": 2} or api.get(progress).json()["scenes"][0]["total"] == 2
    for _ in range(2):
        post(api, session, first, said_right)
    assert api.get(progress).json()["scenes"][0]["learnt"] == 0
    post(api, session, first, said_right)
    body = api.get(progress).json()
    assert body["scenes"][0]["learnt"] == 1 and body["scenes"][0]["total"] == 2
    line = next(x for x in body["lines"] if x["line_id"] == first)
    assert line["learnt"] is True and line["attempts"] == 3 and line["best"] >= 0.9
    # A fumble puts it back on the drill list.
    post(api, session, first, wav_bytes(padded(speak(OTHER))))
    assert api.get(progress).json()["scenes"][0]["learnt"] == 0


def test_a_full_disk_is_a_507_in_plain_words_not_a_500(api, session, play, said_right, monkeypatch):
    import errno

    from sessions_app import attempts

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(attempts, "write_file_atomic", disk_full)
    api.patch(f"/api/sessions/{session['id']}", {"keep_recordings": True}, format="json")
    error = assert_error(post(api, session, line_ids(play)[0], said_right), 507, "disk_full")
    assert error["message"].startswith("This computer's disk is full")
    assert not LineAttempt.objects.exists()
