"""A job follows the teen: a jump to another scene while it runs makes that scene next,
without making any line twice, and two devices follow the one that moved last."""

import pytest

from tts_app.jobs import job_for, job_run
from tts_app.models import JobEvent, JobLine

pytestmark = pytest.mark.django_db

SCENES = 6


def _play() -> str:
    parts = ["# Six Scenes\n"]
    for n in range(1, SCENES + 1):
        parts.append(f"## Scene {n}\n")
        for i in range(4):
            parts.append(f"**ANNA:** Scene {n}, my line {i}, said out loud.\n")
            parts.append(f"**BEN:** Scene {n}, Ben answers {i}.\n")
            parts.append(f"**CARA:** Scene {n}, Cara adds {i}.\n")
    return "\n".join(parts)


@pytest.fixture
def play():
    from scripts_app.services import script_create

    return script_create(source=_play())


def _session(play, scene=0):
    from sessions_app.services import session_create

    session = session_create(script=play, user_role="anna", tts_engine="espeak")
    session.current_scene_index = scene
    session.save()
    return session


def _job(play, session):
    return job_for(script=play, engine=session.tts_engine, user_role=session.user_role,
                   voice_assignments=session.voice_assignments, session_id=session.pk,
                   start_scene=session.current_scene_index, start_line=session.current_line_index, enqueue=False)


def _scene_of(play) -> dict:
    return {el["id"]: i for i, scene in enumerate(play.scenes) for el in scene["elements"]}


def _made_order(job) -> list[str]:
    return [e.payload["line_id"] for e in JobEvent.objects.filter(job=job, kind="line").order_by("id")]


def _move(session, scene):
    from sessions_app.services import session_update

    session_update(session=session, current_scene_index=scene, current_line_index=0)


def test_a_jump_to_scene_5_during_a_job_started_in_scene_1_makes_scene_5_next(play):
    session = _session(play, scene=0)
    job = _job(play, session)
    jumped = []

    def on_line(line, status):
        if not jumped:
            jumped.append(line.line_id)
            _move(session, 4)

    job = job_run(job_id=job.pk, on_line=on_line)
    assert job.state == "done" and job.failed == 0
    scenes = [_scene_of(play)[lid] for lid in _made_order(job)]
    assert scenes[0] == 0  # the first line was made before the jump
    in_scene_5 = scenes.count(4)
    assert scenes[1:1 + in_scene_5] == [4] * in_scene_5, scenes


def test_following_the_teen_makes_every_line_once(play):
    session = _session(play, scene=0)
    job = _job(play, session)
    moves = iter([4, 2, 5, 1])

    def on_line(line, status):
        scene = next(moves, None)
        if scene is not None:
            _move(session, scene)

    job = job_run(job_id=job.pk, on_line=on_line)
    made = _made_order(job)
    assert len(made) == len(set(made)) == job.total == job.made
    assert JobLine.objects.filter(job=job, attempts__gt=1).count() == 0


def test_with_two_devices_the_job_follows_the_one_that_moved_last(play):
    phone, laptop = _session(play, scene=0), _session(play, scene=0)
    job = _job(play, phone)
    assert _job(play, laptop).pk == job.pk  # the same voices: one job for both
    moved = []

    def on_line(line, status):
        if not moved:
            moved.append(True)
            _move(phone, 2)
            _move(laptop, 5)

    job = job_run(job_id=job.pk, on_line=on_line)
    scenes = [_scene_of(play)[lid] for lid in _made_order(job)]
    assert scenes[1] == 5, scenes


def test_the_teens_own_lines_are_not_made(play):
    session = _session(play)
    job = job_run(job_id=_job(play, session).pk)
    speakers = {el["id"]: el["character"] for scene in play.scenes for el in scene["elements"]}
    made = {speakers[lid] for lid in _made_order(job)}
    assert made == {"ben", "cara"}
