"""Upgrading: attempts made before the ladder become grades, so lines learnt (and missed) keep their history."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("sessions_app", "0004_cue_recordings")]
AFTER = [("sessions_app", "0005_ladder_schedule_and_strictness")]


def test_attempts_from_before_the_upgrade_count_as_grades(rehearsal):
    from .conftest import maya_lines

    line = maya_lines(rehearsal)[0]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    attempt = old.get_model("sessions_app", "LineAttempt")
    for score in (1.0, 1.0, 1.0, 0.9):
        attempt.objects.create(session_id=rehearsal.pk, line_id=line, score=score, duration=2.0)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        from sessions_app.models import LineGrade

        assert list(LineGrade.objects.filter(line_id=line).values_list("grade", flat=True)) == [
            "good", "good", "good", "hard"]
    finally:
        # Going back to 0004 also took out the migrations beside this one (rooms, tapes…): put
        # every app back at its newest migration, or the tests after this one find no tables.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
