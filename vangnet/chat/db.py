# SPDX-License-Identifier: EUPL-1.2
"""Running ORM code from the chat's async consumers.

Channels' ``database_sync_to_async`` closes the connection around every call (the project runs
with ``CONN_MAX_AGE=0``), so each chat line would open a new database connection — a new
PostgreSQL backend process per message. Here the one connection of the consumer thread is kept,
and replaced only after a database error left it unusable. Like Django's own sync views, calls
run on the single thread-sensitive executor of the process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import connections

P = ParamSpec("P")
R = TypeVar("R")


def _healthy_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.errors_occurred:
            if conn.is_usable():
                conn.errors_occurred = False
            else:
                conn.close()


def _run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    _healthy_connections()
    return fn(*args, **kwargs)


async def run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` on the thread that owns this process's ORM connection."""
    return await sync_to_async(_run, thread_sensitive=True)(fn, *args, **kwargs)
