"""PUT/POST/DELETE/GET /api/sessions/{id}/lines/{line_id}/recording and GET/DELETE
/api/sessions/{id}/recordings: a parent reads another character's lines for a rehearsal."""

import io

import numpy as np
import pytest

from scripts_app.services import script_create
from sessions_app.cues import MAX_CUE_SECONDS, cue_path
from sessions_app.models import CueRecording
from tests.speech import bad_recordings, ogg_bytes, padded, silence_wav, speak, wav_bytes, webm_bytes

from .api_helpers import assert_error

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight, whatever my father says.

**DAD:** Then you can help me paint the fence on Saturday morning.

**MAYA:** Fine. But I am choosing the colour.

**DAD:** (sternly) Nothing too bright, mind.
"""
DAD_LINE = "Then you can help me paint the fence on Saturday morning."


@pytest.fixture
def play(db):
    return script_create(source=PLAY)


@pytest.fixture
def session(parent_api, play):
    response = parent_api.post("/api/sessions", {"script_id": play.pk, "user_role": "maya"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def lines(play, character):
    return [e["id"] for e in play.scenes[0]["elements"] if e.get("character") == character]


def upload(data: bytes, name="line.webm"):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def record(client, session, line_id, data, name="line.webm", method="put"):
    return getattr(client, method)(f"/api/sessions/{session['id']}/lines/{line_id}/recording",
                                   {"audio": upload(data, name)}, format="multipart")


@pytest.fixture(scope="module")
def dad_reading() -> bytes:
    return webm_bytes(padded(speak(DAD_LINE, voice="en-us-m3")))


def test_a_parent_records_a_line_and_it_is_listed(parent_api, session, play, dad_reading):
    line = lines(play, "dad")[0]
    response = record(parent_api, session, line, dad_reading)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["line_id"] == line and body["character"] == "dad"
    assert 2 < body["duration"] < 5
    assert body["audio_url"] == f"/api/sessions/{session['id']}/lines/{line}/recording?v={body['take']}"
    listed = parent_api.get(f"/api/sessions/{session['id']}/recordings").json()
    assert listed["can_record"] is True
    assert listed["max_seconds"] == MAX_CUE_SECONDS == 180
    assert [r["line_id"] for r in listed["recordings"]] == [line]
    assert parent_api.get(f"/api/sessions/{session['id']}").json()["recorded_cues"] == {line: body["take"]}
    heard = parent_api.get(body["audio_url"])
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/mpeg"
    assert heard["Cache-Control"] == "private, max-age=31536000, immutable"  # this URL names this take


@pytest.mark.parametrize("maker, name", [(wav_bytes, "line.wav"), (ogg_bytes, "line.ogg")], ids=["wav", "ogg"])
def test_wav_and_ogg_recordings_are_taken_too(parent_api, session, play, maker, name):
    response = record(parent_api, session, lines(play, "dad")[1], maker(padded(speak("Nothing too bright, mind."))),
                      name)
    assert response.status_code == 200, response.content


def test_a_long_speech_read_in_one_take_is_kept_whole(parent_api, session, play):
    # 90 s: more than listen mode takes from the teen, and a speech a parent reads in one go.
    speech = speak(DAD_LINE, voice="en-us-m3")
    take = np.concatenate([speech] * int(np.ceil(90 * 16000 / speech.size)))[: 90 * 16000]
    response = record(parent_api, session, lines(play, "dad")[0], webm_bytes(take))
    assert response.status_code == 200, response.content
    assert response.json()["duration"] > 85


def test_the_longest_take_says_how_long_it_may_be(parent_api, session, play):
    data = webm_bytes(np.zeros(int((MAX_CUE_SECONDS + 1) * 16000), np.float32))
    error = assert_error(record(parent_api, session, lines(play, "dad")[0], data), 400, "audio_too_long")
    assert error["message"] == "That recording is longer than 3 minutes. Say one line at a time."


def test_post_records_a_line_just_like_put(parent_api, session, play, dad_reading):
    assert record(parent_api, session, lines(play, "dad")[0], dad_reading, method="post").status_code == 200
    assert CueRecording.objects.count() == 1


def test_recording_a_line_again_replaces_it(parent_api, session, play, dad_reading, django_capture_on_commit_callbacks):
    line = lines(play, "dad")[0]
    first = record(parent_api, session, line, dad_reading).json()
    old = cue_path(CueRecording.objects.get().path)
    with django_capture_on_commit_callbacks(execute=True):
        second = record(parent_api, session, line, webm_bytes(padded(speak(DAD_LINE, voice="en-us-m1")))).json()
    assert second["take"] != first["take"]
    assert CueRecording.objects.count() == 1
    assert not old.exists() and cue_path(CueRecording.objects.get().path).exists()


def test_deleting_a_recording_gives_the_line_back_to_the_chosen_voice(parent_api, session, play, dad_reading,
                                                                      django_capture_on_commit_callbacks):
    line = lines(play, "dad")[0]
    record(parent_api, session, line, dad_reading)
    path = cue_path(CueRecording.objects.get().path)
    with django_capture_on_commit_callbacks(execute=True):
        assert parent_api.delete(f"/api/sessions/{session['id']}/lines/{line}/recording").status_code == 204
    assert not path.exists()
    assert parent_api.get(f"/api/sessions/{session['id']}/recordings").json()["recordings"] == []
    assert_error(parent_api.delete(f"/api/sessions/{session['id']}/lines/{line}/recording"), 404, "no_recording")
    assert_error(parent_api.get(f"/api/sessions/{session['id']}/lines/{line}/recording"), 404, "no_recording")


def test_a_parent_can_delete_every_recording_of_a_rehearsal_at_once(parent_api, session, play, dad_reading,
                                                                    django_capture_on_commit_callbacks):
    for line in lines(play, "dad"):
        record(parent_api, session, line, dad_reading)
    paths = [cue_path(p) for p in CueRecording.objects.values_list("path", flat=True)]
    with django_capture_on_commit_callbacks(execute=True):
        assert parent_api.delete(f"/api/sessions/{session['id']}/recordings").status_code == 204
    assert not CueRecording.objects.exists() and not any(p.exists() for p in paths)


# --- who may record, and where recordings are heard --------------------------------

def test_the_teen_cannot_record_or_delete_but_sees_what_a_parent_recorded(api, parent_api, session, play,
                                                                        dad_reading):
    line = lines(play, "dad")[0]
    error = assert_error(record(api, session, line, dad_reading), 403, "parents_only")
    assert "parent" in error["message"]
    assert not CueRecording.objects.exists()
    record(parent_api, session, line, dad_reading)
    assert_error(api.delete(f"/api/sessions/{session['id']}/lines/{line}/recording"), 403, "parents_only")
    assert_error(api.delete(f"/api/sessions/{session['id']}/recordings"), 403, "parents_only")
    listed = api.get(f"/api/sessions/{session['id']}/recordings").json()
    assert listed["can_record"] is False and len(listed["recordings"]) == 1
    assert api.get(listed["recordings"][0]["audio_url"]).status_code == 200  # the teen hears the cue


def test_someone_signed_out_gets_nothing(anon, parent_api, session, play, dad_reading):
    line = lines(play, "dad")[0]
    record(parent_api, session, line, dad_reading)
    assert_error(record(anon, session, line, dad_reading), 401)
    assert_error(anon.get(f"/api/sessions/{session['id']}/lines/{line}/recording"), 401)
    assert_error(anon.get(f"/api/sessions/{session['id']}/recordings"), 401)


def test_another_rehearsal_never_gets_a_recording(parent_api, session, play, dad_reading):
    line = lines(play, "dad")[0]
    record(parent_api, session, line, dad_reading)
    other = parent_api.post("/api/sessions", {"script_id": play.pk, "user_role": "maya"}, format="json").json()
    assert_error(parent_api.get(f"/api/sessions/{other['id']}/lines/{line}/recording"), 404, "no_recording")
    assert parent_api.get(f"/api/sessions/{other['id']}/recordings").json()["recordings"] == []
    assert parent_api.get(f"/api/sessions/{other['id']}").json()["recorded_cues"] == {}


def test_the_teens_own_line_is_refused(parent_api, session, play, dad_reading):
    error = assert_error(record(parent_api, session, lines(play, "maya")[0], dad_reading), 400, "own_line")
    assert "teen's own" in error["message"]


def test_an_unknown_line_or_session_is_a_404(parent_api, session, dad_reading):
    assert_error(record(parent_api, session, "no-such-line", dad_reading), 404, "unknown_line")
    fake = {"id": "00000000-0000-0000-0000-000000000000"}
    assert_error(record(parent_api, fake, "no-such-line", dad_reading), 404)


def test_a_missing_audio_field_is_a_400(parent_api, session, play):
    response = parent_api.put(f"/api/sessions/{session['id']}/lines/{lines(play, 'dad')[0]}/recording", {},
                              format="multipart")
    assert_error(response, 400)


# --- bad audio ------------------------------------------------------------------------

@pytest.mark.parametrize("data, code", [
    *bad_recordings(MAX_CUE_SECONDS), pytest.param(silence_wav(3, 16000), "audio_silent", id="only-silence")])
def test_bad_audio_is_a_clear_400(parent_api, session, play, data, code):
    error = assert_error(record(parent_api, session, lines(play, "dad")[0], data, "line.wav"), 400, code)
    assert "recording" in error["message"] or "audio" in error["message"].lower()
    assert not CueRecording.objects.exists()


def test_bad_audio_leaves_an_earlier_recording_alone(parent_api, session, play, dad_reading):
    line = lines(play, "dad")[0]
    take = record(parent_api, session, line, dad_reading).json()["take"]
    assert_error(record(parent_api, session, line, b"not audio at all" * 10), 400, "not_audio")
    row = CueRecording.objects.get()
    assert row.take == take and cue_path(row.path).exists()


def test_a_full_disk_is_a_507_in_plain_words_not_a_500(parent_api, session, play, dad_reading, monkeypatch):
    import errno

    from sessions_app import cues

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cues, "write_file_atomic", disk_full)
    line = lines(play, "dad")[0]
    response = record(parent_api, session, line, dad_reading)
    assert response.status_code == 507, response.content
    assert response.json()["error"]["code"] == "disk_full"
