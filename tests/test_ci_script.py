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


def _fake_tools(tmp_path, tools: dict[str, str]) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in tools.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    for tool in ("bash", "dirname", "env", "cat", "ls", "seq", "sleep"):
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    return bin_dir


def test_ci_fails_when_redis_will_not_start(tmp_path):
    bin_dir = _fake_tools(tmp_path, {"pg_isready": "exit 0", "redis-cli": "exit 1", "redis-server": "exit 1",
                                     "python3.11": "echo ran the tests > \"$MARKER\"; exit 0"})
    marker = tmp_path / "marker"
    result = subprocess.run(["bash", str(REPO / ".ci" / "run")], env={"PATH": str(bin_dir), "MARKER": str(marker)},
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode != 0
    assert "Redis is not running and would not start" in result.stderr
    assert not marker.exists()  # the Redis tests were not run as skips


def test_ci_fails_when_the_corpus_is_not_beside_the_checkout(tmp_path):
    checkout = tmp_path / "lonely" / "main"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", checkout / ".ci" / "run")
    bin_dir = _fake_tools(tmp_path, {"pg_isready": "exit 0", "redis-cli": "exit 0", "chromium": "exit 0",
                                     "python3.11": "echo ran the tests > \"$MARKER\"; exit 0"})
    marker = tmp_path / "marker"
    result = subprocess.run(["bash", str(checkout / ".ci" / "run")], env={"PATH": str(bin_dir), "MARKER": str(marker)},
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode != 0
    assert "the shared corpus is not beside this checkout" in result.stderr
    assert not marker.exists()


def test_the_corpus_tests_fail_instead_of_skipping_when_ci_requires_everything(tmp_path):
    test = "tests/parser/test_corpus.py::test_romeo_and_juliet_has_the_prologue_five_acts_and_the_top_speakers"
    env = dict(os.environ, RUNTHRU_CORPUS=str(tmp_path / "no-corpus"))
    env.pop("RUNTHRU_REQUIRE_ALL", None)
    here = subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:django", test], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert here.returncode == 0 and "SKIPPED" in here.stdout, here.stdout[-2000:]  # a developer's machine
    strict = subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:django", test], cwd=REPO,
                            env={**env, "RUNTHRU_REQUIRE_ALL": "1"}, capture_output=True, text=True, timeout=120)
    assert strict.returncode != 0, strict.stdout[-2000:]
    assert "missing: the shared corpus" in strict.stdout
