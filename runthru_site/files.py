"""Files written whole or not at all: the one atomic writer every app uses."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_file_atomic(final: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename into place.

    A crash at any point leaves either no file or the whole file, never half.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-", suffix=final.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
