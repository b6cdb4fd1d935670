"""The time left a teen reads while the voices are made: honest, smooth, plain English."""

import random

import pytest

from tts_app import eta
from tts_app.jobs import job_for, job_run
from tts_app.models import JobEvent

CHARS_PER_SECOND = 60.0  # one worker's speed in this simulation


def _uneven_lines(seed: int) -> list[int]:
    rng = random.Random(seed)
    # Mostly short replies, now and then a long speech (the shape of a real play).
    return [rng.choice([12, 20, 35, 60]) if rng.random() > 0.12 else rng.randint(400, 1400) for _ in range(220)]


def _shown_while_made(lengths: list[int], seed: int) -> list[tuple[float, float]]:
    """(seconds since start, estimate shown) after each line of a simulated job."""
    rng = random.Random(seed)
    total = sum(lengths)
    now, made, previous, previous_at, shown = 0.0, 0, None, 0.0, []
    for length in lengths:
        now += 0.3 + length / CHARS_PER_SECOND * rng.uniform(0.7, 1.4)  # a model load, a busy laptop
        made += length
        left = eta.seconds_left(remaining_chars=total - made, made_chars=made, elapsed=now,
                                previous=previous, since_previous=now - previous_at)
        if left is not None:
            shown.append((now, left))
            previous, previous_at = left, now
    return shown


@pytest.mark.parametrize("seed", range(5))
def test_a_job_with_uneven_line_lengths_never_shows_an_estimate_that_rises_by_more_than_5_s(seed):
    shown = _shown_while_made(_uneven_lines(seed), seed)
    assert len(shown) > 100
    rises = [b - a for (_, a), (_, b) in zip(shown, shown[1:], strict=False)]
    assert max(rises) <= eta.MAX_RISE


@pytest.mark.parametrize("seed", range(5))
def test_halfway_through_the_estimate_is_within_a_third_of_the_real_time_left(seed):
    shown = _shown_while_made(_uneven_lines(seed), seed)
    end = shown[-1][0]
    at, left = next((t, s) for t, s in shown if t >= end / 2)
    assert abs(left - (end - at)) <= (end - at) / 3


def test_it_speaks_plain_english():
    assert eta.time_left_words(1) == "A few seconds left"
    assert eta.time_left_words(12) == "About 10 seconds left"
    assert eta.time_left_words(44) == "About 40 seconds left"
    assert eta.time_left_words(65) == "About a minute left"
    assert eta.time_left_words(200) == "About 3 minutes left"
    assert "seconds" not in eta.time_left_words(None)


@pytest.mark.django_db
def test_each_progress_event_says_the_time_left_in_words(script):
    job = job_for(script=script, engine="espeak", user_role="maren", voice_assignments={}, enqueue=False)
    job_run(job_id=job.pk)
    payloads = [e.payload for e in JobEvent.objects.filter(job=job, kind="line").order_by("id")]
    assert all(isinstance(p["time_left"], str) and p["time_left"] for p in payloads)
    assert payloads[-1]["seconds_left"] == 0.0 and payloads[-1]["time_left"] == "A few seconds left"
