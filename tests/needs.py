"""What a test needs from the machine (the corpus, Redis, redis-server, Chromium).

On a developer's machine a missing one skips its tests; CI sets RUNTHRU_REQUIRE_ALL=1 (.ci/run),
and there a missing one fails the run, so a green CI can never mean "those tests didn't run".
"""

import os

import pytest


def required() -> bool:
    return os.environ.get("RUNTHRU_REQUIRE_ALL") == "1"


def missing(what: str) -> None:
    """Skip, or fail where every test must run. `what` reads after "missing: "."""
    if required():
        pytest.fail(f"missing: {what}, and this run (RUNTHRU_REQUIRE_ALL=1) must include its tests")
    pytest.skip(f"missing: {what}")
