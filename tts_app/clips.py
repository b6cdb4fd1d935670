"""Making clips, each exactly once: the one pipeline every caller uses.

A job's batch of lines, `manage.py pregenerate`, a voice preview and an ad-hoc
/api/tts/synthesize line all come through `clips_make`: a single clip is a list
of one. For a list of line specs it

1. looks in the cache for keys that are ready already;
2. claims the keys nobody else is making (a row per key: whoever inserts it makes it);
3. looks again, since another worker may have finished a key between 1 and 2;
4. makes the rest, in engine-sized batches, retrying and falling back line by line;
5. writes each file whole (temp file, fsync, rename) and only then adds its rows;
6. lets go of its claims.

A key someone else is making right now comes back as `busy`: a job comes back to
it later, a single request waits for it (`clip_make_now`).
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import audio, cache, prosody
from .engines.base import Clip, EngineFailed, EngineUnavailable, SynthesisRequest
from .engines.registry import fallback_chain, get_engine
from .models import AudioClip, ClipClaim, Voice

# A claim older than this belongs to a worker that died: someone else may take it.
CLAIM_STALE_AFTER = timedelta(minutes=5)
# How long a single request waits for another process that is making the same clip.
CLAIM_WAIT_SECONDS = 120


@dataclass(frozen=True)
class LineSpec:
    """Everything needed to make (or find) one clip."""

    text: str
    engine: str
    voice_id: str
    params: dict
    key: str
    # Kept so a fallback engine can express the same emotion with its own controls.
    emotion: dict | None = None
    # How much louder or quieter than the common target this line ends up (a shout, a whisper).
    loudness_db: float = 0.0

    @property
    def emotion_hash(self) -> str:
        return cache.params_hash(self.params)


@dataclass
class ClipResult:
    status: str  # made | cached | failed | busy (another worker is making it right now)
    row: AudioClip | None = None
    engine: str = ""
    error: str = ""


def voice_file_hash(voice_id: str) -> str:
    """Hash of a reference clip, so re-uploading a voice makes new audio."""
    for prefix in ("chatterbox-ref-", "indextts2-ref-"):
        if voice_id.startswith(prefix):
            row = Voice.objects.filter(pk=voice_id[len(prefix):]).only("sha256").first()
            return row.sha256 if row else ""
    return ""


def line_spec(*, text: str, engine: str, voice_id: str, emotion: dict | None, flat: bool = False) -> LineSpec:
    params = prosody.params_for(engine, emotion, flat=flat)
    loudness_db = prosody.loudness_offset_db(emotion, flat=flat)
    key = cache.clip_key(
        text=text, engine=engine, engine_version=get_engine(engine).version(), voice_id=voice_id,
        voice_file_hash=voice_file_hash(voice_id), params={**params, "loudness_db": loudness_db},
        postprocess_version=audio.POSTPROCESS_VERSION,
    )
    return LineSpec(text=cache.normalise_text(text), engine=engine, voice_id=voice_id, params=params, key=key,
                    emotion=None if flat else emotion, loudness_db=loudness_db)


# --- who is making what ---------------------------------------------------------

def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_is_dead(owner: str) -> bool:
    """A claim made by a process on this machine that no longer exists is void at once;
    claims from other machines expire after CLAIM_STALE_AFTER."""
    host, _, rest = owner.partition(":")
    pid = rest.split(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _ready_rows(keys: set[str]) -> dict[str, AudioClip]:
    found: dict[str, AudioClip] = {}
    keys_list = list(keys)
    for start in range(0, len(keys_list), 500):
        for row in AudioClip.objects.filter(key__in=keys_list[start:start + 500]).order_by("-updated_at"):
            if row.key not in found and cache.file_ok(row.path, row.size):
                found[row.key] = row
    return found


def _claim_many(keys: set[str], owner: str) -> set[str]:
    if not keys:
        return set()
    now = timezone.now()
    ClipClaim.objects.bulk_create([ClipClaim(key=k, owner=owner, claimed_at=now) for k in keys],
                                  ignore_conflicts=True)
    stale = now - CLAIM_STALE_AFTER
    for other in ClipClaim.objects.filter(key__in=keys).exclude(owner=owner):
        if other.claimed_at < stale or owner_is_dead(other.owner):
            # Taking over a dead worker's claim is a compare-and-set on its owner.
            ClipClaim.objects.filter(key=other.key, owner=other.owner).update(owner=owner, claimed_at=now)
    return set(ClipClaim.objects.filter(key__in=keys, owner=owner).values_list("key", flat=True))


# --- calling engines ------------------------------------------------------------

def engine_call(engine_name: str, requests: list[SynthesisRequest]) -> list[Clip]:
    """Synthesize, giving up on an engine that hangs.

    The engine runs in a helper thread; if it is not back within the budget the
    line counts as failed (and falls back). Python cannot stop the stuck thread,
    but it holds only that engine's lock, so later calls to the same engine time
    out too and fall back, while the job goes on.
    """
    budget = settings.RUNTHRU_LINE_TIMEOUT * max(1, len(requests))
    box: dict = {}

    def run():
        try:
            box["clips"] = get_engine(engine_name).synthesize(requests)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name=f"tts-{engine_name}", daemon=True)
    worker.start()
    worker.join(budget)
    if worker.is_alive():
        raise EngineFailed(f"{engine_name} took longer than {budget:.0f} s and was given up")
    if "error" in box:
        raise box["error"]
    clips = box["clips"]
    if len(clips) != len(requests):
        raise EngineFailed(f"{engine_name} returned {len(clips)} clips for {len(requests)} lines")
    return clips


def _fallback_voice(voice_id: str, engine: str) -> str:
    ids = get_engine(engine).default_voice_ids()
    digest = int(hashlib.sha256(voice_id.encode()).hexdigest(), 16)
    return ids[digest % len(ids)]


class Unspeakable(EngineFailed):
    """Every engine spoke, but none made sound that passes for the text (a "line" of symbols
    or stray characters): the text's fault, not the engines'."""


def _make_one(spec: LineSpec) -> tuple[Clip, str]:
    """One line, with quality checks, one retry and fallback. Returns the clip and the engine that made it."""
    problems = []
    engines_failed = False
    for engine_name in fallback_chain(spec.engine):
        voice = spec.voice_id if engine_name == spec.engine else _fallback_voice(spec.voice_id, engine_name)
        params = spec.params if engine_name == spec.engine else prosody.params_for(engine_name, spec.emotion)
        request = SynthesisRequest(text=spec.text, voice_id=voice, params=params)
        for _attempt in range(2):  # a clip that fails the quality check is made once more
            try:
                clip = audio.postprocess(engine_call(engine_name, [request])[0], loudness_offset_db=spec.loudness_db)
            except (EngineUnavailable, EngineFailed) as exc:
                problems.append(f"{engine_name}: {exc}")
                engines_failed = True
                break
            problem = audio.quality_problem(clip, spec.text)
            if problem is None:
                return clip, engine_name
            problems.append(f"{engine_name}: {problem}")
    if problems and not engines_failed:
        raise Unspeakable("; ".join(problems))
    raise EngineFailed("; ".join(problems) or "no engine could speak this line")


def clip_synthesize(spec: LineSpec) -> tuple[Clip, str]:
    """One line made now and not stored here (ad-hoc speech keeps its own store, tts_app.adhoc):
    the clip and the engine that made it."""
    return _make_one(spec)


def clip_ready(key: str) -> AudioClip | None:
    """A script's ready clip with this key, if one is whole on disk."""
    return _ready_rows({key}).get(key)


