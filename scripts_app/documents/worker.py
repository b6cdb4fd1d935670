"""The bounded reading process: `python -m scripts_app.documents.worker KIND` < file > JSON.

PDF and Word readers parse hostile binary formats; a crafted file can make them spin or
swallow memory. So they run here, in a child process that caps its own address space and CPU
time before importing them, and the parent (sandbox.py) kills it after a wall-clock limit.
The child sets its own limits (instead of a preexec_fn in the parent) because preexec_fn is
unsafe in the threaded web server.
"""

from __future__ import annotations

import json
import logging
import resource
import sys


def _limit(memory: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> int:
    kind, memory, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    _limit(memory, seconds)
    logging.disable(logging.CRITICAL)  # pdfminer warns about every odd object on stderr
    from .errors import DocumentRejected
    from .extract import extract

    data = sys.stdin.buffer.read()
    try:
        found = extract(data, kind)
        out = {"ok": True, "markdown": found.markdown, "pages": found.pages}
    except DocumentRejected as exc:
        out = {"ok": False, "message": exc.message, "code": exc.code, "status": exc.status}
    except MemoryError:
        out = {"ok": False, "memory": True}
    except RecursionError:
        out = {"ok": False, "damaged": True}
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
