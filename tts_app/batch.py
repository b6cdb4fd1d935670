"""Making a batch of a job's lines: one engine call and a handful of queries per batch.

With a fast engine (espeak-ng makes a line in a few milliseconds) the cost of a
line is mostly bookkeeping, so the cache lookups, claims, clip rows and line
statuses are read and written for the whole batch at once. Engines that can
batch (Chatterbox's fast path) get the whole batch in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import audio, cache
from .engines.base import EngineFailed, EngineUnavailable, SynthesisRequest
from .engines.registry import get_engine
from .models import AudioClip, ClipClaim, JobLine
from .selectors import line_spec_for
from .services import CLAIM_STALE_AFTER, LineSpec, _owner, _synthesize_checked, engine_call, owner_is_dead

MAX_ATTEMPTS = 3


@dataclass
class Outcome:
    line: JobLine
    status: str  # done | cached | failed | deferred (another worker is making the same clip)
    engine: str = ""
    error: str = ""
    seconds: float = 0.0


def _ready_rows(keys: set[str]) -> dict[str, AudioClip]:
    found: dict[str, AudioClip] = {}
    for row in AudioClip.objects.filter(key__in=keys, status=AudioClip.Status.READY):
        if row.key not in found and cache.file_ok(row.path, row.size):
            found[row.key] = row
    return found


def _claim_many(keys: set[str], owner: str) -> set[str]:
    now = timezone.now()
    ClipClaim.objects.bulk_create(
        [ClipClaim(key=k, owner=owner, claimed_at=now) for k in keys], ignore_conflicts=True
    )
    stale = now - CLAIM_STALE_AFTER
    for other in ClipClaim.objects.filter(key__in=keys).exclude(owner=owner):
        if other.claimed_at < stale or owner_is_dead(other.owner):
            ClipClaim.objects.filter(key=other.key, owner=other.owner).update(owner=owner, claimed_at=now)
    return set(ClipClaim.objects.filter(key__in=keys, owner=owner).values_list("key", flat=True))


def _synthesize_many(specs: list[LineSpec]) -> dict[str, tuple]:
    """key -> (clip, engine) for every spec; a line the batch got wrong is made
    again on its own, with the usual retry and fallback."""
    results: dict[str, tuple] = {}
    if not specs:
        return results
    engine_name = specs[0].engine
    engine = get_engine(engine_name)
    size = max(1, engine.capabilities().batch_size) if engine_name != "espeak" else len(specs)
    for start in range(0, len(specs), size):
        chunk = specs[start:start + size]
        requests = [SynthesisRequest(text=s.text, voice_id=s.voice_id, params=s.params) for s in chunk]
        try:
            clips = engine_call(engine_name, requests)
        except (EngineFailed, EngineUnavailable):
            clips = [None] * len(chunk)
        for spec, raw in zip(chunk, clips, strict=True):
            clip = audio.postprocess(raw) if raw is not None else None
            if clip is not None and audio.quality_problem(clip, spec.text) is None:
                results[spec.key] = (clip, engine_name)
            else:
                try:
                    results[spec.key] = _synthesize_checked(spec)
                except EngineFailed as exc:
                    results[spec.key] = (None, str(exc))
    return results


def run_batch(job, lines: list[JobLine], elements: dict) -> list[Outcome]:
    # The attempt is counted (and committed) before any engine is called, so a
    # line that kills its worker is given up instead of crashing every worker.
    ids = [line.pk for line in lines]
    JobLine.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
    attempts = dict(JobLine.objects.filter(pk__in=ids).values_list("pk", "attempts"))

    outcomes: list[Outcome] = []
    todo: list[tuple[JobLine, LineSpec]] = []
    for line in lines:
        element = elements.get(line.line_id)
        if element is None:
            outcomes.append(Outcome(line, "failed", error="This line is no longer in the script."))
        elif attempts[line.pk] > MAX_ATTEMPTS:
            outcomes.append(Outcome(line, "failed",
                                    error=f"Gave up after {MAX_ATTEMPTS} tries: the voice engine kept stopping."))
        else:
            todo.append((line, line_spec_for(element, engine=job.engine, voice_assignments=job.voice_assignments)))

    ready = _ready_rows({spec.key for _, spec in todo})
    owner = _owner()
    claimed = _claim_many({spec.key for _, spec in todo if spec.key not in ready}, owner)
    if claimed:
        # Another worker may have finished one of these between the look-up and the claim
        # (its rows turn READY before it lets go): look again now that nobody else can be
        # making them, or the same clip is made twice.
        ready.update(_ready_rows(claimed))
    to_make: dict[str, LineSpec] = {}
    waiting: list[tuple[JobLine, LineSpec]] = []
    for line, spec in todo:
        if spec.key not in ready and spec.key in claimed:
            to_make.setdefault(spec.key, spec)
        elif spec.key not in ready:
            waiting.append((line, spec))  # another worker is making it right now

    made: dict[str, AudioClip] = {}
    failures: dict[str, str] = {}
    try:
        for key, (clip, engine_or_error) in _synthesize_many(list(to_make.values())).items():
            if clip is None:
                failures[key] = engine_or_error or "No voice engine could speak this line."
                continue
            spec = to_make[key]
            data = audio.encode_wav(clip)
            relative = cache.relative_path_for(key)
            try:
                cache.write_atomic(relative, data)
            except OSError as exc:
                failures[key] = _disk_message(exc)
                continue
            made[key] = AudioClip(key=key, engine=engine_or_error, voice=spec.voice_id,
                                  emotion_hash=spec.emotion_hash, path=relative, size=len(data),
                                  duration=clip.duration, status=AudioClip.Status.READY)
        rows = []
        counted: set[str] = set()
        for line, spec in todo:
            source = ready.get(spec.key) or made.get(spec.key)
            if source is None:
                continue
            rows.append(AudioClip(script_id=job.script_id, line_id=line.line_id, key=spec.key, engine=source.engine,
                                  voice=source.voice, emotion_hash=source.emotion_hash, path=source.path,
                                  size=source.size, duration=source.duration, status=AudioClip.Status.READY))
            # A key made here counts as made once; repeats of the same line are cached.
            status = "cached" if spec.key in ready or spec.key in counted else "done"
            counted.add(spec.key)
            outcomes.append(Outcome(line, status, engine=source.engine, seconds=source.duration))
        # Rows say READY only now, after every file is whole on disk.
        _upsert(rows)
    finally:
        ClipClaim.objects.filter(key__in=list(claimed), owner=owner).delete()

    for line, spec in todo:
        if spec.key in failures:
            outcomes.append(Outcome(line, "failed", error=failures[spec.key]))
    for line, _spec in waiting:
        # Come back to it: by then the other worker has made it (cached) or died (claim void).
        outcomes.append(Outcome(line, "deferred"))
    return outcomes


def _disk_message(exc: OSError) -> str:
    return f"Couldn't save the audio file: {exc.strerror or exc}"


def _upsert(rows: list[AudioClip]) -> None:
    if not rows:
        return
    fields = ["engine", "voice", "emotion_hash", "path", "size", "duration", "status", "error"]
    try:
        with transaction.atomic():
            AudioClip.objects.bulk_create(rows, update_conflicts=True, unique_fields=["script", "line_id", "key"],
                                          update_fields=fields)
    except IntegrityError:  # pragma: no cover - databases without upsert support
        for row in rows:
            AudioClip.objects.update_or_create(
                script_id=row.script_id, line_id=row.line_id, key=row.key,
                defaults={f: getattr(row, f) for f in fields},
            )
