"""Load test of the real stack: daphne + Django on loopback, many signed-in clients.

    python bench/load.py [--mode embedded|scaleout] [--clients 200] [--seconds 20]
                         [--think 1.0] [--web-procs 1] [--mix get=4,patch=3,audio=3]

What it does, in a fresh temporary data dir (RUNTHRU_DATA_DIR):

1. setup (a Django-setup'd subprocess): migrate, load the sample play
   (data/samples/the_lighthouse_keepers.md), set a PIN, create one rehearsal
   session per client (role "maren", default voices), and make that session's
   audio with the real job path (tts_app.jobs.job_for/job_run, espeak), so every
   line the clients ask for is a cached clip;
2. starts daphne (``python -m runthru_site.serve -b 127.0.0.1 -p PORT runthru_site.asgi:application``;
   ``--web-procs N`` starts N sharing one port, as ``manage.py runthru`` does);
3. signs in over the API (``POST /api/auth/verify``; ``--sign-ins`` times, the
   tokens are shared round-robin: each PIN check is a deliberately slow hash);
4. runs the clients in a separate process (asyncio, a small keep-alive HTTP/1.1
   client on the standard library: no extra dependency) for ``--seconds`` after
   ``--warmup`` seconds. Each client owns a session and loops: think
   (uniform 0..2x ``--think`` seconds; 0 = closed loop, as fast as it can), then
   one of GET /api/sessions/{id}, PATCH /api/sessions/{id} {"current_line_index": n}
   (a valid n in the session's scene), GET /api/audio/{script}/{line}?session={id}
   with ``Range: bytes=0-1023`` (expects 206);
5. prints per endpoint requests/s, p50/p90/p99/max latency and errors (non-2xx or
   exceptions), overall, and the CPU seconds of the server and the client;
6. stops every process it started and removes the data dir (and, in scaleout
   mode, drops the PostgreSQL database it created).

Modes: ``embedded`` (SQLite, in-memory channel layer; the default) and
``scaleout`` (DATABASE_URL=postgres://postgres@127.0.0.1:5432/runthru_bench_<pid>,
a database created for this run and dropped after; REDIS_URL=redis://127.0.0.1:6379/12).

``--json PATH`` also writes the figures as JSON. The exit status is 1 when any
request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from runthru_site.webservers import start_daphne, web_procs_default  # noqa: E402

SAMPLE = REPO / "data" / "samples" / "the_lighthouse_keepers.md"
PG_BASE = os.environ.get("RUNTHRU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("RUNTHRU_BENCH_REDIS", "redis://127.0.0.1:6379/12")
ENDPOINTS = ("session GET", "session PATCH", "audio Range")
ROLE = "maren"
PIN = "24681357"


# --- setup: runs in its own Django-setup'd process --------------------------------------------------------------

def _setup_main(sessions: int) -> None:
    """Prepare the data dir named by RUNTHRU_DATA_DIR; print what the clients need as one JSON line."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runthru_site.settings")
    import django

    from runthru_site.datadir import prepare

    prepare()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from scripts_app.services import script_create
    from sessions_app.services import session_create
    from sessions_app.signin import pin_set
    from tts_app.jobs import job_for, job_run
    from tts_app.selectors import spoken_lines

    script = script_create(source=SAMPLE.read_text(encoding="utf-8"))
    pin_set(pin=PIN)
    first = session_create(script=script, user_role=ROLE, tts_engine="espeak")  # the load, not the voices
    started = time.monotonic()
    job = job_for(script=script, engine=first.tts_engine, user_role=ROLE, voice_assignments=first.voice_assignments,
                  session_id=first.pk, reuse=False, enqueue=False)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    if job.failed or job.made + job.cached != job.total:
        raise SystemExit(f"audio generation failed: {job.made} made, {job.cached} cached, {job.failed} failed")
    gen_seconds = time.monotonic() - started
    ids = [str(first.pk)]
    for _ in range(sessions - 1):
        s = session_create(script=script, user_role=ROLE, voice_assignments=first.voice_assignments,
                           tts_engine=first.tts_engine)
        ids.append(str(s.pk))
    print(json.dumps({
        "script_id": script.pk,
        "sessions": ids,
        "engine": first.tts_engine,
        "scene_lines": len(script.scenes[first.current_scene_index]["elements"]),
        "audio_lines": [el["id"] for el in spoken_lines(script, ROLE)],
        "generate_seconds": round(gen_seconds, 2),
    }))


