# SPDX-License-Identifier: EUPL-1.2
"""Counters for rate limits and lock-outs, keyed only by keyed hashes.

A key never contains a raw IP address, user name or return-code locator: callers pass the parts
and this module stores ``HMAC(pepper, scope | parts)``. The cache is process memory (LocMem) on
one machine and Redis with several processes; entries expire with their window.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def keyed(scope: str, *parts: str) -> str:
    message = "|".join((scope, *parts)).encode()
    digest = hmac.new(settings.VANGNET_PEPPER, message, hashlib.sha256).hexdigest()[:40]
    return f"vg:thr:{scope}:{digest}"


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window_seconds: int


def hit(limit: Limit, *parts: str) -> int:
    """Count one event; return the count within the current window."""
    key = keyed(limit.scope, *parts)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip: start the window where none runs (SET NX EX), then count (INCR), in
        # one MULTI so the key cannot expire between the two (a counter without expiry would
        # limit for ever). Django's add-then-incr took three (ADD, EXISTS, INCR) on every chat
        # line. Works on Redis 2.6.12 and later. Counters are plain integers, which Django's
        # Redis serializer reads back as integers (``count``).
        redis_key = backend.make_and_validate_key(key)
        pipe = _redis_client(backend).pipeline(transaction=True)
        pipe.set(redis_key, 0, ex=limit.window_seconds, nx=True)
        pipe.incr(redis_key)
        _started, count = pipe.execute()
        return int(count)
    if cache.add(key, 1, timeout=limit.window_seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.window_seconds)
        return 1


def _redis_client(backend: RedisCache) -> Any:
    """The redis-py client that Django's Redis cache writes with."""
    return backend._cache.get_client(write=True)  # type: ignore[attr-defined]  # (not in the stubs)


def count(limit: Limit, *parts: str) -> int:
    return int(cache.get(keyed(limit.scope, *parts), 0))


def exceeded(limit: Limit, *parts: str) -> bool:
    return count(limit, *parts) >= limit.max_hits


def reset(limit: Limit, *parts: str) -> None:
    cache.delete(keyed(limit.scope, *parts))


def lock(scope: str, seconds: int, *parts: str) -> None:
    cache.set(keyed(scope + ":lock", *parts), time.time() + seconds, timeout=seconds)


def locked_for(scope: str, *parts: str) -> int:
    """Seconds left on a lock, or 0."""
    until = cache.get(keyed(scope + ":lock", *parts))
    if until is None:
        return 0
    return max(0, int(until - time.time()) + 1)
