"""POST /api/sessions/{id}/practice/{line_id}: a grade (again/hard/good/easy) or a listen-mode attempt
moves the line on the ladder and in the schedule; bad input is answered in the error shape."""

import pytest

from sessions_app import limits
from sessions_app.models import LineAttempt, LineGrade, RehearsalSession

from .api_helpers import assert_error
from .practice_helpers import grade, ids


def test_a_got_it_climbs_the_line_and_schedules_it(api, party_session, party):
    maya = ids(party)[0]
    response = grade(api, party_session, maya, {"grade": "good", "seconds": 12})
    assert response.status_code == 201, response.content
    graded = response.json()
    assert graded["rung_before"] == 0 and graded["rung"] == 1 and graded["due"]
    practice = api.get(f"/api/sessions/{party_session['id']}/practice").json()
    assert maya not in [x["line_id"] for x in practice["lines"]]  # not due again for a while
    assert practice["next_due"] == graded["due"]
    lines = api.get(f"/api/sessions/{party_session['id']}/progress").json()["lines"]
    line = next(x for x in lines if x["line_id"] == maya)
    assert line["rung"] == 1 and line["rung_name"] == "first_words" and line["due"] == graded["due"]
    assert api.get(f"/api/sessions/{party_session['id']}").json()["practice_seconds"] == 12


def test_a_listen_mode_attempt_is_graded_by_its_score_and_only_once(api, party_session, party):
    maya = ids(party)[0]
    rehearsal = RehearsalSession.objects.get(pk=party_session["id"])
    attempt = LineAttempt.objects.create(session=rehearsal, line_id=maya, score=0.8, duration=2.0)
    first = grade(api, party_session, maya, {"attempt_id": attempt.pk}).json()
    again = grade(api, party_session, maya, {"attempt_id": attempt.pk}).json()
    assert first["grade"] == again["grade"] == "hard" and first["attempt_id"] == attempt.pk
    assert LineGrade.objects.filter(attempt=attempt).count() == 1


def test_a_line_of_another_character_is_refused(api, party_session, party):
    assert_error(grade(api, party_session, ids(party)[1], {"grade": "good"}), 400, "not_your_line")


def test_a_line_not_in_the_script_is_a_404(api, party_session):
    assert_error(grade(api, party_session, "nosuchline", {"grade": "good"}), 404, "unknown_line")


@pytest.mark.parametrize("body", [{"grade": "great"}, {}, {"grade": "good", "attempt_id": 1}])


def test_an_unknown_grade_or_none_is_refused(api, party_session, party, body):
    error = assert_error(grade(api, party_session, ids(party)[0], body), 400, "bad_grade")
    assert "again, hard, good or easy" in error["message"]


def test_an_attempt_from_another_rehearsal_is_a_404(api, party_session, party):
    other = api.post("/api/sessions", {"script_id": party.pk, "user_role": "maya"}, format="json").json()
    attempt = LineAttempt.objects.create(session_id=other["id"], line_id=ids(party)[0], score=1.0, duration=2.0)
    assert_error(grade(api, party_session, ids(party)[0], {"attempt_id": attempt.pk}), 404)
    assert not LineGrade.objects.exists()


def test_an_attempt_at_a_different_line_is_refused(api, party_session, party):
    attempt = LineAttempt.objects.create(session_id=party_session["id"], line_id=ids(party)[2], score=1.0, duration=2.0)
    assert_error(grade(api, party_session, ids(party)[0], {"attempt_id": attempt.pk}), 400, "attempt_other_line")


def test_grading_faster_than_anyone_taps_is_slowed_down(api, party_session, party, monkeypatch):
    monkeypatch.setattr(limits, "GRADES_PER_SESSION", 2)
    for _ in range(2):
        assert grade(api, party_session, ids(party)[0], {"grade": "good"}).status_code == 201
    assert_error(grade(api, party_session, ids(party)[0], {"grade": "good"}), 429, "too_many_grades")
    assert LineGrade.objects.count() == 2
