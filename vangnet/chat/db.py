# SPDX-License-Identifier: EUPL-1.2
"""Running ORM code from the chat's async consumers: a small pool of database threads.

Channels' ``database_sync_to_async`` closes the connection around every call (the project runs
with ``CONN_MAX_AGE=0``), so each chat line would open a new database connection — a new
PostgreSQL backend process per message. And Django's thread-sensitive executor is *one* thread
per process, shared with every synchronous HTTP view: a chat line waiting for its commit (fsync)
kept all other lines and pages of the process waiting behind it.

So the chat runs its ORM calls on its own pool of ``VANGNET_CHAT_DB_THREADS`` threads (default
4; 2 left a worker taking over a thousand reconnecting sockets waiting on database round trips
with the GIL free half of the time). Each thread keeps its one connection, replaced only after
a database error left it unusable. Commits of different conversations overlap (PostgreSQL
commits them as a group); the Python work still takes turns on the GIL, so a few threads are
enough.

Order is not affected: a consumer awaits each call before it handles its next frame, and lines
of one conversation serialise on the conversation's row lock (``actions.send_message``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.db import connections

from vangnet.chat import conf

P = ParamSpec("P")
R = TypeVar("R")

_executor: ThreadPoolExecutor | None = None
_size = 0
_guard = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor, _size
    executor = _executor
    if executor is None:
        with _guard:
            if _executor is None:
                _size = conf.db_threads()
                _executor = ThreadPoolExecutor(max_workers=_size, thread_name_prefix="chat-db")
            executor = _executor
    return executor


def _healthy_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.errors_occurred:
            if conn.is_usable():
                conn.errors_occurred = False
            else:
                conn.close()


_shared_cache: BaseCache | None = None


def _process_cache() -> BaseCache:
    """One instance of the default cache for all sockets of the process.

    Django keeps cache instances per async context, and every socket is its own context: each
    socket made its own Redis cache client, with its own connection pool and a new Redis
    connection (redis-py reads package metadata from disk for every new connection) — about
    10 ms of CPU per (re)connecting socket, and one Redis connection per open socket. The
    backends used here (Redis, process memory) are safe to share between threads.
    """
    global _shared_cache
    if _shared_cache is None:
        with _guard:
            if _shared_cache is None:
                _shared_cache = caches.create_connection(DEFAULT_CACHE_ALIAS)
    return _shared_cache


def _run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    _healthy_connections()
    caches[DEFAULT_CACHE_ALIAS] = _process_cache()  # for this call (this socket's context)
    return fn(*args, **kwargs)


async def run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` on one of the chat's database threads, keeping that thread's connection."""
    return await sync_to_async(_run, thread_sensitive=False, executor=_pool())(fn, *args, **kwargs)


def close_all() -> None:
    """Close every database thread's connection and stop the pool (tests, process shutdown).

    A pool thread can only close its own connections, so each thread gets one closing task: the
    barrier holds every task until all threads hold one.
    """
    global _executor
    with _guard:
        executor, _executor = _executor, None
        size = _size
    if executor is None:
        return
    barrier = threading.Barrier(size)

    def close() -> None:
        connections.close_all()
        barrier.wait(timeout=10)

    for future in [executor.submit(close) for _ in range(size)]:
        future.result()
    executor.shutdown(wait=True)
