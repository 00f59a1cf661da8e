# SPDX-License-Identifier: EUPL-1.2
"""Safety conditions, the safety and care plans, safety scores and monitoring."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require
from vangnet.cases.actions.common import (
    Refused,
    StaleVersion,
    audit,
    change_case,
    ensure_open,
    log_event,
    refresh_next_due,
)
from vangnet.cases.models import (
    Case,
    ConditionStatus,
    MonitoringMoment,
    PlanKind,
    PlanRevision,
    SafetyCondition,
    SafetyScore,
)
from vangnet.cases.models.safety import SCORE_MAX, SCORE_MIN
from vangnet.cases.validation import check_past_date, check_planned_date
from vangnet.cases.workflow import transition


def _check(check: Any, value: date) -> None:
    from django.core.exceptions import ValidationError

    try:
        check(value)
    except ValidationError as exc:
        raise Refused(exc.messages[0]) from None


def add_condition(
    user: Any, case: Case, *, text: str, agreed_on: date, review_on: date | None = None
) -> SafetyCondition:
    require(user, Perm.EDIT_CASE)
    ensure_open(case)
    if not text.strip():
        raise Refused(_("Describe the condition."))
    _check(check_past_date, agreed_on)
    if review_on is not None:
        _check(check_planned_date, review_on)
    now = timezone.now()
    with transaction.atomic():
        condition = SafetyCondition.objects.create(
            case=case,
            text=text,
            agreed_on=agreed_on,
            review_on=review_on,
            created_by=user,
            updated_at=now,
        )
        log_event(user, case, "condition_added", details={"condition": condition.pk}, at=now)
        audit(user, "condition_added", case, obj=condition)
    return condition


def set_condition_status(
    user: Any, condition: SafetyCondition, version: int, *, status: str, reason: str
) -> SafetyCondition:
    require(user, Perm.EDIT_CASE)
    case = condition.case
    ensure_open(case)
    if status not in ConditionStatus.values:
        raise Refused(_("Choose one of the options shown."))
    if not reason.strip():
        raise Refused(_("Say how you know."))
    now = timezone.now()
    with transaction.atomic():
        updated = SafetyCondition.objects.filter(pk=condition.pk, version=version).update(
            status=status, version=F("version") + 1, updated_at=now
        )
        if updated != 1:
            raise StaleVersion(SafetyCondition.objects.filter(pk=condition.pk).first())
        condition.status, condition.version = status, version + 1
        log_event(
            user,
            case,
            "condition_status",
            reason=reason,
            details={"condition": condition.pk, "status": status},
            at=now,
        )
        audit(user, "condition_status", case, obj=condition, details={"status": status})
    return condition


def current_plan(case: Case, kind: str) -> PlanRevision | None:
    return PlanRevision.objects.filter(case=case, kind=kind).order_by("-number").first()


def save_plan(
    user: Any,
    case: Case,
    *,
    kind: str,
    body: str,
    based_on: int,
    responsible_party: str = "",
) -> PlanRevision:
    """A new revision of the one safety plan or care plan of this family.

    ``based_on`` is the revision number the user edited (0 for a new plan). If someone saved a
    newer revision meanwhile, the unique ``(case, kind, number)`` refuses the second writer.
    """
    require(user, Perm.EDIT_CASE)
    ensure_open(case)
    if kind not in PlanKind.values:
        raise Refused(_("Choose one of the options shown."))
    if not body.strip():
        raise Refused(_("The plan is empty."))
    latest = current_plan(case, kind)
    if (latest.number if latest else 0) != based_on:
        raise StaleVersion(latest)
    now = timezone.now()
    try:
        with transaction.atomic():
            revision = PlanRevision.objects.create(
                case=case,
                kind=kind,
                number=based_on + 1,
                body=body,
                responsible_party=responsible_party,
                created_at=now,
                created_by=user,
            )
            log_event(
                user,
                case,
                "plan_saved",
                details={"kind": kind, "revision": revision.number},
                at=now,
            )
            audit(user, "plan_saved", case, obj=revision, details={"kind": kind})
    except IntegrityError:
        raise StaleVersion(current_plan(case, kind)) from None
    return revision


def add_score(
    user: Any, case: Case, *, score: int, scored_on: date, participants: str, note: str = ""
) -> SafetyScore:
    """A veiligheidscijfer, 1 to 10, set together by the professionals involved."""
    require(user, Perm.EDIT_CASE)
    ensure_open(case)
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise Refused(_("A safety score is a whole number from 1 to 10."))
    _check(check_past_date, scored_on)
    if not participants.strip():
        raise Refused(_("Name the professionals who set the score together."))
    now = timezone.now()
    with transaction.atomic():
        entry = SafetyScore.objects.create(
            case=case,
            score=score,
            scored_on=scored_on,
            participants=participants.strip(),
            note=note,
            created_at=now,
            created_by=user,
        )
        log_event(user, case, "score_added", details={"score": score}, at=now)
        audit(user, "score_added", case, obj=entry)
    return entry


def schedule_monitoring(
    user: Any, case: Case, *, due_on: date, purpose: str = ""
) -> MonitoringMoment:
    require(user, Perm.EDIT_CASE)
    ensure_open(case)
    _check(check_planned_date, due_on)
    now = timezone.now()
    with transaction.atomic():
        moment = MonitoringMoment.objects.create(
            case=case, due_on=due_on, purpose=purpose, created_by=user, created_at=now
        )
        log_event(
            user, case, "monitoring_scheduled", details={"due_on": due_on.isoformat()}, at=now
        )
        audit(user, "monitoring_scheduled", case, obj=moment)
        refresh_next_due(case)
    return moment


def complete_monitoring(user: Any, moment: MonitoringMoment, *, outcome: str) -> MonitoringMoment:
    require(user, Perm.EDIT_CASE)
    case = moment.case
    ensure_open(case)
    if not outcome.strip():
        raise Refused(_("Write down what the check showed."))
    now = timezone.now()
    with transaction.atomic():
        if (
            MonitoringMoment.objects.filter(pk=moment.pk, done_at__isnull=True).update(
                done_at=now, done_by=user
            )
            != 1
        ):
            raise Refused(_("This check has already been recorded."))
        moment.done_at, moment.done_by = now, user
        moment.outcome = outcome
        moment.save(update_fields=["outcome"])
        log_event(user, case, "monitoring_done", details={"moment": moment.pk}, at=now)
        audit(user, "monitoring_done", case, obj=moment)
        refresh_next_due(case)
    return moment


def start_monitoring(user: Any, case: Case, version: int) -> Case:
    """V&V: monitoring starts once conditions are agreed and a first check is planned."""
    ensure_open(case)
    transition("start_monitoring", case.status)
    if not case.conditions.exists():
        raise Refused(_("Agree at least one safety condition before monitoring starts."))
    if not case.monitoring_moments.filter(done_at__isnull=True).exists():
        raise Refused(_("Plan the first monitoring check before monitoring starts."))
    with transaction.atomic():
        return change_case(
            user, case, version, "monitoring_started", transition_name="start_monitoring"
        )


def record_handover_accepted(user: Any, case: Case, version: int, *, party: str) -> Case:
    """Kwaliteitskader zicht op veiligheid: responsibility passes when the party accepts."""
    ensure_open(case)
    if not party.strip():
        raise Refused(_("Name the party that accepted the hand-over."))
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "handover_accepted",
            perm=Perm.EDIT_CASE,
            reason=party,
        )
