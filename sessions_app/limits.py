"""Every rate limit in RunThru, in one place.

What they buy, honestly: new PINs have 6 to 8 digits (1,000,000+ values). One address may
guess 5 times per 15 minutes (480 a day). Many addresses together get 100 wrong guesses a
day, then each further wrong guess doubles the wait for every new device, up to an hour:
about 130 guesses a day in all, so trying every 6-digit PIN takes over 20 years (half that
on average). A 4-digit PIN kept from an older install falls in about 40 days on average;
set a new one.

The budget for everyone together is no denial-of-service switch: a device that signed in
with the right PIN before (its cookie says so) is counted on its own and never waits for
the others, and a parent sees the wait, and can clear it, in the admin.
Admin passwords get the same rules, counted apart from PINs.
"""

from datetime import timedelta

# Wrong PINs from one address (or one trusted device): 5 per 15 minutes, then wait.
PIN_FAILURES_PER_ADDRESS = 5
PIN_ADDRESS_WINDOW = timedelta(minutes=15)

# Wrong PINs from everywhere together: 100 a day are free; after that a new device waits
# a minute after the latest wrong PIN, twice as long after each further one, at most an hour.
PIN_FAILURES_OVERALL = 100
PIN_OVERALL_WINDOW = timedelta(days=1)
PIN_OVERALL_FIRST_WAIT = timedelta(minutes=1)
PIN_OVERALL_MAX_WAIT = timedelta(hours=1)

# New PINs: at least this many digits (checking still accepts a shorter PIN set earlier).
PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 8

# How long a device stays trusted after its last good sign-in.
DEVICE_TRUST = timedelta(days=365)

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

# Grades of one rehearsal's lines: 120 a minute (a teen tapping "got it" every second stays
# inside); it keeps a runaway client from filling the grade log the progress is read from.
GRADES_PER_SESSION = 120
GRADES_WINDOW = timedelta(minutes=1)

# Rehearsal rooms. A join code is 8 characters from 32 (no 0/O, 1/I): 2^40, about 1.1 million
# million codes. Joining is limited to 10 a minute per address (counted in the cache: per web
# process on the embedded set-up, 2 at most, so 20 a minute; shared through Redis when set),
# and at most ROOMS_OPEN_MAX rooms are open at once: one address guessing day and night tries
# 28,800 codes a day and finds an open room about once in 5,000 years (20 rooms open all the
# time); a thousand addresses together, about once in 5 years. A room also closes 4 hours after its
# last change, so a code is worth little for long.
ROOM_CODE_LENGTH = 8
ROOM_JOINS_PER_ADDRESS = "10/min"
ROOMS_OPEN_MAX = 20
ROOM_MEMBERS_MAX = 12
# WebSockets one member may hold open in their room (a reload can overlap the old socket).
ROOM_SOCKETS_PER_MEMBER = 3
ROOM_IDLE_CLOSE = timedelta(hours=4)
# A member whose phone dropped keeps their characters this long; after it RunThru reads them.
ROOM_GRACE = timedelta(seconds=20)
# Director's notes per play, and the length of one.
NOTES_PER_SCRIPT = 500
NOTE_MAX_CHARS = 200
