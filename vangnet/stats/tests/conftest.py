# SPDX-License-Identifier: EUPL-1.2
"""Statistics fixtures: statisticians, and a builder for records with exact dates.

The builder writes the same rows the intake and case actions write, but with the timestamps a
test needs (the actions stamp "now"). Every record carries recognisable personal data in its
encrypted fields, so tests can check that none of it reaches an aggregate output.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from vangnet.accounts.models import Municipality, Organisation, Role, User
from vangnet.cases.models import (
    Case,
    CaseReport,
    Investigation,
    InvestigationOutcome,
    Person,
    PlanRevision,
    SafetyAssessment,
    SafetyScore,
)
from vangnet.intake.models import AdviceRequest, Contact, Report
from vangnet.lib import workdays
from vangnet.lib.workdays import AMSTERDAM

#: Personal data planted in every record (encrypted fields); must never appear in outputs.
SECRETS = ("Fatima", "Jansen-de Vries", "123456782", "Oudegracht 12", "3511 AB", "schreeuwt")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An Amsterdam wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


class Builder:
    def __init__(self, user: User) -> None:
        self.user = user

    def _place(self, muni: str | None, org: Organisation | None) -> tuple[Any, Organisation]:
        municipality = Municipality.objects.get(code=muni) if muni else None
        if org is None:
            assert municipality is not None
            org = municipality.vt_region
        return municipality, org

    def _contact(self, kind: str, municipality: Any, org: Organisation, at: datetime, **kw: Any):
        return Contact.objects.create(
            organisation=org,
            municipality=municipality,
            channel="phone",
            requested_kind=kind,
            reporter_type=kw["reporter_type"],
            violence_kinds=list(kw["kinds"]),
            violence_duration=kw["duration"],
            narrative=f"{SECRETS[0]} {SECRETS[1]} {SECRETS[5]} elke avond.",
            persons=[{"name": f"{SECRETS[0]} {SECRETS[1]}", "bsn": SECRETS[2]}],
            reporter_details={"address": f"{SECRETS[3]}, {SECRETS[4]} Utrecht"},
            received_at=at,
            last_activity_at=at,
            idempotency_digest=uuid.uuid4().hex,
        )

    def advice(
        self,
        at: datetime,
        muni: str | None = "GM0344",
        *,
        org: Organisation | None = None,
        reporter_type: str = "bystander",
        kinds: tuple[str, ...] = ("child_abuse",),
        duration: str = "once",
    ) -> AdviceRequest:
        municipality, org = self._place(muni, org)
        contact = self._contact(
            "advice",
            municipality,
            org,
            at,
            reporter_type=reporter_type,
            kinds=kinds,
            duration=duration,
        )
        return AdviceRequest.objects.create(
            contact=contact,
            organisation=org,
            created_by=self.user,
            started_at=at,
            ended_at=at,
            reporter_type=reporter_type,
            violence_kinds=list(kinds),
            violence_duration=duration,
            summary=f"{SECRETS[0]} belde.",
        )

    def report(
        self,
        at: datetime,
        muni: str | None = "GM0344",
        *,
        org: Organisation | None = None,
        reporter_type: str = "police",
        org_kind: str = "",
        kinds: tuple[str, ...] = ("child_abuse",),
        duration: str = "once",
        acute: bool = False,
        registered: datetime | None = None,
    ) -> Report:
        municipality, org = self._place(muni, org)
        contact = self._contact(
            "report",
            municipality,
            org,
            at,
            reporter_type=reporter_type,
            kinds=kinds,
            duration=duration,
        )
        return Report.objects.create(
            contact=contact,
            organisation=org,
            municipality=municipality,
            created_by=self.user,
            received_at=at,
            registered_at=registered or at,
            reporter_type=reporter_type,
            reporter_organisation_kind=org_kind,
            acute=acute,
            violence_kinds=list(kinds),
            violence_duration=duration,
            summary=f"{SECRETS[1]} {SECRETS[5]}.",
        )

    def case(
        self,
        report: Report,
        *,
        involvement: str = "first",
        previous: Case | None = None,
        kinds: tuple[str, ...] | None = None,
        closed_at: datetime | None = None,
        status: str | None = None,
    ) -> Case:
        case = Case.objects.create(
            organisation=report.organisation,
            municipality=report.municipality,
            status=status or ("closed" if closed_at else "awaiting_assessment"),
            household_label=f"Familie {SECRETS[1]}",
            household_address={"street": SECRETS[3], "postcode": SECRETS[4]},
            acute=report.acute,
            violence_kinds=list(kinds if kinds is not None else report.violence_kinds),
            received_at=report.received_at,
            opened_at=report.received_at,
            opened_by=self.user,
            previous_case=previous,
            closed_at=closed_at,
            updated_at=report.received_at,
        )
        self.link(case, report, involvement)
        return case

    def link(self, case: Case, report: Report, involvement: str) -> CaseReport:
        return CaseReport.objects.create(
            case=case,
            report=report,
            involvement=involvement,
            linked_at=report.received_at,
            linked_by=self.user,
        )

    def assess(
        self,
        case: Case,
        at: datetime,
        route: str = "handover",
        *,
        acute: bool = False,
        structural: bool = False,
    ) -> SafetyAssessment:
        return SafetyAssessment.objects.create(
            case=case,
            instrument_version="vb-2026.1",
            answers=[],
            acute_unsafety=acute,
            structural_unsafety=structural,
            route=route,
            rationale=f"{SECRETS[0]} is bang.",
            decided_at=at,
            decided_by=self.user,
        )

    def investigate(
        self,
        case: Case,
        assessment: SafetyAssessment,
        *,
        started: datetime | None = None,
        ended: datetime | None = None,
        outcomes: dict[str, str] | None = None,
    ) -> Investigation:
        investigation = Investigation.objects.create(
            case=case,
            assessment=assessment,
            decided_at=assessment.decided_at,
            started_at=started,
            due_at=workdays.investigation_deadline(assessment.decided_at),
            ended_at=ended,
            conclusion=f"{SECRETS[1]}: bevestigd." if ended else "",
        )
        for kind, outcome in (outcomes or {}).items():
            InvestigationOutcome.objects.create(
                investigation=investigation, violence_kind=kind, outcome=outcome
            )
        return investigation

    def safety_plan(self, case: Case, at: datetime) -> PlanRevision:
        return PlanRevision.objects.create(
            case=case,
            kind="safety",
            number=1,
            body=f"{SECRETS[0]} slaapt bij oma.",
            created_at=at,
            created_by=self.user,
        )

    def score(self, case: Case, score: int, on: date) -> SafetyScore:
        return SafetyScore.objects.create(
            case=case,
            score=score,
            scored_on=on,
            participants="VT, wijkteam",
            note=SECRETS[0],
            created_at=local(on.year, on.month, on.day, 12),
            created_by=self.user,
        )

    def child(
        self, case: Case, *, spoken_to_on: date | None = None, trauma_screening: str = ""
    ) -> Person:
        return Person.objects.create(
            case=case,
            role="child",
            given_names=SECRETS[0],
            surname=SECRETS[1],
            date_of_birth="2015-03-01",
            bsn=SECRETS[2],
            spoken_to_on=spoken_to_on,
            trauma_screening=trauma_screening,
            created_at=case.received_at,
            created_by=self.user,
        )


@pytest.fixture
def statistician(region_utrecht: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("priya.statistician", region_utrecht, Role.STATISTICIAN)


@pytest.fixture
def national_statistician(meldpunt: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("noor.statistician", meldpunt, Role.STATISTICIAN)


@pytest.fixture
def build(
    region_utrecht: Organisation,
    region_amsterdam: Organisation,
    meldpunt: Organisation,
    case_worker: User,
) -> Builder:
    return Builder(case_worker)


@pytest.fixture
def history(build: Builder, region_amsterdam: Organisation, meldpunt: Organisation) -> Builder:
    """A small, fully known history in the first half of 2026 (see test_reconcile.EXPECTED)."""
    b = build
    # Advice requests.
    b.advice(local(2026, 1, 12, 10), "GM0344", reporter_type="bystander")
    b.advice(
        local(2026, 2, 3, 10),
        "GM0344",
        reporter_type="victim",
        duration="over_1_year",
        kinds=("partner_violence", "human_trafficking"),
    )
    b.advice(
        local(2026, 3, 3, 10),
        "GM0363",
        reporter_type="professional",
        duration="unknown",
        kinds=("elder_abuse",),
    )
    # Registered by Amsterdam for an Amersfoort family (A08); invalid duration (A04), no kind.
    b.advice(local(2026, 4, 7, 10), "GM0307", org=region_amsterdam, duration="forever", kinds=())
    b.advice(local(2025, 12, 31, 23, 30), "GM0344")  # the previous half-year
    # Case c0, closed in 2025: c3 reports the same family again.
    r0 = b.report(local(2025, 9, 1, 9), "GM0363", kinds=("elder_abuse",))
    c0 = b.case(r0, closed_at=local(2025, 10, 1, 12))
    b.assess(c0, local(2025, 9, 3, 9), "handover")
    # c1: Utrecht; a repeat report during the assessment; within 5 working days.
    r1 = b.report(local(2026, 2, 2, 9), "GM0344")
    c1 = b.case(r1, kinds=("child_abuse", "sexual_violence"))
    r2 = b.report(
        local(2026, 2, 4, 9),
        "GM0344",
        reporter_type="professional",
        org_kind="education",
        duration="over_1_year",
        kinds=("child_abuse", "sexual_violence"),
    )
    b.link(c1, r2, "during_assessment")
    b.assess(c1, local(2026, 2, 9, 16), "handover", structural=True)
    b.safety_plan(c1, local(2026, 2, 20, 10))
    b.child(c1, spoken_to_on=date(2026, 2, 12), trauma_screening="offered")
    b.child(c1)
    b.score(c1, 4, date(2026, 3, 1))
    b.score(c1, 6, date(2026, 5, 1))
    # c2: Amersfoort, professional without organisation (R08); 6 working days; investigation
    # done within 10 weeks, with an outcome for a kind the case does not name (C07).
    r3 = b.report(
        local(2026, 3, 2, 9),
        "GM0307",
        reporter_type="professional",
        duration="6_to_12_months",
        kinds=("partner_violence",),
    )
    c2 = b.case(r3)
    a2 = b.assess(c2, local(2026, 3, 10, 9), "investigation", acute=True)
    b.investigate(
        c2,
        a2,
        started=local(2026, 3, 12, 9),
        ended=local(2026, 4, 20, 15),
        outcomes={"partner_violence": "confirmed", "child_abuse": "not_confirmed"},
    )
    b.assess(c2, local(2026, 4, 20, 15), "conditions_and_follow_up", structural=True)
    # c3: Amsterdam, the same family as c0 again; closed within the half-year.
    r4 = b.report(
        local(2026, 4, 1, 9),
        "GM0363",
        reporter_type="bystander",
        duration="under_6_months",
        kinds=("elder_abuse",),
    )
    c3 = b.case(r4, involvement="re_report", previous=c0, closed_at=local(2026, 4, 10, 9))
    b.assess(c3, local(2026, 4, 3, 9), "close")
    # r5: nobody can place it (R03), no kind (R04), not linked to a case (R12).
    b.report(
        local(2026, 4, 15, 9),
        None,
        org=meldpunt,
        reporter_type="victim",
        duration="unknown",
        kinds=(),
    )
    # c4: Amsterdam, invalid duration (R06) and kind code (R05); still waiting, past the term.
    r6 = b.report(
        local(2026, 5, 4, 9), "GM0363", duration="forever", kinds=("partner_violence", "martian")
    )
    b.case(r6, kinds=("partner_violence",))
    # c6: Utrecht, investigation decided, not started at the end of the half-year.
    r7 = b.report(local(2026, 5, 1, 9), "GM0344")
    c6 = b.case(r7)
    a6 = b.assess(c6, local(2026, 5, 6, 9), "investigation")
    b.investigate(c6, a6)
    # c5: received in the last half hour of June (Amsterdam time): still in the first half.
    r8 = b.report(local(2026, 6, 30, 23, 30), "GM0344")
    b.case(r8)
    # Half an hour later it is the second half-year (22:30 UTC on 30 June).
    b.report(local(2026, 7, 1, 0, 30), "GM0344")
    return b
