# SPDX-License-Identifier: EUPL-1.2
"""Several uvicorn workers forked from one process that has already loaded the application.

uvicorn's own supervisor starts each worker as a new interpreter (``spawn``) that imports
Django and the application again, and it looks for dead workers twice a second. When a worker
dies, its chat sockets (up to a thousand) reconnect within a second, and on two cores a new
interpreter took one to two seconds before it accepted anything: nearly every socket landed on
the surviving worker, which then carried the whole load and needed 15-20 s to catch up (ADR 0020).

Here the supervisor imports the application once, binds the socket once, and *forks* the
workers. It hears a worker die at once (SIGCHLD) and forks the replacement in milliseconds; the
replacement is ready before most sockets come back, and being idle it wins most of the races
for new connections on the shared socket, so the load evens out again. The same model as
gunicorn's ``--preload``.

Forking is safe because the supervisor opens nothing that must not be shared: no database
connection (closed before the first fork), no event loop, no thread (thread pools in
``lib.asgi`` and ``chat.db`` start lazily, in the worker). ``random`` is reseeded in every child
by Python itself; secrets come from ``os.urandom``.

Balance: a new worker is idle, but on two busy cores the surviving worker still won most races
for new connections on the shared socket (it is already running when a connection arrives; the
idle one must first be scheduled), and ended with three quarters of the sockets. So every worker
publishes its number of open connections in a small shared-memory table (with a heartbeat), and
a worker holding clearly more than the least loaded *live* peer stops accepting (closes its copy
of the listening socket; the socket stays open in the others) until the peer has caught up. No
connection is moved or closed: only where new ones land changes. A peer whose heartbeat is older
than a second does not count (a stuck worker cannot make the others stop accepting), nor does a
peer whose event loop runs more than ``BUSY_LAG_MS`` late (a new worker swamped by a thousand
returning sockets gets help from the others instead of queueing them all), and the least loaded
worker never stops, so someone always accepts.

Restarting a worker without dropping a thousand chats at once (a deploy, a worker that grew too
big): SIGUSR1 to a worker, or SIGHUP to the supervisor to restart every worker in turn. The worker
marks itself *draining* on the board, stops accepting, and wakes the supervisor (SIGUSR2), which
forks its replacement at once. Then it closes its WebSockets with code 1012 ("service restart")
a few at a time, spread over ``VANGNET_DRAIN_SECONDS`` (default 20 s), and exits. Each client
reconnects at once, says ``hello`` and resends what was not acknowledged; at any moment only a
few sockets are between two workers, so nobody waits behind a thousand handshakes (after a
crash, SIGKILL, they all come back together: ADR 0021).

Signals: SIGTERM/SIGINT/SIGQUIT stop the workers gracefully (uvicorn's own shutdown, up to
``graceful_seconds``), then kill what is left. A worker that fails before it serves (exit code
3, uvicorn's startup failure) stops the supervisor: every replacement would fail the same way.
Five deaths within ten seconds of starting stop it too (a crash loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import mmap
import os
import select
import signal
import socket
import struct
import sys
import time
from collections import deque
from typing import Any

logger = logging.getLogger("vangnet.serve")

STARTUP_FAILURE = 3  # uvicorn's exit code for a worker that could not start
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
CRASH_LOOP_DEATHS = 5
CRASH_LOOP_SECONDS = 10.0
BALANCE_EVERY_SECONDS = 0.05
HEARTBEAT_FRESH_SECONDS = 1.0
# pid, open connections, heartbeat (monotonic s), loop lag (ms), draining (0/1)
_SLOT = struct.Struct("qqddq")
DRAIN_SIGNAL = signal.SIGUSR1  # to a worker: restart gracefully
DRAINING_SIGNAL = signal.SIGUSR2  # from a worker to the supervisor: "I am draining, replace me"
ROLL_SIGNAL = signal.SIGHUP  # to the supervisor: restart every worker gracefully, one by one
DRAIN_SECONDS_DEFAULT = 20.0
# Before closing the first socket the draining worker gives its replacement this long to start.
DRAIN_HEAD_START_SECONDS = 0.5
ASKED_TIMEOUT_SECONDS = 10.0  # a worker asked to drain that has not begun by then is stuck


def _margin(lowest: int) -> int:
    """How far above the least loaded live peer a worker may be and still accept."""
    return max(8, lowest // 20)


def _warm_up() -> None:
    """Import now what the first request or socket would import in every (new) worker: the
    views behind the URLconf, the channel layer's and the cache's client libraries."""
    import importlib

    from django.conf import settings
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for path in (
        getattr(settings, "CHANNEL_LAYERS", {}).get("default", {}).get("BACKEND", ""),
        settings.CACHES["default"]["BACKEND"],
    ):
        if path:
            with contextlib.suppress(ImportError):
                importlib.import_module(path.rsplit(".", 1)[0])
    with contextlib.suppress(ImportError):
        importlib.import_module("redis.asyncio")


GC_GEN0_DEFAULT = 50_000
BUSY_LAG_MS = 100.0  # a worker whose event loop is this late cannot take more sockets now


def drain_seconds() -> float:
    """Over how many seconds a restarting worker spreads the closing of its WebSockets."""
    try:
        value = float(os.environ.get("VANGNET_DRAIN_SECONDS", DRAIN_SECONDS_DEFAULT))
    except ValueError:
        value = DRAIN_SECONDS_DEFAULT
    return max(0.0, value)


def tune_process() -> None:
    """Interpreter settings for a server process (each worker, and ``--workers 1``).

    ``VANGNET_GC_GEN0`` (default 50,000 allocations; 0 keeps Python's 700): with a thousand
    open chats a worker holds several hundred thousand long-lived objects, and a full
    collection paused it for 200-400 ms about every 15 s; every line in flight waited. Objects
    of a line live for milliseconds; collected less often they die young instead of being
    promoted, and full collections come rarely."""
    try:
        gen0 = int(os.environ.get("VANGNET_GC_GEN0", GC_GEN0_DEFAULT))
    except ValueError:
        gen0 = GC_GEN0_DEFAULT
    if gen0 > 0:
        _g0, g1, g2 = gc.get_threshold()
        gc.set_threshold(gen0, g1, g2)


class Board:
    """Per worker slot in anonymous shared memory (made before the first fork): pid, number of
    open connections, heartbeat, loop lag, draining. Each worker writes only its own slot. There
    are twice as many slots as workers: a draining worker and its replacement live side by
    side."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.memory = mmap.mmap(-1, _SLOT.size * slots)

    def publish(
        self, slot: int, connections: int, lag_ms: float, *, draining: bool = False
    ) -> None:
        _SLOT.pack_into(
            self.memory,
            slot * _SLOT.size,
            os.getpid(),
            connections,
            time.monotonic(),
            lag_ms,
            int(draining),
        )

    def clear(self, slot: int) -> None:
        _SLOT.pack_into(self.memory, slot * _SLOT.size, 0, 0, 0.0, 0.0, 0)

    def draining(self, slot: int, pid: int) -> bool:
        """Has the worker ``pid`` in this slot said it is draining?"""
        found, _connections, _beat, _lag, draining = _SLOT.unpack_from(
            self.memory, slot * _SLOT.size
        )
        return found == pid and bool(draining)

    def live_peers(self, slot: int) -> list[int]:
        """Open connections of the other workers that showed a heartbeat within a second, are
        not draining, and can take more now (their event loop is less than ``BUSY_LAG_MS``
        late)."""
        now = time.monotonic()
        found = []
        for other in range(self.slots):
            if other == slot:
                continue
            pid, connections, beat, lag, draining = _SLOT.unpack_from(
                self.memory, other * _SLOT.size
            )
            if pid and not draining and now - beat < HEARTBEAT_FRESH_SECONDS and lag < BUSY_LAG_MS:
                found.append(connections)
        return found


class Prefork:
    def __init__(self, config: object, workers: int, *, graceful_seconds: float = 30.0) -> None:
        self.config = config  # a uvicorn.Config whose ``app`` is the ASGI application
        self.workers = workers
        self.graceful_seconds = graceful_seconds
        self.children: dict[int, tuple[float, int]] = {}  # pid -> (start time, board slot)
        self.board = Board(2 * workers)
        self.drain_seconds = drain_seconds()
        # Draining workers whose replacement runs already: pid -> when it started draining.
        self.replaced: dict[int, float] = {}
        self.rolling: deque[int] = deque()  # workers still to restart (SIGHUP)
        self.roll_requested = False
        self.asked = 0  # the worker this supervisor asked to drain and that has not ended yet
        self.asked_at = 0.0
        self.pid = os.getpid()
        self.stopping = 0  # the signal that asked us to stop
        self.exit_code = 0
        self.early_deaths: deque[float] = deque(maxlen=CRASH_LOOP_DEATHS)
        self._wake_r = self._wake_w = -1

    # --- the supervisor ------------------------------------------------------------------

    def run(self) -> int:
        import uvicorn
        from django.db import connections

        assert isinstance(self.config, uvicorn.Config)
        self.config.load()  # import the application here, once, before forking
        _warm_up()
        sock = self.config.bind_socket()
        connections.close_all()  # nothing the workers could share by accident
        # Everything loaded so far lives as long as the workers: out of the collector's sight
        # (the documented use of gc.freeze before fork), so a full collection in a worker
        # walks only its own objects and touches no page shared with its siblings.
        gc.collect()
        gc.freeze()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        os.set_blocking(self._wake_r, False)
        old_wakeup = signal.set_wakeup_fd(self._wake_w)
        handled = (*STOP_SIGNALS, signal.SIGCHLD, ROLL_SIGNAL, DRAINING_SIGNAL, DRAIN_SIGNAL)
        old = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        logger.warning(
            "vangnet serve: supervisor %s, %s workers on %s:%s",
            os.getpid(),
            self.workers,
            self.config.host,
            self.config.port,
        )
        try:
            for slot in range(self.workers):
                self._fork(sock, slot)
            while not self.stopping:
                self._reap(sock)
                if not self.stopping:
                    self._replace_draining(sock)
                    self._roll()
                    self._sleep(1.0)
        finally:
            self._shutdown()  # also when the loop failed: no worker is left unsupervised
            for sig, handler in old.items():
                signal.signal(sig, handler)
            signal.set_wakeup_fd(old_wakeup)
            os.close(self._wake_r)
            os.close(self._wake_w)
            sock.close()
        return self.exit_code

    def _on_signal(self, signum: int, _frame: object) -> None:
        if signum in STOP_SIGNALS and not self.stopping:
            self.stopping = signum
        elif signum == ROLL_SIGNAL:
            self.roll_requested = True
        elif signum == DRAIN_SIGNAL:
            # Meant for a worker (``pkill -USR1 -f "vangnet serve"`` reaches this process too).
            # Not logged here: logging from a signal handler can deadlock.
            pass
        # SIGCHLD, SIGUSR2: the wakeup fd ends the sleep; the loop does the work outside the
        # handler.

    def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(InterruptedError):
            select.select([self._wake_r], [], [], seconds)
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while os.read(self._wake_r, 512):
                pass

    def _reap(self, sock: socket.socket) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if pid == self.asked:
                self.asked = 0
            if child is None or self.stopping:
                continue
            started, slot = child
            self.board.clear(slot)
            code = os.waitstatus_to_exitcode(status)
            if self.replaced.pop(pid, None) is not None:
                logger.warning("vangnet serve: worker %s restarted (%s)", pid, code)
                continue  # its replacement has been running since it began to drain
            logger.error("vangnet serve: worker %s ended (%s); starting a new one", pid, code)
            if code == STARTUP_FAILURE:
                logger.error("vangnet serve: a worker could not start; stopping")
                self.stopping, self.exit_code = signal.SIGTERM, STARTUP_FAILURE
                return
            now = time.monotonic()
            if now - started < CRASH_LOOP_SECONDS:
                self.early_deaths.append(now)
                if (
                    len(self.early_deaths) == CRASH_LOOP_DEATHS
                    and now - self.early_deaths[0] < CRASH_LOOP_SECONDS
                ):
                    logger.error("vangnet serve: workers keep dying right after start; stopping")
                    self.stopping, self.exit_code = signal.SIGTERM, 1
                    return
            self._fork(sock, slot)

    def _replace_draining(self, sock: socket.socket) -> None:
        """Fork a replacement for every worker that has begun to drain; kill one that takes
        far longer than its drain should."""
        now = time.monotonic()
        for pid, (_started, slot) in list(self.children.items()):
            if pid in self.replaced:
                if now - self.replaced[pid] > self.drain_seconds + self.graceful_seconds:
                    logger.error("vangnet serve: worker %s did not finish draining; killed", pid)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                continue
            if self.board.draining(slot, pid):
                used = {slot for _start, slot in self.children.values()}
                free = sorted(set(range(self.board.slots)) - used)
                if not free:
                    # As many drains at once as workers: the next loop tries again.
                    logger.error("vangnet serve: no board slot free for a replacement of %s", pid)
                    continue
                self.replaced[pid] = now
                logger.warning("vangnet serve: worker %s is draining; starting a new one", pid)
                self._fork(sock, free[0])

    def _roll(self) -> None:
        """SIGHUP: ask the workers to drain one at a time, each once the previous has ended."""
        if self.roll_requested:
            self.roll_requested = False
            if self.rolling or self.asked:
                logger.warning("vangnet serve: already restarting the workers; SIGHUP ignored")
            else:
                self.rolling = deque(pid for pid in self.children if pid not in self.replaced)
                logger.warning("vangnet serve: restarting %s workers one by one", len(self.rolling))
        if (
            self.asked
            and self.asked not in self.replaced
            and time.monotonic() - self.asked_at > ASKED_TIMEOUT_SECONDS
        ):
            logger.error("vangnet serve: worker %s did not begin to drain; killed", self.asked)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.asked, signal.SIGKILL)
            self.asked_at = float("inf")  # killed once; _reap clears ``asked``
        while self.rolling and not self.asked:
            pid = self.rolling.popleft()
            if pid in self.children and pid not in self.replaced:
                self.asked, self.asked_at = pid, time.monotonic()
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, DRAIN_SIGNAL)

    def _fork(self, sock: socket.socket, slot: int) -> None:
        # A drain request must not reach the new worker before it has its handler (_child).
        signal.pthread_sigmask(signal.SIG_BLOCK, {DRAIN_SIGNAL})
        pid = os.fork()
        if pid == 0:
            self._child(sock, slot)  # never returns
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {DRAIN_SIGNAL})
        self.children[pid] = (time.monotonic(), slot)

    def _shutdown(self) -> None:
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.graceful_seconds
        while self.children and time.monotonic() < deadline:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                self.children.pop(pid, None)
            else:
                self._sleep(0.1)
        for pid in list(self.children):
            logger.error("vangnet serve: worker %s did not stop in time; killing it", pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.children.clear()

    # --- a worker ------------------------------------------------------------------------

    def _child(self, sock: socket.socket, slot: int) -> None:
        code = 0
        try:
            signal.set_wakeup_fd(-1)
            for sig in (*STOP_SIGNALS, signal.SIGCHLD, ROLL_SIGNAL, DRAINING_SIGNAL):
                signal.signal(sig, signal.SIG_DFL)
            # Remembered here, acted on by the balancer once the server runs (_balance).
            signal.signal(DRAIN_SIGNAL, _ask_to_drain)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {DRAIN_SIGNAL})
            os.close(self._wake_r)
            os.close(self._wake_w)
            import uvicorn

            gc.enable()
            tune_process()
            server = uvicorn.Server(self.config)  # type: ignore[arg-type]
            loop_factory = self.config.get_loop_factory()  # type: ignore[attr-defined]
            with asyncio.Runner(loop_factory=loop_factory) as runner:
                runner.run(
                    _serve_balanced(
                        server, sock, self.board, slot, self.drain_seconds, supervisor=self.pid
                    )
                )
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            logger.exception("vangnet serve: worker %s failed", os.getpid())
            code = 1
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)


