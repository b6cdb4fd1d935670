"""Probe: the web processes' memory and /api/health's latency before, during and after a flood
from one address on the home network (issue 24's 1 and 2), on loopback only, bounded.

    python bench/hostile.py [--connections 200] [--seconds 10]

Starts two web processes as `manage.py runthru` does (runthru_site.serve on one shared socket) in a
fresh data folder, then, while health is asked every 50 ms:
  1. bodies: --connections sign-ins each declaring 12 MB and sending as fast as they can;
  2. slow headers: --connections connections sending half a header, then a byte every second.
Prints memory (RSS of the web processes, MB) and health p50/p99 (ms) for each phase, and the ratio
of each to the figure at rest from the same run. Goal: memory back within 10% of rest, p99 <= 200 ms.
(WebSockets per device, issue 24's 9, are not capped yet, so not probed here.)
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from runthru_site.webservers import start_daphne  # noqa: E402

MB = 1024 * 1024


def rss_mb(procs) -> float:
    return sum(psutil.Process(p.pid).memory_info().rss for p in procs) / MB


def health_ms(port: int) -> float:
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            s.recv(64)
    except OSError:
        return 5000.0  # refused or reset: count it as the worst
    return (time.perf_counter() - start) * 1000


def health_during(port: int, seconds: float) -> list[float]:
    times, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        times.append(health_ms(port))
        time.sleep(0.05)
    return times


def big_bodies(port: int, count: int, stop: threading.Event) -> None:
    def one():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(b"POST /api/auth/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n" % (12 * MB))
                chunk = b"x" * 65536
                for _ in range(12 * 16):
                    if stop.is_set():
                        return
                    s.sendall(chunk)
        except OSError:
            pass  # refused: what we want

    threads = [threading.Thread(target=one, daemon=True) for _ in range(count)]
    for t in threads:
        t.start()


def slow_headers(port: int, count: int, stop: threading.Event) -> list[socket.socket]:
    held = []
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        except OSError:
            pass

    def trickle():
        while not stop.wait(1.0):
            for s in held:
                try:
                    s.send(b"a")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    return held


def report(name: str, memory: float, times: list[float], rest: tuple[float, float] | None) -> tuple[float, float]:
    p99 = sorted(times)[max(0, int(len(times) * 0.99) - 1)]
    line = f"{name:<22} memory {memory:7.1f} MB   health p50 {statistics.median(times):6.1f} ms  p99 {p99:7.1f} ms"
    if rest:
        line += f"   (x{memory / rest[0]:.2f} memory, x{p99 / max(rest[1], 0.1):.1f} p99 of rest)"
    print(line, flush=True)
    return memory, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=18124)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="runthru-hostile-")
    env = {**os.environ, "RUNTHRU_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "runthru_site.settings",
           "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
    procs = start_daphne(sys.executable, "127.0.0.1", args.port, 2, env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while health_ms(args.port) >= 5000 and time.monotonic() < deadline:
            time.sleep(0.2)
        rest = report("at rest", rss_mb(procs), health_during(args.port, 3), None)
        for name, attack in (("12 MB sign-ins", big_bodies), ("half-sent headers", slow_headers)):
            stop = threading.Event()
            held = attack(args.port, args.connections, stop)
            report(f"during {name}", rss_mb(procs), health_during(args.port, args.seconds), rest)
            stop.set()
            for s in held or []:
                s.close()
            time.sleep(2)
            report(f"after {name}", rss_mb(procs), health_during(args.port, 3), rest)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)


if __name__ == "__main__":
    main()
