"""Generate starts with the scene the teen is on, so rehearsal can begin while the rest is made."""

import pytest

from tts_app.jobs import job_for
from tts_app.selectors import spoken_lines

pytestmark = pytest.mark.django_db


def _session_at(script, scene: int, line: int = 0):
    from sessions_app.services import session_create

    session = session_create(script=script, user_role="maren", tts_engine="espeak")
    session.current_scene_index, session.current_line_index = scene, line
    session.save()
    return session


def _job_lines(script, session):
    job = job_for(script=script, engine=session.tts_engine, user_role="maren",
                  voice_assignments=session.voice_assignments, session_id=session.pk,
                  start_scene=session.current_scene_index, start_line=session.current_line_index, enqueue=False)
    return list(job.lines.order_by("position").values_list("line_id", flat=True))


def _scene_of(script) -> dict:
    return {el["id"]: i for i, scene in enumerate(script.scenes) for el in scene["elements"]}


def test_the_current_scene_comes_first_then_the_scenes_after_it_then_the_ones_before(script):
    assert len(script.scenes) >= 2
    order = _job_lines(script, _session_at(script, 1))
    scenes = [_scene_of(script)[lid] for lid in order]
    current = scenes.count(1)
    assert current and scenes[:current] == [1] * current
    assert sorted(order) == sorted(el["id"] for el in spoken_lines(script, "maren"))  # every line, once


def test_within_the_scene_it_starts_at_the_teens_line(script):
    elements = script.scenes[0]["elements"]
    middle = len(elements) // 2
    order = _job_lines(script, _session_at(script, 0, middle))
    later = [el["id"] for el in elements[middle:] if el["id"] in set(order)]
    assert order[: len(later)] == later


def test_without_a_session_the_play_is_made_in_order(script):
    job = job_for(script=script, engine="espeak", user_role="maren", voice_assignments={}, enqueue=False)
    order = list(job.lines.order_by("position").values_list("line_id", flat=True))
    assert order == [el["id"] for el in spoken_lines(script, "maren")]
