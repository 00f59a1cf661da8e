# SPDX-License-Identifier: EUPL-1.2
"""Keep the visitor's address and device out of the WebSocket scope (architecture principle 2).

``strip_scope`` is called by every chat consumer before anything else. ``AnonymiseScope`` does
the same as the outermost ASGI layer for WebSockets, so that the server's own "WebSocket
accepted" line cannot print the address either (it reads the scope it created).
"""

from __future__ import annotations

import logging
from typing import Any

IDENTIFYING_HEADERS = frozenset(
    {
        b"user-agent",
        b"x-forwarded-for",
        b"x-real-ip",
        b"forwarded",
        b"cf-connecting-ip",
        b"true-client-ip",
        b"referer",
        b"sec-ch-ua",
        b"sec-ch-ua-mobile",
        b"sec-ch-ua-platform",
    }
)


def strip_scope(scope: dict[str, Any]) -> None:
    """Remove the client address and identifying headers, in place."""
    scope["client"] = None
    headers = scope.get("headers")
    if headers:
        scope["headers"] = [(k, v) for k, v in headers if k.lower() not in IDENTIFYING_HEADERS]


class AnonymiseScope:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        strip_scope(scope)
        return await self.app(scope, receive, send)


def _not_debug(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG


def quiet_handshake_logs() -> None:
    """Drop the WebSocket protocol's DEBUG records, whatever the configured level.

    uvicorn hands its ``uvicorn.error`` logger to the ``websockets`` library, which logs at DEBUG
    every handshake header (User-Agent, Host) and every frame (message text). Running the server
    with ``VANGNET_LOG_LEVEL=DEBUG`` must not write a visitor's device or words into the log.
    (Belongs in ``settings.LOGGING`` as a filter; installed here until it is.)
    """
    for name in ("uvicorn.error", "websockets"):
        logger = logging.getLogger(name)
        if _not_debug not in logger.filters:
            logger.addFilter(_not_debug)
