"""GET /api/audio/{script}/{line}?session=: a line a parent recorded for the rehearsal plays
their recording; every other line, or that line once the recording is deleted, the chosen voice.
A new recording is never served from a stale cache."""

import io

import pytest

from sessions_app.models import RehearsalSession
from tests.speech import padded, speak, webm_bytes
from tts_app.jobs import job_for, job_run

from .api_helpers import assert_error

LINE = "I came to say goodbye."


@pytest.fixture
def session(parent_api, small_script):
    body = parent_api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora",
                                             "tts_engine": "espeak"}, format="json").json()
    session = RehearsalSession.objects.select_related("script").get(pk=body["id"])
    job = job_for(script=session.script, engine=session.tts_engine, user_role=session.user_role,
                  voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=False)
    job_run(job_id=job.pk)
    return session


@pytest.fixture
def rank_lines(small_script) -> list[str]:
    return [e["id"] for e in small_script.scenes[0]["elements"] if e.get("character") == "rank"]


def url(session, line_id, take=None):
    return f"/api/audio/{session.script_id}/{line_id}?session={session.pk}" + (f"&take={take}" if take else "")


def record(client, session, line_id, text=LINE, voice="en-us-m3"):
    handle = io.BytesIO(webm_bytes(padded(speak(text, voice=voice))))
    handle.name = "line.webm"
    response = client.put(f"/api/sessions/{session.pk}/lines/{line_id}/recording", {"audio": handle},
                          format="multipart")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_recorded_line_plays_the_recording_and_the_others_the_chosen_voice(parent_api, api, session, rank_lines):
    recorded, other = rank_lines[:2]
    synthesized = api.get(url(session, recorded))
    assert synthesized["X-RunThru-Engine"] == "espeak"
    take = record(parent_api, session, recorded)["take"]
    state = api.get(f"/api/sessions/{session.pk}").json()
    assert state["recorded_cues"] == {recorded: take}

    played = api.get(url(session, recorded, take))  # what the rehearse page asks for
    assert played.status_code == 200 and played["X-RunThru-Engine"] == "parent"
    assert played["Content-Type"] == "audio/mpeg" and played.content != synthesized.content
    assert played["ETag"] != synthesized["ETag"]
    assert played["Cache-Control"] == "private, max-age=31536000, immutable"  # the URL names this take
    assert api.get(url(session, other))["X-RunThru-Engine"] == "espeak"  # falls back line by line


def test_a_recording_is_seekable_and_revalidates(api, parent_api, session, rank_lines):
    take = record(parent_api, session, rank_lines[0])["take"]
    whole = api.get(url(session, rank_lines[0], take))
    part = api.get(url(session, rank_lines[0], take), HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part.content == whole.content[:100]
    assert api.get(url(session, rank_lines[0], take), HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304


def test_a_new_recording_is_never_served_stale(api, parent_api, session, rank_lines):
    line = rank_lines[0]
    first = record(parent_api, session, line)
    # Without a take the URL stays the same, so the browser must ask again each time.
    plain = api.get(url(session, line))
    assert plain["X-RunThru-Engine"] == "parent" and plain["Cache-Control"] == "private, no-cache"
    second = record(parent_api, session, line, voice="en-us-m1")
    assert second["take"] != first["take"]
    assert api.get(f"/api/sessions/{session.pk}").json()["recorded_cues"][line] == second["take"]
    # The old ETag no longer matches: a browser revalidating gets the new recording.
    again = api.get(url(session, line), HTTP_IF_NONE_MATCH=plain["ETag"])
    assert again.status_code == 200 and again["ETag"] != plain["ETag"]
    # An old take's URL is not cached for good any more.
    stale = api.get(url(session, line, first["take"]))
    assert stale["ETag"] == again["ETag"] and stale["Cache-Control"] == "private, no-cache"


def test_once_deleted_the_chosen_voice_reads_the_line_again(api, parent_api, session, rank_lines,
                                                          django_capture_on_commit_callbacks):
    line = rank_lines[0]
    take = record(parent_api, session, line)["take"]
    with django_capture_on_commit_callbacks(execute=True):
        parent_api.delete(f"/api/sessions/{session.pk}/lines/{line}/recording")
    assert api.get(f"/api/sessions/{session.pk}").json()["recorded_cues"] == {}
    back = api.get(url(session, line, take))
    assert back["X-RunThru-Engine"] == "espeak" and back["Cache-Control"] == "private, no-cache"


def test_a_recording_is_only_heard_through_its_own_rehearsal(api, parent_api, session, rank_lines, small_script):
    record(parent_api, session, rank_lines[0])
    other = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora",
                                       "tts_engine": "espeak"}, format="json").json()
    assert api.get(f"/api/audio/{small_script.pk}/{rank_lines[0]}?session={other['id']}")["X-RunThru-Engine"] \
        == "espeak"
    # Without a rehearsal the script's clip plays, never a recording.
    assert api.get(f"/api/audio/{small_script.pk}/{rank_lines[0]}")["X-RunThru-Engine"] == "espeak"


def test_a_recorded_line_plays_before_anything_is_generated(parent_api, api, small_script):
    body = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora",
                                      "tts_engine": "espeak"}, format="json").json()
    session = RehearsalSession.objects.get(pk=body["id"])
    rank = [e["id"] for e in small_script.scenes[0]["elements"] if e.get("character") == "rank"]
    assert_error(api.get(url(session, rank[0])), 404, "not_generated")
    take = record(parent_api, session, rank[0])["take"]
    assert api.get(url(session, rank[0], take))["X-RunThru-Engine"] == "parent"
    assert_error(api.get(url(session, rank[1])), 404, "not_generated")


def test_lines_nobody_recorded_cost_no_extra_query(api, parent_api, session, rank_lines):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record(parent_api, session, rank_lines[0])
    api.get(url(session, rank_lines[1]))  # the clip is found once and remembered
    with CaptureQueriesContext(connection) as asked:
        assert api.get(url(session, rank_lines[1]))["X-RunThru-Engine"] == "espeak"
    assert not [q["sql"] for q in asked.captured_queries if "cuerecording" in q["sql"]]
