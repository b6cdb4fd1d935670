"""The job runner: what a teen waiting for Generate would notice."""

import pytest

from tests.helpers import ScriptedEngine, use_engine
from tts_app import audio, cache
from tts_app.jobs import MAX_ATTEMPTS, job_cancel, job_for, job_run
from tts_app.models import AudioClip, GenerationJob, JobEvent, JobLine
from tts_app.services import default_voice_assignments

pytestmark = pytest.mark.django_db


def _job(script, engine="espeak", role="maren", **kw):
    voices = default_voice_assignments(script=script, user_role=role, engine=engine)
    return job_for(script=script, engine=engine, user_role=role, voice_assignments=voices, enqueue=False, **kw)


def _all_ready_clips_are_good():
    for row in AudioClip.objects.all():
        assert cache.file_ok(row.path, row.size), row.path
        clip = audio.decode_wav(cache.absolute(row.path))
        assert clip.duration > 0.2


def test_it_speaks_every_line_the_user_does_not_play(script):
    job = job_run(job_id=_job(script).pk)
    assert job.state == GenerationJob.State.DONE
    others = [c for c in script.characters if c["id"] != "maren"]
    assert job.total == sum(c["line_count"] for c in others)
    assert job.made + job.cached == job.total and job.failed == 0
    assert AudioClip.objects.filter(script=script).count() == job.total
    _all_ready_clips_are_good()


