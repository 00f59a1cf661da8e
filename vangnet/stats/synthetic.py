# SPDX-License-Identifier: EUPL-1.2
"""Synthetic Veilig Thuis history for tests and ``benchmarks/stats.py``: contacts, advice
requests, reports, cases, assessments, investigations, children, plans and scores.

Deterministic for a seed. The mix follows the published proportions where they exist (domain
rules §7: two thirds of reports from the police, about one in five a repeat report, a few
percent own investigations) and is plausible elsewhere; it is *not* a model of reality and no
real figure should be read from it. A small share of records is deliberately invalid (an
unknown duration code, a municipality of another region, a report registered before it came
in...) so the validation report has something to find.

Rows are produced as tuples for a fixed list of fields per model and handed to a *sink*: the
tests use :class:`OrmSink` (``bulk_create``), the benchmark a PostgreSQL ``COPY`` sink. Every
other column gets its model default, so the rows are valid for the real schema. Identifying
fields (names, narratives) are left empty: statistics never read them.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from django.db import models

from vangnet.lib.workdays import AMSTERDAM

DAY = timedelta(days=1)

#: The fields the generator fills, per model label (in tuple order).
FIELDS: dict[str, tuple[str, ...]] = {
    "intake.Contact": (
        "id",
        "public_id",
        "organisation_id",
        "municipality_id",
        "channel",
        "requested_kind",
        "reporter_type",
        "violence_kinds",
        "violence_duration",
        "status",
        "outcome",
        "received_at",
        "last_activity_at",
        "anonymous",
    ),
    "intake.AdviceRequest": (
        "id",
        "contact_id",
        "organisation_id",
        "created_by_id",
        "started_at",
        "ended_at",
        "reporter_type",
        "violence_kinds",
        "violence_duration",
    ),
    "intake.Report": (
        "id",
        "contact_id",
        "organisation_id",
        "municipality_id",
        "created_by_id",
        "received_at",
        "registered_at",
        "reporter_type",
        "reporter_organisation_kind",
        "acute",
        "violence_kinds",
        "violence_duration",
    ),
    "cases.Case": (
        "id",
        "organisation_id",
        "municipality_id",
        "status",
        "acute",
        "violence_kinds",
        "received_at",
        "opened_at",
        "opened_by_id",
        "previous_case_id",
        "closed_at",
        "updated_at",
    ),
    "cases.CaseReport": ("id", "case_id", "report_id", "involvement", "linked_at", "linked_by_id"),
    "cases.SafetyAssessment": (
        "id",
        "case_id",
        "instrument_version",
        "acute_unsafety",
        "structural_unsafety",
        "route",
        "decided_at",
        "decided_by_id",
    ),
    "cases.Investigation": (
        "id",
        "case_id",
        "assessment_id",
        "decided_at",
        "started_at",
        "due_at",
        "ended_at",
    ),
    "cases.InvestigationOutcome": ("id", "investigation_id", "violence_kind", "outcome"),
    "cases.Person": (
        "id",
        "case_id",
        "role",
        "spoken_to_on",
        "trauma_screening",
        "created_at",
        "created_by_id",
    ),
    "cases.PlanRevision": ("id", "case_id", "kind", "number", "created_at", "created_by_id"),
    "cases.SafetyScore": (
        "id",
        "case_id",
        "score",
        "scored_on",
        "participants",
        "created_at",
        "created_by_id",
    ),
}
#: Insert order (foreign keys first).
ORDER = tuple(FIELDS)


class Sink(Protocol):
    def add(self, label: str, row: tuple[Any, ...]) -> None: ...


@dataclass(frozen=True)
class Universe:
    """What the generated records refer to: the user who registers everything, the regions and
    their municipalities (with a weight each: some places are much bigger), and an organisation
    that is not a region (the national meldpunt) for records that cannot be placed."""

    user_id: int
    municipalities: tuple[tuple[int, int], ...]  # (municipality id, region organisation id)
    weights: tuple[float, ...]
    other_organisation_id: int

    @classmethod
    def from_database(cls, user_id: int, seed: int = 7) -> Universe:
        from vangnet.accounts.models import Municipality, Organisation, OrganisationType

        rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
        munis = tuple(Municipality.objects.order_by("id").values_list("id", "vt_region_id"))
        weights = tuple(rng.paretovariate(1.2) for _ in munis)
        other = (
            Organisation.objects.exclude(type=OrganisationType.VT_REGION)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if not munis or other is None:
            raise ValueError("load the regions (and the national meldpunt) first")
        return cls(user_id, munis, weights, other)


# Distributions (share of records). Police reports are about two thirds (CBS 84849NED, 2023).
REPORTER_TYPES = (("police", 0.66), ("professional", 0.25), ("bystander", 0.06), ("victim", 0.03))
ADVICE_REPORTERS = (("professional", 0.55), ("bystander", 0.35), ("victim", 0.10))
ORGANISATION_KINDS = (
    ("health_care", 0.22),
    ("mental_health", 0.12),
    ("childcare", 0.05),
    ("education", 0.16),
    ("school_attendance", 0.03),
    ("youth_care", 0.17),
    ("justice_safety", 0.05),
    ("vt_other_region", 0.05),
    ("other_organisation", 0.10),
    ("", 0.05),
)
MAIN_KINDS = (
    ("child_abuse", 0.50),
    ("partner_violence", 0.36),
    ("violence_against_parents", 0.04),
    ("elder_abuse", 0.02),
    ("other_domestic", 0.07),
    ("unknown", 0.01),
)
ADDITIONAL_KINDS = (
    ("sexual_violence", 0.03),
    ("human_trafficking", 0.004),
    ("exploitation", 0.005),
    ("honour_violence", 0.006),
    ("forced_marriage", 0.002),
    ("online_abuse", 0.01),
)
DURATIONS = (
    ("once", 0.20),
    ("under_6_months", 0.15),
    ("6_to_12_months", 0.12),
    ("over_1_year", 0.33),
    ("unknown", 0.20),
)
ROUTES = (
    ("handover", 0.60),
    ("conditions_and_follow_up", 0.20),
    ("investigation", 0.07),
    ("child_protection_board_request", 0.03),
    ("close", 0.10),
)
OUTCOMES = (("confirmed", 0.45), ("not_confirmed", 0.25), ("refuted", 0.10), ("closed_early", 0.20))
TRAUMA = (("", 0.40), ("not_needed", 0.25), ("offered", 0.15), ("declined", 0.05), ("done", 0.15))


def _picker(rng: random.Random, options: tuple[tuple[str, float], ...]) -> Callable[[], str]:
    """A weighted draw: bisect on the cumulative weights (much faster than ``rng.choices``)."""
    values = [v for v, _w in options]
    cumulative = list(itertools.accumulate(w for _v, w in options))
    total, draw = cumulative[-1], rng.random

    def pick() -> str:
        return values[min(bisect.bisect(cumulative, draw() * total), len(values) - 1)]

    return pick


def _end_of_day(moment: datetime, days: int) -> datetime:
    day = moment.astimezone(AMSTERDAM).date() + timedelta(days=days)
    return datetime.combine(day, time.max, tzinfo=AMSTERDAM).astimezone(UTC)


@dataclass
class _CaseState:
    id: int
    municipality_id: int | None
    received_at: datetime
    assessed_at: datetime | None
    closed_at: datetime | None
    route: str
    kinds: list[str]


@dataclass
class Generator:
    universe: Universe
    start: datetime
    end: datetime
    seed: int = 1
    advice_ratio: float = 0.5
    invalid_rate: float = 0.002
    first_id: int = 1
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible test data
        self.ids = {label: itertools.count(self.first_id) for label in FIELDS}
        self.reporter = _picker(self.rng, REPORTER_TYPES)
        self.advice_reporter = _picker(self.rng, ADVICE_REPORTERS)
        self.org_kind = _picker(self.rng, ORGANISATION_KINDS)
        self.main_kind = _picker(self.rng, MAIN_KINDS)
        self.duration = _picker(self.rng, DURATIONS)
        self.route = _picker(self.rng, ROUTES)
        self.outcome = _picker(self.rng, OUTCOMES)
        self.trauma = _picker(self.rng, TRAUMA)
        self.cumulative = list(itertools.accumulate(self.universe.weights))
        self.start = self.start.astimezone(UTC)  # UTC arithmetic: fast and unambiguous
        self.end = self.end.astimezone(UTC)
        self.open_case: dict[int | None, _CaseState] = {}
        self.closed_case: dict[int | None, _CaseState] = {}

    def _id(self, label: str) -> int:
        self.counts[label] += 1
        return next(self.ids[label])

    def _kinds(self) -> list[str]:
        kinds = [self.main_kind()]
        if self.rng.random() < 0.12:
            kinds.append(self.main_kind())
        for kind, share in ADDITIONAL_KINDS:
            if self.rng.random() < share:
                kinds.append(kind)
        if self.rng.random() < 0.01:
            kinds = []  # no kind recorded (R04)
        return sorted(set(kinds))

    def _bad(self) -> bool:
        return self.rng.random() < self.invalid_rate

    def _place(self) -> tuple[int, int | None]:
        index = bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])
        muni, region = self.universe.municipalities[min(index, len(self.cumulative) - 1)]
        if self.rng.random() < 0.01:
            return region, None  # no municipality recorded (R01)
        if self._bad():
            return self.universe.other_organisation_id, None  # cannot be placed (R03)
        if self._bad():
            other = self.rng.choice(self.universe.municipalities)
            return region, other[0]  # a municipality of (probably) another region (R02)
        return region, muni

    def _contact(
        self,
        sink: Sink,
        org: int,
        muni: int | None,
        kind: str,
        reporter: str,
        kinds: list[str],
        duration: str,
        at: datetime,
    ) -> int:
        contact_id = self._id("intake.Contact")
        channel = (
            "police" if reporter == "police" else self.rng.choice(("phone", "web_form", "chat"))
        )
        sink.add(
            "intake.Contact",
            (
                contact_id,
                uuid.UUID(int=self.rng.getrandbits(128)),
                org,
                muni,
                channel,
                kind,
                reporter,
                kinds,
                duration,
                "closed",
                kind,
                at,
                at + DAY,
                reporter != "police",
            ),
        )
        return contact_id

    def run(self, sink: Sink, reports: int) -> dict[str, int]:
        span = (self.end - self.start).total_seconds()
        for index in range(reports):
            at = self.start + timedelta(seconds=span * (index + self.rng.random()) / reports)
            self._report(sink, at)
            if self.rng.random() < self.advice_ratio:
                self._advice(sink, at + timedelta(minutes=self.rng.randrange(1, 600)))
        return dict(self.counts)

    def _advice(self, sink: Sink, at: datetime) -> None:
        if at >= self.end:
            return
        org, muni = self._place()
        reporter = self.advice_reporter()
        kinds = self._kinds()
        duration = "forever" if self._bad() else self.duration()
        contact_id = self._contact(sink, org, muni, "advice", reporter, kinds, duration, at)
        sink.add(
            "intake.AdviceRequest",
            (
                self._id("intake.AdviceRequest"),
                contact_id,
                org,
                self.universe.user_id,
                at,
                at + timedelta(minutes=20),
                reporter,
                kinds,
                duration,
            ),
        )

    def _report(self, sink: Sink, at: datetime) -> None:
        org, muni = self._place()
        reporter = self.reporter()
        if self._bad():
            reporter = "alien"  # R07
        org_kind = self.org_kind() if reporter == "professional" else ""
        if reporter == "professional" and self._bad():
            org_kind = "circus"  # R10
        kinds = self._kinds()
        if self._bad():
            kinds = [*kinds, "martian"]  # R05
        duration = "forever" if self._bad() else self.duration()
        acute = self.rng.random() < 0.12
        contact_id = self._contact(sink, org, muni, "report", reporter, kinds, duration, at)
        report_id = self._id("intake.Report")
        registered = at - timedelta(hours=2) if self._bad() else at + timedelta(minutes=30)
        sink.add(
            "intake.Report",
            (
                report_id,
                contact_id,
                org,
                muni,
                self.universe.user_id,
                at,
                registered,
                reporter,
                org_kind,
                acute,
                kinds,
                duration,
            ),
        )
        if self.rng.random() < 0.005:
            return  # not (yet) linked to a case (R12)
        user = self.universe.user_id
        current = self.open_case.get(muni)
        if current is not None and (current.closed_at is not None and current.closed_at <= at):
            self.closed_case[muni] = current
            del self.open_case[muni]
            current = None
        draw = self.rng.random()
        if current is not None and draw < 0.15:
            if current.assessed_at is None or at < current.assessed_at:
                involvement = "during_assessment"
            elif current.route == "conditions_and_follow_up":
                involvement = "during_monitoring"
            else:
                involvement = "after_assessment"
            sink.add(
                "cases.CaseReport",
                (self._id("cases.CaseReport"), current.id, report_id, involvement, at, user),
            )
            return
        previous = self.closed_case.get(muni)
        again = previous is not None and draw < 0.22 and previous.closed_at is not None
        case = self._new_case(sink, org, muni, at, acute, kinds, previous if again else None)
        sink.add(
            "cases.CaseReport",
            (
                self._id("cases.CaseReport"),
                case.id,
                report_id,
                "re_report" if again else "first",
                at,
                user,
            ),
        )
        if self.rng.random() < 0.002:  # a second "first" report for the same case (C09)
            extra_report = self._id("intake.Report")
            extra_contact = self._contact(sink, org, muni, "report", reporter, kinds, duration, at)
            sink.add(
                "intake.Report",
                (
                    extra_report,
                    extra_contact,
                    org,
                    muni,
                    user,
                    at,
                    at,
                    reporter,
                    org_kind,
                    acute,
                    kinds,
                    duration,
                ),
            )
            sink.add(
                "cases.CaseReport",
                (self._id("cases.CaseReport"), case.id, extra_report, "first", at, user),
            )
        self.open_case[muni] = case

    def _assessment(
        self, sink: Sink, case_id: int, at: datetime, route: str, acute: bool, structural: bool
    ) -> int:
        assessment_id = self._id("cases.SafetyAssessment")
        sink.add(
            "cases.SafetyAssessment",
            (
                assessment_id,
                case_id,
                "vb-2026.1",
                acute,
                structural,
                route,
                at,
                self.universe.user_id,
            ),
        )
        return assessment_id

    def _new_case(
        self,
        sink: Sink,
        org: int,
        muni: int | None,
        at: datetime,
        acute: bool,
        kinds: list[str],
        previous: _CaseState | None,
    ) -> _CaseState:
        rng, user, end = self.rng, self.universe.user_id, self.end
        case_id = self._id("cases.Case")
        delay_days = rng.uniform(0, 6) if rng.random() < 0.85 else rng.uniform(7, 40)
        assessed: datetime | None = at + timedelta(days=delay_days)
        appraisal_acute = acute or rng.random() < 0.05
        structural = rng.random() < 0.45
        route = self.route()
        if route == "close" and (appraisal_acute or structural):
            route = "handover"
        if self._bad():
            route = "teleport"  # C02
        closed: datetime | None = None
        status = "awaiting_assessment"
        assert assessed is not None
        if assessed >= end:
            assessed = None
        else:
            assessment = self._assessment(
                sink, case_id, assessed, route, appraisal_acute, structural
            )
            status = {
                "handover": "handed_over",
                "conditions_and_follow_up": "monitoring",
                "investigation": "investigation",
                "child_protection_board_request": "child_protection_board",
            }.get(route, "closure_requested")
            closed = assessed + (2 * DAY if route == "close" else rng.uniform(20, 300) * DAY)
            if route == "investigation":
                closed = self._investigation(sink, case_id, assessment, assessed, kinds)
            unsafe = appraisal_acute or structural
            if unsafe and rng.random() < 0.6 and assessed + 10 * DAY < end:
                sink.add(
                    "cases.PlanRevision",
                    (
                        self._id("cases.PlanRevision"),
                        case_id,
                        "safety",
                        1,
                        assessed + 10 * DAY,
                        user,
                    ),
                )
            if rng.random() < 0.2:
                self._scores(sink, case_id, assessed)
            if closed is not None and closed < end:
                status = "closed"
            else:
                closed = None
        if rng.random() < 0.5:
            for _child in range(rng.randint(1, 3)):
                spoken = (at + rng.uniform(1, 30) * DAY).date() if rng.random() < 0.4 else None
                sink.add(
                    "cases.Person",
                    (
                        self._id("cases.Person"),
                        case_id,
                        "child",
                        spoken,
                        self.trauma(),
                        at + DAY,
                        user,
                    ),
                )
        sink.add(
            "cases.Case",
            (
                case_id,
                org,
                muni,
                status,
                acute,
                kinds,
                at,
                at + timedelta(hours=1),
                user,
                previous.id if previous else None,
                closed,
                closed or assessed or at,
            ),
        )
        return _CaseState(case_id, muni, at, assessed, closed, route, kinds)

    def _investigation(
        self, sink: Sink, case_id: int, assessment: int, decided: datetime, kinds: list[str]
    ) -> datetime | None:
        rng, end = self.rng, self.end
        started = decided + rng.uniform(1, 20) * DAY
        ended: datetime | None = started + rng.uniform(30, 90) * DAY
        investigation_id = self._id("cases.Investigation")
        assert ended is not None
        if ended >= end:
            ended = None
        sink.add(
            "cases.Investigation",
            (
                investigation_id,
                case_id,
                assessment,
                decided,
                started if started < end else None,
                _end_of_day(decided, 70),
                ended,
            ),
        )
        if ended is None:
            return None
        for kind in kinds or ["unknown"]:
            sink.add(
                "cases.InvestigationOutcome",
                (self._id("cases.InvestigationOutcome"), investigation_id, kind, self.outcome()),
            )
        route = rng.choice(("handover", "conditions_and_follow_up", "close"))
        self._assessment(sink, case_id, ended, route, False, route != "close")
        return ended + rng.uniform(2, 120) * DAY

    def _scores(self, sink: Sink, case_id: int, assessed: datetime) -> None:
        rng = self.rng
        score = rng.randint(3, 6)
        day = assessed + 14 * DAY
        for _ in range(rng.randint(2, 4)):
            if day >= self.end:
                return
            sink.add(
                "cases.SafetyScore",
                (
                    self._id("cases.SafetyScore"),
                    case_id,
                    score,
                    day.date(),
                    "VT, lokaal team",
                    day,
                    self.universe.user_id,
                ),
            )
            score = max(1, min(10, score + rng.choice((-1, 0, 1, 1, 2))))
            day += rng.uniform(30, 60) * DAY


class OrmSink:
    """Collects rows and writes them with ``bulk_create`` (for tests: small volumes)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)

    def add(self, label: str, row: tuple[Any, ...]) -> None:
        self.rows[label].append(row)

    def flush(self) -> None:
        from django.apps import apps

        for label in ORDER:
            model: type[models.Model] = apps.get_model(label)
            fields = FIELDS[label]
            model._default_manager.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in self.rows[label]],
                batch_size=2000,
            )
        self.rows.clear()