_drain_asked = False


def _ask_to_drain(_signum: int, _frame: object) -> None:
    global _drain_asked
    _drain_asked = True


def _is_websocket(connection: object) -> bool:
    return type(connection).__module__.startswith("uvicorn.protocols.websockets")


async def _drain(server: Any, seconds: float) -> None:
    """Close this worker's WebSockets with 1012, evenly over ``seconds``, then stop."""
    try:
        await asyncio.sleep(DRAIN_HEAD_START_SECONDS)
        sockets = [c for c in list(server.server_state.connections) if _is_websocket(c)]
        logger.warning(
            "vangnet serve: worker %s closes %s WebSockets over %.0f s and stops",
            os.getpid(),
            len(sockets),
            seconds,
        )
        start = time.monotonic()
        every = seconds / len(sockets) if sockets else 0.0
        for index, connection in enumerate(sockets):
            wait = start + index * every - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if connection not in server.server_state.connections:
                continue  # the client left by itself
            transport = getattr(connection, "transport", None)
            if transport is not None and transport.is_closing():
                continue
            try:
                connection.shutdown()  # close code 1012: "service restart", come back now
            except Exception:  # a socket in a state uvicorn did not expect: the rest goes on
                logger.exception("vangnet serve: closing a WebSocket failed")
    finally:
        server.should_exit = True  # uvicorn's own shutdown for what is left (plain HTTP)


