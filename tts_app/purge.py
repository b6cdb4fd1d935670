"""Removing audio: rows and files together, never a clip that is being written.

The one way audio is deleted: `manage.py purge_audio`, the admin's actions and a
script's deletion all come here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scripts_app.models import Script
from scripts_app.services import script_delete

from . import cache
from .models import AudioClip, ClipClaim

TMP_STALE_SECONDS = 3600


@dataclass
class PurgeReport:
    rows: int = 0
    files: int = 0
    bytes: int = 0
    repaired_rows: int = 0
    details: list[str] = field(default_factory=list)


def _busy_keys() -> set[str]:
    return set(ClipClaim.objects.values_list("key", flat=True))


def purge(*, script_id: int | None = None, clip_ids: list[int] | None = None, older_than_days: int | None = None,
          orphans: bool = False, dry_run: bool = False, everything: bool = False) -> PurgeReport:
    report = PurgeReport()
    busy = _busy_keys()
    qs = AudioClip.objects.all()
    selected = script_id is not None or clip_ids is not None or older_than_days is not None or everything
    if script_id is not None:
        qs = qs.filter(script_id=script_id)
    if clip_ids is not None:
        qs = qs.filter(id__in=clip_ids)
    if older_than_days is not None:
        qs = qs.filter(updated_at__lt=timezone.now() - timedelta(days=older_than_days))
    if selected:
        rows = list(qs.exclude(key__in=busy).values_list("id", "path"))
        paths = {p for _, p in rows if p}
        ids = [i for i, _ in rows]
        report.rows += len(ids)
        with transaction.atomic():
            if not dry_run:
                AudioClip.objects.filter(id__in=ids).delete()
            still_used = set(AudioClip.objects.filter(path__in=paths).values_list("path", flat=True)) \
                if not dry_run else set(AudioClip.objects.filter(path__in=paths).exclude(id__in=ids)
                                        .values_list("path", flat=True))
        for path in paths - still_used:
            report.files += 1
            report.bytes += _size(path) if dry_run else cache.remove(path)
    if orphans:
        _repair(report, busy, dry_run)
    return report


def files_release(paths: set[str]) -> int:
    """Remove the files among `paths` that no row points at any more (their rows went
    with a deleted script). Returns the bytes freed."""
    busy = _busy_keys()
    still_used = set(AudioClip.objects.filter(path__in=paths).values_list("path", flat=True))
    return sum(cache.remove(p) for p in paths - still_used if p and Path(p).stem not in busy)


def _size(relative: str) -> int:
    try:
        return cache.absolute(relative).stat().st_size
    except (OSError, ValueError):
        return 0


def _repair(report: PurgeReport, busy: set[str], dry_run: bool) -> None:
    # Rows whose file is gone or broken: the line simply needs making again.
    broken = [
        row.id for row in AudioClip.objects.only("id", "path", "size", "key")
        if row.key not in busy and not cache.file_ok(row.path, row.size)
    ]
    report.repaired_rows += len(broken)
    if not dry_run:
        AudioClip.objects.filter(id__in=broken).delete()
    # Files no row points at, and temp files left by a crash.
    known = set(AudioClip.objects.values_list("path", flat=True))
    root = cache.audio_root()
    now = time.time()
    for path in root.glob("*/*"):
        relative = path.relative_to(root).as_posix()
        if path.name.startswith(".tmp-"):
            if now - path.stat().st_mtime < TMP_STALE_SECONDS:
                continue
        elif relative in known or path.stem in busy:
            continue
        report.files += 1
        report.bytes += path.stat().st_size if dry_run else cache.remove(relative)


def purge_deleted_scripts(*, older_than_days: int | None = None) -> int:
    """Scripts deleted longer ago than the undo time go for good, with their audio."""
    days = settings.RUNTHRU_UNDO_DAYS if older_than_days is None else older_than_days
    expired = list(Script.objects.filter(deleted_at__lt=timezone.now() - timedelta(days=days)))
    for script in expired:
        script_delete(script=script)
    return len(expired)