def test_it_writes_one_progress_event_per_line_and_a_final_one(script):
    job = job_run(job_id=_job(script).pk)
    kinds = list(JobEvent.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds.count("line") == job.total
    assert kinds[-1] == "complete"
    dones = [e.payload["done"] for e in JobEvent.objects.filter(job=job, kind="line")]
    assert dones == list(range(1, job.total + 1))


def test_it_reuses_the_job_for_the_same_work(script):
    first = _job(script)
    assert _job(script).pk == first.pk


def test_a_second_session_with_the_same_voices_gets_every_clip_from_the_cache(script):
    job_run(job_id=_job(script).pk)
    second = job_run(job_id=_job(script, reuse=False).pk)
    assert second.cached == second.total and second.made == 0


def test_running_a_job_twice_is_harmless(script):
    job = _job(script)
    job_run(job_id=job.pk)
    assert job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert JobEvent.objects.filter(job=job, kind="complete").count() == 1
    assert job.made + job.cached == job.total


def test_it_gives_up_on_a_line_after_three_attempts(script):
    job = _job(script)
    line = job.lines.first()
    JobLine.objects.filter(pk=line.pk).update(attempts=MAX_ATTEMPTS)  # three workers died on it already
    job = job_run(job_id=job.pk)
    line.refresh_from_db()
    assert line.status == "failed" and "3 tries" in line.error
    assert job.state == GenerationJob.State.DONE and job.failed == 1
    assert job.made + job.cached == job.total - 1


def test_cancelling_stops_a_job_before_the_next_batch(script):
    job = _job(script)
    job_cancel(job=job)
    job.refresh_from_db()
    assert job.state == GenerationJob.State.CANCELLED
    assert job_run(job_id=job.pk) is None
    assert AudioClip.objects.count() == 0


def _without_natural_voices(monkeypatch):
    """espeak-ng as the only fallback: it speaks the sample play in milliseconds."""
    from tts_app.engines.base import Availability
    from tts_app.engines.natural import NaturalEngine

    monkeypatch.setattr(NaturalEngine, "availability", lambda self: Availability(False, "left out of this test"))


@pytest.mark.parametrize("behaviour", ["fail", "nan", "silence", "long"])
def test_a_broken_engine_falls_back_to_espeak_and_the_job_goes_on(script, monkeypatch, behaviour):
    engine = ScriptedEngine()
    engine.behaviour = behaviour
    use_engine(monkeypatch, engine)
    _without_natural_voices(monkeypatch)
    job = job_run(job_id=_job(script, engine="scripted").pk)
    assert job.state == GenerationJob.State.DONE and job.failed == 0
    assert set(AudioClip.objects.values_list("engine", flat=True)) == {"espeak"}
    _all_ready_clips_are_good()


def test_a_broken_engine_falls_back_to_the_natural_voices_first(monkeypatch):
    from scripts_app.services import script_create

    small = script_create(source="# Short\n\n## Scene 1\n\n**ANNA:** Is anyone there?\n\n**BEN:** Only me.\n")
    engine = ScriptedEngine()
    engine.behaviour = "fail"
    use_engine(monkeypatch, engine)
    job = job_run(job_id=_job(small, engine="scripted", role="ben").pk)
    assert job.state == GenerationJob.State.DONE and job.failed == 0
    assert set(AudioClip.objects.values_list("engine", flat=True)) == {"natural"}
    _all_ready_clips_are_good()


def test_a_job_whose_every_line_failed_ends_failed_with_the_reason(script, monkeypatch):
    from tts_app.engines import registry

    engine = ScriptedEngine()
    engine.behaviour = "fail"
    use_engine(monkeypatch, engine)
    monkeypatch.setattr(registry, "fallback_chain", lambda name: [name])
    monkeypatch.setattr("tts_app.clips.fallback_chain", lambda name: [name])
    job = job_run(job_id=_job(script, engine="scripted").pk)
    assert job.state == GenerationJob.State.FAILED
    assert job.failed == job.total
    assert "refused" in job.lines.first().error
    last = JobEvent.objects.filter(job=job).last()
    assert last.kind == "error" and "None of the lines could be made" in last.payload["error"]
    assert "refused" in last.payload["error"]
    assert AudioClip.objects.count() == 0


def test_a_disk_error_while_writing_fails_the_line_cleanly_and_leaves_no_ready_row(script, monkeypatch):
    def disk_full(relative, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "write_atomic", disk_full)
    job = job_run(job_id=_job(script).pk)
    assert job.failed == job.total
    assert "No space left on device" in job.lines.first().error
    assert AudioClip.objects.count() == 0


def test_a_disk_that_fills_up_part_way_ends_the_job_failed_with_the_reason(script, monkeypatch):
    real_write = cache.write_atomic
    written = []

    def fills_up(relative, data):
        if written:
            raise OSError(28, "No space left on device")
        written.append(relative)
        return real_write(relative, data)

    monkeypatch.setattr(cache, "write_atomic", fills_up)
    job = job_run(job_id=_job(script).pk)
    assert 0 < job.total - job.failed < job.failed
    assert job.state == GenerationJob.State.FAILED  # once "complete", with most lines missing
    last = JobEvent.objects.filter(job=job).last()
    assert last.kind == "error" and f"{job.failed} of {job.total} lines could not be made." in last.payload["error"]
    assert "No space left on device" in last.payload["error"]


def test_a_failure_at_the_rename_leaves_no_half_written_file(script, monkeypatch):
    import os

    real_replace = os.replace

    def broken_replace(src, dst):
        raise OSError(5, "Input/output error")

    before = set(cache.audio_root().glob("*/*"))
    monkeypatch.setattr(os, "replace", broken_replace)
    job = job_run(job_id=_job(script).pk)
    monkeypatch.setattr(os, "replace", real_replace)
    assert job.failed == job.total
    assert AudioClip.objects.count() == 0
    assert set(cache.audio_root().glob("*/*")) == before  # no new file, and no temp file left behind


def test_an_engine_that_hangs_is_given_up_and_the_line_falls_back(script, monkeypatch, settings):
    engine = ScriptedEngine()
    engine.delay = 30.0
    use_engine(monkeypatch, engine)
    _without_natural_voices(monkeypatch)
    # Long enough for espeak-ng to make a line on a busy machine, far too short for the hung engine.
    settings.RUNTHRU_LINE_TIMEOUT = 0.25
    job = job_run(job_id=_job(script, engine="scripted").pk)
    assert job.state == GenerationJob.State.DONE and job.failed == 0
    assert set(AudioClip.objects.values_list("engine", flat=True)) == {"espeak"}


def test_a_clip_another_worker_finishes_just_before_the_claim_is_not_made_again(script, monkeypatch):
    from tts_app import clips

    class Counted(ScriptedEngine):
        calls = 0  # its own count: a thread the hanging-engine test left asleep still counts ScriptedEngine's

    use_engine(monkeypatch, Counted())
    first, second = _job(script, engine="scripted"), _job(script, engine="scripted", reuse=False)
    claim_many, raced = clips._claim_many, []

    def other_worker_finishes_first(keys, owner):
        if not raced:  # between this worker's cache look-up and its claim, the other job makes every clip
            raced.append(True)
            job_run(job_id=second.pk)
        return claim_many(keys, owner)

    monkeypatch.setattr(clips, "_claim_many", other_worker_finishes_first)
    first = job_run(job_id=first.pk)
    second.refresh_from_db()
    distinct = AudioClip.objects.all().values("key").distinct().count()
    assert Counted.calls == distinct == second.made
    assert first.made == 0 and first.cached == first.total
    _all_ready_clips_are_good()
