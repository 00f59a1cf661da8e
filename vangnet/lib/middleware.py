# SPDX-License-Identifier: EUPL-1.2
"""Request hygiene: no IP address or user agent survives past the first middleware.

The only thing derived from the client address is ``request.client_key``: an HMAC of the address
under a key that lives in process memory and rotates every hour. It serves rate limiting and is
never written anywhere (architecture principle 2).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Headers that identify the visitor or their device. Removed from request.META on every request.
IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_REFERER",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
)

ROTATION_SECONDS = 3600


class _RotatingKey:
    """A random key per hour, kept only in memory. Old keys are forgotten on rotation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._epoch = -1
        self._key = b""

    def current(self) -> bytes:
        epoch = int(time.time() // ROTATION_SECONDS)
        with self._lock:
            if epoch != self._epoch:
                self._key = secrets.token_bytes(32)
                self._epoch = epoch
            return self._key


_rotating_key = _RotatingKey()


def client_key(address: str) -> str:
    """Keyed, rotating, one-way hash of a client address, for in-memory rate limits only."""
    return hmac.new(_rotating_key.current(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _client_address(request: HttpRequest) -> str:
    # Behind a trusted proxy, the last X-Forwarded-For hop is the client as the proxy saw it.
    if getattr(settings, "VANGNET_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


class AnonymiseRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_key = client_key(_client_address(request))  # type: ignore[attr-defined]
        for name in IDENTIFYING_META:
            request.META.pop(name, None)
        # Django's ASGI request keeps the scope; drop the client there as well.
        scope = getattr(request, "scope", None)
        if isinstance(scope, dict):
            scope["client"] = None
        return self.get_response(request)


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
        "manifest-src 'self'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no third parties, no inline code) on every response.

    Public pages are also marked ``no-store`` so the browser keeps no copy in its cache or
    back-forward cache: a person who shares a device should not find the page again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store, max-age=0"
        return response
