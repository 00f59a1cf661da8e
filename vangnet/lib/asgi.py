# SPDX-License-Identifier: EUPL-1.2
"""Django's HTTP handler for ASGI, with each request's synchronous work in one thread hop
(ADR 0008).

Django's own ``ASGIHandler`` runs the middleware chain in async mode. Every middleware in
``settings.MIDDLEWARE`` is synchronous (WhiteNoise, Django's ``MiddlewareMixin`` ones, ours),
and so is every view, so Django adapts: per request it hops to a worker thread for the
``request_started`` receivers, to a thread for the middleware chain, back to the event loop for
the inner handler, to a thread again for the view, and to a thread once more to close the
response (``request_finished``). Each hand-over costs futures, wake-ups and GIL switches; on
two cores that was a measurable share of the public intake's CPU.

This handler does what a WSGI server does, on one of the process's request threads: in one hop
it sends ``request_started``, builds
the request, runs the synchronous middleware chain and view, and — for an ordinary response,
whose content is complete — closes it (``request_finished``, which returns the database
connection to the pool). The event loop then only sends the bytes. A streaming response is
closed after it has been sent, as before. Request parsing errors (bad encoding, too large) get
Django's own answers.

Threads: Django runs each request in a ``ThreadSensitiveContext``, which starts a new thread
(and executor) per request and ends it afterwards. Here requests run on a fixed pool of
``VANGNET_HTTP_THREADS`` threads per process (default 12; keep it below the database pool,
``VANGNET_DB_POOL_SIZE``). Each request still runs wholly on one thread, so database
connections and other per-thread state behave as under WSGI; when every thread is busy,
requests wait their turn instead of piling up more threads.

What it leaves out: Django cancels an *async* view when the client disconnects. There are no
async views (a test checks it); a synchronous view cannot be cancelled in Django either.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.urls import set_script_prefix

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def http_executor() -> ThreadPoolExecutor:
    """The process's request threads (created on first use, after a worker process forked)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=settings.VANGNET_HTTP_THREADS, thread_name_prefix="http"
            )
        return _executor


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP here, not {scope['type']!r}.")
        await self.handle(scope, receive, send)

    def _in_thread(self, fn: Any) -> Any:
        return sync_to_async(fn, thread_sensitive=False, executor=http_executor())

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = await self._in_thread(self.get_response)(request)
        return response

    def _respond(self, scope: dict[str, Any], body_file: Any) -> tuple[HttpResponseBase, bool]:
        """Everything synchronous about one request; returns (response, closed already)."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None
            response: HttpResponseBase = error_response
        else:
            response = self.get_response(request)
            response._handler_class = self.__class__  # type: ignore[attr-defined]
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if response.streaming:
            return response, False
        response.close()
        return response, True

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        try:
            response, closed = await self._in_thread(self._respond)(scope, body_file)
            with contextlib.suppress(asyncio.CancelledError):  # the client went away (as Django)
                await self.send_response(response, send)
            if not closed:
                await self._in_thread(response.close)()
        finally:
            body_file.close()
