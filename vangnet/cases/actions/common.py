# SPDX-License-Identifier: EUPL-1.2
"""Shared pieces of the case actions: optimistic locking, history, audit, deadlines.

Every action is one transaction. It changes the case only through :func:`change_case`, which
checks the version the user saw, bumps it, appends a :class:`CaseEvent` (who, when, why) and an
audit event, and refreshes the materialised next deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise

from vangnet.accounts.access import Perm, require
from vangnet.audit.log import Actor, record
from vangnet.cases import deadlines
from vangnet.cases.models import (
    Case,
    CaseEvent,
    MonitoringMoment,
    SchoolSignal,
    SchoolSignalStatus,
)
from vangnet.cases.workflow import InvalidTransition, State, transition

ACTIVITY_CASE_WORK = "vg-004-case-work"
ACTIVITY_ASSESSMENT = "vg-003-safety-assessment"
ACTIVITY_FEEDBACK = "vg-007-feedback"


class StaleVersion(Exception):
    """Someone else changed the case (or item) since this user loaded it."""

    def __init__(self, current: Any = None) -> None:
        super().__init__("stale version")
        self.current = current


class Refused(Exception):
    """The action is not possible now; ``message`` tells the user why, in plain words."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


__all__ = [
    "ACTIVITY_ASSESSMENT",
    "ACTIVITY_CASE_WORK",
    "ACTIVITY_FEEDBACK",
    "InvalidTransition",
    "Refused",
    "StaleVersion",
    "audit",
    "change_case",
    "ensure_open",
    "log_event",
    "refresh_next_due",
]


def audit(
    user: Any,
    action: str,
    case: Case,
    *,
    activity: str = ACTIVITY_CASE_WORK,
    obj: Any = None,
    details: dict[str, Any] | None = None,
    receiver: str = "",
) -> None:
    """An audit event for a change. Never personal data or free text in ``details``."""
    record(
        actor=Actor.staff(user) if user is not None else Actor.system(),
        action=action,
        activity=activity,
        obj=obj if obj is not None else case,
        organisation_id=case.organisation_id,
        details={"case": case.pk, **(details or {})},
        receiver=receiver,
    )


def log_event(
    user: Any,
    case: Case,
    action: str,
    *,
    reason: str = "",
    from_status: str = "",
    to_status: str = "",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        details=details or {},
    )


def ensure_open(case: Case) -> None:
    if case.status == State.CLOSED:
        from django.utils.translation import gettext_lazy as _

        raise Refused(_("This case is closed. Nothing can be changed any more."))


def change_case(
    user: Any,
    case: Case,
    version: int,
    action: str,
    *,
    transition_name: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
    activity: str = ACTIVITY_CASE_WORK,
    perm: Perm | None = None,
    **fields: Any,
) -> Case:
    """Apply ``fields`` (and optionally a workflow transition) if the case is still at
    ``version``. Call inside ``transaction.atomic``."""
    now = timezone.now()
    from_status = case.status
    if transition_name:
        target = transition(transition_name, case.status, case.state_before_closure)
        from vangnet.cases.workflow import TRANSITIONS

        require(user, perm or TRANSITIONS[transition_name].perm)
        fields["status"] = target
        if target == State.CLOSURE_REQUESTED:
            fields["state_before_closure"] = from_status
        elif from_status == State.CLOSURE_REQUESTED:
            fields["state_before_closure"] = ""
        if target == State.CLOSED:
            fields["closed_at"] = now
    elif perm is not None:
        require(user, perm)
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if updated != 1:
        raise StaleVersion(Case.objects.filter(pk=case.pk).first())
    for name, value in fields.items():
        setattr(case, name, value)
    case.version = version + 1
    case.updated_at = now
    to_status = case.status if case.status != from_status else ""
    log_event(
        user,
        case,
        action,
        reason=reason,
        from_status=from_status if to_status else "",
        to_status=to_status,
        details=details,
        at=now,
    )
    audit(
        user,
        action,
        case,
        activity=activity,
        details={**(details or {}), **({"to": to_status} if to_status else {})},
    )
    refresh_next_due(case)
    return case


def refresh_next_due(case: Case) -> None:
    """Recompute the earliest open deadline and store it on the case (no version bump: it is
    derived data, not something a user edits)."""
    monitoring = list(
        MonitoringMoment.objects.filter(case=case, done_at__isnull=True).values_list(
            "due_on", flat=True
        )
    )
    signals = list(
        SchoolSignal.objects.filter(case=case, status=SchoolSignalStatus.OPEN).values_list(
            "due_at", flat=True
        )
    )
    found = deadlines.open_deadlines(case, monitoring_due=monitoring, school_signals_due=signals)
    first = found[0] if found else None
    next_due_at = first.due_at if first else None
    next_due_kind = first.kind if first else ""
    if (case.next_due_at, case.next_due_kind) != (next_due_at, next_due_kind):
        Case.objects.filter(pk=case.pk).update(next_due_at=next_due_at, next_due_kind=next_due_kind)
        case.next_due_at, case.next_due_kind = next_due_at, next_due_kind
