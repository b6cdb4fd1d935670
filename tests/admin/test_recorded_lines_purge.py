"""The parents' admin: "Delete the lines a parent recorded" on rehearsals removes rows and files."""

import pytest

from scripts_app.services import script_create
from sessions_app.cues import cue_path, cue_record
from sessions_app.models import CueRecording
from sessions_app.services import session_create
from tests.speech import padded, speak, wav_bytes

PLAY = """# Two

## Scene 1

**MAYA:** Hello there.

**DAD:** Then you can help me paint the fence.
"""


@pytest.fixture
def recorded(db):
    session = session_create(script=script_create(source=PLAY), user_role="maya")
    line = next(e["id"] for e in session.script.scenes[0]["elements"] if e.get("character") == "dad")
    row = cue_record(session=session, line_id=line, data=wav_bytes(padded(speak("Then you can help me paint."))))
    return session, cue_path(row.path)


def test_a_parent_deletes_the_recorded_lines_of_a_rehearsal(parent, recorded, django_capture_on_commit_callbacks):
    session, path = recorded
    with django_capture_on_commit_callbacks(execute=True):
        response = parent.post("/admin/sessions_app/rehearsalsession/",
                               {"action": "purge_cue_recordings", "_selected_action": [str(session.pk)]},
                               follow=True)
    assert response.status_code == 200
    assert "Deleted 1 recorded line(s)" in response.content.decode()
    assert not CueRecording.objects.exists() and not path.exists()
