#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""What one chat reconnect costs the server, in CPU milliseconds, measured in one process.

After a killed worker, its sockets all come back at once; how fast they are served decides how
long their chats wait (ADR 0021). ``chat_load.py`` shows the whole picture but moves by 50 %
between runs on a shared machine; this measures the part the code controls, repeatably: the
real ASGI application (origin check, session, routing, consumer, database threads, channel
layer) driven in-process, a socket opened, ``hello`` answered with nothing missed, closed.

1. A fresh database (PostgreSQL next to ``DATABASE_URL`` when set, else a SQLite file),
   migrated, with demo data; ``--chats`` chats accepted by counsellor bots, two lines each.
2. Every socket connects once (warm-up; the counsellors' reads are audited).
3. Measured: every visitor socket reconnects, then every counsellor socket (its read was audited
   less than a minute ago, so it is not audited again), then every counsellor socket after the
   audit's one-minute memory is cleared (audited again). ``--concurrency`` at a time.

CPU is this process's (all threads: the app, its database threads and the test client, which
is small); PostgreSQL's and Redis's own CPU are not in it.

    DATABASE_URL=postgres://… REDIS_URL=… .venv/bin/python benchmarks/chat_reconnect.py \
        [--chats 300] [--concurrency 25]

Last line: ``chat_reconnect n=<n> visitor_cpu_ms=<x> counsellor_cpu_ms=<y>
counsellor_audited_cpu_ms=<z>``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_server import prepare_postgres  # noqa: E402

ORIGIN = b"http://127.0.0.1:8000"


def prepare(tmp: Path, redis_url: str) -> None:
    url = os.environ.get("DATABASE_URL", "")
    database = (
        prepare_postgres(url, "vangnet_bench_reconnect")
        if url.startswith("postgres")
        else f"sqlite:///{tmp / 'reconnect.sqlite3'}"
    )
    os.environ.update(
        {
            "VANGNET_ENV": "demo",
            "VANGNET_VAR_DIR": str(tmp),
            "VANGNET_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database,
            "REDIS_URL": redis_url,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    for args in (("manage", "migrate", "--no-input", "-v0"), ("demo",)):
        subprocess.run(
            [sys.executable, "-m", "vangnet.cli", *args],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


Socket = tuple[str, str, int, int]  # session key, path, last seq, count


def make_chats(chats: int) -> tuple[list[Socket], list[Socket]]:
    """(session key, path, last seq, count) per visitor socket and per counsellor socket."""
    from django.contrib.sessions.backends.db import SessionStore

    from benchmarks.bench_server import counsellor_bot
    from vangnet.accounts.models import Organisation
    from vangnet.chat import actions
    from vangnet.chat.access import SESSION_VISITOR_KEY
    from vangnet.chat.workflow import Side
    from vangnet.intake.models import Message

    org = Organisation.objects.get(code="meldpunt")
    per_bot = 10
    bots = [
        counsellor_bot(f"reconnect-bot{i:04d}", org, per_bot)
        for i in range((chats + per_bot - 1) // per_bot)
    ]
    visitors, counsellors = [], []
    for n in range(chats):
        started = actions.start_chat(language="nl", age_group="16_17", acute=False)
        user, staff_key = bots[n // per_bot]
        conversation = actions.accept(user, started.conversation.pk)
        actions.send_message(conversation.pk, side=Side.VISITOR, cid=f"v{n:08d}", body="Hoi")
        actions.send_message(
            conversation.pk, side=Side.COUNSELLOR, cid=f"c{n:08d}", body="Hallo", user=user
        )
        session = SessionStore()
        session[SESSION_VISITOR_KEY] = started.visitor_key
        session.create()
        ids = list(Message.objects.filter(contact_id=conversation.contact_id).values_list("id"))
        last, count = max(ids)[0], len(ids)
        visitors.append((session.session_key, "/ws/chat/visitor", last, count))
        counsellors.append((staff_key, f"/ws/chat/staff/{conversation.public_id}", last, count))
    return visitors, counsellors


async def reconnect(application: Any, session_key: str, path: str, last: int, count: int) -> None:
    from asgiref.testing import ApplicationCommunicator

    scope = {
        "type": "websocket",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"origin", ORIGIN),
            (b"cookie", f"sessionid={session_key}".encode()),
        ],
        "subprotocols": [],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    socket = ApplicationCommunicator(application, scope)
    await socket.send_input({"type": "websocket.connect"})
    opened = await socket.receive_output(30)
    if opened["type"] != "websocket.accept":
        raise RuntimeError(f"{path}: refused ({opened})")
    hello = {"type": "hello", "last_seq": last, "count": count}
    await socket.send_input({"type": "websocket.receive", "text": json.dumps(hello)})
    welcome = json.loads((await socket.receive_output(30))["text"])
    history = json.loads((await socket.receive_output(30))["text"])
    if welcome["type"] != "welcome" or history["type"] != "history" or history["msgs"]:
        raise RuntimeError(f"{path}: unexpected answer to hello: {welcome} {history}")
    await socket.send_input({"type": "websocket.disconnect", "code": 1000})
    await socket.wait(30)


async def all_of(application: Any, sockets: list[Socket], concurrency: int) -> tuple[float, float]:
    """CPU and wall milliseconds per reconnect."""
    gate = asyncio.Semaphore(concurrency)

    async def one(item: Socket) -> None:
        async with gate:
            await reconnect(application, *item)

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(one(item) for item in sockets))
    n = len(sockets)
    return 1000 * (time.process_time() - cpu) / n, 1000 * (time.perf_counter() - wall) / n


def forget_reads() -> None:
    """Clear the one-minute memory of audited reads (as if a minute had passed)."""
    from django.core.cache import cache

    from vangnet.chat import live
    from vangnet.chat.models import Conversation

    pairs = Conversation.objects.values_list("counsellor_id", "pk")
    cache.delete_many([live._read_key(user_id, pk) for user_id, pk in pairs])


async def measure(args: argparse.Namespace) -> dict[str, float]:
    from asgiref.sync import sync_to_async

    from vangnet.asgi import application

    visitors, counsellors = await sync_to_async(make_chats, thread_sensitive=True)(args.chats)
    await all_of(application, visitors + counsellors, args.concurrency)  # warm-up
    figures: dict[str, float] = {}
    for name, sockets in (("visitor", visitors), ("counsellor", counsellors)):
        cpu, wall = await all_of(application, sockets, args.concurrency)
        figures[name] = cpu
        print(f"{name}: {cpu:.2f} ms CPU, {wall:.2f} ms wall per reconnect ({len(sockets)})")
    await sync_to_async(forget_reads, thread_sensitive=True)()
    cpu, wall = await all_of(application, counsellors, args.concurrency)
    figures["counsellor_audited"] = cpu
    print(f"counsellor, read audited: {cpu:.2f} ms CPU, {wall:.2f} ms wall per reconnect")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=25)
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vangnet-chat-reconnect-"))
    prepare(tmp, args.redis_url)
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(
        f"{args.chats} chats, {database} database, Redis ({args.redis_url}), "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    figures = runner(measure(args))
    print(
        f"chat_reconnect n={args.chats} visitor_cpu_ms={figures['visitor']:.2f} "
        f"counsellor_cpu_ms={figures['counsellor']:.2f} "
        f"counsellor_audited_cpu_ms={figures['counsellor_audited']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
