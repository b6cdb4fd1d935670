"""What /api/health and `manage.py tts_check` say about the engines and the queue."""

from __future__ import annotations

import shutil

from django.conf import settings

from .described import engine_unavailable_note
from .engines.registry import engine_names, get_engine


def disk_free_bytes() -> int:
    """Free space on the data folder's disk (the database, the audio, the recordings)."""
    return shutil.disk_usage(settings.DATA_DIR).free


def disk_nearly_full() -> bool:
    return disk_free_bytes() < settings.RUNTHRU_MIN_FREE_DISK_BYTES


def gpu_info() -> dict | None:
    """GPU name and free memory, without importing torch when it isn't installed."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return None
    import torch

    if not torch.cuda.is_available():
        return None
    free, total = torch.cuda.mem_get_info()
    return {"name": torch.cuda.get_device_name(0), "free_bytes": free, "total_bytes": total}


def engines_health() -> list[dict]:
    gpu = gpu_info()
    items = []
    for name in engine_names():
        engine = get_engine(name)
        avail = engine.availability()
        caps = engine.capabilities()
        items.append({
            "name": name,
            "label": engine.label,
            "available": avail.available,
            "reason": "" if avail.available else engine_unavailable_note(name),
            "loaded": engine.loaded,
            "device": caps.device,
            "gpu": gpu if caps.device.startswith("cuda") else None,
        })
    return items


def queue_depth() -> int:
    from django_q.brokers import get_broker

    try:
        return int(get_broker().queue_size() or 0)
    except Exception:  # a broker that is down has no depth to report
        return -1
