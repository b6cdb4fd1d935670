"""Each background worker readies the default voices as it starts, so the first Generate after
RunThru starts does not wait a second or two per model before its first cue can play."""

from __future__ import annotations

import logging
import threading

from django.dispatch import receiver
from django_q.signals import post_spawn

from .engines.base import EngineFailed, EngineUnavailable
from .engines.registry import default_engine_name, get_engine

log = logging.getLogger(__name__)


def voices_warm() -> None:
    """Idempotent: an engine that is ready already has nothing to do."""
    try:
        get_engine(default_engine_name()).warm()
    except (EngineUnavailable, EngineFailed) as exc:
        log.info("Voices not readied at start (they load when first used): %s", exc)


@receiver(post_spawn, dispatch_uid="tts_voices_warm_on_worker_start")
def warm_on_worker_start(sender, proc_name: str = "", **kwargs) -> None:
    # In a thread: the worker takes its first task at once; a task that needs the voices
    # meanwhile waits on the model's lock, as it would have for a first load anyway.
    threading.Thread(target=voices_warm, name="voices-warm", daemon=True).start()
