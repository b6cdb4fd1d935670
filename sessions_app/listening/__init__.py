"""Listen mode: hearing the teen's line and telling them what they missed.

Pure functions with no HTTP and no database: `audio` turns what a browser
recorded into 16 kHz mono samples (after checking it), `recognise` hears it
with pocketsphinx, `align` compares the words with the script.
"""

from .align import WordResult, align_words, score_words
from .audio import MAX_ATTEMPT_BYTES, MAX_ATTEMPT_SECONDS, SAMPLE_RATE, AudioRejected, decode_attempt
from .check import LineCheck, check_heard, check_line

__all__ = [
    "MAX_ATTEMPT_BYTES", "MAX_ATTEMPT_SECONDS", "SAMPLE_RATE", "AudioRejected", "LineCheck", "WordResult",
    "align_words", "check_heard", "check_line", "decode_attempt", "score_words",
]