async def _serve_balanced(
    server: Any, sock: socket.socket, board: Board, slot: int, drain_for: float, *, supervisor: int
) -> None:
    """uvicorn's server on the shared socket, with the balancer beside it."""
    spare = sock.dup()  # to listen again after closing our copy
    balancer = asyncio.ensure_future(
        _balance(server, spare, board, slot, drain_for, supervisor=supervisor)
    )
    try:
        await server.serve(sockets=[sock])
    finally:
        balancer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await balancer
        board.clear(slot)
        spare.close()


async def _balance(
    server: Any, spare: socket.socket, board: Board, slot: int, drain_for: float, *, supervisor: int
) -> None:
    while not server.started:
        if server.should_exit:
            return
        await asyncio.sleep(BALANCE_EVERY_SECONDS)
    loop = asyncio.get_running_loop()
    config = server.config
    accepting = True
    lag_ms = 0.0
    drain: asyncio.Future[None] | None = None
    while not server.should_exit:
        mine = len(server.server_state.connections)
        if drain is None and _drain_asked:
            # Stop accepting, tell the supervisor (it forks the replacement), close gently.
            board.publish(slot, mine, lag_ms, draining=True)
            for listener in server.servers:
                listener.close()
            server.servers = []  # and never listens again: the loop below skips the balancing
            if os.getppid() == supervisor:  # not whoever adopted us if it died
                os.kill(supervisor, DRAINING_SIGNAL)
            drain = asyncio.ensure_future(_drain(server, drain_for))
        board.publish(slot, mine, lag_ms, draining=drain is not None)
        if drain is not None:
            await asyncio.sleep(BALANCE_EVERY_SECONDS)
            continue
        peers = board.live_peers(slot)
        lowest = min(peers) if peers else mine
        if accepting and peers and mine > lowest + _margin(lowest):
            for listener in server.servers:
                listener.close()  # this process's copy only; the socket stays listening
            server.servers = []
            accepting = False
        elif not accepting and (not peers or mine <= lowest + _margin(lowest) // 2):
            factory = functools.partial(
                config.http_protocol_class,
                config=config,
                server_state=server.server_state,
                app_state=server.lifespan.state,
            )
            listener = await loop.create_server(
                factory, sock=spare.dup(), ssl=config.ssl, backlog=config.backlog
            )
            server.servers = [listener]
            accepting = True
        due = time.monotonic() + BALANCE_EVERY_SECONDS
        await asyncio.sleep(BALANCE_EVERY_SECONDS)
        # How late this loop is (decaying: a burst shows for a few hundred milliseconds).
        lag_ms = max((time.monotonic() - due) * 1000, lag_ms * 0.8)
