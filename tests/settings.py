"""Settings for the test suite: RunThru's own settings on a throwaway data dir.

pytest-django loads settings before any conftest runs, so the data dir has to
be chosen here, not in a fixture.
"""

import os
import tempfile

os.environ["RUNTHRU_DATA_DIR"] = tempfile.mkdtemp(prefix="runthru-test-data-")
os.environ["RUNTHRU_TEST_DATA_DIR"] = os.environ["RUNTHRU_DATA_DIR"]
# Sessions and jobs default to espeak-ng here: it speaks a line in milliseconds, where the
# natural voices take a few hundred, and most tests are about the machinery, not the sound.
# The natural engine's own tests (tests/tts/test_natural_engine.py) clear this.
os.environ.setdefault("RUNTHRU_TTS_ENGINE", "espeak")

from runthru_site.datadir import prepare  # noqa: E402

prepare()

from runthru_site.settings import *  # noqa: E402, F403

# Queue tasks run inline in the test process; tests of real worker processes
# start them with runthru_site.settings instead.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405

# The test runner creates and drops its database; a connection pool would keep
# a connection open past the drop.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
