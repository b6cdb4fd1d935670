"""GET /api/rooms/{code}/audio/{line_id}: a free part's clip in the room's voices, for members
without a PIN."""

from tests.api.api_helpers import assert_error, make_client
from tests.api.room_helpers import join, open_room
from tests.helpers import queued_job
from tts_app.jobs import job_run


def test_a_member_hears_a_line_in_the_rehearsals_voices(api, script):
    job = queued_job(script)
    job_run(job_id=job.pk)
    room = open_room(api, script, session_id=job.session_id)
    tobias = next(e for s in script.scenes for e in s["elements"] if e.get("character") == "tobias")
    sam, _ = join(room, "Sam")
    response = sam.get(room.url(f"/audio/{tobias['id']}"))
    assert response.status_code == 200 and response["Content-Type"].startswith("audio/")


def test_without_the_rooms_token_there_is_no_audio(api, script):
    room = open_room(api, script)
    line = next(e for s in script.scenes for e in s["elements"] if e.get("character") == "tobias")
    assert_error(make_client().get(room.url(f"/audio/{line['id']}")), 401)


def test_a_line_that_is_not_in_the_play_is_a_404(api, script):
    room = open_room(api, script)
    assert_error(room.host.get(room.url("/audio/nope")), 404)
