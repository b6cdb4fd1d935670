"""Every rate limit in RunThru, in one place.

A 4-digit PIN has 10,000 values. With these budgets a stranger on the network
needs years to try them all, while a teen who mistypes gets five tries.
"""

from datetime import timedelta

# Wrong PINs from one address: 5 per 15 minutes, then wait.
PIN_FAILURES_PER_ADDRESS = 5
PIN_ADDRESS_WINDOW = timedelta(minutes=15)

# Wrong PINs from everywhere together: 100 per day, then nobody can sign in
# until the oldest failure ages out or a parent clears lock-outs in the admin.
PIN_FAILURES_OVERALL = 100
PIN_OVERALL_WINDOW = timedelta(days=1)

# Speech made on request (/api/tts/synthesize), per signed-in device: 20 a minute. Each is at
# most 500 characters (tts_app.services.SYNTHESIZE_MAX_CHARS), so a device can ask for about
# 10 minutes of new speech a minute: plenty to try voices, too little to keep an engine busy
# for everyone else. Counted in the cache: per web process on the embedded set-up (2 at most),
# shared through Redis when it is set.
ADHOC_SPEECH_PER_DEVICE = "20/min"

# Progress streams (server-sent events) open at once, per signed-in device and web process: the
# Cast page needs one; a few more cover extra tabs. A stream holds no thread while it waits,
# but each polls the database.
PROGRESS_STREAMS_PER_DEVICE = 4

# Line attempts from one signed-in device: 30 a minute. Each one costs about a
# third of a second of one core to hear; a teen saying a line every two seconds
# stays well inside, a runaway script cannot keep both cores busy.
ATTEMPTS_PER_DEVICE = 30
ATTEMPTS_WINDOW = timedelta(minutes=1)
