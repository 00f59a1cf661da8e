# SPDX-License-Identifier: EUPL-1.2
"""`vangnet serve --workers 2`: workers forked from a supervisor that loaded the application;
a killed worker is replaced at once and the service keeps answering; SIGTERM stops it all.
A real server process on SQLite (ADR 0021)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return sorted(found)


def _get(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        return int(response.status)


def _sqlite_env(tmp_path: Path, *, migrate: bool = True, demo: bool = False, **extra: str) -> dict:
    """The environment of a demo server on its own SQLite file (no DATABASE_URL/REDIS_URL from
    the caller's shell), migrated and with demo data when asked."""
    env = dict(os.environ, VANGNET_ENV="demo", VANGNET_VAR_DIR=str(tmp_path), **extra)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    commands = ([["manage", "migrate", "-v0"]] if migrate else []) + ([["demo"]] if demo else [])
    for args in commands:
        subprocess.run(
            [sys.executable, "-m", "vangnet.cli", *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return env


def _serve(env: dict, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    """``vangnet serve --workers 2`` on a free port, its output in ``serve.log``."""
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "vangnet.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return proc, port, log_path


def _wait(predicate: Callable[[], object], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_killed_worker_is_replaced_at_once_and_sigterm_stops_everything(tmp_path: Path) -> None:
    env = _sqlite_env(tmp_path)
    proc, port, _log_path = _serve(env, tmp_path)
    try:
        _wait(lambda: _get(port) == 200 and len(_children(proc.pid)) == 2)
        first = _children(proc.pid)
        os.kill(first[0], signal.SIGKILL)
        killed_at = time.monotonic()
        _wait(lambda: len(_children(proc.pid)) == 2 and first[0] not in _children(proc.pid), 5)
        replaced_in = time.monotonic() - killed_at
        # Forked from the loaded application: no new interpreter to import Django into.
        assert replaced_in < 2.0, replaced_in
        # Every request in the meantime is answered (the other worker, then both).
        assert all(_get(port) == 200 for _ in range(20))
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=40) == 0
        for pid in workers:
            assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
        text = (tmp_path / "serve.log").read_text()
        assert f"worker {first[0]} ended (-9)" in text
        assert "127.0.0.1:" not in text.replace(f"127.0.0.1:{port}", "")  # no client addresses
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_worker_that_cannot_start_stops_the_supervisor(tmp_path: Path) -> None:
    """Every replacement would fail the same way: no endless restart loop."""
    env = _sqlite_env(tmp_path, migrate=False)
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "vangnet.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        busy.close()
    assert result.returncode != 0
    assert "address already in use" in (result.stdout + result.stderr).lower()


def _connections_by_pid(port: int, pids: list[int]) -> dict[int, int]:
    """Established server-side connections on the port, per worker process (``ss``)."""
    import re

    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts = dict.fromkeys(pids, 0)
    for pid in re.findall(r"pid=(\d+)", out):
        if int(pid) in counts:
            counts[int(pid)] += 1
    return counts


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_new_connections_go_to_the_replacement_worker_until_it_has_caught_up(
    tmp_path: Path,
) -> None:
    """After a crash the survivor keeps its sockets; the reconnecting ones must land on the new
    worker, not pile up on the survivor (ADR 0021)."""
    import shutil

    if shutil.which("ss") is None:
        pytest.skip("needs ss (iproute2) to see which process holds a connection")
    env = _sqlite_env(tmp_path)
    proc, port, _log_path = _serve(env, tmp_path)
    held: list[socket.socket] = []
    try:
        _wait(lambda: _get(port) == 200 and len(_children(proc.pid)) == 2)
        time.sleep(0.3)  # both workers have published a heartbeat

        def connect(n: int) -> None:
            for _ in range(n):
                held.append(socket.create_connection(("127.0.0.1", port)))
                time.sleep(0.01)

        connect(60)  # open, idle connections (no request yet)
        workers = _children(proc.pid)
        _wait(lambda: sum(_connections_by_pid(port, workers).values()) == 60, 10)
        spread = _connections_by_pid(port, workers)
        assert min(spread.values()) >= 20, spread  # balanced from the start
        victim = max(spread, key=lambda pid: spread[pid])
        survivor = next(pid for pid in workers if pid != victim)
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: len(_children(proc.pid)) == 2 and victim not in _children(proc.pid), 5)
        (newcomer,) = [pid for pid in _children(proc.pid) if pid != survivor]
        time.sleep(0.3)
        before = _connections_by_pid(port, [survivor, newcomer])
        connect(spread[victim])  # the dead worker's clients come back
        _wait(
            lambda: (
                sum(_connections_by_pid(port, [survivor, newcomer]).values())
                == sum(before.values()) + spread[victim]
            ),
            10,
        )
        after = _connections_by_pid(port, [survivor, newcomer])
        to_newcomer = after[newcomer] - before[newcomer]
        assert to_newcomer >= spread[victim] - 10, (before, after)
        assert abs(after[newcomer] - after[survivor]) <= 12, after
    finally:
        for sock in held:
            sock.close()
        proc.terminate()
        proc.wait(timeout=40)


def test_the_board_counts_only_live_peers_that_can_take_more_and_are_not_draining() -> None:
    from vangnet.lib.prefork import BUSY_LAG_MS, Board

    board = Board(3)
    board.publish(0, 10, 0.0)
    board.publish(1, 400, 5.0)
    board.publish(2, 0, BUSY_LAG_MS + 1)  # swamped: does not count as able to take more
    assert board.live_peers(0) == [400]
    assert sorted(board.live_peers(2)) == [10, 400]
    board.clear(1)  # a dead worker's slot
    assert board.live_peers(0) == []
    board.publish(1, 0, 0.0, draining=True)  # restarting: new sockets must go elsewhere
    assert board.live_peers(0) == []
    assert board.draining(1, os.getpid())
    assert not board.draining(1, os.getpid() + 1)  # another process in that slot
    assert not board.draining(0, os.getpid())


async def _start_chat(port: int) -> str:
    """A visitor starts a chat as a browser without JavaScript would; returns the session."""
    import asyncio

    token = "t" * 32  # Django accepts its unmasked secret as the form token too
    body = f"csrfmiddlewaretoken={token}&language=nl&age_group=16_17&danger_now=no".encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST /chat/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nCookie: csrftoken={token}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
    )
    raw = await reader.read()
    writer.close()
    import re

    found = re.search(rb"sessionid=([^;]+)", raw)
    assert found, raw[:200]
    return found.group(1).decode()


class _Visitor:
    """A chat socket that reconnects as chat.js does after a planned restart (1012)."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.session = port, session
        self.closes: list[tuple[float, int | None]] = []
        self.welcomes = 0
        self.stopped = False

    async def run(self) -> None:
        import asyncio
        import json

        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        while not self.stopped:
            try:
                async with connect(
                    f"ws://127.0.0.1:{self.port}/ws/chat/visitor",
                    additional_headers={
                        "Origin": f"http://127.0.0.1:{self.port}",
                        "Cookie": f"sessionid={self.session}",
                    },
                ) as ws:
                    await ws.send(json.dumps({"type": "hello", "last_seq": 0, "count": 0}))
                    async for raw in ws:
                        if json.loads(raw)["type"] == "welcome":
                            self.welcomes += 1
            except ConnectionClosed as exc:
                self.closes.append((time.monotonic(), exc.rcvd.code if exc.rcvd else None))
            except OSError:
                await asyncio.sleep(0.2)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_restarting_worker_closes_its_sockets_a_few_at_a_time_and_is_replaced_first(
    tmp_path: Path,
) -> None:
    """SIGUSR1 to a worker: its replacement starts at once, its chat sockets are closed with
    1012 spread over VANGNET_DRAIN_SECONDS (not all at once), every client comes back and is
    welcomed, the other worker's sockets are untouched. SIGHUP to the supervisor does the same
    for every worker in turn."""
    import asyncio
    import shutil

    if shutil.which("ss") is None:
        pytest.skip("needs ss (iproute2) to see which process holds a connection")
    env = _sqlite_env(tmp_path, demo=True, VANGNET_DRAIN_SECONDS="2")
    proc, port, log_path = _serve(env, tmp_path)

    async def scenario() -> None:
        sessions = [await _start_chat(port) for _ in range(40)]
        visitors = [_Visitor(port, s) for s in sessions]
        tasks = [asyncio.ensure_future(v.run()) for v in visitors]
        try:
            await _until(lambda: all(v.welcomes == 1 for v in visitors))
            workers = _children(proc.pid)
            # SIGUSR1 meant for a worker that reaches the supervisor (pkill -f) is harmless.
            os.kill(proc.pid, signal.SIGUSR1)
            await asyncio.sleep(0.5)
            assert proc.poll() is None
            assert _children(proc.pid) == workers
            spread = _connections_by_pid(port, workers)
            victim = max(spread, key=lambda pid: spread[pid])
            assert spread[victim] >= 10, spread
            os.kill(victim, signal.SIGUSR1)
            asked_at = time.monotonic()
            await _until(lambda: len(_children(proc.pid)) == 3, 5)  # replacement beside it
            await _until(lambda: victim not in _children(proc.pid), 15)
            closed = [c for v in visitors for c in v.closes]
            assert [code for _at, code in closed] == [1012] * spread[victim], closed
            times = sorted(at for at, _code in closed)
            assert times[0] - asked_at >= 0.3  # the replacement got a head start
            assert times[-1] - times[0] >= 1.5, times  # spread evenly over the 2 s
            await _until(lambda: all(v.welcomes == 1 + len(v.closes) for v in visitors))
            assert len(_children(proc.pid)) == 2

            # SIGHUP: every worker in turn, never both draining at once.
            before = set(_children(proc.pid))
            proc.send_signal(signal.SIGHUP)
            await _until(lambda: not before & set(_children(proc.pid)), 30)
            await _until(lambda: len(_children(proc.pid)) == 2, 5)
            await _until(lambda: all(v.welcomes == 1 + len(v.closes) for v in visitors))
            assert all(len(v.closes) >= 1 for v in visitors)
            assert all(code == 1012 for v in visitors for _at, code in v.closes)
        finally:
            for visitor in visitors:
                visitor.stopped = True
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    try:
        _wait(lambda: _get(port) == 200 and len(_children(proc.pid)) == 2)
        time.sleep(0.3)
        asyncio.run(scenario())
        assert _get(port) == 200
        text = log_path.read_text()
        assert text.count("is draining; starting a new one") == 3, text
        assert text.count("restarted (0)") == 3, text
        assert "127.0.0.1:" not in text.replace(f"127.0.0.1:{port}", "")
    finally:
        proc.terminate()
        proc.wait(timeout=40)


async def _until(predicate: Callable[[], object], seconds: float = 20.0) -> None:
    import asyncio

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def test_a_draining_worker_is_replaced_once_and_only_when_a_board_slot_is_free(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vangnet.lib import prefork

    supervisor = prefork.Prefork(config=None, workers=1)  # two board slots
    forked: list[int] = []
    monkeypatch.setattr(supervisor, "_fork", lambda _sock, slot: forked.append(slot))
    draining, other = 101, 102
    supervisor.children = {draining: (0.0, 0), other: (0.0, 1)}
    prefork._SLOT.pack_into(supervisor.board.memory, 0, draining, 5, time.monotonic(), 0.0, 1)
    supervisor._replace_draining(None)  # type: ignore[arg-type]
    assert forked == []  # both slots taken: try again later, do not crash
    assert draining not in supervisor.replaced
    assert "no board slot free" in caplog.text
    del supervisor.children[other]
    supervisor._replace_draining(None)  # type: ignore[arg-type]
    supervisor._replace_draining(None)  # type: ignore[arg-type]
    assert forked == [1]  # once
    assert draining in supervisor.replaced


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_draining_worker_killed_midway_is_not_replaced_twice(tmp_path: Path) -> None:
    """Its replacement already runs: the crash of a draining worker must not add a third
    worker. SIGTERM during a drain still stops everything."""
    env = _sqlite_env(tmp_path, VANGNET_DRAIN_SECONDS="60")
    proc, port, log_path = _serve(env, tmp_path)
    try:
        _wait(lambda: _get(port) == 200 and len(_children(proc.pid)) == 2)
        time.sleep(0.3)
        first = _children(proc.pid)
        os.kill(first[0], signal.SIGUSR1)
        _wait(lambda: len(_children(proc.pid)) == 3, 5)
        os.kill(first[0], signal.SIGKILL)
        _wait(lambda: first[0] not in _children(proc.pid), 5)
        time.sleep(1.5)  # the supervisor has looked at least once more
        assert len(_children(proc.pid)) == 2
        assert all(_get(port) == 200 for _ in range(10))
        os.kill(_children(proc.pid)[0], signal.SIGUSR1)  # a second drain, stopped by SIGTERM
        _wait(lambda: len(_children(proc.pid)) == 3, 5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=40) == 0
        text = log_path.read_text()
        assert f"worker {first[0]} restarted (-9)" in text
        assert "starting a new one" in text
        assert text.count("starting a new one") == 2  # one per drain, none for the kill
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
