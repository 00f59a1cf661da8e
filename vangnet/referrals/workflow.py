# SPDX-License-Identifier: EUPL-1.2
"""Referral and police-forwarding states as data: who may move a disclosure where.

Nothing else decides whether a transition is allowed; ``tests/test_workflow.py`` pins the whole
table. Every transition names the permission it needs, the side that performs it (the sending
organisation or the receiving one), and whether it releases data: a releasing transition goes
through the gate (valid consent or legal ground, four eyes, a fresh second factor).

Responsibility ("let go only when someone else has a firm hold"): the sender keeps it until the
receiver accepts a handover; a plain referral (help alongside) never moves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm


class State(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    REJECTED = "rejected", _("Not approved")
    CANCELLED = "cancelled", _("Cancelled")
    OFFERED = "offered", _("Sent, waiting for the receiver")
    ACCEPTED = "accepted", _("Accepted by the receiver")
    DECLINED = "declined", _("Declined by the receiver")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sender")
    FORWARDED = "forwarded", _("Forwarded to the police")


class ReferralKind(models.TextChoices):
    HANDOVER = "handover", _("Handover: the receiver takes over responsibility")
    REFERRAL = "referral", _("Referral: the receiver helps, we keep responsibility")


SENDER = "sender"
RECEIVER = "receiver"


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    source: State
    target: State
    perm: Perm
    side: str
    releases: bool = False
    needs_reason: bool = False


REFERRAL_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "approve", _("Approve and send"), State.REQUESTED, State.OFFERED,
            Perm.APPROVE_FORWARDING, SENDER, releases=True,
        ),
        Transition(
            "reject", _("Do not approve"), State.REQUESTED, State.REJECTED,
            Perm.APPROVE_FORWARDING, SENDER, needs_reason=True,
        ),
        Transition(
            "cancel", _("Cancel the request"), State.REQUESTED, State.CANCELLED,
            Perm.REQUEST_FORWARDING, SENDER,
        ),
        Transition(
            "accept", _("Accept"), State.OFFERED, State.ACCEPTED, Perm.EDIT_CASE, RECEIVER,
        ),
        Transition(
            "decline", _("Decline"), State.OFFERED, State.DECLINED, Perm.EDIT_CASE, RECEIVER,
            needs_reason=True,
        ),
        Transition(
            "withdraw", _("Withdraw"), State.OFFERED, State.WITHDRAWN,
            Perm.REQUEST_FORWARDING, SENDER, needs_reason=True,
        ),
    ]
}  # fmt: skip

POLICE_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "approve", _("Approve and forward"), State.REQUESTED, State.FORWARDED,
            Perm.APPROVE_FORWARDING, SENDER, releases=True,
        ),
        Transition(
            "reject", _("Do not approve"), State.REQUESTED, State.REJECTED,
            Perm.APPROVE_FORWARDING, SENDER, needs_reason=True,
        ),
        Transition(
            "cancel", _("Cancel the request"), State.REQUESTED, State.CANCELLED,
            Perm.REQUEST_FORWARDING, SENDER,
        ),
    ]
}  # fmt: skip

#: The receiver sees the shared content only while the referral is offered or accepted.
RECEIVER_SEES_CONTENT = frozenset({State.OFFERED, State.ACCEPTED})
#: The receiver sees that the referral exists (not what is in it) in these states.
RECEIVER_SEES_REFERRAL = frozenset({State.OFFERED, State.ACCEPTED, State.DECLINED, State.WITHDRAWN})
#: Open requests: waiting for a decision on the sending side.
PENDING = frozenset({State.REQUESTED})


class InvalidTransition(Exception):
    pass


def transition(table: dict[str, Transition], name: str, current: str) -> Transition:
    """The transition ``name`` if it may happen from ``current``; else InvalidTransition."""
    found = table.get(name)
    if found is None or found.source != current:
        raise InvalidTransition(f"{name!r} is not possible from {current!r}")
    return found


def available(table: dict[str, Transition], current: str, side: str) -> list[Transition]:
    return [t for t in table.values() if t.source == current and t.side == side]


def responsible_side(kind: str, state: str) -> str:
    """Who holds responsibility for safety: the sender until a handover is accepted."""
    if kind == ReferralKind.HANDOVER and state == State.ACCEPTED:
        return RECEIVER
    return SENDER