def _make_many(specs: list[LineSpec]) -> dict[str, tuple[Clip | None, str]]:
    """key -> (clip, engine) or (None, error) for every spec. Engines that batch get
    engine-sized batches; a line the batch got wrong is made again on its own."""
    results: dict[str, tuple[Clip | None, str]] = {}
    by_engine: dict[str, list[LineSpec]] = {}
    for spec in specs:
        by_engine.setdefault(spec.engine, []).append(spec)
    for engine_name, group in by_engine.items():
        engine = get_engine(engine_name)
        size = len(group) if engine_name == "espeak" else max(1, engine.capabilities().batch_size)
        for start in range(0, len(group), size):
            chunk = group[start:start + size]
            requests = [SynthesisRequest(text=s.text, voice_id=s.voice_id, params=s.params) for s in chunk]
            try:
                clips = engine_call(engine_name, requests)
            except (EngineFailed, EngineUnavailable):
                clips = [None] * len(chunk)
            for spec, raw in zip(chunk, clips, strict=True):
                clip = audio.postprocess(raw, loudness_offset_db=spec.loudness_db) if raw is not None else None
                if clip is not None and audio.quality_problem(clip, spec.text) is None:
                    results[spec.key] = (clip, engine_name)
                    continue
                try:
                    results[spec.key] = _make_one(spec)
                except EngineFailed as exc:
                    results[spec.key] = (None, str(exc) or "No voice engine could speak this line.")
    return results


