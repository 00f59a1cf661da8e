# SPDX-License-Identifier: EUPL-1.2
"""Reading the queue: order, a visitor's place and expected wait, and the supervisor's figures.

Nothing here reads message content: these are the views that counsellors see before they accept
and that supervisors see at all.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vangnet.chat import access, live
from vangnet.chat.models import Conversation
from vangnet.chat.workflow import State

# The estimate uses the waits of chats accepted in this recent window.
ESTIMATE_WINDOW = timedelta(hours=2)
ESTIMATE_SAMPLE = 50


def waiting_queryset(organisation_id: int) -> QuerySet[Conversation]:
    """Live chats waiting for a counsellor: danger first, then minors, then the longest wait."""
    return (
        Conversation.objects.select_related("contact")
        .filter(contact__organisation_id=organisation_id, state=State.QUEUED)
        .order_by("priority", "queued_at", "id")
    )


def waiting(organisation_id: int, limit: int | None = None) -> list[Conversation]:
    queryset = waiting_queryset(organisation_id)
    return list(queryset[:limit] if limit is not None else queryset)


def waiting_count(organisation_id: int) -> int:
    return waiting_queryset(organisation_id).count()


def messages_waiting(organisation_id: int) -> list[Conversation]:
    """Messages left outside opening hours that nobody has answered yet (oldest first)."""
    return list(
        Conversation.objects.select_related("contact")
        .filter(contact__organisation_id=organisation_id, state=State.MESSAGE_WAITING)
        .order_by("priority", "created_at", "id")
    )


def assigned_to(user_id: int) -> list[Conversation]:
    return list(
        Conversation.objects.select_related("contact")
        .filter(counsellor_id=user_id, state=State.ACTIVE)
        .order_by("accepted_at")
    )


def active_count(user_id: int) -> int:
    return Conversation.objects.filter(counsellor_id=user_id, state=State.ACTIVE).count()


def position(conversation: Conversation) -> int:
    """1 for the first in line. Counts only those who will be helped before this visitor."""
    if conversation.state != State.QUEUED or conversation.queued_at is None:
        return 0
    ahead = Conversation.objects.filter(
        contact__organisation_id=conversation.contact.organisation_id, state=State.QUEUED
    ).filter(
        Q(priority__lt=conversation.priority)
        | Q(priority=conversation.priority, queued_at__lt=conversation.queued_at)
        | Q(
            priority=conversation.priority, queued_at=conversation.queued_at, id__lt=conversation.pk
        )
    )
    return ahead.count() + 1


def recent_wait_seconds(organisation_id: int, now: datetime | None = None) -> int | None:
    """Median wait of the chats accepted recently, or None when there were none."""
    since = (now or timezone.now()) - ESTIMATE_WINDOW
    rows = (
        Conversation.objects.filter(
            contact__organisation_id=organisation_id,
            accepted_at__gte=since,
            queued_at__isnull=False,
        )
        .order_by("-accepted_at")
        .values_list("queued_at", "accepted_at")[:ESTIMATE_SAMPLE]
    )
    waits = [
        (accepted - queued).total_seconds() for queued, accepted in rows if accepted and queued
    ]
    waits = [w for w in waits if w >= 0]
    return int(statistics.median(waits)) if waits else None


def wait_minutes(organisation_id: int) -> int | None:
    seconds = recent_wait_seconds(organisation_id)
    return None if seconds is None else max(1, round(seconds / 60))


@dataclass(frozen=True)
class CounsellorLoad:
    user_id: int
    name: str
    active: int
    maximum: int
    console_open: bool


@dataclass(frozen=True)
class Figures:
    waiting: int
    urgent_waiting: int
    minors_waiting: int
    longest_wait_seconds: int
    median_wait_seconds: int
    recent_wait_seconds: int | None
    messages_waiting: int
    active: int
    load: list[CounsellorLoad]


def figures(organisation_id: int, now: datetime | None = None) -> Figures:
    """The supervisor's live view: numbers only, no content, no visitor details."""
    now = now or timezone.now()
    queued = list(
        waiting_queryset(organisation_id).values_list("queued_at", "contact__acute", "priority")
    )
    waits = [int((now - at).total_seconds()) for at, _acute, _rank in queued if at]
    staff = list(
        access.chat_staff(organisation_id).annotate(
            active=Count("chat_conversations", filter=Q(chat_conversations__state=State.ACTIVE))
        )
    )
    online = live.consoles_open(u.pk for u in staff)
    load = [
        CounsellorLoad(
            user_id=u.pk,
            name=u.get_full_name() or u.username,
            active=u.active,
            maximum=u.max_concurrent_chats,
            console_open=u.pk in online,
        )
        for u in staff
    ]
    return Figures(
        waiting=len(queued),
        urgent_waiting=sum(1 for _at, acute, _rank in queued if acute),
        minors_waiting=sum(1 for _at, _acute, rank in queued if rank in (0, 3)),
        longest_wait_seconds=max(waits, default=0),
        median_wait_seconds=int(statistics.median(waits)) if waits else 0,
        recent_wait_seconds=recent_wait_seconds(organisation_id, now),
        messages_waiting=Conversation.objects.filter(
            contact__organisation_id=organisation_id, state=State.MESSAGE_WAITING
        ).count(),
        active=sum(item.active for item in load),
        load=load,
    )
