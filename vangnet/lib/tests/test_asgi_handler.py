# SPDX-License-Identifier: EUPL-1.2
"""The HTTP side of the ASGI app runs the middleware chain and the view in one hop (ADR 0008),
with every middleware still applied: headers, anonymisation, CSRF, sessions."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator

from vangnet.lib.asgi import SyncChainASGIHandler


def _get(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    from vangnet.asgi import application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *(headers or [])],
        "client": ("203.0.113.7", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def run() -> dict[str, Any]:
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(20)
        body = b""
        while True:
            message = await communicator.receive_output(20)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait()
        headers: dict[bytes, bytes] = {}
        for name, value in start["headers"]:
            key = name.lower()
            headers[key] = headers[key] + b", " + value if key in headers else value
        return {"status": start["status"], "headers": headers, "body": body}

    return asyncio.run(run())


def test_the_chain_is_loaded_synchronously() -> None:
    handler = SyncChainASGIHandler()
    assert not inspect.iscoroutinefunction(handler._middleware_chain)  # type: ignore[attr-defined]
    assert not inspect.iscoroutinefunction(handler.get_response)


def test_no_view_is_async() -> None:
    """The handler runs views on a thread; an async view would lose its cancellation."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def views(patterns: list[Any]) -> list[Any]:
        found = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                found += views(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                found.append(entry.callback)
        return found

    callbacks = views(get_resolver().url_patterns)
    assert len(callbacks) > 50
    assert [v for v in callbacks if inspect.iscoroutinefunction(v)] == []


@pytest.mark.django_db(transaction=True)
def test_a_public_page_through_the_asgi_app_gets_every_middleware(
    region_utrecht: Any, meldpunt: Any
) -> None:
    response = _get("/report/new", [(b"user-agent", b"Secret-Phone/1.0")])
    assert response["status"] == 200
    headers = response["headers"]
    assert b"default-src 'self'" in headers[b"content-security-policy"]  # SecurityHeaders
    assert headers[b"cache-control"].startswith(b"no-store")
    assert headers[b"x-frame-options"] == b"DENY"  # Django's clickjacking middleware
    assert b"csrftoken=" in headers.get(b"set-cookie", b"")  # CSRF middleware ran for the form
    assert b"traceparent" in headers  # TraceMiddleware
    assert b"Vertel wat er aan de hand is" in response["body"]  # LocaleMiddleware
    assert b"Utrecht" in response["body"]  # the municipality list


@pytest.mark.django_db(transaction=True)
def test_a_missing_page_is_a_404_through_the_asgi_app() -> None:
    assert _get("/no-such-page")["status"] == 404


@pytest.mark.django_db(transaction=True)
def test_a_badly_encoded_query_string_is_answered_not_crashed(meldpunt: Any) -> None:
    from vangnet.asgi import application

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/report/new", "raw_path": b"/report/new",
        "query_string": b"", "root_path": "",
        "headers": [(b"host", b"localhost"),
                    (b"content-type", b"application/x-www-form-urlencoded; charset=utf-8")],
        "client": None, "server": ("127.0.0.1", 8000),
    }  # fmt: skip

    async def run() -> int:
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input(
            {"type": "http.request", "body": b"narrative=\xff\xfe%ZZ", "more_body": False}
        )
        start = await communicator.receive_output(20)
        while (await communicator.receive_output(20)).get("more_body"):
            pass
        await communicator.wait()
        return int(start["status"])

    assert asyncio.run(run()) in {400, 403}  # CSRF refuses it before anything is parsed


def _settings_in_subprocess(env_extra: dict[str, str], expression: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANGNET_", "DATABASE_URL"))}
    env.update(env_extra)
    code = (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'vangnet.settings');"
        f"django.setup(); from django.conf import settings; print({expression})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_postgresql_gets_a_connection_pool_per_process() -> None:
    options = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://vangnet@db.invalid:5432/vangnet"},
        "settings.DATABASES['default']['OPTIONS'].get('pool'), "
        "settings.DATABASES['default']['CONN_MAX_AGE']",
    )
    assert options == "{'min_size': 2, 'max_size': 16, 'timeout': 30} 0"
    sized = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://vangnet@db.invalid/v", "VANGNET_DB_POOL_SIZE": "0"},
        "settings.DATABASES['default'].get('OPTIONS', {}).get('pool')",
    )
    assert sized == "None"  # 0 turns the pool off (e.g. behind PgBouncer)


@pytest.mark.django_db(transaction=True)
def test_requests_run_on_the_fixed_request_threads(region_utrecht: Any, meldpunt: Any) -> None:
    """No new thread per request: every request is served by one of the pool's threads."""
    import threading

    from django.core.signals import request_started

    from vangnet.lib.asgi import http_executor

    seen: list[str] = []

    def note_thread(**_kwargs: Any) -> None:
        seen.append(threading.current_thread().name)

    request_started.connect(note_thread)
    try:
        for _ in range(5):
            assert _get("/report/new")["status"] == 200
    finally:
        request_started.disconnect(note_thread)
    assert len(seen) == 5
    assert all(name.startswith("http") for name in seen), seen
    assert http_executor()._max_workers == 12
