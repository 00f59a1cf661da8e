# SPDX-License-Identifier: EUPL-1.2
"""W3C trace context for the current request or task, carried in a context variable."""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass(frozen=True)
class Trace:
    trace_id: str
    parent_span_id: str = ""

    @classmethod
    def new(cls) -> Trace:
        return cls(trace_id=secrets.token_hex(16))

    @classmethod
    def from_header(cls, header: str | None) -> Trace:
        match = _TRACEPARENT.match((header or "").strip().lower())
        if match and match.group(1) != "0" * 32:
            return cls(trace_id=match.group(1), parent_span_id=match.group(2))
        return cls.new()


current_trace: ContextVar[Trace | None] = ContextVar("vangnet_trace", default=None)


def get_trace() -> Trace:
    trace = current_trace.get()
    if trace is None:
        trace = Trace.new()
        current_trace.set(trace)
    return trace


def new_span_id() -> str:
    return secrets.token_hex(8)
