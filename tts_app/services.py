"""Writes for speech: making clips (once), voices, and cleaning up audio."""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from runthru_site.errors import Unavailable, UserError

from . import audio, cache, prosody
from .engines.base import Clip, EngineFailed, EngineUnavailable, SynthesisRequest
from .engines.registry import default_engine_name, engine_names, fallback_chain, get_engine
from .models import AudioClip, ClipClaim, Voice

log = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died: someone else may take it.
CLAIM_STALE_AFTER = timedelta(minutes=5)
# How long a caller waits for another process that is making the same clip.
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

    @property
    def emotion_hash(self) -> str:
        return cache.params_hash(self.params)


def voice_file_hash(voice_id: str) -> str:
    """Hash of a reference clip, so re-uploading a voice makes new audio."""
    for prefix in ("chatterbox-ref-", "indextts2-ref-"):
        if voice_id.startswith(prefix):
            row = Voice.objects.filter(pk=voice_id[len(prefix):]).only("sha256").first()
            return row.sha256 if row else ""
    return ""


def line_spec(*, text: str, engine: str, voice_id: str, emotion: dict | None, flat: bool = False) -> LineSpec:
    params = prosody.params_for(engine, emotion, flat=flat)
    key = cache.clip_key(
        text=text, engine=engine, engine_version=get_engine(engine).version(), voice_id=voice_id,
        voice_file_hash=voice_file_hash(voice_id), params=params, postprocess_version=audio.POSTPROCESS_VERSION,
    )
    return LineSpec(text=cache.normalise_text(text), engine=engine, voice_id=voice_id, params=params, key=key,
                    emotion=emotion)


def engine_for_new_session() -> str:
    try:
        return default_engine_name()
    except EngineUnavailable:
        return "espeak"


def default_voice_assignments(*, script, user_role: str | None, engine: str) -> dict[str, str]:
    """Distinct voices for the characters the user doesn't play, chosen the same
    way every time: characters with the most lines get the first (most distinct) voices."""
    voice_ids = get_engine(engine).default_voice_ids()
    if not voice_ids:
        return {}
    others = [c for c in script.characters if c["id"] != user_role]
    others.sort(key=lambda c: (-c.get("line_count", 0), c["id"]))
    return {c["id"]: voice_ids[i % len(voice_ids)] for i, c in enumerate(others)}


def _fallback_voice(voice_id: str, engine: str) -> str:
    ids = get_engine(engine).default_voice_ids()
    digest = int(hashlib.sha256(voice_id.encode()).hexdigest(), 16)
    return ids[digest % len(ids)]


# --- making clips --------------------------------------------------------------

def _ready_row(key: str) -> AudioClip | None:
    for row in AudioClip.objects.filter(key=key, status=AudioClip.Status.READY).order_by("-updated_at")[:3]:
        if cache.file_ok(row.path, row.size):
            return row
    return None


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


def _claim(key: str, owner: str) -> bool:
    now = timezone.now()
    try:
        with transaction.atomic():
            ClipClaim.objects.create(key=key, owner=owner, claimed_at=now)
        return True
    except IntegrityError:
        existing = ClipClaim.objects.filter(key=key).first()
        if existing is None:
            return False
        if existing.claimed_at >= now - CLAIM_STALE_AFTER and not owner_is_dead(existing.owner):
            return False
        # Taking over a dead worker's claim is a compare-and-set on its owner.
        return ClipClaim.objects.filter(key=key, owner=existing.owner).update(owner=owner, claimed_at=now) == 1


def _release(key: str, owner: str) -> None:
    ClipClaim.objects.filter(key=key, owner=owner).delete()


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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


