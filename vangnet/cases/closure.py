# SPDX-License-Identifier: EUPL-1.2
"""The criteria a case must meet before it may be closed: data, like the workflow.

Each criterion says when it applies and how it is met. A closure request shows them all; the
supervisor can approve only when every criterion that applies is met (ADR 0030).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.cases.models import (
    Case,
    ConditionStatus,
    FeedbackMoment,
    PersonRole,
    SchoolSignalStatus,
)
from vangnet.cases.workflow import State


@dataclass
class Facts:
    """What the criteria look at, loaded with a fixed number of queries."""

    case: Case
    report_ids: set[int]
    feedback: set[tuple[int, str]]  # (case_report id, moment)
    investigation_ended: bool
    condition_statuses: list[str]
    scores: list[int]
    open_monitoring: int
    open_school_signals: int
    children_without_talk: int
    children_recorded: int
    handover_routes: int
    handover_accepted: bool
    was_in_follow_up: bool
    open_referral_handovers: int

    @classmethod
    def load(cls, case: Case) -> Facts:
        from vangnet.referrals.access import open_handovers  # referrals builds on cases

        report_ids = set(case.report_links.values_list("id", flat=True))
        return cls(
            case=case,
            report_ids=report_ids,
            feedback=set(case.feedback.values_list("case_report_id", "moment")),
            investigation_ended=case.investigations.filter(ended_at__isnull=False).exists(),
            condition_statuses=list(case.conditions.values_list("status", flat=True)),
            scores=list(case.scores.order_by("scored_on", "id").values_list("score", flat=True)),
            open_monitoring=case.monitoring_moments.filter(done_at__isnull=True).count(),
            open_school_signals=case.school_signals.filter(status=SchoolSignalStatus.OPEN).count(),
            children_recorded=case.persons.filter(role=PersonRole.CHILD).count(),
            children_without_talk=case.persons.filter(
                role=PersonRole.CHILD, spoken_to_on__isnull=True, not_spoken_to_reason=""
            ).count(),
            handover_routes=case.assessments.filter(route="handover").count(),
            handover_accepted=case.events.filter(action="handover_accepted").exists(),
            was_in_follow_up=case.events.filter(
                to_status__in=[State.CONDITIONS_AND_FOLLOW_UP, State.MONITORING]
            ).exists(),
            open_referral_handovers=open_handovers(case),
        )

    def feedback_given(self, moment: str) -> bool:
        return all((rid, moment) in self.feedback for rid in self.report_ids)


@dataclass(frozen=True)
class Criterion:
    id: str
    label: Promise
    source: str
    applies: Callable[[Facts], bool]
    met: Callable[[Facts], bool]


def _always(_facts: Facts) -> bool:
    return True


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "kindcheck",
        _("The kindcheck is recorded (are there children, how many, how old)"),
        "meldcode step 1 (domain rules §3.3)",
        _always,
        lambda f: f.case.kindcheck_at is not None,
    ),
    Criterion(
        "persons_informed",
        _("The persons involved were informed that data about them was recorded"),
        "Wmo 2015 art. 5.3.1",
        _always,
        lambda f: f.case.persons_informed_at is not None,
    ),
    Criterion(
        "feedback_after_assessment",
        _("Every reporter got feedback after the safety assessment (or why not is recorded)"),
        "Wmo 2015 art. 4.1.1 lid 2 sub g; KNMG meldcode Bijlage 4",
        _always,
        lambda f: f.feedback_given(FeedbackMoment.AFTER_ASSESSMENT),
    ),
    Criterion(
        "feedback_after_investigation",
        _("Every reporter got feedback after the investigation (or why not is recorded)"),
        "Wmo 2015 art. 4.1.1 lid 2 sub g; KNMG meldcode Bijlage 4",
        lambda f: f.investigation_ended,
        lambda f: f.feedback_given(FeedbackMoment.AFTER_INVESTIGATION),
    ),
    Criterion(
        "conditions_met",
        _("Every safety condition is met"),
        "Dienst Voorwaarden & Vervolg (domain rules §1.2)",
        lambda f: bool(f.condition_statuses),
        lambda f: all(s == ConditionStatus.MET for s in f.condition_statuses),
    ),
    Criterion(
        "scores",
        _("At least two safety scores, and the last is not lower than the first"),
        "Geweld hoort nergens thuis (2018): periodic scores show that safety improves; "
        "threshold is a Vangnet rule (VERIFY)",
        lambda f: f.was_in_follow_up,
        lambda f: len(f.scores) >= 2 and f.scores[-1] >= f.scores[0],
    ),
    Criterion(
        "monitoring_done",
        _("No planned monitoring check is still open"),
        "Radarfunctie en monitoring (domain rules §1.2)",
        _always,
        lambda f: f.open_monitoring == 0,
    ),
    Criterion(
        "handover_accepted",
        _("The receiving party accepted the hand-over"),
        "Kwaliteitskader Veilig Thuis, zicht op veiligheid (domain rules §1.6)",
        lambda f: f.handover_routes > 0,
        lambda f: f.handover_accepted,
    ),
    Criterion(
        "children_recorded",
        _("Every child from the kindcheck is recorded as a person involved"),
        "meldcode step 1 (domain rules §3.3); one dossier per household (§5)",
        lambda f: f.case.children_in_household == "yes",
        lambda f: f.children_recorded >= (f.case.children_count or 0),
    ),
    Criterion(
        "children_spoken_to",
        _("Every child was spoken to, or the reason why not is recorded"),
        "Motie Kooiman 2016 (seed 002): always talk with the child",
        _always,
        lambda f: f.children_without_talk == 0,
    ),
    Criterion(
        "no_open_handover",
        _("No hand-over to a partner is still waiting for acceptance"),
        "Kwaliteitskader Veilig Thuis: let go only when someone else has a firm hold (§1.6)",
        _always,
        lambda f: f.open_referral_handovers == 0,
    ),
    Criterion(
        "school_signals",
        _("No Handle with Care signal is still to be decided"),
        "Handle with Care (domain rules §4)",
        _always,
        lambda f: f.open_school_signals == 0,
    ),
)


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    met: bool


def evaluate(case: Case) -> list[CriterionResult]:
    facts = Facts.load(case)
    return [CriterionResult(c, c.met(facts)) for c in CRITERIA if c.applies(facts)]


def unmet(results: list[CriterionResult]) -> list[CriterionResult]:
    return [r for r in results if not r.met]
