# SPDX-License-Identifier: EUPL-1.2
"""Closing a case: a request with the criteria, and a supervisor's decision (four eyes)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require
from vangnet.cases import closure
from vangnet.cases.actions.common import Refused, audit, change_case, ensure_open
from vangnet.cases.models import Case, ClosureDecision, ClosureRequest
from vangnet.cases.workflow import State, transition


def _unmet_message(results: list[closure.CriterionResult]) -> str:
    missing = "; ".join(str(r.criterion.label) for r in closure.unmet(results))
    return str(_("Not all closing criteria are met: %(missing)s.") % {"missing": missing})


def open_closure_request(user: Any, case: Case, *, reason: str) -> ClosureRequest:
    """Record the request (inside the caller's transaction); the workflow state is set by the
    caller's transition."""
    results = closure.evaluate(case)
    request = ClosureRequest.objects.create(
        case=case,
        requested_by=user,
        requested_at=timezone.now(),
        reason=reason,
        criteria={r.criterion.id: r.met for r in results},
    )
    audit(user, "closure_requested", case, obj=request)
    return request


def pending_request(case: Case) -> ClosureRequest | None:
    return ClosureRequest.objects.filter(case=case, decision=ClosureDecision.PENDING).first()


def request_closure(user: Any, case: Case, version: int, *, reason: str) -> ClosureRequest:
    ensure_open(case)
    transition("request_closure", case.status)
    if not reason.strip():
        raise Refused(_("Say why the case can be closed."))
    results = closure.evaluate(case)
    if closure.unmet(results):
        raise Refused(_unmet_message(results))
    with transaction.atomic():
        change_case(
            user,
            case,
            version,
            "closure_requested",
            transition_name="request_closure",
            reason=reason,
        )
        return open_closure_request(user, case, reason=reason)


def approve_closure(user: Any, case: Case, version: int, *, note: str = "") -> Case:
    """A supervisor other than the requester approves; every criterion must be met now."""
    require(user, Perm.APPROVE_CLOSURE)
    if case.status != State.CLOSURE_REQUESTED:
        raise Refused(_("There is no closure request to decide."))
    request = pending_request(case)
    if request is None:
        raise Refused(_("There is no closure request to decide."))
    if request.requested_by_id == user.pk:
        raise Refused(_("Someone else must approve: you asked for this closure yourself."))
    results = closure.evaluate(case)
    if closure.unmet(results):
        raise Refused(_unmet_message(results))
    now = timezone.now()
    with transaction.atomic():
        change_case(
            user,
            case,
            version,
            "closure_approved",
            transition_name="approve_closure",
            reason=note,
            details={"request": request.pk},
            next_due_at=None,
            next_due_kind="",
        )
        request.decision, request.decided_by, request.decided_at = (
            ClosureDecision.APPROVED,
            user,
            now,
        )
        request.decision_note = note
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        audit(user, "closure_approved", case, obj=request)
    return case


def reject_closure(user: Any, case: Case, version: int, *, note: str) -> Case:
    require(user, Perm.APPROVE_CLOSURE)
    request = pending_request(case)
    if case.status != State.CLOSURE_REQUESTED or request is None:
        raise Refused(_("There is no closure request to decide."))
    if request.requested_by_id == user.pk:
        raise Refused(_("Someone else must decide: you asked for this closure yourself."))
    if not note.strip():
        raise Refused(_("Say what must happen before the case can be closed."))
    now = timezone.now()
    with transaction.atomic():
        change_case(
            user,
            case,
            version,
            "closure_rejected",
            transition_name="reject_closure",
            reason=note,
            details={"request": request.pk},
        )
        request.decision, request.decided_by, request.decided_at = (
            ClosureDecision.REJECTED,
            user,
            now,
        )
        request.decision_note = note
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        audit(user, "closure_rejected", case, obj=request)
    return case
