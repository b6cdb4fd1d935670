"""Pre-generation: the real job path against the raw engines alone, same lines, same run.

    python bench/pregenerate.py [--play romeo_and_juliet_pg1513.txt] [--workers 2] [--engine natural|espeak]
                                [--one-worker] [--limit N] [--no-single]

Prints, for every spoken line of the play (every role) in the cast's default voices:
- the raw engines alone, one process, then N processes sharing the lines (no jobs, no
  database, no files): the figure the real path is compared with;
- the real path (jobs, claims, post-processing, MP3 files, progress rows) with N worker
  processes, and its ratio against the raw engines on N processes (target <= 1.3);
- the time from Generate to the first playable cue of the teen's current scene (target <= 5 s),
  for a scene in the middle of the play: with workers whose models are loaded (they have made
  lines before), and with cold ones (the first Generate after starting RunThru);
- with --one-worker, the real path in one process against the engines alone;
- a second run of the same job (all cached);
- a rehearsal as --role (ROMEO) from the start of --act (Act I): Generate to its first cue, then a
  1x playthrough of the act started the moment that cue is ready, replayed against the moment
  each line became playable (a straight run never moves the job off the act's order): the stalls
  (a cue reached before its voice) and their seconds (target: 0 after the first cue).
Uses a fresh temporary data dir and SQLite.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus"


def _setup(data_dir: str) -> None:
    os.environ["RUNTHRU_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runthru_site.settings")
    import django

    from runthru_site.datadir import prepare

    prepare()
    django.setup()


def _worker(data_dir: str, job_id: int, engine_names: list, preload: bool, ready, go) -> None:
    _setup(data_dir)
    from tts_app.engines.registry import get_engine
    from tts_app.jobs import job_run

    if preload:  # model loading is not generation work
        for name in engine_names:
            get_engine(name).warm()
    ready.release()
    go.wait()  # Django start-up is not generation work: every worker starts together
    job_run(job_id=job_id)


def _raw_engine_worker(data_dir: str, specs: list[tuple], ready, go) -> None:
    """The engines alone on a share of the lines: what N workers could do with no job around them.
    `specs` are plain (engine, text, voice id, params) tuples: unpickling app objects would
    import models before Django is set up in this process."""
    _setup(data_dir)
    from tts_app.engines.base import SynthesisRequest
    from tts_app.engines.registry import get_engine

    for name in {engine for engine, *_ in specs}:
        get_engine(name).warm()
    ready.release()
    go.wait()
    for engine, text, voice_id, params in specs:
        get_engine(engine).synthesize([SynthesisRequest(text=text, voice_id=voice_id, params=params)])


def _new_job(script, engine: str, voices: dict):
    from tts_app.jobs import job_for

    return job_for(script=script, engine=engine, user_role=None, voice_assignments=voices, reuse=False,
                   enqueue=False)


def _start_processes(ctx, target, per_process_args: list[tuple]) -> tuple[list, object]:
    """One process per argument tuple, each set up and waiting for the returned event."""
    ready, go = ctx.Semaphore(0), ctx.Event()
    procs = [ctx.Process(target=target, args=(*a, ready, go)) for a in per_process_args]
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    return procs, go


def _run_processes(ctx, target, per_process_args: list[tuple]) -> float:
    """Start the processes, then time them together from the same moment."""
    procs, go = _start_processes(ctx, target, per_process_args)
    started = time.perf_counter()
    go.set()
    for p in procs:
        p.join()
    return time.perf_counter() - started


def _fresh_cache() -> None:
    from tts_app import cache
    from tts_app.models import AudioClip

    for row in AudioClip.objects.all():
        cache.remove(row.path)
    AudioClip.objects.all().delete()


def _first_cue_seconds(ctx, data_dir: str, script, engine_name: str, voices: dict, workers: int,
                       names: list, *, warm: bool) -> tuple[float, int]:
    """Generate from the middle scene: seconds until a clip of that scene can be played (its row
    exists), then the job is stopped. Warm: the workers have made lines before (their models are
    loaded); cold: the first Generate after RunThru started, whose first line loads the models."""
    from tts_app.jobs import job_cancel, job_for
    from tts_app.models import AudioClip
    from tts_app.selectors import spoken_lines

    _fresh_cache()
    spoken = {e["id"] for e in spoken_lines(script, None)}
    scenes = [[e["id"] for e in sc["elements"] if e["id"] in spoken] for sc in script.scenes]
    with_lines = [i for i, scene in enumerate(scenes) if scene]
    middle = with_lines[len(with_lines) // 2]
    job = job_for(script=script, engine=engine_name, user_role=None, voice_assignments=voices, reuse=False,
                  enqueue=False, start_scene=middle)
    procs, go = _start_processes(ctx, _worker, [(data_dir, job.pk, names, warm)] * workers)
    started = time.perf_counter()
    go.set()
    seconds = float("nan")
    while time.perf_counter() - started < 300:
        if AudioClip.objects.filter(script=script, line_id__in=scenes[middle]).exists():
            seconds = time.perf_counter() - started
            break
        time.sleep(0.02)
    job_cancel(job=job)
    for p in procs:
        p.join()
    return seconds, middle


TEEN_SECONDS_PER_WORD, TEEN_PAUSE = 0.45, 0.8  # the rehearse page's own guess at a spoken line
DIRECTION_SECONDS = 0.25


def _playthrough(ctx, data_dir: str, script, engine_name: str, role: str, act: str, workers: int,
                 names: list) -> None:
    """Generate as `role`, from the first scene of `act`, in fresh workers; replay the act at 1x."""
    from django.utils import timezone

    from scripts_app.selectors import is_user_line
    from tts_app.jobs import job_cancel, job_for
    from tts_app.models import AudioClip, JobEvent, JobLine
    from tts_app.selectors import spoken_lines
    from tts_app.services import default_voice_assignments

    _fresh_cache()
    scenes = [i for i, sc in enumerate(script.scenes) if (sc.get("act") or "").upper() == act.upper()]
    if not scenes:
        print(f"playthrough: no scene of {act} in this play")
        return
    voices = default_voice_assignments(script=script, user_role=role, engine=engine_name)
    spoken = {e["id"] for e in spoken_lines(script, role)}
    act_elements = [e for i in scenes for e in script.scenes[i]["elements"]]
    cues = [e["id"] for e in act_elements if e["id"] in spoken]
    job = job_for(script=script, engine=engine_name, user_role=role, voice_assignments=voices, reuse=False,
                  enqueue=False, start_scene=scenes[0])
    procs, go = _start_processes(ctx, _worker, [(data_dir, job.pk, names, False)] * workers)
    started_at, started = timezone.now(), time.perf_counter()
    go.set()
    while time.perf_counter() - started < 1800:
        if not JobLine.objects.filter(job=job, line_id__in=cues, status=JobLine.Status.PENDING).exists():
            break
        time.sleep(0.05)
    act_s = time.perf_counter() - started
    job_cancel(job=job)
    for p in procs:
        p.join()
    ready = {e.payload["line_id"]: (e.created_at - started_at).total_seconds()
             for e in JobEvent.objects.filter(job=job, kind="line")}
    durations = dict(AudioClip.objects.filter(script=script, line_id__in=cues).values_list("line_id", "duration"))
    first = ready[cues[0]]
    clock, stalls, stalled_s, worst, teen_lines = first, 0, 0.0, (0.0, ""), 0
    for number, e in enumerate(act_elements, 1):
        if e["id"] in spoken:
            wait = ready.get(e["id"], float("inf")) - clock
            if wait > 0:
                stalls, stalled_s, clock = stalls + 1, stalled_s + wait, clock + wait
                worst = max(worst, (wait, f"line {number}"))
            clock += durations.get(e["id"], 0.0)
        elif e["type"] == "dialogue" and is_user_line(e, role):
            teen_lines += 1
            clock += TEEN_PAUSE + TEEN_SECONDS_PER_WORD * len(e["text"].split())
        elif e["type"] == "direction":
            clock += DIRECTION_SECONDS
    print(f"as {role.upper()}, {act}: Generate to the first cue {first:.2f} s (target <= 3 s); every cue of the act "
          f"made after {act_s:.1f} s", flush=True)
    print(f"1x playthrough of {act} as {role.upper()} ({len(cues)} cues, {teen_lines} of the teen's lines, "
          f"{clock - first:.0f} s of rehearsal): {stalls} stalls after the first cue, {stalled_s:.2f} s in all"
          + (f" (longest {worst[0]:.2f} s at {worst[1]})" if stalls else "") + " (target: 0 stalls)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--play", default="romeo_and_juliet_pg1513.txt")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines (quick runs)")
    parser.add_argument("--engine", default="natural", help="the cast's preferred engine (default: natural)")
    parser.add_argument("--one-worker", action="store_true", help="also time the real path in one process")
    parser.add_argument("--role", default="romeo", help="the teen's role in the playthrough (default: romeo)")
    parser.add_argument("--act", default="ACT I", help="the act played through (default: ACT I)")
    parser.add_argument("--only-playthrough", action="store_true", help="just the playthrough (quick)")
    parser.add_argument("--no-single", action="store_true",
                        help="skip the engines and post-processing alone in one process (informative only; in "
                             "natural voices the whole play spends about 20 minutes there)")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="runthru-bench-")
    _setup(data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from scripts_app.services import script_create
    from tts_app import audio
    from tts_app.engines.base import SynthesisRequest
    from tts_app.engines.registry import get_engine
    from tts_app.jobs import job_run
    from tts_app.selectors import line_spec_for, spoken_lines
    from tts_app.services import default_voice_assignments

    text = (CORPUS / args.play).read_text(encoding="utf-8-sig")
    script = script_create(source=text)
    if args.limit:
        # Keep only the first N speeches by trimming the parsed structure.
        kept = 0
        for scene in script.parsed_json["scenes"]:
            scene["elements"] = [e for e in scene["elements"] if (kept := kept + (e["type"] == "dialogue"))
                                 <= args.limit]
        script.save(update_fields=["parsed_json"])
    engine_name = args.engine
    voices = default_voice_assignments(script=script, user_role=None, engine=engine_name)
    elements = list(spoken_lines(script, None))
    specs = [line_spec_for(e, engine=engine_name, voice_assignments=voices) for e in elements]
    names = sorted({s.engine for s in specs})  # a cast mixes engines (the minor parts may be espeak-ng)
    for name in names:
        get_engine(name).load()
    ctx = mp.get_context("spawn")
    n = len(specs)
    print(f"play: {args.play}, spoken lines: {n}, engines: {', '.join(names)}, cpu cores: {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    # 0. Rehearsing as the teen from the start of an act, the moment the first cue is ready.
    _playthrough(ctx, data_dir, script, engine_name, args.role, args.act, args.workers, names)
    if args.only_playthrough:
        return

    # 1. The raw engines: one process, then N processes each with every N-th line.
    engine_s = None
    if not args.no_single:
        started = time.perf_counter()
        clips = [get_engine(s.engine).synthesize([SynthesisRequest(text=s.text, voice_id=s.voice_id,
                                                                   params=s.params)])[0] for s in specs]
        engine_s = time.perf_counter() - started
        started = time.perf_counter()
        for clip, spec in zip(clips, specs, strict=True):
            done = audio.postprocess(clip)
            audio.quality_problem(done, spec.text)
            audio.encode_clip(done)
        post_s = time.perf_counter() - started
        del clips
        print(f"engines alone, 1 process:                    {engine_s:7.2f} s  ({1000 * engine_s / n:.1f} ms/line)")
        print(f"post-processing alone (trim, loudness, mp3): {post_s:7.2f} s  ({1000 * post_s / n:.1f} ms/line)",
              flush=True)
    plain = [(s.engine, s.text, s.voice_id, dict(s.params)) for s in specs]
    raw_n_s = _run_processes(ctx, _raw_engine_worker,
                             [(data_dir, plain[i::args.workers]) for i in range(args.workers)])
    print(f"engines alone, {args.workers} processes:                  {raw_n_s:7.2f} s", flush=True)

    # 2. The real path with N worker processes sharing one job.
    parallel = _new_job(script, engine_name, voices)
    real_n_s = _run_processes(ctx, _worker, [(data_dir, parallel.pk, names, True) for _ in range(args.workers)])
    parallel.refresh_from_db()
    assert parallel.made + parallel.cached == n, (parallel.made, parallel.cached, parallel.failed, n)
    print(f"real path, {args.workers} worker processes:               {real_n_s:7.2f} s  "
          f"ratio to the engines on {args.workers} processes {real_n_s / raw_n_s:.2f} (target <= 1.3)  "
          f"[made {parallel.made}, cached {parallel.cached}, failed {parallel.failed}]", flush=True)

    # 3. A second run of the same work: everything is cached.
    again = _new_job(script, engine_name, voices)
    started = time.perf_counter()
    job_run(job_id=again.pk)
    cached_s = time.perf_counter() - started
    again.refresh_from_db()
    print(f"second run, all cached ({again.cached} lines):     {cached_s:7.2f} s", flush=True)

    # 4. Generate to the first playable cue of the current scene, cold workers.
    for warm in (True, False):
        first_s, scene = _first_cue_seconds(ctx, data_dir, script, engine_name, voices, args.workers, names,
                                            warm=warm)
        how = "workers that have spoken before" if warm else "cold workers loading their voices"
        print(f"Generate to the first playable cue of scene {scene + 1} ({how}): {first_s:.2f} s "
              f"(target <= 5 s)", flush=True)

    # 5. Optionally, the real path in this one process.
    if args.one_worker and engine_s is not None:
        _fresh_cache()
        one = _new_job(script, engine_name, voices)
        started = time.perf_counter()
        job_run(job_id=one.pk)
        one_s = time.perf_counter() - started
        print(f"real path, 1 worker:                         {one_s:7.2f} s  ratio to the engines alone "
              f"{one_s / engine_s:.2f}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
