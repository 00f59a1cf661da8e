# SPDX-License-Identifier: EUPL-1.2
"""Chat settings, read from Django settings with safe defaults and checked loudly.

The names follow the project's ``VANGNET_*`` convention; ``vangnet/settings.py`` sets them from
the environment (see docs/adr/0020-chat.md). A nonsensical value stops the process with a
message that names the setting, like every other setting.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vangnet.chat import hours


def _int(name: str, default: int, minimum: int) -> int:
    value = getattr(settings, name, default)
    if not isinstance(value, int) or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}.")
    return value


def grace_seconds() -> int:
    """How long a visitor who closed the tab can come back before the chat ends."""
    return _int("VANGNET_CHAT_GRACE_SECONDS", 5 * 60, 10)


def max_body_chars() -> int:
    """The longest message, in characters (code points)."""
    return _int("VANGNET_CHAT_MAX_MESSAGE_CHARS", 2000, 1)


def rate_messages() -> int:
    """Messages one side of one conversation may send per rate window."""
    return _int("VANGNET_CHAT_RATE_MESSAGES", 20, 1)


def rate_window_seconds() -> int:
    return _int("VANGNET_CHAT_RATE_WINDOW_SECONDS", 30, 1)


def db_threads() -> int:
    """Database threads per server process for the chat's sockets (see ``chat/db.py``). Each
    keeps one connection open: processes x threads must stay well below the database's limit.

    Read from the environment when ``settings.py`` does not set it (it is a property of the
    process, like ``WEB_CONCURRENCY``)."""
    if not hasattr(settings, "VANGNET_CHAT_DB_THREADS"):
        raw = os.environ.get("VANGNET_CHAT_DB_THREADS", "4")
        if not raw.isdigit() or int(raw) < 1:
            raise ImproperlyConfigured(
                "VANGNET_CHAT_DB_THREADS must be a whole number of at least 1."
            )
        return int(raw)
    return _int("VANGNET_CHAT_DB_THREADS", 4, 1)


def opening_hours() -> hours.OpeningHours:
    spec = getattr(settings, "VANGNET_CHAT_OPENING_HOURS", "24/7")
    try:
        return hours.parse(spec)
    except ValueError as exc:
        raise ImproperlyConfigured(f"VANGNET_CHAT_OPENING_HOURS: {exc}") from None