def _synthesize_checked(spec: LineSpec) -> tuple[Clip, str]:
    """Synthesize with quality checks and fallback. Returns the clip and the engine that made it."""
    problems = []
    for engine_name in fallback_chain(spec.engine):
        voice = spec.voice_id if engine_name == spec.engine else _fallback_voice(spec.voice_id, engine_name)
        params = spec.params if engine_name == spec.engine else prosody.params_for(engine_name, spec.emotion)
        request = SynthesisRequest(text=spec.text, voice_id=voice, params=params)
        for _attempt in range(2):  # a clip that fails the quality check is made once more
            try:
                clip = audio.postprocess(engine_call(engine_name, [request])[0])
            except (EngineUnavailable, EngineFailed) as exc:
                problems.append(f"{engine_name}: {exc}")
                break
            problem = audio.quality_problem(clip, spec.text)
            if problem is None:
                return clip, engine_name
            problems.append(f"{engine_name}: {problem}")
    raise EngineFailed("; ".join(problems) or "no engine could speak this line")


def clip_for(spec: LineSpec, *, script=None, line_id: str = "") -> tuple[AudioClip, bool]:
    """The READY clip for a line, made once across every process.

    Returns (row, cached) where cached means no engine was called here.
    """
    ready = _ready_row(spec.key)
    if ready is None:
        owner = _owner()
        deadline = time.monotonic() + CLAIM_WAIT_SECONDS
        while ready is None:
            if _claim(spec.key, owner):
                try:
                    ready = _ready_row(spec.key) or _make(spec, script=script, line_id=line_id)
                    return ready, False
                finally:
                    _release(spec.key, owner)
            if time.monotonic() > deadline:
                raise EngineFailed("another worker is still making this clip")
            time.sleep(0.05)
            ready = _ready_row(spec.key)
    return _link(ready, script=script, line_id=line_id), True


def _link(ready: AudioClip, *, script, line_id: str) -> AudioClip:
    """Point this script's line at an existing file."""
    if script is None or (ready.script_id == script.pk and ready.line_id == line_id):
        return ready
    row, _ = AudioClip.objects.update_or_create(
        script=script, line_id=line_id, key=ready.key,
        defaults=dict(engine=ready.engine, voice=ready.voice, emotion_hash=ready.emotion_hash, path=ready.path,
                      size=ready.size, duration=ready.duration, status=AudioClip.Status.READY, error=""),
    )
    return row


def _make(spec: LineSpec, *, script, line_id: str) -> AudioClip:
    clip, engine_used = _synthesize_checked(spec)
    data = audio.encode_wav(clip)
    relative = cache.relative_path_for(spec.key)
    cache.write_atomic(relative, data)
    # The row says READY only after the file is whole on disk.
    row, _ = AudioClip.objects.update_or_create(
        script=script, line_id=line_id, key=spec.key,
        defaults=dict(engine=engine_used, voice=spec.voice_id, emotion_hash=spec.emotion_hash, path=relative,
                      size=len(data), duration=clip.duration, status=AudioClip.Status.READY, error=""),
    )
    return row


def synthesize_one(*, text: str, engine: str, voice_id: str, emotion: dict | None, flat: bool = False) -> AudioClip:
    """The /api/tts/synthesize path: validate, then serve from the cache or make it."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("Type the words to speak.", code="empty_text")
    if len(text) > 5000:
        raise UserError("That's too long to speak in one go. Keep it under 5,000 characters.", code="too_long")
    if engine not in engine_names():
        raise UserError(
            f"There's no voice engine called {engine!r}.", code="unknown_engine",
            details={"valid": engine_names()},
        )
    voices = [v.id for v in get_engine(engine).voices()]
    if voice_id not in voices:
        raise UserError(f"There's no voice {voice_id!r} for {engine}.", code="unknown_voice", details={"valid": voices})
    availability = get_engine(engine).availability()
    if not availability.available:
        raise Unavailable(availability.reason, code="engine_unavailable", details={"engine": engine})
    spec = line_spec(text=text, engine=engine, voice_id=voice_id, emotion=emotion, flat=flat)
    try:
        row, _ = clip_for(spec)
    except EngineFailed as exc:
        raise Unavailable(f"We couldn't make that sound right now: {exc}", code="synthesis_failed") from None
    return row


# --- cleaning up ---------------------------------------------------------------

def clips_delete_for_script(*, script_id: int) -> int:
    """Remove files no remaining row points at (the rows went with the script's cascade)."""
    from .purge import purge

    return purge(orphans=True).bytes
