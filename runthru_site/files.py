"""Files written whole or not at all: the one atomic writer every app uses."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_file_atomic(final: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename into place.

    A crash at any point leaves either no file or the whole file, never half.
    """
    write_stream_atomic(final, lambda fh: fh.write(data))


def write_stream_atomic(final: Path, write: Callable[[BinaryIO], object]) -> None:
    """write_file_atomic for a file too long to hold in memory: `write` fills it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-", suffix=final.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
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
