# SPDX-License-Identifier: EUPL-1.2
"""The safety assessment and the investigation: appraisal, route decision, outcomes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require
from vangnet.cases.actions.common import (
    ACTIVITY_ASSESSMENT,
    Refused,
    audit,
    change_case,
    ensure_open,
)
from vangnet.cases.models import (
    Case,
    Investigation,
    InvestigationOutcome,
    Outcome,
    SafetyAssessment,
)
from vangnet.cases.workflow import ROUTE_TRANSITIONS, State
from vangnet.intake.models import ViolenceKind
from vangnet.lib import workdays
from vangnet.triage import instrument as triage
from vangnet.triage.instrument import Decision

RULE_MESSAGES = {
    triage.RULE_RATIONALE: _("Explain the decision."),
    triage.RULE_HANDOVER_TARGET: _("Choose to whom the case is handed over."),
    triage.RULE_HANDOVER_PARTY: _("Name the party that takes over."),
    triage.RULE_MDT_RESPONSIBILITY: _(
        "A multidisciplinary team can take over only when it can legally take over "
        "responsibility. Confirm that it can."
    ),
    triage.RULE_INVESTIGATION_CRITERIA: _(
        "An own investigation needs at least one of the criteria. Tick the ones that apply."
    ),
    triage.RULE_NO_CLOSE_WHEN_UNSAFE: _(
        "There is acute or structural unsafety: choose a route that keeps watch over safety "
        "instead of ending involvement."
    ),
    triage.RULE_NO_FAMILY_HANDOVER_WHEN_ACUTE: _(
        "Under acute unsafety the case cannot be handed over to the persons involved themselves."
    ),
    triage.RULE_UNKNOWN_CHOICE: _("Choose one of the options shown."),
}


class DecisionRefused(Refused):
    def __init__(self, rules: list[str]) -> None:
        super().__init__(" ".join(str(RULE_MESSAGES[r]) for r in rules))
        self.rules = rules


def start_assessment(user: Any, case: Case, version: int) -> Case:
    ensure_open(case)
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "assessment_started",
            transition_name="start_assessment",
            activity=ACTIVITY_ASSESSMENT,
        )


def _decide(
    user: Any,
    case: Case,
    version: int,
    *,
    checked: list[str],
    decision: Decision,
    instrument_version: str,
    action: str,
) -> SafetyAssessment:
    instrument = triage.get(instrument_version)
    appraisal = triage.appraise(instrument, checked)
    broken = triage.check_decision(instrument, appraisal, decision)
    if broken:
        raise DecisionRefused(broken)
    now = timezone.now()
    assessment = SafetyAssessment.objects.create(
        case=case,
        instrument_version=instrument.version,
        answers=sorted(set(checked)),
        acute_unsafety=appraisal.acute_unsafety,
        structural_unsafety=appraisal.structural_unsafety,
        disclosure=appraisal.disclosure,
        multi_problem=appraisal.multi_problem,
        route=decision.route,
        handover_target=decision.handover_target if decision.route == "handover" else "",
        handover_party=decision.handover_party if decision.route == "handover" else "",
        investigation_criteria=(
            sorted(decision.investigation_criteria) if decision.route == "investigation" else []
        ),
        rationale=decision.rationale,
        decided_at=now,
        decided_by=user,
    )
    fields: dict[str, Any] = {}
    if case.status == State.ASSESSMENT:
        fields["assessed_at"] = now
    if case.acute_due_at and case.acute_handled_at is None:
        fields["acute_handled_at"] = now
    if decision.route == "investigation":
        # The 10 weeks run from the decision to investigate (the start point is still to be
        # verified, domain rules §8 item 1): the earliest candidate, so never too late.
        due = workdays.investigation_deadline(now)
        Investigation.objects.create(case=case, assessment=assessment, decided_at=now, due_at=due)
        fields["investigation_due_at"] = due
    change_case(
        user,
        case,
        version,
        action,
        transition_name=ROUTE_TRANSITIONS[decision.route],
        reason=decision.rationale,
        activity=ACTIVITY_ASSESSMENT,
        details={
            "assessment": assessment.pk,
            "route": decision.route,
            "acute": appraisal.acute_unsafety,
            "structural": appraisal.structural_unsafety,
        },
        **fields,
    )
    if decision.route == "close":
        from vangnet.cases.actions.closure import open_closure_request

        open_closure_request(user, case, reason=decision.rationale)
    return assessment


def decide_route(
    user: Any,
    case: Case,
    version: int,
    *,
    checked: list[str],
    decision: Decision,
    instrument_version: str = triage.CURRENT_VERSION,
) -> SafetyAssessment:
    """Record the veiligheidstaxatie and the route. Starts the assessment first if needed."""
    require(user, Perm.ASSESS_SAFETY)
    ensure_open(case)
    with transaction.atomic():
        if case.status == State.AWAITING_ASSESSMENT:
            start_assessment(user, case, version)
            version = case.version
        if case.status != State.ASSESSMENT:
            raise Refused(_("A route is decided during the safety assessment."))
        return _decide(
            user,
            case,
            version,
            checked=checked,
            decision=decision,
            instrument_version=instrument_version,
            action="route_decided",
        )


def reassess(user: Any, case: Case, version: int, *, reason: str) -> Case:
    ensure_open(case)
    if not reason.strip():
        raise Refused(_("Say why a new safety assessment is needed."))
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "reassessment_started",
            transition_name="reassess",
            reason=reason,
            activity=ACTIVITY_ASSESSMENT,
            assessed_at=None,
            assessment_due_at=workdays.assessment_deadline(timezone.now()),
        )


def current_investigation(case: Case) -> Investigation | None:
    return (
        Investigation.objects.filter(case=case, ended_at__isnull=True)
        .order_by("-decided_at")
        .first()
    )


def start_investigation(user: Any, case: Case, version: int) -> Case:
    ensure_open(case)
    investigation = current_investigation(case)
    if investigation is None:
        raise Refused(_("There is no investigation to start."))
    with transaction.atomic():
        Investigation.objects.filter(pk=investigation.pk, started_at__isnull=True).update(
            started_at=timezone.now()
        )
        return change_case(
            user,
            case,
            version,
            "investigation_started",
            transition_name="start_investigation",
            activity=ACTIVITY_ASSESSMENT,
            details={"investigation": investigation.pk},
        )


def finish_investigation(
    user: Any,
    case: Case,
    version: int,
    *,
    outcomes: dict[str, str],
    conclusion: str,
    checked: list[str],
    decision: Decision,
    instrument_version: str = triage.CURRENT_VERSION,
) -> Investigation:
    """End the investigation with an outcome per kind of violence (CBS 84853NED) and decide
    the route that follows, with a fresh appraisal."""
    require(user, Perm.ASSESS_SAFETY)
    ensure_open(case)
    if case.status != State.INVESTIGATION:
        raise Refused(_("The investigation has not started."))
    investigation = current_investigation(case)
    if investigation is None:
        raise Refused(_("There is no investigation to finish."))
    if not outcomes:
        raise Refused(_("Give an outcome for each kind of violence that was investigated."))
    if set(outcomes) - set(ViolenceKind.values) or set(outcomes.values()) - set(Outcome.values):
        raise Refused(_("Choose one of the options shown."))
    if decision.route == "investigation":
        raise Refused(_("An investigation ends with a route other than a new investigation."))
    if not conclusion.strip():
        raise Refused(_("Write down the conclusion of the investigation."))
    now = timezone.now()
    with transaction.atomic():
        InvestigationOutcome.objects.bulk_create(
            InvestigationOutcome(investigation=investigation, violence_kind=k, outcome=o)
            for k, o in sorted(outcomes.items())
        )
        investigation.ended_at, investigation.ended_by = now, user
        investigation.conclusion = conclusion
        investigation.save(update_fields=["ended_at", "ended_by", "conclusion"])
        audit(
            user,
            "investigation_finished",
            case,
            activity=ACTIVITY_ASSESSMENT,
            obj=investigation,
            details={"outcomes": outcomes},
        )
        _decide(
            user,
            case,
            version,
            checked=checked,
            decision=decision,
            instrument_version=instrument_version,
            action="route_decided_after_investigation",
        )
    return investigation
