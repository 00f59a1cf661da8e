# SPDX-License-Identifier: EUPL-1.2
"""Everything that moves between processes while a chat is live: channel-layer groups, events
sent after a commit, and the visitor's presence.

Groups: one per conversation (both sides' sockets), one per organisation (consoles and
supervisor views get a nudge when the queue changes) and one per staff member (a transfer).
Nudges carry no content; a console fetches the queue fragment again over HTTP.

Presence is a timestamp in the cache (process memory with one process, Redis with several),
refreshed by the visitor's socket and pages. It is deliberately not a counter of open sockets: a
worker that is killed never decrements a counter, and a reconnect racing the old socket's
disconnect would mark a present visitor as gone.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from vangnet.chat import conf

# A socket refreshes presence at most this often; a page view always does.
PRESENCE_REFRESH_SECONDS = 15
# Seen within this many seconds: shown to the counsellor as "connected".
CONNECTED_SECONDS = 45


def conversation_group(conversation_id: int) -> str:
    return f"chat.conv.{conversation_id}"


def organisation_group(organisation_id: int) -> str:
    return f"chat.org.{organisation_id}"


def user_group(user_id: int) -> str:
    return f"chat.user.{user_id}"


def send_now(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def send_after_commit(group: str, event: dict[str, Any]) -> None:
    """Side effect of an action: runs only if (and when) its transaction commits."""
    transaction.on_commit(lambda: send_now(group, event))


def queue_changed(organisation_id: int) -> None:
    send_after_commit(organisation_group(organisation_id), {"type": "chat.queue"})


def _presence_key(conversation_id: int) -> str:
    return f"vg:chat:seen:{conversation_id}"


def mark_present(conversation_id: int) -> None:
    cache.set(_presence_key(conversation_id), time.time(), timeout=conf.grace_seconds() * 2)


def last_seen(conversation_ids: Iterable[int]) -> dict[int, float]:
    """When each visitor was last seen (epoch seconds); missing ids were not seen recently."""
    ids = list(conversation_ids)
    found = cache.get_many([_presence_key(i) for i in ids])
    return {i: float(found[_presence_key(i)]) for i in ids if _presence_key(i) in found}


def is_connected(conversation_id: int) -> bool:
    seen = last_seen([conversation_id]).get(conversation_id)
    return seen is not None and time.time() - seen <= CONNECTED_SECONDS


def _console_key(user_id: int) -> str:
    return f"vg:chat:console:{user_id}"


def mark_console_open(user_id: int) -> None:
    cache.set(_console_key(user_id), time.time(), timeout=CONNECTED_SECONDS * 2)


def consoles_open(user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    found = cache.get_many([_console_key(i) for i in ids])
    now = time.time()
    return {
        i
        for i in ids
        if _console_key(i) in found and now - found[_console_key(i)] <= CONNECTED_SECONDS
    }


def _read_key(user_id: int, conversation_id: int) -> str:
    return f"vg:chat:read:{user_id}:{conversation_id}"


def note_read(user_id: int, conversation_id: int, seconds: int) -> None:
    """A read of this conversation by this user was just audited."""
    cache.set(_read_key(user_id, conversation_id), 1, seconds)


def first_read_in(user_id: int, conversation_id: int, seconds: int) -> bool:
    """True (and noted) if no read by this user of this conversation was noted in ``seconds``."""
    return bool(cache.add(_read_key(user_id, conversation_id), 1, seconds))
