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
    env = dict(os.environ, VANGNET_ENV="demo", VANGNET_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "vangnet.cli", "manage", "migrate", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vangnet.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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
    env = dict(os.environ, VANGNET_ENV="demo", VANGNET_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
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
    env = dict(os.environ, VANGNET_ENV="demo", VANGNET_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "vangnet.cli", "manage", "migrate", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vangnet.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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


def test_the_board_counts_only_live_peers_that_can_take_more() -> None:
    from vangnet.lib.prefork import BUSY_LAG_MS, Board

    board = Board(3)
    board.publish(0, 10, 0.0)
    board.publish(1, 400, 5.0)
    board.publish(2, 0, BUSY_LAG_MS + 1)  # swamped: does not count as able to take more
    assert board.live_peers(0) == [400]
    assert sorted(board.live_peers(2)) == [10, 400]
    board.clear(1)  # a dead worker's slot
    assert board.live_peers(0) == []
