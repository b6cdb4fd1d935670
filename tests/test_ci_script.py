"""CI cannot go green without the browser tests: .ci/run stops when Chromium cannot be installed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_ci_fails_when_chromium_cannot_be_installed(tmp_path):
    # A PATH where Chromium is missing and apt-get fails; the services look up and running.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {"apt-get": "exit 100", "pg_isready": "exit 0", "redis-cli": "exit 0",
                       "python3.11": "echo ran the tests > \"$MARKER\"; exit 0"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    for tool in ("bash", "dirname", "env", "cat", "ls"):
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    marker = tmp_path / "marker"
    result = subprocess.run(["bash", str(REPO / ".ci" / "run")], env={"PATH": str(bin_dir), "MARKER": str(marker)},
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode != 0
    assert "chromium could not be installed" in result.stderr
    assert not marker.exists()  # it stopped before running the tests


def test_the_browser_tests_fail_instead_of_skipping_when_ci_requires_them(tmp_path):
    env = dict(os.environ, RUNTHRU_REQUIRE_BROWSER="1", RUNTHRU_CHROMIUM=str(tmp_path / "no-chromium"))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x",
                             "tests/browser/test_injected_markup.py"], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Chromium is not installed, and this run must include the browser tests" in result.stdout
