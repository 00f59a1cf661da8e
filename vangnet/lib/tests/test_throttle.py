"""Rate-limit counters: the same counts on process memory and on Redis (one round trip there).

The Redis case runs when REDIS_URL is set (CI sets it), against the real server, under its own
key prefix.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from vangnet.lib import throttle

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("REDIS_URL is not set")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"vgtest-{uuid.uuid4().hex[:8]}",
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"throttle-{uuid.uuid4().hex[:8]}",
            }
        }
    # (Django's test signals give ``caches`` fresh backends when CACHES changes.)
    assert type(caches["default"]).__name__ == {"redis": "RedisCache"}.get(
        request.param, "LocMemCache"
    )
    return request.param


def test_hits_are_counted_per_window_and_key(backend):
    limit = throttle.Limit("test-lines", max_hits=3, window_seconds=2)
    assert [throttle.hit(limit, "conv-a", "visitor") for _ in range(4)] == [1, 2, 3, 4]
    assert throttle.hit(limit, "conv-b", "visitor") == 1  # another key counts on its own
    assert throttle.count(limit, "conv-a", "visitor") == 4
    assert throttle.exceeded(limit, "conv-a", "visitor")
    time.sleep(2.2)  # the window ends: the counter starts again
    assert throttle.hit(limit, "conv-a", "visitor") == 1


def test_the_window_starts_at_the_first_hit_and_is_not_extended(backend):
    limit = throttle.Limit("test-window", max_hits=100, window_seconds=2)
    throttle.hit(limit, "k")
    time.sleep(1.2)
    throttle.hit(limit, "k")  # a later hit must not push the end of the window
    time.sleep(1.0)
    assert throttle.hit(limit, "k") == 1


def test_keys_hold_no_raw_parts(backend):
    limit = throttle.Limit("test-keys", max_hits=1, window_seconds=5)
    key = throttle.keyed(limit.scope, "203.0.113.7")
    assert "203.0.113.7" not in key and key.startswith("vg:thr:test-keys:")


def test_a_counter_always_expires(backend):
    limit = throttle.Limit("test-ttl", max_hits=5, window_seconds=30)
    for _ in range(3):
        throttle.hit(limit, "k")
    if backend == "redis":
        backend_cache = caches["default"]
        assert isinstance(backend_cache, RedisCache)
        key = backend_cache.make_and_validate_key(throttle.keyed(limit.scope, "k"))
        client = throttle._redis_client(backend_cache)
        assert 0 < client.ttl(key) <= 30  # a counter without expiry would limit for ever
        assert client.get(key) == b"3"  # a plain integer, as Django's serializer reads it
    assert throttle.count(limit, "k") == 3
