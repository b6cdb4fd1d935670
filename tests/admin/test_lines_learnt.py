"""The parents' admin shows lines learnt per play and role (each rehearsal is one play and one role)."""

from scripts_app.services import script_create
from sessions_app.practice import line_review
from sessions_app.services import session_create

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight.

**DAD:** Then you can help me paint the fence.

**MAYA:** Fine. But I am choosing the colour.
"""


def test_the_rehearsal_list_shows_lines_learnt_for_each_play_and_role(parent):
    script = script_create(source=PLAY)
    maya = session_create(script=script, user_role="maya")
    session_create(script=script, user_role="dad")
    first = script.scenes[0]["elements"][0]["id"]
    for _ in range(3):
        line_review(session=maya, line_id=first, grade="good")
    page = parent.get("/admin/sessions_app/rehearsalsession/").content.decode()
    assert "1 of 2 lines learnt" in page  # Maya: three good attempts at her first line
    assert "0 of 1 lines learnt" in page  # Dad has one line and no attempts
    detail = parent.get(f"/admin/sessions_app/rehearsalsession/{maya.pk}/change/").content.decode()
    assert "Scene 1: The Kitchen: 1 of 2" in detail


def test_a_rehearsals_admin_page_shows_the_progress_picture_with_the_missed_lines(parent):
    script = script_create(source=PLAY)
    maya = session_create(script=script, user_role="maya")
    first = script.scenes[0]["elements"][0]["id"]
    line_review(session=maya, line_id=first, grade="again")
    detail = parent.get(f"/admin/sessions_app/rehearsalsession/{maya.pk}/change/").content.decode()
    assert "<svg" in detail and "Lines learnt, scene by scene" in detail
    assert "I will not go to the party tonight." in detail and "missed once" in detail
    assert "Strictness: Word-perfect" in detail
