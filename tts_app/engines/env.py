"""The engines' own settings, read from the environment.

Engines also run without Django (the neural checks and benchmarks), so the few
variables they need are read here rather than from runthru_site.settings; the
README's Settings table lists them.
"""

from __future__ import annotations

import os


def engine_env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()
