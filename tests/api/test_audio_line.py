"""GET /api/audio/{script}/{line}: seekable clips for <audio>."""

import pytest

from sessions_app.models import RehearsalSession
from tts_app.jobs import job_for, job_run

from .api_helpers import assert_error


@pytest.fixture
def session(api, small_script):
    body = api.post("/api/sessions", {"script_id": small_script.pk, "user_role": "nora",
                                      "tts_engine": "espeak"}, format="json").json()
    return RehearsalSession.objects.select_related("script").get(pk=body["id"])


@pytest.fixture
def rank_line(small_script) -> str:
    return next(e["id"] for e in small_script.scenes[0]["elements"] if e.get("character") == "rank")


def url(session, line_id):
    return f"/api/audio/{session.script_id}/{line_id}?session={session.pk}"


def generate(session):
    job = job_for(script=session.script, engine=session.tts_engine, user_role=session.user_role,
                  voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=False)
    job_run(job_id=job.pk)


def test_it_says_a_line_is_not_generated_yet(api, session, rank_line):
    error = assert_error(api.get(url(session, rank_line)), 404, "not_generated")
    assert "Generate" in error["message"]


def test_it_serves_a_generated_line(api, session, rank_line):
    generate(session)
    response = api.get(url(session, rank_line))
    assert response.status_code == 200
    # MP3: every browser plays it, iPhone Safari included
    assert response["Content-Type"] == "audio/mpeg"
    assert response.content[:3] == b"ID3" or response.content[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"]
    assert int(response["Content-Length"]) == len(response.content)


def test_a_clip_whose_file_went_missing_is_not_served_again(api, session, rank_line):
    from tts_app import cache
    from tts_app.models import AudioClip

    generate(session)
    assert api.get(url(session, rank_line)).status_code == 200
    for row in AudioClip.objects.all():
        cache.remove(row.path)
    assert_error(api.get(url(session, rank_line)), 404, "not_generated")


def test_it_answers_head_without_a_body(api, session, rank_line):
    generate(session)
    full = api.get(url(session, rank_line))
    head = api.head(url(session, rank_line))
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == full["Content-Length"]
    assert head["ETag"] == full["ETag"]


def test_it_serves_part_of_a_clip_for_seeking(api, session, rank_line):
    generate(session)
    full = api.get(url(session, rank_line)).content
    part = api.get(url(session, rank_line), HTTP_RANGE="bytes=10-109")
    assert part.status_code == 206
    assert part.content == full[10:110]
    assert part["Content-Range"] == f"bytes 10-109/{len(full)}"
    tail = api.get(url(session, rank_line), HTTP_RANGE="bytes=-20")
    assert tail.status_code == 206
    assert tail.content == full[-20:]
    open_ended = api.get(url(session, rank_line), HTTP_RANGE="bytes=100-")
    assert open_ended.content == full[100:]


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=50-10", "bytes=-", "pages=1-2"])
def test_it_refuses_a_range_outside_the_clip(api, session, rank_line, header):
    generate(session)
    size = len(api.get(url(session, rank_line)).content)
    response = api.get(url(session, rank_line), HTTP_RANGE=header)
    assert_error(response, 416, "bad_range")
    assert response["Content-Range"] == f"bytes */{size}"


def test_it_answers_304_when_the_browser_already_has_the_clip(api, session, rank_line):
    generate(session)
    etag = api.get(url(session, rank_line))["ETag"]
    response = api.get(url(session, rank_line), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_an_unknown_line_or_script_is_not_found(api, session):
    assert_error(api.get(url(session, "nosuchline")), 404)
    assert_error(api.get(f"/api/audio/999999/abc?session={session.pk}"), 404)
    assert_error(api.get(f"/api/audio/{session.script_id}/abc?session=not-a-uuid"), 404)


def test_without_a_session_it_serves_the_clip_of_the_rehearsal_that_made_it(api, session, rank_line):
    # A different cast than the default one: the clip exists only in this rehearsal's voices.
    voices = {c: "en-gb-grandma" for c in session.voice_assignments}
    api.patch(f"/api/sessions/{session.pk}", {"voice_assignments": voices}, format="json")
    session.refresh_from_db()
    generate(session)
    response = api.get(f"/api/audio/{session.script_id}/{rank_line}")
    assert response.status_code == 200
    assert response.content == api.get(url(session, rank_line)).content


def test_without_a_session_an_unknown_line_is_not_found_not_ungenerated(api, session):
    assert_error(api.get(f"/api/audio/{session.script_id}/nosuchline"), 404, "not_found")


def test_after_a_voice_change_the_same_line_url_plays_the_new_voice(api, session, rank_line):
    """The rehearse page asks for the same URL whatever the voice: the browser must ask again
    (a cheap 304 when nothing changed), or it keeps playing the voice the parent just replaced."""
    generate(session)
    first = api.get(url(session, rank_line))
    assert "immutable" not in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    other = next(v for v in ("en-us-m7", "en-rp-m6") if v != session.voice_assignments.get("rank"))
    assert api.patch(f"/api/sessions/{session.pk}", {"voice_assignments": {"rank": other}},
                     format="json").status_code == 200
    session.refresh_from_db()
    generate(session)
    again = api.get(url(session, rank_line), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
