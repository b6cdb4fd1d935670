"""Cue tapes: how long a whole-role tape takes to make once its clips exist, and its size.

    python bench/tapes.py [--play romeo_and_juliet_pg1513.txt] [--role romeo] [--engine espeak|natural]
                          [--version gaps|lines|cues]

Generates the play's clips first (the real job path; not timed), then times the real tape
service for the whole role, and prints:
- the tape's time against its own duration (target < 10%);
- as the baseline from the same run, LAME alone encoding the same length of audio (the
  encoder RunThru uses, same bitrate and quality), and the tape's time against it;
- the tape's size in kB per second of audio (target <= 8).
Uses a fresh temporary data dir and SQLite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from pregenerate import CORPUS, _setup  # noqa: E402 (bench/ is on the path: one set-up for both)


def _lame_alone(seconds: float, rate: int) -> float:
    """Encoding `seconds` of speech-like noise with LAME alone, as the tape is encoded."""
    import lameenc
    import numpy as np

    from tts_app.audio import MP3_BITRATE_KBPS, MP3_LAME_QUALITY

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_BITRATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_LAME_QUALITY)
    block = (np.random.default_rng(1).normal(0, 0.1, 1 << 16) * 32767).astype("<i2").tobytes()
    blocks = int(seconds * rate) >> 16
    start = time.perf_counter()
    for _ in range(blocks):
        encoder.encode(block)
    encoder.flush()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--play", default="romeo_and_juliet_pg1513.txt")
    parser.add_argument("--role", default="romeo")
    parser.add_argument("--engine", default="espeak")
    parser.add_argument("--version", default="gaps", choices=["gaps", "lines", "cues"])
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="runthru-bench-tapes-")
    try:
        _run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(args, data_dir: str) -> None:
    _setup(data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from scripts_app.services import script_create
    from sessions_app.models import CueTape
    from sessions_app.services import session_create
    from sessions_app.tapes import WHOLE_ROLE, tape_file, tape_make, tape_request
    from tts_app.jobs import job_for, job_run
    from tts_app.tapes import tape_sample_rate

    script = script_create(source=(CORPUS / args.play).read_text(encoding="utf-8"))
    session = session_create(script=script, user_role=args.role, tts_engine=args.engine)
    started = time.perf_counter()
    job = job_for(script=script, engine=session.tts_engine, user_role=session.user_role,
                  voice_assignments=session.voice_assignments, session_id=session.pk, enqueue=False)
    job_run(job_id=job.pk)
    print(f"clips made first (not timed below): {job.total} lines in {time.perf_counter() - started:.1f} s")

    from unittest import mock

    with mock.patch("sessions_app.tapes._enqueue"):  # made here, in this process, and timed
        tape = tape_request(session=session, scene_id=WHOLE_ROLE, version=args.version, gap=1.0)
    started = time.perf_counter()
    tape_make(tape_id=tape.pk)
    took = time.perf_counter() - started
    tape = CueTape.objects.get(pk=tape.pk)
    assert tape.state == CueTape.State.DONE, tape.error
    from tts_app.tapes import Segment

    rate = tape_sample_rate([Segment(tape_file(tape))])
    baseline = _lame_alone(tape.duration, rate)
    print(f"whole-role tape ({args.role}, {args.version}, {args.engine}): {tape.duration / 60:.1f} min of audio, "
          f"{tape.size / 1e6:.1f} MB")
    print(f"made in {took:.1f} s = {100 * took / tape.duration:.2f}% of its duration (target < 10%)")
    print(f"baseline, LAME alone encoding as long: {baseline:.1f} s; "
          f"tape / baseline = {took / max(baseline, 1e-9):.2f}")
    print(f"size: {tape.size / 1000 / tape.duration:.2f} kB per second of audio (target <= 8)")


if __name__ == "__main__":
    main()
