"""How long a generation job has left, in words a teen reads at a glance (pure, no database).

The rate is this job's own: characters of speech an engine made per second since the job
started (seconds of speech follow characters, and a line's characters are known before it is
made). Lines found in the cache cost nothing, so they count as work left neither before nor after.
"""

from __future__ import annotations

# Too little made to know the rate yet: the first line also loads the voice's model.
MIN_MADE_CHARS = 200
MIN_ELAPSED = 2.0
# Each new measurement moves the shown figure this far towards itself...
SMOOTHING = 0.35
# ...and the shown figure never rises by more than this between two updates.
MAX_RISE = 5.0


def seconds_left(*, remaining_chars: int, made_chars: int, elapsed: float,
                 previous: float | None, since_previous: float) -> float | None:
    """The estimate to show now, or None while there is too little to go on.

    `previous` is the estimate shown last, `since_previous` the seconds since then."""
    if remaining_chars <= 0:
        return 0.0
    if made_chars < MIN_MADE_CHARS or elapsed < MIN_ELAPSED:
        return None
    measured = remaining_chars * elapsed / made_chars
    if previous is None:
        return measured
    # What the last figure says now that time has passed: the measurement nudges it.
    expected = max(0.0, previous - max(0.0, since_previous))
    smoothed = expected + SMOOTHING * (measured - expected)
    return max(0.0, min(smoothed, previous + MAX_RISE))


def time_left_words(seconds: float | None) -> str:
    """"About a minute left", never "About 1 seconds left"."""
    if seconds is None:
        return "Working out how long this takes…"
    if seconds < 12:
        return "A few seconds left"
    if seconds < 50:
        return f"About {int(round(seconds / 10) * 10)} seconds left"
    if seconds < 90:
        return "About a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"About {minutes} minutes left"
    return "Over an hour left" if seconds < 5400 else f"About {round(seconds / 3600)} hours left"
