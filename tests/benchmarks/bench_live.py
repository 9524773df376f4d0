"""Live fan-out: 1,000 WebSocket clients on one event through the Redis channel layer on loopback.

What it does, in order:

1. a scratch SQLite database (a file, recreated each run) is migrated and filled with one dialogue
   event and 1,000 (+1) users, each with their own session (so every connection authenticates with its
   own cookie, as browsers would);
2. Daphne serves ``config.asgi:application`` in a subprocess on a free port with ``REDIS_URL`` set,
   so the channel layer is the one ``config.settings`` picks for Redis (``channels_redis``);
3. baseline: one client connected alone receives single messages sent with ``group_send`` to the
   event's Q&A group; the median of 21 such single sends is "single";
4. 1,000 clients connect to ``ws/events/<id>/`` (spread over a few client processes so that the
   clients' own parsing does not dominate what is measured) and wait for their snapshot;
5. 100 updates are sent through the channel layer from this process (``group_send`` to
   ``event-<id>-qa``, a timestamp inside each message) at a steady rate (default 2 per second), and
   every client records the delivery latency of every update (receive time - send time, same clock).

The last line is ``p50_ms X p95_ms Y ratio_p95_vs_single Z``. Goal: p95 <= 250 ms.

    .venv/bin/python -m tests.benchmarks.bench_live [--clients 1000] [--updates 100] [--interval 0.5]
                                                    [--servers N] [--client-procs N] [--redis URL]

``--servers N`` runs N Daphne processes and spreads the clients over them, as a proxy in front of
one worker per core would (the default: one per core, at most two). With the pub/sub layer on this
two-core machine, one process gave p95 377 ms and two gave p95 107 ms in the same hour: a single
Daphne process sends every frame of a 1,000-socket fan-out itself. Another channel layer can be tried without touching the project: point
DJANGO_SETTINGS_MODULE (with PYTHONPATH) at a module that imports ``config.settings`` and overrides
CHANNEL_LAYERS; both this process and the servers use it.

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- Set-up: scratch database, users and sessions ------------------------------------------------------

def prepare(db_path: Path, redis_url: str, clients: int) -> tuple[int, list[str]]:
    """Migrate the scratch database and create the event and ``clients + 1`` users with sessions.
    Returns the event id and the session keys (the last one is the baseline client's)."""
    if db_path.exists():
        db_path.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from clubs import services
    from clubs.models import Event
    from talent.models import Organization
    from talent.services import organization_create

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    User = get_user_model()
    with transaction.atomic():
        org = organization_create(code="BENCH-LIVE", name="Đơn vị benchmark", kind=Organization.Kind.YOUTH_UNION,
                                  parent=None, province_code=79, actor=None)
        starts = timezone.now() + timedelta(hours=1)
        event = services.event_create(actor=None, title="Đối thoại benchmark", kind=Event.Kind.DIALOGUE,
                                      starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=2000,
                                      organization=org)
        unusable = make_password(None)
        User.objects.bulk_create([User(username=f"bench{i:05d}", password=unusable) for i in range(clients + 1)])
        keys = []
        for user in User.objects.filter(username__startswith="bench").order_by("username"):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            keys.append(session.session_key)
    print(f"  scratch database ready in {time.perf_counter() - started:.1f} s: event {event.pk}, "
          f"{len(keys)} users with sessions")
    return event.pk, keys


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, db_path: Path, redis_url: str, log_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=f"sqlite:///{db_path}", REDIS_URL=redis_url,
               DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
               DEBUG="1", ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING")
    log = log_path.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                "config.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise SystemExit(f"daphne exited:\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit("daphne did not answer within 60 s")
        time.sleep(0.2)


# --- Clients ---------------------------------------------------------------------------------------------

async def open_client(url: str, origin: str, session_key: str) -> Any:
    from websockets.asyncio.client import connect

    ws = await connect(url, origin=origin, additional_headers={"Cookie": f"sessionid={session_key}"},
                       proxy=None, ping_interval=None, open_timeout=60, max_queue=None)
    snapshot = json.loads(await ws.recv())
    assert snapshot["type"] == "snapshot", snapshot
    return ws


Target = tuple[str, str, str]  # (ws url, origin, session key)


async def _client_worker(targets: list[Target], updates: int, ready: Any, results: Any, deadline_s: float) -> None:
    semaphore = asyncio.Semaphore(50)  # a burst of handshakes, not 1,000 at the same instant

    async def opened(target: Target) -> Any:
        async with semaphore:
            return await open_client(*target)

    sockets = await asyncio.gather(*(opened(t) for t in targets))
    ready.put(len(sockets))
    latencies: list[float] = []
    missing = 0

    async def listen(ws: Any) -> None:
        nonlocal missing
        got = 0
        try:
            while got < updates:
                raw = await asyncio.wait_for(ws.recv(), timeout=deadline_s)
                now = time.time()
                message = json.loads(raw)
                data = message.get("data", {})
                if message.get("type") == "qa.update" and data.get("action") == "bench":
                    latencies.append((now - data["sent_at"]) * 1000)
                    got += 1
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 — counted as missing, reported below
            missing += updates - got

    await asyncio.gather(*(listen(ws) for ws in sockets))
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    results.put((latencies, missing))


def client_process(targets: list[Target], updates: int, ready: Any, results: Any, deadline_s: float) -> None:
    asyncio.run(_client_worker(targets, updates, ready, results, deadline_s))


# --- Measurements ------------------------------------------------------------------------------------------

async def reset_group(layer: Any, group: str) -> None:
    """Forget members left in the group by earlier runs (the scratch database reuses event ids, and Redis
    keeps group members for a day): messages to their dead processes would only fill Redis."""
    if not hasattr(layer, "_group_key"):  # the pub/sub layer keeps no group membership in Redis
        return
    connection = layer.connection(layer.consistent_hash(group))
    await connection.delete(layer._group_key(group))


async def single_sends(layer: Any, group: str, url: str, origin: str, key: str, samples: int) -> list[float]:
    """One client alone, one message at a time: the floor every fan-out is compared with."""
    ws = await open_client(url, origin, key)
    result = []
    for i in range(samples):
        sent_at = time.time()
        await layer.group_send(group, {"type": "qa.update",
                                       "data": {"action": "bench", "seq": -1 - i, "sent_at": sent_at}})
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            if message["data"].get("action") == "bench" and message["data"]["seq"] == -1 - i:
                result.append((time.time() - sent_at) * 1000)
                break
        await asyncio.sleep(0.05)
    await ws.close()
    return result


async def fan_out(layer: Any, group: str, updates: int, interval: float) -> float:
    """Send ``updates`` messages at a steady rate; returns the time spent inside group_send (ms, mean)."""
    spent = []
    start = time.perf_counter()
    for seq in range(updates):
        target = start + seq * interval
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t0 = time.perf_counter()
        await layer.group_send(group, {"type": "qa.update",
                                       "data": {"action": "bench", "seq": seq, "sent_at": time.time()}})
        spent.append((time.perf_counter() - t0) * 1000)
    return statistics.mean(spent)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), to see whether the server is the bottleneck."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between updates (default 0.5: 2/s)")
    parser.add_argument("--servers", type=int, default=max(1, min(2, os.cpu_count() or 1)),
                        help="Daphne processes (clients are spread over them, as a proxy in front of one "
                             "worker per core would); default: one per core, at most 2")
    parser.add_argument("--client-procs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "ytp_bench_live.sqlite3")
    args = parser.parse_args()

    # Two sockets per client live on this machine (ours and the server's): make room for them.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * args.clients + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))

    event_id, keys = prepare(args.db, args.redis, args.clients)
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    assert type(layer).__module__.startswith("channels_redis"), type(layer)
    print(f"bench_live: {args.clients} clients, {args.updates} updates every {args.interval * 1000:.0f} ms, "
          f"{args.servers} server process(es), {args.client_procs} client process(es), "
          f"{type(layer).__module__}.{type(layer).__name__} at {args.redis}")
    group = f"event-{event_id}-qa"
    ports = [free_port() for _ in range(args.servers)]
    servers = [start_server(port, args.db, args.redis, args.db.with_suffix(f".daphne{i}.log"))
               for i, port in enumerate(ports)]
    origins = [f"http://127.0.0.1:{port}" for port in ports]
    urls = [f"ws://127.0.0.1:{port}/ws/events/{event_id}/" for port in ports]
    try:
        asyncio.run(reset_group(layer, group))
        single = asyncio.run(single_sends(layer, group, urls[0], origins[0], keys[-1], samples=21))
        single_ms = statistics.median(single)
        print(f"  single direct send (1 client, 1 message), median of {len(single)}: {single_ms:.2f} ms "
              f"(min {min(single):.2f}, max {max(single):.2f})")

        ctx = mp.get_context("spawn")
        ready, results = ctx.Queue(), ctx.Queue()
        deadline_s = 30 + args.updates * args.interval
        # Client j talks to server j % servers, as a proxy spreading sockets over workers would.
        targets = [(urls[j % len(urls)], origins[j % len(urls)], key) for j, key in enumerate(keys[:-1])]
        shares = [targets[i::args.client_procs] for i in range(args.client_procs)]
        procs = [ctx.Process(target=client_process, args=(share, args.updates, ready, results, deadline_s))
                 for share in shares]
        started = time.perf_counter()
        for proc in procs:
            proc.start()
        connected = sum(ready.get(timeout=300) for _ in procs)
        print(f"  {connected} clients connected (each got its snapshot) in {time.perf_counter() - started:.1f} s")
        time.sleep(0.5)  # let the last group_add land

        cpu_before, wall_before = sum(cpu_seconds(p.pid) for p in servers), time.perf_counter()
        send_ms = asyncio.run(fan_out(layer, group, args.updates, args.interval))
        latencies: list[float] = []
        missing = 0
        for _ in procs:
            part, lost = results.get(timeout=deadline_s + 60)
            latencies.extend(part)
            missing += lost
        server_cpu = (sum(cpu_seconds(p.pid) for p in servers) - cpu_before) / (time.perf_counter() - wall_before)
        for proc in procs:
            proc.join(timeout=30)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        asyncio.run(reset_group(layer, group))  # the killed servers could not leave the group themselves

    expected = args.clients * args.updates
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    print(f"  delivered {len(latencies):,} of {expected:,} (missing {missing}); group_send took {send_ms:.2f} ms "
          f"on average in the sender; server CPU {server_cpu * 100:.0f} % of one core while sending "
          f"and delivering")
    print(f"  latency ms: min {min(latencies):.1f}  p50 {p50:.1f}  p90 {percentile(latencies, 90):.1f}  "
          f"p95 {p95:.1f}  p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}")
    print(f"  goal p95 <= 250 ms: {'met' if p95 <= 250 else 'NOT met'}")
    print(f"p50_ms {p50:.1f} p95_ms {p95:.1f} ratio_p95_vs_single {p95 / single_ms:.1f}")


if __name__ == "__main__":
    main()
