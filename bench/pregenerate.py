"""Pre-generation overhead: the real job path against the engine alone, same lines, same run.

    python bench/pregenerate.py [--play romeo_and_juliet_pg1513.txt] [--workers 2] [--engine natural|espeak]

Prints: the engine's own time for every spoken line, the wall time of a job
run through the real path (jobs, cache writes, progress rows) with one worker
and with N worker processes, their ratios, and the time of a second run of the
same job (all cached). Uses a fresh temporary data dir and SQLite.
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


def _worker(data_dir: str, job_id: int, ready, go, engine_name: str) -> None:
    _setup(data_dir)
    from tts_app.engines.registry import get_engine
    from tts_app.jobs import job_run

    get_engine(engine_name).load()
    ready.release()
    go.wait()  # Django start-up is not generation work: every worker starts together
    job_run(job_id=job_id)


def _new_job(script, engine: str, voices: dict):
    from tts_app.jobs import job_for

    return job_for(script=script, engine=engine, user_role=None, voice_assignments=voices, reuse=False,
                   enqueue=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--play", default="romeo_and_juliet_pg1513.txt")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines (quick runs)")
    parser.add_argument("--engine", default="natural", help="the cast's preferred engine (default: natural)")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="runthru-bench-")
    _setup(data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from scripts_app.services import script_create
    from tts_app import audio
    from tts_app.engines.base import SynthesisRequest
    from tts_app.engines.registry import get_engine
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
    for name in {s.engine for s in specs}:  # a cast mixes engines (the minor parts may be espeak-ng)
        get_engine(name).load()

    # 1. The engine alone, then engine + post-processing (what any clip needs).
    requests = [SynthesisRequest(text=s.text, voice_id=s.voice_id, params=s.params) for s in specs]
    started = time.perf_counter()
    clips = [get_engine(s.engine).synthesize([r])[0] for s, r in zip(specs, requests, strict=True)]
    engine_s = time.perf_counter() - started
    started = time.perf_counter()
    for clip, spec in zip(clips, specs, strict=True):
        done = audio.postprocess(clip)
        audio.quality_problem(done, spec.text)
        audio.encode_clip(done)
    post_s = time.perf_counter() - started

    # 2. The real path, one worker in this process.
    job = _new_job(script, engine_name, voices)
    from tts_app.jobs import job_run

    started = time.perf_counter()
    job_run(job_id=job.pk)
    one_worker_s = time.perf_counter() - started
    job.refresh_from_db()
    assert job.made + job.cached == len(specs), (job.made, job.cached, job.failed, len(specs))

    # 3. A second run of the same work: everything is cached.
    again = _new_job(script, engine_name, voices)
    started = time.perf_counter()
    job_run(job_id=again.pk)
    cached_s = time.perf_counter() - started
    again.refresh_from_db()

    # 4. The real path with N worker processes sharing one job (fresh cache: other voices' keys).
    from tts_app import cache  # noqa: I001
    from tts_app.models import AudioClip

    for row in AudioClip.objects.all():
        cache.remove(row.path)
    AudioClip.objects.all().delete()
    parallel = _new_job(script, engine_name, voices)
    ctx = mp.get_context("spawn")
    ready, go = ctx.Semaphore(0), ctx.Event()
    procs = [ctx.Process(target=_worker, args=(data_dir, parallel.pk, ready, go, engine_name))
             for _ in range(args.workers)]
    spawn_started = time.perf_counter()
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    for p in procs:
        p.join()
    startup_free_s = time.perf_counter() - started
    total_wall = time.perf_counter() - spawn_started
    parallel.refresh_from_db()

    n = len(specs)
    print(f"play: {args.play}, spoken lines: {n}, cpu cores: {os.cpu_count()}")
    print(f"engine alone ({engine_name} synthesis):          {engine_s:7.2f} s  ({1000 * engine_s / n:.2f} ms/line)")
    print(f"post-processing alone (trim, loudness, mp3): {post_s:7.2f} s  ({1000 * post_s / n:.2f} ms/line)")
    print(f"real path, 1 worker:                         {one_worker_s:7.2f} s  ratio to engine "
          f"{one_worker_s / engine_s:.2f}  (to engine+post {one_worker_s / (engine_s + post_s):.2f})")
    print(f"real path, {args.workers} worker processes:               {startup_free_s:7.2f} s  ratio to engine "
          f"{startup_free_s / engine_s:.2f}  (to engine+post {startup_free_s / (engine_s + post_s):.2f})"
          f"  [incl. process start {total_wall:.2f} s]")
    print(f"second run, all cached ({again.cached} lines):        {cached_s:7.2f} s")
    print(f"made {parallel.made}, cached {parallel.cached}, failed {parallel.failed}")


if __name__ == "__main__":
    main()
