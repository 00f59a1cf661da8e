# SPDX-License-Identifier: EUPL-1.2
"""Django's HTTP handler for ASGI with the middleware chain run in one hop (ADR 0008).

Django's own ``ASGIHandler`` runs the middleware chain in async mode. Every middleware in
``settings.MIDDLEWARE`` is synchronous (WhiteNoise, Django's ``MiddlewareMixin`` ones, ours),
so Django adapts: it hops to a worker thread for the chain, back to the event loop for the
inner handler and to a thread again for the (synchronous) view — three hand-overs between
threads per request, each holding and releasing the GIL. All our views are synchronous too.

This handler loads the chain in synchronous mode and runs chain and view with one
``sync_to_async`` call, exactly as a WSGI server would run them, on the request's own
thread-sensitive executor (the same thread Django would use for the view). Request parsing,
the request signals, streaming and the disconnect watch stay Django's.

Measured on the 2-core machine (benchmarks/intake.py): see docs/adr/0008-intake-throughput.md.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