# --- a small keep-alive HTTP/1.1 client ---------------------------------------------------------------------------

class Conn:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method in ("POST", "PATCH", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            status, length, chunked, close = await self._head()
            if chunked:
                data = await self._chunks()
            elif length is not None:
                data = await self.reader.readexactly(length)
            else:  # no length: the body runs to the end of the connection
                data, close = await self.reader.read(), True
        except BaseException:
            await self.close()
            raise
        if close:
            await self.close()
        return status, data

    async def _head(self):
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        status = int(line.split(b" ", 2)[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        return status, length, chunked, close

    async def _chunks(self) -> bytes:
        out = bytearray()
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(out)
            out += await self.reader.readexactly(size)
            await self.reader.readexactly(2)


# --- the clients: run in their own process -----------------------------------------------------------------------

def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


async def _client(i: int, plan: dict, stats: dict, window: list[float], stop_at: float) -> None:
    port = plan["ports"][i % len(plan["ports"])]
    conn = Conn("127.0.0.1", port)
    sid = plan["sessions"][i % len(plan["sessions"])]
    auth = {"Authorization": f"Bearer {plan['tokens'][i % len(plan['tokens'])]}"}
    json_auth = {**auth, "Content-Type": "application/json"}
    audio_auth = {**auth, "Range": "bytes=0-1023"}
    rng = random.Random(i)
    names, weights = zip(*plan["mix"].items(), strict=True)
    think = plan["think"]
    lines = plan["audio_lines"]
    loop = asyncio.get_running_loop()
    # Spread the first requests over one think time so 200 clients don't all connect at once.
    await asyncio.sleep(rng.uniform(0, max(think, 0.5)))
    while loop.time() < stop_at:
        if think > 0:
            await asyncio.sleep(rng.uniform(0, 2 * think))
        kind = rng.choices(names, weights)[0]
        if kind == "get":
            name, expect = "session GET", 200
            call = conn.request("GET", f"/api/sessions/{sid}", auth)
        elif kind == "patch":
            name, expect = "session PATCH", 200
            body = json.dumps({"current_line_index": rng.randrange(plan["scene_lines"])}).encode()
            call = conn.request("PATCH", f"/api/sessions/{sid}", json_auth, body)
        else:
            name, expect = "audio Range", 206
            line = rng.choice(lines)
            call = conn.request("GET", f"/api/audio/{plan['script_id']}/{line}?session={sid}", audio_auth)
        started = loop.time()
        error = None
        try:
            status, body = await call
            if status != expect:
                error = f"HTTP {status}: {body[:200]!r}"
        except Exception as exc:  # noqa: BLE001 - every failure is a counted error
            error = f"{type(exc).__name__}: {exc}"
        finished = loop.time()
        if started >= window[0] and finished <= window[1]:
            s = stats[name]
            s["lat"].append(finished - started)
            if error:
                s["errors"] += 1
                if len(s["samples"]) < 5 and error not in s["samples"]:
                    s["samples"].append(error)
    await conn.close()


async def _clients_main_async(plan: dict) -> dict:
    loop = asyncio.get_running_loop()
    stats = {n: {"lat": [], "errors": 0, "samples": []} for n in ENDPOINTS}
    now = loop.time()
    window = [now + plan["warmup"], now + plan["warmup"] + plan["seconds"]]
    tasks = [asyncio.create_task(_client(i, plan, stats, window, window[1])) for i in range(plan["clients"])]
    await asyncio.gather(*tasks)
    return stats


def _clients_main(plan_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    try:
        import uvloop  # type: ignore[import-not-found]

        runner = uvloop.run
        loop_name = "uvloop"
    except ImportError:
        runner = asyncio.run
        loop_name = "asyncio"
    wall = time.monotonic()
    stats = runner(_clients_main_async(plan))
    wall = time.monotonic() - wall
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = {"loop": loop_name, "cpu_seconds": usage.ru_utime + usage.ru_stime, "wall_seconds": wall, "endpoints": {}}
    for name, s in stats.items():
        lat = sorted(s["lat"])
        out["endpoints"][name] = {"count": len(lat), "errors": s["errors"], "samples": s["samples"], "lat": lat}
    print(json.dumps(out))


# --- orchestration ----------------------------------------------------------------------------------------------

def _free_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"daphne on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"daphne on port {port} did not answer in {timeout:.0f} s")


def _stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _sign_in(port: int, times: int) -> list[str]:
    async def go() -> list[str]:
        conn = Conn("127.0.0.1", port)
        tokens = []
        for _ in range(times):
            status, body = await conn.request("POST", "/api/auth/verify", {"Content-Type": "application/json"},
                                              json.dumps({"pin": PIN}).encode())
            if status != 200:
                raise RuntimeError(f"sign-in failed: HTTP {status} {body[:200]!r}")
            tokens.append(json.loads(body)["token"])
        await conn.close()
        return tokens

    return asyncio.run(go())


def summarize(result: dict, seconds: float) -> dict:
    rows, all_lat, all_err = {}, [], 0
    for name in ENDPOINTS:
        e = result["endpoints"][name]
        lat = e["lat"]
        all_lat += lat
        all_err += e["errors"]
        rows[name] = _row(lat, e["errors"], seconds)
    rows["overall"] = _row(sorted(all_lat), all_err, seconds)
    return rows


def _row(lat: list[float], errors: int, seconds: float) -> dict:
    ms = 1000.0
    return {
        "requests": len(lat), "rps": round(len(lat) / seconds, 1), "errors": errors,
        "p50_ms": round(_percentile(lat, 0.50) * ms, 1), "p90_ms": round(_percentile(lat, 0.90) * ms, 1),
        "p99_ms": round(_percentile(lat, 0.99) * ms, 1), "max_ms": round((lat[-1] if lat else 0) * ms, 1),
    }


def format_table(rows: dict) -> str:
    head = f"{'endpoint':<15} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} " \
           f"{'max ms':>8} {'errors':>7}"
    out = [head, "-" * len(head)]
    for name, r in rows.items():
        out.append(f"{name:<15} {r['requests']:>9} {r['rps']:>8} {r['p50_ms']:>8} {r['p90_ms']:>8} "
                   f"{r['p99_ms']:>8} {r['max_ms']:>8} {r['errors']:>7}")
    return "\n".join(out)


def _parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, weight = part.partition("=")
        if name not in ("get", "patch", "audio"):
            raise argparse.ArgumentTypeError(f"unknown request kind {name!r} (get, patch, audio)")
        mix[name] = float(weight)
    if not mix or sum(mix.values()) <= 0:
        raise argparse.ArgumentTypeError("the mix needs at least one positive weight")
    return mix


def run(args) -> dict:
    """Run one benchmark; returns the figures (and prints them unless quiet)."""
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    data_dir = tempfile.mkdtemp(prefix="runthru-load-")
    env = {**os.environ, "RUNTHRU_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "runthru_site.settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           # The clients stand for that many devices, but all come from loopback.
           "RUNTHRU_CONNECTIONS_PER_ADDRESS": str(max(128, 2 * args.clients))}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    db_name = None
    procs: list[subprocess.Popen] = []
    logs = []
    try:
        if args.mode == "scaleout":
            db_name = f"runthru_bench_{os.getpid()}"
            _pg(f'DROP DATABASE IF EXISTS "{db_name}"')
            _pg(f'CREATE DATABASE "{db_name}"')
            env["DATABASE_URL"] = f"{PG_BASE}/{db_name}"
            env["REDIS_URL"] = REDIS_URL
        say(f"mode {args.mode}: setting up in {data_dir} …")
        t = time.monotonic()
        setup = subprocess.run([sys.executable, __file__, "--_setup", str(args.clients)], cwd=REPO, env=env,
                               capture_output=True, text=True, timeout=600)
        if setup.returncode != 0:
            raise RuntimeError(f"setup failed:\n{setup.stdout[-3000:]}\n{setup.stderr[-3000:]}")
        info = json.loads(setup.stdout.strip().splitlines()[-1])
        say(f"  setup {time.monotonic() - t:.1f} s (audio for {len(info['audio_lines'])} lines with "
            f"{info['engine']}: {info['generate_seconds']} s)")

        # Started as `manage.py runthru` starts them: N processes sharing one listening socket.
        ports = _free_ports(1)
        log = open(Path(data_dir) / "daphne.log", "w")  # noqa: SIM115 - closed in finally
        logs.append(log)
        procs += start_daphne(sys.executable, "127.0.0.1", ports[0], args.web_procs, args.app,
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        for proc in procs:
            _wait_ready(ports[0], proc)
        servers = list(procs)
        tokens = _sign_in(ports[0], max(1, min(args.sign_ins, args.clients)))
        say(f"  {len(servers)} daphne on port {ports[0]}; {len(tokens)} sign-ins; "
            f"{args.clients} clients, think {args.think} s, {args.warmup} s warm-up + {args.seconds} s measured")

        plan = {**info, "ports": ports, "tokens": tokens, "clients": args.clients, "seconds": args.seconds,
                "warmup": args.warmup, "think": args.think, "mix": args.mix}
        plan_path = Path(data_dir) / "plan.json"
        plan_path.write_text(json.dumps(plan))
        cpu_before = [_cpu_seconds(p.pid) for p in servers]
        client = subprocess.Popen([sys.executable, __file__, "--_clients", str(plan_path)], cwd=REPO, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True)
        procs.append(client)
        out, err = client.communicate(timeout=args.warmup + args.seconds + 120)
        cpu_after = [_cpu_seconds(p.pid) for p in servers]
        if client.returncode != 0:
            raise RuntimeError(f"the client process failed ({client.returncode}):\n{err[-3000:]}")
        if any(proc.poll() is not None for proc in servers):
            raise RuntimeError("a daphne process died during the run (see daphne.log with --keep)")
        result = json.loads(out.strip().splitlines()[-1])
        rows = summarize(result, args.seconds)
        wall = result["wall_seconds"]
        server_cpu = sum(a - b for a, b in zip(cpu_after, cpu_before, strict=True))
        figures = {
            "mode": args.mode, "clients": args.clients, "seconds": args.seconds, "think": args.think,
            "web_procs": args.web_procs, "mix": args.mix, "endpoints": rows,
            "server_cpu_seconds": round(server_cpu, 1), "client_cpu_seconds": round(result["cpu_seconds"], 1),
            "client_wall_seconds": round(wall, 1), "client_loop": result["loop"],
            "error_samples": {n: e["samples"] for n, e in result["endpoints"].items() if e["samples"]},
        }
        say("")
        say(format_table(rows))
        say(f"\nCPU over the client's {wall:.1f} s (warm-up included; 2 cores = {2 * wall:.0f} core-s): "
            f"server {server_cpu:.1f} s ({100 * server_cpu / wall:.0f}% of a core), "
            f"client {result['cpu_seconds']:.1f} s ({100 * result['cpu_seconds'] / wall:.0f}% of a core, "
            f"{result['loop']})")
        for name, samples in figures["error_samples"].items():
            say(f"errors on {name}, e.g.: {samples}")
        return figures
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(Exception):
                _stop(proc)
        for log in logs:
            log.close()
        if db_name:
            with contextlib.suppress(Exception):
                _pg(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        if args.keep:
            say(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=("embedded", "scaleout"), default="embedded")
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--seconds", type=float, default=20.0, help="measured time")
    p.add_argument("--warmup", type=float, default=3.0, help="time before measuring (not counted)")
    p.add_argument("--think", type=float, default=1.0,
                   help="mean pause between a client's requests in seconds (0: closed loop)")
    p.add_argument("--mix", type=_parse_mix, default=_parse_mix("get=4,patch=3,audio=3"),
                   help="weights of the request kinds, e.g. get=4,patch=3,audio=3")
    p.add_argument("--web-procs", type=int, default=web_procs_default(),
                   help="daphne processes sharing the port (default: as manage.py runthru, RUNTHRU_WEB_PROCS "
                        "or one per core up to two)")
    p.add_argument("--sign-ins", type=int, default=4, help="real PIN sign-ins; clients share the tokens")
    p.add_argument("--app", default="runthru_site.asgi:application",
                   help="the ASGI application daphne serves (to try a changed app from another module)")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--keep", action="store_true", help="keep the data dir (daphne logs) for a look")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--_setup", type=int, help=argparse.SUPPRESS)
    p.add_argument("--_clients", help=argparse.SUPPRESS)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args._setup is not None:
        _setup_main(args._setup)
        return 0
    if args._clients:
        _clients_main(args._clients)
        return 0
    figures = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 1 if figures["endpoints"]["overall"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