def _disk_message(exc: OSError) -> str:
    return f"Couldn't save the audio file: {exc.strerror or exc}"


# --- the pipeline ----------------------------------------------------------------

def clips_make(items: list[tuple[LineSpec, str]], *, script_id: int | None = None) -> list[ClipResult]:
    """Find or make the clip of each (spec, line id); results in the same order.

    With a script, every line gets its own row pointing at the shared file (so the
    script's audio can be listed and purged); without one (ad-hoc speech) a row is
    added only for a clip made here.
    """
    keys = {spec.key for spec, _ in items}
    ready = _ready_rows(keys)
    owner = process_owner()
    claimed = _claim_many(keys - set(ready), owner)
    try:
        if claimed:
            # Another worker may have finished one of these between the look-up and the
            # claim (its rows are added before it lets go): look again now that nobody
            # else can be making them, or the same clip is made twice.
            ready.update(_ready_rows(claimed))
        to_make = {spec.key: spec for spec, _ in items if spec.key in claimed and spec.key not in ready}
        made: dict[str, AudioClip] = {}
        failures: dict[str, str] = {}
        for key, (clip, engine_or_error) in _make_many(list(to_make.values())).items():
            if clip is None:
                failures[key] = engine_or_error
                continue
            spec, data = to_make[key], audio.encode_clip(clip)
            relative = cache.relative_path_for(key)
            try:
                cache.write_atomic(relative, data)
            except OSError as exc:
                failures[key] = _disk_message(exc)
                continue
            made[key] = AudioClip(key=key, engine=engine_or_error, voice=spec.voice_id,
                                  emotion_hash=spec.emotion_hash, path=relative, size=len(data),
                                  duration=clip.duration)
        results, rows = _results(items, ready, made, failures, script_id)
        # Rows exist only now, after every file is whole on disk.
        _upsert(rows)
    finally:
        if claimed:
            ClipClaim.objects.filter(key__in=list(claimed), owner=owner).delete()
    return results


def _results(items, ready: dict, made: dict, failures: dict, script_id) -> tuple[list[ClipResult], list[AudioClip]]:
    results: list[ClipResult] = []
    rows: list[AudioClip] = []
    counted: set[str] = set()
    for spec, line_id in items:
        source = ready.get(spec.key) or made.get(spec.key)
        if source is None:
            error = failures.get(spec.key)
            results.append(ClipResult("failed", error=error) if error else ClipResult("busy"))
            continue
        # A key made here counts as made once; repeats of the same line are cached.
        status = "made" if spec.key in made and spec.key not in counted else "cached"
        counted.add(spec.key)
        if script_id is not None:
            # This script's line gets its own row pointing at the shared file.
            row = AudioClip(script_id=script_id, line_id=line_id, key=spec.key, engine=source.engine,
                            voice=source.voice, emotion_hash=source.emotion_hash, path=source.path,
                            size=source.size, duration=source.duration)
            rows.append(row)
        else:
            row = source
            if status == "made":
                rows.append(row)
        results.append(ClipResult(status, row=row, engine=source.engine))
    return results, rows


def _upsert(rows: list[AudioClip]) -> None:
    if not rows:
        return
    fields = ["engine", "voice", "emotion_hash", "path", "size", "duration"]
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


def clip_make_now(spec: LineSpec) -> AudioClip:
    """One clip, now: waits while another process is making the same one."""
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        (result,) = clips_make([(spec, "")])
        if result.status == "failed":
            raise EngineFailed(result.error)
        if result.status != "busy":
            return result.row
        if time.monotonic() > deadline:
            raise EngineFailed("another worker is still making this clip")
        time.sleep(0.05)
