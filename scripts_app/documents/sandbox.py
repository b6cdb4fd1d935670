"""Read a user's document in a bounded child process (worker.py): time, memory and CPU capped.

Never call this inside a database transaction: it can take seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from runthru_site.errors import Unavailable

from . import errors, limits
from .extract import KINDS, Extraction

_ROOT = Path(__file__).resolve().parents[2]  # the folder holding scripts_app, for `python -m`
# Each reading process may take WORKER_MEMORY: a few at a time per web process, the rest wait.
_SLOTS = threading.BoundedSemaphore(limits.WORKER_SLOTS)


def read_document(data: bytes, kind: str, *, seconds: float | None = None, memory: int | None = None) -> Extraction:
    """Markdown for the parser from a PDF or .docx, or DocumentRejected with a friendly message."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if len(data) > limits.MAX_BYTES:
        raise errors.DocumentRejected(
            errors.TOO_BIG.format(why=f"{len(data) // (1024 * 1024)} MB"), code="document_too_big", status=413)
    seconds = seconds or limits.WORKER_SECONDS
    memory = memory or limits.WORKER_MEMORY
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "PYTHONPATH")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
    if not _SLOTS.acquire(timeout=limits.WORKER_SECONDS):
        raise Unavailable("RunThru is busy reading other documents. Try again in a minute.", code="documents_busy")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "scripts_app.documents.worker", kind, str(memory), str(int(seconds) + 1)],
            input=data, capture_output=True, timeout=seconds, cwd=_ROOT, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        raise errors.DocumentRejected(errors.TOO_SLOW, code="document_too_slow")
    finally:
        _SLOTS.release()
    try:
        out = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        out = None
    if out is None:
        # killed for memory or CPU time (a signal), or crashed inside a C library
        raise errors.DocumentRejected(errors.TOO_BIG.format(why="reading it needed too much memory or time"),
                                      code="document_too_big")
    if out.get("ok"):
        return Extraction(kind, out["markdown"], int(out["pages"]))
    if out.get("memory"):
        raise errors.DocumentRejected(errors.TOO_BIG.format(why="reading it needed too much memory"),
                                      code="document_too_big")
    if out.get("damaged"):
        raise errors.DocumentRejected(errors.DAMAGED[kind])
    raise errors.DocumentRejected(out["message"], code=out.get("code"), status=out.get("status"))
