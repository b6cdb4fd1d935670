"""Rehearsal rooms under load: many rooms of phones on WebSockets, each room moving a line every
few seconds; how long from a `done` until every member's phone has the new state.

    python bench/rooms.py [--mode embedded|scaleout] [--rooms 10] [--members 4] [--interval 2]
                          [--seconds 30] [--web-procs 2]

1. setup (a Django-setup'd subprocess, fresh data dir): migrate, load the sample play, open
   ``--rooms`` rooms through the services (a host and ``--members``-1 castmates each, one
   character per member, so nobody's line is a free part), unpaused;
2. starts daphne (``--web-procs`` processes sharing one port, as ``manage.py runthru`` does);
3. every member opens ``WS /ws/rooms/{code}/`` (the kernel hands each to either process);
   each room's driver, every ``--interval`` seconds (rooms staggered), reads the speaker of
   the current line from the state its host's socket last got and POSTs ``done`` with that
   member's token; the latency of one delivery is from just before the POST to the first
   message on a member's socket carrying the new version;
4. prints p50/p95/max per delivery and per ``done`` (until the last member had it), errors
   (a ``done`` not answered 200, a delivery missing after 5 s, a socket that dropped).

Modes: ``embedded`` (SQLite, in-memory channel layer per process: the other process's phones
learn from the database poll) and ``scaleout`` (PostgreSQL at ``--database-url``, Redis channel
layer at ``--redis-url``, database 6 by default). The exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from load import Conn, _percentile  # noqa: E402

from runthru_site.webservers import start_daphne  # noqa: E402

SAMPLE = REPO / "data" / "samples" / "the_lighthouse_keepers.md"
DELIVERY_TIMEOUT = 5.0


def _setup_main(rooms: int, members: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runthru_site.settings")
    import django

    from runthru_site.datadir import prepare

    prepare()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from scripts_app.selectors import character_ids
    from scripts_app.services import script_create
    from sessions_app import rooms as room_services
    from sessions_app.services import session_create

    script = script_create(source=SAMPLE.read_text(encoding="utf-8"))
    characters = character_ids(script)
    out = []
    for _ in range(rooms):
        session = session_create(script=script, user_role=characters[0], tts_engine="espeak")
        room, host_token = room_services.room_create(session=session)
        host = room.members.get(is_host=True)
        people = [(host, host_token)] + [room_services.room_join(room=room, name=f"Member {n}")
                                         for n in range(1, members)]
        tokens = {}
        for n, (member, token) in enumerate(people):
            for character in characters[n::members]:
                room_services.room_claim(member=member, character=character)
            tokens[member.pk] = token
        room_services.room_pause(member=host, paused=False)
        out.append({"code": room.code, "host": host.pk, "tokens": tokens})
    print(json.dumps(out))


class Phone:
    """One member's WebSocket: every message's version and arrival time."""

    def __init__(self, url: str, origin: str):
        self.url, self.origin = url, origin
        self.seen: list[tuple[float, int]] = []
        self.latest: dict | None = None
        self.changed = asyncio.Event()
        self.dropped = False

    async def run(self, ready: asyncio.Event):
        from websockets.asyncio.client import connect

        try:
            async with connect(self.url, origin=self.origin, open_timeout=30) as ws:
                ready.set()
                async for raw in ws:
                    state = json.loads(raw)
                    self.seen.append((time.perf_counter(), state["version"]))
                    self.latest = state
                    self.changed.set()
        except asyncio.CancelledError:
            raise
        except Exception:
            self.dropped = True
            ready.set()

    async def wait_version(self, version: int) -> float | None:
        deadline = time.perf_counter() + DELIVERY_TIMEOUT
        while True:
            found = next((t for t, v in self.seen if v >= version), None)
            if found is not None:
                return found
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return None


async def _drive(room: dict, port: int, phones: list[Phone], host_phone: Phone, args, stats: dict, offset: float):
    conn = Conn("127.0.0.1", port)
    await asyncio.sleep(offset)
    stop = time.perf_counter() + args.seconds
    while time.perf_counter() < stop:
        tick = time.perf_counter()
        state = host_phone.latest
        if state is None:
            await asyncio.sleep(0.1)
            continue
        line_id = state["position"]["line_id"]
        if line_id is None:  # the end of the play: back to the start (not timed)
            token = room["tokens"][str(room["host"])]
            body = json.dumps({"line_id": stats["first_line"]}).encode()
            await conn.request("POST", f"/api/rooms/{room['code']}/goto",
                               {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, body)
            await asyncio.sleep(0.5)
            continue
        token = room["tokens"][str(state["speaking"]["member_id"] or room["host"])]
        started = time.perf_counter()
        status, data = await conn.request("POST", f"/api/rooms/{room['code']}/done",
                                          {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                                          json.dumps({"line_id": line_id}).encode())
        stats["answers"].append((time.perf_counter() - started) * 1000)
        if status != 200:
            stats["errors"].append(f"done answered {status}: {data[:200]!r}")
        else:
            version = json.loads(data)["version"]
            arrivals = await asyncio.gather(*(p.wait_version(version) for p in phones))
            if any(a is None for a in arrivals):
                stats["errors"].append(f"room {room['code']}: a phone never got version {version}")
            got = [max(0.0, a - started) * 1000 for a in arrivals if a is not None]
            stats["deliveries"] += got
            if len(got) == len(phones):
                stats["dones"].append(max(got))
        await asyncio.sleep(max(0.0, args.interval - (time.perf_counter() - tick)))
    await conn.close()


async def _bench(plan: list[dict], port: int, args) -> dict:
    stats: dict = {"deliveries": [], "dones": [], "answers": [], "errors": [], "first_line": None}
    origin = f"http://127.0.0.1:{port}"
    tasks, drivers, all_phones = [], [], []
    for n, room in enumerate(plan):
        phones = [Phone(f"ws://127.0.0.1:{port}/ws/rooms/{room['code']}/?token={token}", origin)
                  for token in room["tokens"].values()]
        for phone in phones:
            ready = asyncio.Event()
            tasks.append(asyncio.ensure_future(phone.run(ready)))
            await asyncio.wait_for(ready.wait(), 60)
        all_phones += phones
        host = phones[list(room["tokens"]).index(str(room["host"]))]
        drivers.append((room, phones, host, args.interval * n / len(plan)))
    while any(p.latest is None for p in all_phones if not p.dropped):
        await asyncio.sleep(0.1)
    stats["first_line"] = all_phones[0].latest["position"]["line_id"]
    await asyncio.gather(*(_drive(room, port, phones, host, args, stats, offset)
                           for room, phones, host, offset in drivers))
    dropped = sum(p.dropped for p in all_phones)
    conn = Conn("127.0.0.1", port)  # close the rooms: a scale-out database outlives the run
    for room in plan:
        await conn.request("DELETE", f"/api/rooms/{room['code']}",
                           {"Authorization": f"Bearer {room['tokens'][str(room['host'])]}"})
    await conn.close()
    if dropped:
        stats["errors"].append(f"{dropped} sockets dropped")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["embedded", "scaleout"], default="embedded")
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--web-procs", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("RUNTHRU_BENCH_ROOMS_PG",
                                                                 "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis-url", default=os.environ.get("RUNTHRU_BENCH_ROOMS_REDIS", "redis://127.0.0.1:6379/6"))
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="runthru-bench-rooms-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "RUNTHRU_SQLITE_PATH")}
    env |= {"RUNTHRU_DATA_DIR": data_dir, "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "runthru_site.settings"}
    if args.mode == "scaleout":
        env |= {"DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
    procs = []
    try:
        setup = subprocess.run([sys.executable, __file__, "--setup", str(args.rooms), str(args.members)], env=env,
                               cwd=REPO, capture_output=True, text=True, check=True)
        plan = json.loads(setup.stdout.strip().splitlines()[-1])
        port = _free_port()
        procs = start_daphne(sys.executable, "127.0.0.1", port, args.web_procs, env=env, cwd=REPO)
        _wait_ready(port)
        stats = asyncio.run(_bench(plan, port, args))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)

    deliveries, dones = sorted(stats["deliveries"]), sorted(stats["dones"])
    print(f"mode {args.mode}, {args.web_procs} web processes, {args.rooms} rooms x {args.members} members, "
          f"a line every {args.interval:g} s per room for {args.seconds:g} s")
    answers = sorted(stats["answers"])
    for name, values in (("per member delivery", deliveries), ("per done, until every member had it", dones),
                         ("the done request's own answer", answers)):
        print(f"  {name}: n={len(values)} p50 {_percentile(values, 0.5):.1f} ms  p95 {_percentile(values, 0.95):.1f} ms"
              f"  max {max(values, default=0):.1f} ms")
    print(f"  errors: {len(stats['errors'])}")
    for error in stats["errors"][:10]:
        print(f"    {error}")
    return 1 if stats["errors"] else 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = asyncio.run(_health(port))
            if conn == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the web processes did not start")


async def _health(port: int) -> int:
    conn = Conn("127.0.0.1", port)
    try:
        status, _ = await asyncio.wait_for(conn.request("GET", "/api/health"), 5)
        return status
    except TimeoutError:
        return 0
    finally:
        await conn.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--setup":
        _setup_main(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(main())
