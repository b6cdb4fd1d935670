"""A short run of bench/load.py against the real stack (daphne on loopback, SQLite): no request may fail.

bench/load.py starts every process in a fresh data dir and stops them all in a
``finally``; this test also checks that no daphne it started outlives the run.
"""

import importlib.util
import os
from pathlib import Path

import pytest

from runthru_site.webservers import SERVE

REPO = Path(__file__).resolve().parents[2]


def _load_module():
    spec = importlib.util.spec_from_file_location("runthru_bench_load", REPO / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _daphnes_of(pid: int) -> set[int]:
    """Live web servers (daphne, or daphne as runthru_site.serve starts it) whose parent is this test
    process (what bench/load.py starts)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        state = stat.rsplit(")", 1)[1].split()[0]
        if ppid == pid and state != "Z" and (b"daphne" in cmdline or SERVE.encode() in cmdline):
            found.add(int(entry.name))
    return found


def test_load_smoke_has_no_errors():
    load = _load_module()
    args = load.parser().parse_args(["--mode", "embedded", "--clients", "20", "--seconds", "3", "--warmup", "1",
                                     "--think", "0.2", "--sign-ins", "2", "--quiet"])
    try:
        figures = load.run(args)
    finally:
        assert not _daphnes_of(os.getpid()), "a daphne started by the benchmark is still running"
    rows = figures["endpoints"]
    assert rows["overall"]["errors"] == 0, figures["error_samples"]
    for name in load.ENDPOINTS:
        assert rows[name]["requests"] > 0, f"no {name} requests were made"


@pytest.mark.parametrize("text", ["get=1", "get=4,patch=3,audio=3"])
def test_mix_parses(text):
    load = _load_module()
    mix = load._parse_mix(text)
    assert set(mix) <= {"get", "patch", "audio"} and sum(mix.values()) > 0
