"""Limits no real play reaches: past them the input is refused with a friendly message, so one
hostile or careless upload cannot tie up a web process or bloat every script list.

The longest line in the shared corpus is 117 characters and the longest play (Hamlet) has about
1,150 speeches in 20 scenes; a long TV screenplay has a few hundred scenes.
"""

import time

from .errors import ScriptParseError

MAX_LINE_CHARS = 10_000  # about 1,700 words on one line: three printed pages without a line break
MAX_LINES = 100_000  # Hamlet is about 5,000 lines; a file of 2 MB of blank lines is 2 million
MAX_SCENES = 1_000
MAX_ELEMENTS = 30_000  # speeches and stage directions together
PARSE_SECONDS = 3.0  # a 2 MB script parses in well under a second; this is a backstop only

TOO_LONG_LINE = (
    "Line {line} is very long (over {limit:,} characters). Plays have shorter lines — check that "
    "this file is the script's text, with a line break after each speech."
)
TOO_MANY_LINES = (
    "This file has more than {limit:,} lines. That's far more than any real play — check that it is your script."
)
TOO_MANY_SCENES = "This script has more than {limit:,} scenes. That's more than any real play — is it really a script?"
TOO_MANY_ELEMENTS = (
    "This script has more than {limit:,} speeches and stage directions. That's more than any real play — "
    "split it into smaller parts."
)
TOO_SLOW = "This script took too long to read. Check that it is a play script, or split it into smaller parts."


class Budget:
    """A parse's time allowance, checked every few hundred steps (reading the clock costs time too)."""

    __slots__ = ("deadline", "_steps")

    def __init__(self, seconds: float | None):
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self._steps = 0

    def step(self) -> None:
        self._steps += 1
        if self._steps & 255 == 0 and self.deadline is not None and time.monotonic() > self.deadline:
            raise ScriptParseError(TOO_SLOW)
