#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Chat load benchmark: N concurrent anonymous chats answered by counsellor bots, on the real
server (``vangnet serve --workers 2``, Redis channel layer), with one worker restarted midway.

What it does, in order:

1. A fresh database (SQLite file, or PostgreSQL when ``DATABASE_URL`` points at one: a dedicated
   ``vangnet_bench_chat`` database is made next to it), migrated, with demo data, plus counsellor
   bots in the national meldpunt. Bots get their staff sessions written straight into the
   session store (password + TOTP login is not what is measured here).
2. The server with 2 uvicorn workers and ``REDIS_URL`` (default ``redis://127.0.0.1:6379/15``).
3. N visitors start a chat the way a browser without JavaScript would (POST ``/chat/``, session
   cookie), then open their WebSocket. Bots take chats with POST ``/staff/chat/next`` until
   every visitor has a counsellor, and open one WebSocket per chat.
4. Steady state for ``--duration`` seconds: every visitor sends a line every ``--interval``
   seconds (random phase); the bot answers each line at once. Every line carries its send time;
   the receiving side records the relay time (send → received by the other side).
5. Halfway, one worker is restarted. ``--restart graceful`` (the default) sends it SIGUSR1: the
   supervisor starts its replacement at once and the worker closes its sockets with 1012, evenly
   over ``VANGNET_DRAIN_SECONDS`` (ADR 0022); its clients reconnect at once. ``--restart kill``
   sends SIGKILL (a crash): all its sockets drop together and reconnect with random back-off.
   ``--restart roll`` sends SIGHUP to the supervisor: every worker drains in turn.
   Either way a client says ``hello`` with what it holds, gets what it missed, and sends again
   every line that was not acknowledged — exactly what chat.js does.
6. Drain (up to 30 s), then count: ``lost`` = lines a side sent that the other side never
   received; ``duplicated`` = lines the other side received under more than one seq (stored
   twice). The database is checked too (stored lines vs lines sent).

    .venv/bin/python benchmarks/chat_load.py [--clients 1000] [--bots 100] [--duration 60]
        [--interval 15] [--workers 2] [--restart graceful|kill|roll] [--redis-url URL]

Last line: ``chat clients=<n> p99_ms=<n> lost=<n> duplicated=<n>``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETUP_BOTS = """
import json
from benchmarks.bench_server import counsellor_bot
from vangnet.accounts.models import Organisation
org = Organisation.objects.get(code="meldpunt")
keys = [counsellor_bot(f"bot{{i:04d}}", org, {capacity})[1] for i in range({bots})]
print("BOTS " + json.dumps(keys))
"""

COUNT_LINES = """
from vangnet.intake.models import Message
print("LINES", Message.objects.filter(direction="from_reporter").count(),
      Message.objects.filter(direction="from_staff").count())
"""


REPLIES: set[asyncio.Future[None]] = set()  # keeps the bots' reply tasks referenced


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "vangnet.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def prepare_database(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'chat_bench.sqlite3'}"
    import psycopg

    name = "vangnet_bench_chat"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (those that still exist)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
    return found


def cpu_snapshot(supervisor: int) -> dict[str, float]:
    """CPU used so far by the server workers, PostgreSQL, Redis and this client."""
    return {
        "server": cpu_seconds(worker_pids(supervisor)),
        "postgres": cpu_seconds(pids_named("postgres")),
        "redis": cpu_seconds(pids_named("redis-server")),
        "client": sum(os.times()[:2]),
    }


def sockets_per_worker(supervisor: int, port: int) -> dict[int, int]:
    """Established connections to the server port, by worker process (``ss``)."""
    found: dict[int, int] = dict.fromkeys(worker_pids(supervisor), 0)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        for pid in re.findall(r"pid=(\d+)", out):
            if int(pid) in found:
                found[int(pid)] += 1
    return found


def worker_pids(supervisor: int) -> list[int]:
    """The uvicorn worker processes: children of the supervisor running the server."""
    found = []
    for task in Path(f"/proc/{supervisor}/task").iterdir():
        children = (task / "children").read_text().split()
        for pid in children:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"resource_tracker" not in cmdline:
                found.append(int(pid))
    return sorted(found)


# --- a tiny HTTP/1.1 client (Connection: close) --------------------------------------------


async def http(
    port: int, method: str, path: str, cookies: dict[str, str], data: dict[str, str] | None = None
) -> tuple[int, dict[str, str]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = urlencode(data).encode() if data is not None else b""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        f"Origin: http://127.0.0.1:{port}",
        "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()),
    ]
    if data is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers: dict[str, str] = {}
    for header in head[1:]:
        name, _sep, value = header.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            cookie = value.split(";", 1)[0]
            key, _eq, val = cookie.partition("=")
            cookies[key] = val
        else:
            headers[name] = value
    return status, headers


def csrf_cookies() -> dict[str, str]:
    """Django accepts its unmasked 32-character secret as the form token as well."""
    token = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
    return {"csrftoken": token}


# --- the chat protocol client (what chat.js does) ------------------------------------------


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (sent at, relay ms)
    # (sent at, relay ms, receiving socket, token) to tell lines between sockets that stayed
    # connected from lines with a socket that had to come back after the kill
    routes: list[tuple[float, float, ChatSocket, str]] = field(default_factory=list)
    counsellor_of: dict[str, ChatSocket] = field(default_factory=dict)  # visitor index -> socket
    received: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    sent: dict[str, float] = field(default_factory=dict)  # token -> first send time
    acked: set[str] = field(default_factory=set)  # tokens the server acknowledged
    reconnects: int = 0
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class ChatSocket:
    def __init__(self, port: int, path: str, cookies: dict[str, str], side: str, stats: Stats):
        self.url = f"ws://127.0.0.1:{port}{path}"
        self.headers = {
            "Origin": f"http://127.0.0.1:{port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        }
        self.side = side
        self.stats = stats
        self.seen: set[int] = set()
        self.last_seq = 0
        self.pending: OrderedDict[str, str] = OrderedDict()
        self.ws = None
        self.state = ""
        self.on_line = None  # callback(body) for lines from the other side
        self.stopped = False
        self.connected = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.backoff = 1.0
        self.welcomed = False
        self.reconnected = False

    def start(self) -> None:
        self.task = asyncio.ensure_future(self.run())

    async def run(self) -> None:
        from websockets.asyncio.client import connect

        # Reconnect as chat.js does: "full jitter" (a random wait between 0 and the back-off,
        # which doubles from 1 s to 8 s), reset only once the server has answered ``hello``.
        # After a killed worker, its sockets come back spread over a second instead of at once.
        self.backoff = 1.0
        first = True
        while not self.stopped:
            try:
                async with connect(
                    self.url, additional_headers=self.headers, open_timeout=30, max_size=2**20
                ) as ws:
                    self.ws = ws
                    if not first:
                        self.stats.reconnects += 1
                        self.reconnected = True
                    first = False
                    await ws.send(
                        json.dumps(
                            {"type": "hello", "last_seq": self.last_seq, "count": len(self.seen)}
                        )
                    )
                    for cid, body in list(self.pending.items()):
                        await ws.send(json.dumps({"type": "send", "cid": cid, "body": body}))
                    self.connected.set()
                    async for raw in ws:
                        await self.on_frame(json.loads(raw))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a killed worker, a refused handshake during restart
                code = getattr(getattr(exc, "rcvd", None), "code", None)
                if code in (4404, 4401):
                    self.stats.refused[f"close_{code}"] += 1
                    return
                planned = code == 1012 and self.welcomed
            else:
                planned = False
            self.welcomed = False
            self.ws = None
            self.connected.clear()
            if self.stopped:
                return
            if planned:
                # A worker restarting on purpose (1012) paces its closes itself: back within a
                # quarter of a second, as chat.js does.
                await asyncio.sleep(random.random() * 0.25)
                continue
            await asyncio.sleep(random.random() * self.backoff)
            self.backoff = min(self.backoff * 2, 8.0)

    async def on_frame(self, frame: dict) -> None:
        kind = frame["type"]
        if kind == "msg":
            gap = frame["prev"] and frame["prev"] not in self.seen
            self.take(frame)
            if gap and self.ws is not None:
                await self.ws.send(
                    json.dumps({"type": "sync", "last_seq": self.last_seq, "count": len(self.seen)})
                )
        elif kind == "history":
            for msg in frame["msgs"]:
                self.take(msg)
        elif kind == "ack":
            body = self.pending.pop(frame["cid"], None)
            if body is not None:
                self.stats.acked.add(body.split(" ", 1)[0])
            self.seen.add(frame["seq"])  # the sender gets an ack, not an echo of its line
            self.last_seq = max(self.last_seq, frame["seq"])
        elif kind == "pong":
            if frame.get("last_seq") and frame["last_seq"] not in self.seen and self.ws is not None:
                await self.ws.send(
                    json.dumps({"type": "sync", "last_seq": self.last_seq, "count": len(self.seen)})
                )
        elif kind in {"welcome", "state"}:
            self.state = frame["state"]
            if kind == "welcome":
                self.backoff = 1.0
                self.welcomed = True
        elif kind == "error":
            self.stats.refused[frame["code"]] += 1
            if frame.get("cid") and frame["code"] in {"rate_limited", "server_error"}:
                asyncio.get_running_loop().call_later(
                    frame.get("retry_after", 1),
                    lambda: asyncio.ensure_future(self.resend(frame["cid"])),
                )

    def take(self, msg: dict) -> None:
        seq = msg["seq"]
        if msg.get("cid") and msg["cid"] in self.pending:
            self.stats.acked.add(self.pending.pop(msg["cid"]).split(" ", 1)[0])
        new = seq not in self.seen
        self.seen.add(seq)
        self.last_seq = max(self.last_seq, seq)
        if not new or msg["from"] == self.side or msg["from"] == "system":
            return
        token = msg["body"].split(" ", 1)[0]
        self.stats.received[token].add(seq)
        sent_at = self.stats.sent.get(token)
        if sent_at is not None and len(self.stats.received[token]) == 1:
            relay_ms = (time.monotonic() - sent_at) * 1000
            self.stats.latencies_ms.append(relay_ms)
            self.stats.samples.append((sent_at, relay_ms))
            self.stats.routes.append((sent_at, relay_ms, self, token))
        if self.on_line is not None:
            self.on_line(token)

    async def resend(self, cid: str) -> None:
        if cid in self.pending and self.ws is not None:
            await self.ws.send(json.dumps({"type": "send", "cid": cid, "body": self.pending[cid]}))

    async def say(self, token: str) -> None:
        cid = secrets.token_hex(12)
        body = f"{token} bench line"
        self.stats.sent[token] = time.monotonic()
        self.pending[cid] = body
        if self.ws is not None:
            with contextlib.suppress(Exception):  # a dropped socket: the reconnect resends it
                await self.ws.send(json.dumps({"type": "send", "cid": cid, "body": body}))

    async def ping(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.send('{"type":"ping"}')

    async def stop(self) -> None:
        self.stopped = True
        if self.ws is not None:
            await self.ws.close()
        if self.task is not None:
            self.task.cancel()


# --- the run --------------------------------------------------------------------------------


async def start_visitor(port: int, index: int, stats: Stats, gate: asyncio.Semaphore) -> ChatSocket:
    cookies = csrf_cookies()
    data = {
        "csrfmiddlewaretoken": cookies["csrftoken"],
        "language": "nl",
        "age_group": random.choice(["", "12_15", "16_17", "18_24", "25_plus"]),
        "danger_now": "yes" if index % 20 == 0 else "no",
    }
    for attempt in range(5):
        try:
            async with gate:
                status, _headers = await http(port, "POST", "/chat/", cookies, data)
            if status == 302 and "sessionid" in cookies:
                break
        except OSError:
            pass
        await asyncio.sleep(0.5 * (attempt + 1))
    else:
        raise RuntimeError(f"visitor {index} could not start a chat")
    sock = ChatSocket(port, "/ws/chat/visitor", cookies, "visitor", stats)
    sock.start()
    return sock


async def run_bot(
    port: int, session: str, capacity: int, stats: Stats, state: dict, gate: asyncio.Semaphore
) -> list[ChatSocket]:
    cookies = {"sessionid": session, **csrf_cookies()}
    sockets: list[ChatSocket] = []
    while len(sockets) < capacity and state["accepted"] < state["target"]:
        async with gate:
            status, headers = await http(
                port,
                "POST",
                "/staff/chat/next",
                cookies,
                {"csrfmiddlewaretoken": cookies["csrftoken"]},
            )
        location = headers.get("location", "")
        match = re.search(r"/staff/chat/([0-9a-f-]{36})/", location)
        if status != 302 or not match:
            await asyncio.sleep(0.3)
            continue
        state["accepted"] += 1
        sock = ChatSocket(port, f"/ws/chat/staff/{match.group(1)}", cookies, "counsellor", stats)

        def answer(token: str, sock: ChatSocket = sock) -> None:
            stats.counsellor_of[token[1:].split(".", 1)[0]] = sock
            if token.startswith("v"):
                task = asyncio.ensure_future(sock.say("c" + token[1:]))
                REPLIES.add(task)
                task.add_done_callback(REPLIES.discard)

        sock.on_line = answer
        sock.start()
        sockets.append(sock)
    return sockets


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


async def scenario(args: argparse.Namespace, port: int, supervisor: int) -> dict:
    stats = Stats()
    gate = asyncio.Semaphore(args.http_concurrency)
    t0 = time.monotonic()
    visitors: list[ChatSocket] = []
    state = {"accepted": 0, "target": args.clients}
    capacity = math.ceil(args.clients / args.bots)
    with open(args.sessions) as handle:
        sessions = json.load(handle)

    async def ramp() -> None:
        # Visitors arrive at --arrivals per second (at most --http-concurrency requests at once).
        tasks = []
        for index in range(args.clients):
            tasks.append(asyncio.ensure_future(start_visitor(port, index, stats, gate)))
            await asyncio.sleep(1 / args.arrivals)
        visitors.extend(await asyncio.gather(*tasks))

    bot_tasks = [
        asyncio.ensure_future(run_bot(port, sessions[b], capacity, stats, state, gate))
        for b in range(args.bots)
    ]
    await ramp()
    bot_sockets = [s for group in await asyncio.gather(*bot_tasks) for s in group]
    try:
        await asyncio.wait_for(
            asyncio.gather(*(s.connected.wait() for s in visitors + bot_sockets)),
            timeout=args.ramp_timeout,
        )
    except TimeoutError:
        down = sum(1 for s in visitors + bot_sockets if not s.connected.is_set())
        print(f"ramp: {down} sockets still not connected after {args.ramp_timeout:g} s; going on")
    ramp_s = time.monotonic() - t0
    print(f"ramp: {len(visitors)} chats started and accepted by {args.bots} bots in {ramp_s:.1f} s")
    print(f"sockets open: {len(visitors)} visitors + {len(bot_sockets)} counsellor chats")

    # Steady state with one worker killed halfway.
    steady_start = time.monotonic()
    stop_at = steady_start + args.duration
    killed: dict = {}

    async def visitor_loop(index: int, sock: ChatSocket) -> None:
        n = 0
        await asyncio.sleep(random.random() * args.interval)
        last_ping = time.monotonic()
        while time.monotonic() < stop_at:
            n += 1
            await sock.say(f"v{index}.{n}")
            await asyncio.sleep(args.interval)
            if time.monotonic() - last_ping > 20:
                last_ping = time.monotonic()
                await sock.ping()

    before = cpu_snapshot(supervisor)
    lag: list[tuple[float, float]] = []  # (when, ms this client's event loop was late)

    async def lag_probe() -> None:
        # This client shares the two cores with the server: if its own loop falls behind, the
        # relay times it measures include that. Printed per 5 s slice with the relay times.
        while time.monotonic() < stop_at + 5:
            planned = time.monotonic() + 0.05
            await asyncio.sleep(0.05)
            lag.append((planned, max(0.0, (time.monotonic() - planned) * 1000)))

    async def killer() -> None:
        await asyncio.sleep(args.duration / 2)
        # CPU per relayed line in the first half (before the kill; all processes still alive).
        after = cpu_snapshot(supervisor)
        lines = sum(1 for at, _ms in stats.samples if at >= steady_start)
        print(
            f"CPU in the first {args.duration / 2:g} s of the steady state ({lines} lines "
            f"relayed): "
            + ", ".join(f"{k} {after[k] - before[k]:.1f} s" for k in before)
            + (
                f"; server {1000 * (after['server'] - before['server']) / lines:.1f} ms per line"
                if lines
                else ""
            )
        )
        pids = worker_pids(supervisor)
        if not pids:
            print("restart: no worker found to kill")
            return
        victims = pids if args.restart == "roll" else pids[:1]
        if args.restart == "roll":
            os.kill(supervisor, signal.SIGHUP)
            what = f"SIGHUP to the supervisor (every worker of {pids} in turn, each drains)"
        elif args.restart == "kill":
            os.kill(victims[0], signal.SIGKILL)
            what = f"SIGKILL to worker {victims[0]} of {pids} (a crash)"
        else:
            os.kill(victims[0], signal.SIGUSR1)
            what = f"SIGUSR1 to worker {victims[0]} of {pids} (a graceful restart: it drains)"
        killed["at"] = time.monotonic() - steady_start
        killed["sent_at"] = time.monotonic()
        print(f"restart: sent {what} at t={killed['at']:.1f} s")
        everyone = visitors + bot_sockets
        down_by_second = []
        restarted = False
        for tick in range(240):
            await asyncio.sleep(0.5)
            now = worker_pids(supervisor)
            if not restarted and len(now) >= len(pids) and not set(victims) & set(now):
                restarted = True
                print(f"restart: the old worker(s) gone after {tick / 2 + 0.5:g} s: {now}")
            if tick % 2 == 1:
                down_by_second.append(sum(1 for s in everyone if not s.connected.is_set()))
                if restarted and down_by_second[-1] == 0:
                    break
        print(f"restart: sockets not (yet) connected, second by second: {down_by_second}")
        print(f"restart: open sockets per worker: {sockets_per_worker(supervisor, port)}")

    async def bot_pings(sock: ChatSocket) -> None:
        # Every counsellor socket pings every 20 s on its own timer, as chat.js does (not all
        # at the same moment).
        await asyncio.sleep(random.random() * 20)
        while time.monotonic() < stop_at:
            await sock.ping()
            await asyncio.sleep(20)

    await asyncio.gather(
        lag_probe(),
        killer(),
        *(bot_pings(s) for s in bot_sockets),
        *(visitor_loop(i, s) for i, s in enumerate(visitors)),
    )

    # Drain: every line sent is answered or received, or 30 s pass. Clients keep pinging
    # (every 10 s here) as chat.js does (every 20 s): a pong shows a line they missed.
    drain_start = time.monotonic()
    all_sockets = visitors + bot_sockets
    last_ping = 0.0
    while time.monotonic() - drain_start < 30:
        unacked = sum(len(s.pending) for s in all_sockets)
        missing = sum(1 for token in stats.sent if token not in stats.received)
        if unacked == 0 and missing == 0:
            break
        if time.monotonic() - last_ping > 10:
            last_ping = time.monotonic()
            await asyncio.gather(*(s.ping() for s in all_sockets))
        await asyncio.sleep(0.5)
    for sock in all_sockets:
        await sock.stop()

    visitor_sent = sum(1 for t in stats.sent if t.startswith("v"))
    bot_sent = sum(1 for t in stats.sent if t.startswith("c"))
    # Lost: the sender was told "stored" (ack) and the other side never got the line. A line
    # still unacknowledged when the run stops is not lost — it is still in the sender's outbox,
    # shown as "sending", and goes out again — but it was not delivered: counted separately.
    undelivered = {token for token in stats.sent if token not in stats.received}
    lost = len(undelivered & stats.acked)
    late = len(undelivered - stats.acked)
    duplicated = sum(len(seqs) - 1 for seqs in stats.received.values())
    return {
        "stats": stats,
        "visitor_sent": visitor_sent,
        "bot_sent": bot_sent,
        "lost": lost,
        "late": late,
        "duplicated": duplicated,
        "unacked": sum(len(s.pending) for s in all_sockets),
        "killed": killed,
        "visitors": visitors,
        "lag": lag,
        "ramp_s": ramp_s,
        "steady_start": steady_start,
        "wall_s": time.monotonic() - t0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--bots", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="steady-state seconds")
    parser.add_argument(
        "--interval", type=float, default=15.0, help="seconds between a visitor's lines"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--restart",
        choices=["graceful", "kill", "roll"],
        default="graceful",
        help="how the worker is restarted midway: graceful (SIGUSR1: it drains its sockets, "
        "1012, spread over VANGNET_DRAIN_SECONDS), kill (SIGKILL: a crash) or roll (SIGHUP to "
        "the supervisor: every worker drains in turn; give --duration 100 or more)",
    )
    parser.add_argument("--http-concurrency", type=int, default=16)
    parser.add_argument("--arrivals", type=float, default=50.0, help="new chats per second")
    parser.add_argument("--ramp-timeout", type=float, default=180.0)
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    args = parser.parse_args()
    result: dict = {}
    clients = 0
    proc = None
    tmp = Path(tempfile.mkdtemp(prefix="vangnet-chat-bench-"))
    try:
        env = dict(os.environ)
        env.update(
            {
                "VANGNET_ENV": "demo",
                "VANGNET_VAR_DIR": str(tmp),
                "VANGNET_LOG_LEVEL": "WARNING",
                "REDIS_URL": args.redis_url,
                "DATABASE_URL": prepare_database(tmp),
            }
        )
        manage(env, "manage", "migrate", "--no-input", "-v0")
        manage(env, "demo")
        capacity = math.ceil(args.clients / args.bots)
        out = manage(
            env, "manage", "shell", "-c", SETUP_BOTS.format(bots=args.bots, capacity=capacity)
        )
        sessions = json.loads(out.split("BOTS ", 1)[1])
        args.sessions = str(tmp / "sessions.json")
        Path(args.sessions).write_text(json.dumps(sessions))
        port = free_port()
        log = (tmp / "server.log").open("wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vangnet.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2.0)
        db = env["DATABASE_URL"].split(":", 1)[0]
        print(
            f"server: {args.workers} workers, Redis channel layer ({args.redis_url}), "
            f"{db} database, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        print(
            f"load: {args.clients} chats, {args.bots} bots (max {capacity} chats each), "
            f"a visitor line every {args.interval:g} s answered at once, "
            f"{args.duration:g} s steady state"
        )
        try:
            import uvloop

            uvloop.install()
        except ImportError:
            pass
        result = asyncio.run(scenario(args, port, proc.pid))
        clients = args.clients
        out = manage(env, "manage", "shell", "-c", COUNT_LINES)
        counts = next(line for line in out.splitlines() if line.startswith("LINES ")).split()
        stored_visitor, stored_staff = int(counts[1]), int(counts[2])
        stats: Stats = result["stats"]
        lat = stats.latencies_ms
        print(
            f"lines: visitors sent {result['visitor_sent']}, bots sent {result['bot_sent']}, "
            f"relayed {len(lat)}; at the end {result['unacked']} still unacknowledged in the "
            f"senders' outboxes and {result['late']} sent lines not yet delivered (not counted "
            f"as lost: never acknowledged, the client still holds them)"
        )
        print(
            f"database: {stored_visitor} visitor lines and {stored_staff} counsellor lines "
            f"stored (sent {result['visitor_sent']} and {result['bot_sent']})"
        )
        refusals = dict(stats.refused) or "none"
        print(f"reconnects: {stats.reconnects}; refusals: {refusals}")
        if lat:
            print(
                f"relay ms, all lines: p50 {percentile(lat, 0.5):.0f}, "
                f"p90 {percentile(lat, 0.9):.0f}, p99 {percentile(lat, 0.99):.0f}, "
                f"max {max(lat):.0f}"
            )
            kill_at = result["killed"].get("sent_at")
            if kill_at is not None:
                calm = [ms for at, ms in stats.samples if not kill_at <= at < kill_at + 10]
                print(
                    f"relay ms, lines not sent in the 10 s after the restart ({len(calm)}): "
                    f"p50 {percentile(calm, 0.5):.0f}, p99 {percentile(calm, 0.99):.0f}"
                )
                # After the kill: lines whose two sockets stayed connected (both on the
                # surviving worker) against lines with a socket that had to come back.
                visitors = result["visitors"]
                stayed: list[float] = []
                came_back: list[float] = []
                for at, ms, receiver, token in stats.routes:
                    if at < kill_at:
                        continue
                    index = token[1:].split(".", 1)[0]
                    ends = [receiver, visitors[int(index)], stats.counsellor_of.get(index)]
                    moved = any(sock is not None and sock.reconnected for sock in ends)
                    (came_back if moved else stayed).append(ms)
                for name, group in (("stayed connected", stayed), ("came back", came_back)):
                    if group:
                        print(
                            f"relay ms after the restart, lines whose sockets {name} "
                            f"({len(group)}): p50 {percentile(group, 0.5):.0f}, "
                            f"p99 {percentile(group, 0.99):.0f}"
                        )
            # Where the time went: relay times by the 5-second slice in which the line was sent.
            start = result["steady_start"]
            slices: dict[int, list[float]] = defaultdict(list)
            for at, ms in stats.samples:
                slices[int((at - start) // 5)].append(ms)
            print(
                "relay ms by 5 s slice of the steady state (p50/p99): "
                + " ".join(
                    f"{k * 5}s:{percentile(v, 0.5):.0f}/{percentile(v, 0.99):.0f}"
                    for k, v in sorted(slices.items())
                )
            )
            lag_slices: dict[int, list[float]] = defaultdict(list)
            for at, ms in result["lag"]:
                lag_slices[int((at - start) // 5)].append(ms)
            print(
                "this client's event-loop lag by 5 s slice (max ms): "
                + " ".join(f"{k * 5}s:{max(v):.0f}" for k, v in sorted(lag_slices.items()))
            )
        client_cpu = sum(os.times()[:2])
        print(
            f"CPU seconds used by this benchmark client: {client_cpu:.0f} "
            f"(over {result.get('wall_s', 0):.0f} s)"
        )
        print(f"load average at the end {os.getloadavg()[0]:.1f}; server log: {tmp / 'server.log'}")
    except Exception as exc:
        print(f"benchmark failed: {type(exc).__name__}: {exc}")
    finally:
        if proc is not None:
            workers = worker_pids(proc.pid) if proc.poll() is None else []
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            for pid in workers:  # a worker stuck in a graceful shutdown
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    lat = result.get("stats").latencies_ms if result else []
    p99 = percentile(lat, 0.99) if lat else float("nan")
    p99_text = "nan" if math.isnan(p99) else str(round(p99))
    print(
        f"chat clients={clients} p99_ms={p99_text} lost={result.get('lost', 'nan')} "
        f"duplicated={result.get('duplicated', 'nan')}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
