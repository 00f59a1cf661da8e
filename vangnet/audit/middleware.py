# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vangnet.audit.trace import Trace, current_trace


class TraceMiddleware:
    """Gives every request a W3C trace id (from ``traceparent`` or new) for its audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trace = Trace.from_header(request.headers.get("traceparent"))
        token = current_trace.set(trace)
        try:
            response = self.get_response(request)
        finally:
            current_trace.reset(token)
        response.headers["traceparent"] = f"00-{trace.trace_id}-{'0' * 15}1-00"
        return response
