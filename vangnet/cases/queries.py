# SPDX-License-Identifier: EUPL-1.2
"""Read models for the pages: the worklist, the waiting list, search and the case page.

Each function runs a fixed number of queries whatever the size of the organisation (asserted in
``test_queries.py``) and uses the partial indexes on ``next_due_at`` (ADR 0030).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from vangnet.cases import closure, deadlines, keys
from vangnet.cases.models import (
    Case,
    CaseEvent,
    CaseReport,
    ClosureDecision,
    ClosureRequest,
    Feedback,
    FeedbackMoment,
    Investigation,
    MonitoringMoment,
    Note,
    NoteKind,
    Person,
    PlanRevision,
    SafetyAssessment,
    SafetyCondition,
    SafetyScore,
    SchoolSignal,
    SchoolSignalStatus,
)
from vangnet.cases.workflow import WAITING_STATES, State, available
from vangnet.lib import workdays

WORKLIST_LIMIT = 200
WAITING_LIMIT = 200
SEARCH_LIMIT = 50
HISTORY_LIMIT = 50
NOTES_LIMIT = 100

_LIST_FIELDS = (
    "id",
    "organisation_id",
    "status",
    "acute",
    "household_label",
    "received_at",
    "opened_at",
    "next_due_at",
    "next_due_kind",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    "last_safety_check_at",
    "assessment_due_at",
)


@dataclass
class Row:
    case: Case
    deadline: deadlines.Deadline | None
    status: str  # on_track / at_risk / overdue / ""


def _row(case: Case, now: datetime) -> Row:
    if case.next_due_at is None or not case.next_due_kind:
        return Row(case, None, "")
    deadline = deadlines.Deadline(case.next_due_kind, case.next_due_at)
    return Row(case, deadline, deadline.status(now))


@dataclass
class Worklist:
    rows: list[Row]
    overdue_total: int
    team: bool
    per_worker: list[dict[str, Any]] = field(default_factory=list)
    unassigned: int = 0

    @property
    def overdue(self) -> list[Row]:
        return [r for r in self.rows if r.status == "overdue"]

    @property
    def at_risk(self) -> list[Row]:
        return [r for r in self.rows if r.status == "at_risk"]

    @property
    def on_track(self) -> list[Row]:
        return [r for r in self.rows if r.status == "on_track"]


def _open(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(~Q(status=State.CLOSED))


def worklist(user: Any, *, team: bool = False, now: datetime | None = None) -> Worklist:
    """What is due for this worker (or, for a supervisor, the whole team), earliest first."""
    now = now or timezone.now()
    base = _open(Case.objects.filter(organisation_id=user.organisation_id)).filter(
        next_due_at__isnull=False
    )
    if not team:
        base = base.filter(assigned_to=user)
    cases = list(
        base.select_related("assigned_to")
        .only(*_LIST_FIELDS)
        .order_by("next_due_at", "id")[:WORKLIST_LIMIT]
    )
    result = Worklist(
        rows=[_row(c, now) for c in cases],
        overdue_total=base.filter(next_due_at__lt=now).count(),
        team=team,
    )
    if team:
        soon = workdays.add_working_days(now, 1)
        horizon = deadlines.end_of_day(soon)
        result.per_worker = list(
            base.filter(next_due_at__lte=horizon)
            .values("assigned_to", "assigned_to__first_name", "assigned_to__last_name")
            .annotate(
                overdue=Count("id", filter=Q(next_due_at__lt=now)),
                due_soon=Count("id", filter=Q(next_due_at__gte=now)),
            )
            .order_by("-overdue", "assigned_to__first_name")
        )
        result.unassigned = (
            _open(Case.objects.filter(organisation_id=user.organisation_id))
            .filter(assigned_to__isnull=True)
            .count()
        )
    return result


@dataclass
class WaitingRow:
    case: Case
    waiting_working_days: int
    check: deadlines.Deadline
    check_status: str
    assessment_status: str


def waiting_list(user: Any, *, now: datetime | None = None) -> tuple[list[WaitingRow], int]:
    """Cases waiting for an assessment or an investigation, oldest first, with the safety check
    that keeps "zicht op veiligheid" while they wait (IGJ 2018, 2023)."""
    now = now or timezone.now()
    qs = Case.objects.filter(organisation_id=user.organisation_id, status__in=WAITING_STATES)
    cases = list(
        qs.select_related("assigned_to")
        .only(*_LIST_FIELDS)
        .order_by("received_at", "id")[:WAITING_LIMIT]
    )
    rows = []
    for case in cases:
        check = deadlines.Deadline(
            "waiting_check",
            deadlines.waiting_check_deadline(case.last_safety_check_at or case.opened_at),
        )
        assessment_status = ""
        if case.status == State.AWAITING_ASSESSMENT and case.assessment_due_at:
            assessment_status = workdays.deadline_status(case.assessment_due_at, now)
        rows.append(
            WaitingRow(
                case=case,
                waiting_working_days=workdays.working_days_between(case.received_at, now),
                check=check,
                check_status=check.status(now),
                assessment_status=assessment_status,
            )
        )
    return rows, qs.count()


_REFERENCE = re.compile(r"^\s*(?:VT-?)?(?:\d{4}-)?0*(\d{1,12})\s*$", re.IGNORECASE)


def parse_reference(text: str) -> int | None:
    match = _REFERENCE.match(text or "")
    return int(match.group(1)) if match else None


def search(
    user: Any,
    *,
    reference: str = "",
    postcode: str = "",
    house_number: str = "",
    surname: str = "",
    born: date | None = None,
    include_closed: bool = False,
) -> list[Case]:
    """Exact search within the organisation: case number, household address or person."""
    qs = Case.objects.filter(organisation_id=user.organisation_id)
    if not include_closed:
        qs = _open(qs)
    conditions = Q()
    if reference and (pk := parse_reference(reference)) is not None:
        conditions |= Q(pk=pk)
    if household := keys.household_key(postcode, house_number):
        conditions |= Q(household_key=household)
    if person := keys.person_key(surname, born):
        conditions |= Q(pk__in=Person.objects.filter(person_key=person).values("case_id"))
    if not conditions:
        return []
    return list(
        qs.filter(conditions)
        .select_related("assigned_to")
        .only(*_LIST_FIELDS)
        .order_by("-received_at")[:SEARCH_LIMIT]
    )


def possible_matches(user: Any, report: Any, household: str) -> list[Case]:
    """Cases that may be the same family system as a report: same household key, or an open
    case in the organisation with a person whose key matches someone in the report."""
    matches = []
    if household:
        matches = list(
            Case.objects.filter(organisation_id=user.organisation_id, household_key=household)
            .select_related("assigned_to")
            .only(*_LIST_FIELDS)
            .order_by("-received_at")[:SEARCH_LIMIT]
        )
        matches.sort(key=lambda c: not c.is_open)
    return matches


@dataclass
class CasePage:
    case: Case
    deadlines: list[tuple[deadlines.Deadline, str]]
    reports: list[CaseReport]
    persons: list[Person]
    assessments: list[SafetyAssessment]
    investigations: list[Investigation]
    conditions: list[SafetyCondition]
    plans: dict[str, PlanRevision]
    scores: list[SafetyScore]
    monitoring: list[MonitoringMoment]
    notes: list[Note]
    feedback: list[Feedback]
    school_signals: list[SchoolSignal]
    closure_request: ClosureRequest | None
    criteria: list[closure.CriterionResult] | None
    events: list[CaseEvent]
    transitions: list[Any]

    @property
    def latest_assessment(self) -> SafetyAssessment | None:
        return self.assessments[0] if self.assessments else None

    @property
    def children(self) -> list[Person]:
        return [p for p in self.persons if p.role == "child"]

    @property
    def report_rows(self) -> list[dict[str, Any]]:
        """Each report with its two feedback moments: given, due, or not yet reached."""
        reached = {
            FeedbackMoment.AFTER_ASSESSMENT: bool(self.assessments),
            FeedbackMoment.AFTER_INVESTIGATION: any(i.ended_at for i in self.investigations),
        }
        rows = []
        for link in self.reports:
            given = {f.moment: f for f in self.feedback if f.case_report_id == link.pk}
            moments = [
                {
                    "moment": moment,
                    "label": label,
                    "feedback": given.get(moment),
                    "reached": reached[FeedbackMoment(moment)],
                }
                for moment, label in FeedbackMoment.choices
                if moment == FeedbackMoment.AFTER_ASSESSMENT or self.investigations
            ]
            rows.append({"link": link, "moments": moments})
        return rows


def case_page(case: Case, *, now: datetime | None = None) -> CasePage:
    now = now or timezone.now()
    reports = list(CaseReport.objects.filter(case=case).select_related("report", "report__contact"))
    persons = list(Person.objects.filter(case=case))
    investigations = list(Investigation.objects.filter(case=case).prefetch_related("outcomes"))
    plans: dict[str, PlanRevision] = {}
    for plan in PlanRevision.objects.filter(case=case).order_by("kind", "-number"):
        plans.setdefault(plan.kind, plan)
    monitoring = list(MonitoringMoment.objects.filter(case=case))
    signals = list(SchoolSignal.objects.filter(case=case).select_related("person"))
    notes = list(
        Note.objects.filter(case=case)
        .exclude(kind=NoteKind.CLIENT_VIEW, about__isnull=False)
        .select_related("person", "created_by")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Note.objects.select_related("person", "created_by").order_by("created_at"),
            )
        )[:NOTES_LIMIT]
    )
    found = deadlines.open_deadlines(
        case,
        monitoring_due=[m.due_on for m in monitoring if m.done_at is None],
        school_signals_due=[s.due_at for s in signals if s.status == SchoolSignalStatus.OPEN],
    )
    request = None
    criteria = None
    if case.status == State.CLOSURE_REQUESTED:
        request = (
            ClosureRequest.objects.filter(case=case, decision=ClosureDecision.PENDING)
            .select_related("requested_by")
            .first()
        )
        criteria = closure.evaluate(case)
    return CasePage(
        case=case,
        deadlines=[(d, d.status(now)) for d in found],
        reports=reports,
        persons=persons,
        assessments=list(SafetyAssessment.objects.filter(case=case).select_related("decided_by")),
        investigations=investigations,
        conditions=list(SafetyCondition.objects.filter(case=case)),
        plans=plans,
        scores=list(SafetyScore.objects.filter(case=case)),
        monitoring=monitoring,
        notes=notes,
        feedback=list(Feedback.objects.filter(case=case)),
        school_signals=signals,
        closure_request=request,
        criteria=criteria,
        events=list(CaseEvent.objects.filter(case=case).select_related("actor")[:HISTORY_LIMIT]),
        transitions=available(case.status),
    )
