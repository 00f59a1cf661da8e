# SPDX-License-Identifier: EUPL-1.2
"""One pass over the source records of a half-year: counts, validation findings, completeness.

Counting and validating happen in the same loop on purpose: a record that fails a check is
counted (under ``unknown`` where its value is unusable) in the same place where the finding is
written, so the CBS files, the figures and the validation report always agree on what was done
with it. Only plain coded columns are read (``values_list``), never an encrypted field: the
statistics cannot see narratives, names or addresses even by mistake.

The number of queries is fixed (one per record type), whatever the size of the period.

Attribution: a record belongs to the municipality it names and to that municipality's Veilig
Thuis region; without a (known) municipality, to the region that registered it, under
"municipality unknown"; without either, nationally under "region unknown".
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q

from vangnet.accounts.models import Municipality, Organisation, OrganisationType
from vangnet.lib import workdays
from vangnet.lib.workdays import AMSTERDAM
from vangnet.stats import codes
from vangnet.stats.checks import Finding
from vangnet.stats.periods import Period
from vangnet.stats.tables import SCORE_SUMS

CHUNK = 5000
RE_REPORT_WINDOW = timedelta(days=365)

Key = tuple[str, str, str, str]  # table, region code, municipality code, category


@dataclass(frozen=True)
class Areas:
    """Reference data to attribute records to areas (loaded once per extraction)."""

    organisations: dict[int, tuple[str, bool]]  # id -> (code, is a VT region)
    municipalities: dict[int, tuple[str, str]]  # id -> (code, region code)

    @classmethod
    def load(cls) -> Areas:
        organisations = {
            pk: (code, kind == OrganisationType.VT_REGION)
            for pk, code, kind in Organisation.objects.values_list("id", "code", "type")
        }
        municipalities = {
            pk: (code, organisations[region_id][0] if region_id in organisations else "")
            for pk, code, region_id in Municipality.objects.values_list(
                "id", "code", "vt_region_id"
            )
        }
        return cls(organisations, municipalities)

    def attribute(
        self, organisation_id: int | None, municipality_id: int | None
    ) -> tuple[str, str, str]:
        """``(region code, municipality code, problem)``; problem is "", ``no_municipality``,
        ``outside_region`` or ``no_region``."""
        org_code, org_is_region = self.organisations.get(organisation_id or 0, ("", False))
        if municipality_id is not None and municipality_id in self.municipalities:
            muni_code, region = self.municipalities[municipality_id]
            if org_is_region and org_code != region:
                return region, muni_code, "outside_region"
            return region, muni_code, ""
        if org_is_region:
            return org_code, "", "no_municipality"
        return "", "", "no_region"


@functools.lru_cache(maxsize=8192)
def assessment_deadline_day(received_day: date) -> date:
    """The last day of the 5-working-day term for a report received on ``received_day``."""
    return workdays.add_working_days(received_day, workdays.ASSESSMENT_WORKING_DAYS)


def local_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def split_kinds(values: Any) -> tuple[list[str], list[str], list[str]]:
    """``(main kinds, additional information, invalid codes)`` of a ``violence_kinds`` list."""
    items = values if isinstance(values, list) else []
    main = sorted({v for v in items if v in codes.KIND_CODES})
    extra = sorted({v for v in items if v in codes.ADDITIONAL_CODES})
    invalid = sorted({str(v) for v in items if v not in codes.VIOLENCE_CODES})
    if not isinstance(values, list) and values not in (None, ""):
        invalid.append(str(values)[:40])
    return main, extra, invalid


def reporter_category(reporter_type: str, organisation_kind: str) -> tuple[str, str]:
    """``(category, problem)``: problem is "", ``type_invalid``, ``organisation_missing``,
    ``organisation_invalid`` or ``organisation_ignored``."""
    if reporter_type in ("victim", "bystander"):
        return reporter_type, "organisation_ignored" if organisation_kind else ""
    if reporter_type == "police":
        ignored = organisation_kind not in ("", "justice_safety")
        return "professional.justice_safety", "organisation_ignored" if ignored else ""
    if reporter_type == "professional":
        if not organisation_kind:
            return "professional.unknown", "organisation_missing"
        if organisation_kind not in codes.ORGANISATION_KIND_CODES:
            return "professional.unknown", "organisation_invalid"
        return f"professional.{organisation_kind}", ""
    return codes.UNKNOWN, "type_invalid"


def appraisal_code(acute: bool, structural: bool) -> str:
    if acute and structural:
        return "acute_and_structural"
    if acute:
        return "acute"
    return "structural" if structural else "neither"


@dataclass
class Extract:
    period: Period
    counts: Counter[Key] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    #: (region, record type, field, status) -> records; status is filled/unknown/invalid/missing.
    completeness: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)

    def add(self, table: str, region: str, muni: str, category: str, n: int = 1) -> None:
        self.counts[(table, region, muni, category)] += n

    def find(self, check: str, record_type: str, pk: int, region: str, detail: str = "") -> None:
        self.findings.append(Finding(check, record_type, pk, region, detail))

    def mark(self, region: str, record_type: str, name: str, status: str) -> None:
        self.completeness[(region, record_type, name, status)] += 1

    def findings_by_check(self) -> Counter[str]:
        return Counter(f.check for f in self.findings)


def _rows(queryset: Any) -> Iterable[tuple[Any, ...]]:
    return queryset.iterator(chunk_size=CHUNK)


class _Extractor:
    def __init__(self, period: Period, areas: Areas) -> None:
        self.period = period
        self.start, self.end = period.start, period.end
        self.areas = areas
        self.out = Extract(period)

    # --- shared record handling ------------------------------------------------------------

    def _place(
        self, record_type: str, pk: int, org: int | None, muni: int | None, checks: dict[str, str]
    ) -> tuple[str, str]:
        region, muni_code, problem = self.areas.attribute(org, muni)
        self.out.mark(region, record_type, "municipality", "missing" if not muni_code else "filled")
        if problem:
            self.out.find(checks[problem], record_type, pk, region)
        return region, muni_code

    def _kinds(
        self,
        prefix: str,
        record_type: str,
        pk: int,
        region: str,
        muni: str,
        kinds: Any,
        checks: tuple[str, str],
    ) -> list[str]:
        main, extra, invalid = split_kinds(kinds)
        missing_check, invalid_check = checks
        if invalid:
            self.out.find(invalid_check, record_type, pk, region, ",".join(invalid))
        if not main:
            if "unknown" not in (kinds or []):
                self.out.find(missing_check, record_type, pk, region)
            main = [codes.UNKNOWN]
        status = "invalid" if invalid else ("unknown" if main == [codes.UNKNOWN] else "filled")
        self.out.mark(region, record_type, "violence_kinds", status)
        for kind in main:
            self.out.add(f"{prefix}_by_kind", region, muni, kind)
        for kind in extra:
            self.out.add(f"{prefix}_by_additional", region, muni, kind)
        return main + extra

    def _duration(self, record_type: str, pk: int, region: str, value: str, check: str) -> str:
        if value not in codes.DURATION_CODES:
            self.out.find(check, record_type, pk, region, str(value)[:40])
            self.out.mark(region, record_type, "violence_duration", "invalid")
            return codes.UNKNOWN
        status = "unknown" if value == codes.UNKNOWN else "filled"
        self.out.mark(region, record_type, "violence_duration", status)
        return value

    # --- advice requests -------------------------------------------------------------------

    def advice(self) -> None:
        from vangnet.intake.models import AdviceRequest

        rows = AdviceRequest.objects.filter(
            started_at__gte=self.start, started_at__lt=self.end
        ).values_list(
            "id",
            "organisation_id",
            "contact__municipality_id",
            "reporter_type",
            "violence_kinds",
            "violence_duration",
            "started_at",
            "ended_at",
        )
        checks = {"no_municipality": "A01", "outside_region": "A08", "no_region": "A02"}
        for pk, org, muni_id, reporter_type, kinds, duration, started, ended in _rows(rows):
            self.out.records["advice"] += 1
            region, muni = self._place("advice", pk, org, muni_id, checks)
            self.out.add("contacts", region, muni, "advice")
            # Intake does not record a professional's organisation for an advice request yet.
            category, problem = reporter_category(reporter_type, "")
            if problem == "type_invalid":
                self.out.find("A05", "advice", pk, region, str(reporter_type)[:40])
            self.out.mark(
                region,
                "advice",
                "reporter_type",
                "invalid" if problem == "type_invalid" else "filled",
            )
            if reporter_type == "professional":
                self.out.mark(region, "advice", "reporter_organisation", "missing")
            self.out.add("advice_by_reporter", region, muni, category)
            value = self._duration("advice", pk, region, duration, "A04")
            self.out.add("advice_by_duration", region, muni, value)
            self._kinds("advice", "advice", pk, region, muni, kinds, ("A07", "A03"))
            if ended is not None and ended < started:
                self.out.find("A06", "advice", pk, region)

    # --- reports -----------------------------------------------------------------------------

    def reports(self) -> None:
        from vangnet.intake.models import Report

        rows = Report.objects.filter(
            received_at__gte=self.start, received_at__lt=self.end
        ).values_list(
            "id",
            "organisation_id",
            "municipality_id",
            "reporter_type",
            "reporter_organisation_kind",
            "violence_kinds",
            "violence_duration",
            "received_at",
            "registered_at",
            "case_link__involvement",
            "case_link__case_id",
        )
        checks = {"no_municipality": "R01", "outside_region": "R02", "no_region": "R03"}
        involvement_codes = {c.code for c in codes.INVOLVEMENTS}
        firsts: Counter[int] = Counter()
        first_region: dict[int, str] = {}
        for row in _rows(rows):
            pk, org, muni_id, reporter_type, org_kind, kinds, duration = row[:7]
            received, registered, involvement, case_id = row[7:]
            self.out.records["report"] += 1
            region, muni = self._place("report", pk, org, muni_id, checks)
            self.out.add("contacts", region, muni, "report")
            category, problem = reporter_category(reporter_type, org_kind or "")
            problem_check = {
                "type_invalid": "R07",
                "organisation_missing": "R08",
                "organisation_invalid": "R10",
                "organisation_ignored": "R09",
            }.get(problem)
            if problem_check:
                detail = reporter_type if problem == "type_invalid" else (org_kind or "")
                self.out.find(problem_check, "report", pk, region, str(detail)[:40])
            self.out.mark(
                region,
                "report",
                "reporter_type",
                "invalid" if problem == "type_invalid" else "filled",
            )
            if reporter_type == "professional":
                status = {"organisation_missing": "missing", "organisation_invalid": "invalid"}
                self.out.mark(
                    region, "report", "reporter_organisation", status.get(problem, "filled")
                )
            self.out.add("report_by_reporter", region, muni, category)
            value = self._duration("report", pk, region, duration, "R06")
            self.out.add("report_by_duration", region, muni, value)
            self._kinds("report", "report", pk, region, muni, kinds, ("R04", "R05"))
            if registered is not None and registered < received:
                self.out.find("R11", "report", pk, region)
            if involvement is None or involvement not in involvement_codes:
                self.out.find("R12", "report", pk, region)
                self.out.mark(region, "report", "case", "missing")
                involvement = "not_linked"
            else:
                self.out.mark(region, "report", "case", "filled")
            self.out.add("report_by_involvement", region, muni, involvement)
            if involvement == "first":
                self.out.add("first_report_duration", region, muni, value)
                firsts[case_id] += 1
                first_region[case_id] = region
        for case_id, n in firsts.items():
            if n > 1:
                self.out.find("C09", "case", case_id, first_region[case_id], str(n))

    def cases_with_reports(self) -> None:
        from vangnet.cases.models import Case

        rows = (
            Case.objects.filter(
                report_links__report__received_at__gte=self.start,
                report_links__report__received_at__lt=self.end,
            )
            .distinct()
            .values_list("id", "organisation_id", "municipality_id", "violence_kinds")
        )
        for _pk, org, muni_id, kinds in _rows(rows):
            region, muni, _problem = self.areas.attribute(org, muni_id)
            self.out.add("cases_with_reports", region, muni, "all")
            main, _extra, _invalid = split_kinds(kinds)
            for kind in main or [codes.UNKNOWN]:
                self.out.add("case_by_kind", region, muni, kind)

    # --- safety assessments ------------------------------------------------------------------

    def assessments(self) -> None:
        from vangnet.cases.models import SafetyAssessment

        earlier = SafetyAssessment.objects.filter(
            case_id=OuterRef("case_id"), decided_at__lt=OuterRef("decided_at")
        )
        rows = (
            SafetyAssessment.objects.filter(decided_at__gte=self.start, decided_at__lt=self.end)
            .filter(~Exists(earlier))
            .order_by("case_id", "id")
            .values_list(
                "id",
                "case_id",
                "case__organisation_id",
                "case__municipality_id",
                "case__received_at",
                "decided_at",
                "route",
                "acute_unsafety",
                "structural_unsafety",
            )
        )
        seen: set[int] = set()
        for pk, case_id, org, muni_id, received, decided, route, acute, structural in _rows(rows):
            if case_id in seen:  # two assessments at the same instant: the first one counts
                continue
            seen.add(case_id)
            self.out.records["assessment"] += 1
            region, muni, _problem = self.areas.attribute(org, muni_id)
            appraisal = appraisal_code(acute, structural)
            if route not in codes.ROUTE_CODES:
                self.out.find("C02", "assessment", pk, region, str(route)[:40])
                self.out.mark(region, "assessment", "route", "invalid")
                route = codes.UNKNOWN
            else:
                self.out.mark(region, "assessment", "route", "filled")
            if route == "close" and (acute or structural):
                self.out.find("C03", "assessment", pk, region)
            if decided < received:
                self.out.find("C01", "assessment", pk, region)
            within = local_day(decided) <= assessment_deadline_day(local_day(received))
            self.out.add("assessment_appraisal", region, muni, appraisal)
            self.out.add("assessment_route", region, muni, route)
            self.out.add("appraisal_route", region, muni, f"{appraisal}.{route}")
            self.out.add("lead_assessment", region, muni, "within" if within else "late")

    # --- investigations ------------------------------------------------------------------------

    def investigations(self) -> None:
        from vangnet.cases.models import Investigation, InvestigationOutcome

        in_period = {"ended_at__gte": self.start, "ended_at__lt": self.end}
        outcomes: dict[int, list[tuple[str, str]]] = defaultdict(list)
        outcome_rows = InvestigationOutcome.objects.filter(
            investigation__ended_at__gte=self.start, investigation__ended_at__lt=self.end
        ).values_list("investigation_id", "violence_kind", "outcome")
        for investigation_id, kind, outcome in _rows(outcome_rows):
            outcomes[investigation_id].append((kind, outcome))
        rows = Investigation.objects.filter(**in_period).values_list(
            "id",
            "case__organisation_id",
            "case__municipality_id",
            "case__violence_kinds",
            "decided_at",
            "due_at",
            "ended_at",
        )
        for pk, org, muni_id, case_kinds, decided, due, ended in _rows(rows):
            self.out.records["investigation"] += 1
            region, muni, _problem = self.areas.attribute(org, muni_id)
            if ended < decided:
                self.out.find("C06", "investigation", pk, region)
            within = ended <= due or ended < decided
            self.out.add("lead_investigation", region, muni, "within" if within else "late")
            found = outcomes.get(pk, [])
            if not found:
                self.out.find("C04", "investigation", pk, region)
                self.out.mark(region, "investigation", "outcome", "missing")
                continue
            self.out.mark(region, "investigation", "outcome", "filled")
            for kind, outcome in found:
                if outcome not in codes.OUTCOME_CODES:
                    self.out.find("C05", "investigation", pk, region, str(outcome)[:40])
                    continue
                if kind not in codes.VIOLENCE_CODES:
                    self.out.find("C05", "investigation", pk, region, str(kind)[:40])
                    kind = codes.UNKNOWN
                elif kind not in (case_kinds or []):
                    self.out.find("C07", "investigation", pk, region, kind)
                self.out.add("investigation_outcome", region, muni, f"{kind}.{outcome}")

    # --- the waiting list at the end of the period -------------------------------------------

    def waiting(self) -> None:
        from vangnet.cases.models import Case, Investigation, SafetyAssessment

        end = self.end
        not_closed = Q(closed_at__isnull=True) | Q(closed_at__gte=end)
        assessed = SafetyAssessment.objects.filter(case_id=OuterRef("pk"), decided_at__lt=end)
        rows = (
            Case.objects.filter(not_closed, received_at__lt=end)
            .filter(~Exists(assessed))
            .values_list("organisation_id", "municipality_id", "received_at")
        )
        next_day = self.period.next_first_day
        for org, muni_id, received in _rows(rows):
            region, muni, _problem = self.areas.attribute(org, muni_id)
            overdue = assessment_deadline_day(local_day(received)) < next_day
            category = "assessment_overdue" if overdue else "assessment_within_term"
            self.out.add("waiting", region, muni, category)
        investigations = (
            Investigation.objects.filter(decided_at__lt=end)
            .filter(Q(started_at__isnull=True) | Q(started_at__gte=end))
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end))
            .filter(Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=end))
            .values_list("case__organisation_id", "case__municipality_id")
        )
        for org, muni_id in _rows(investigations):
            region, muni, _problem = self.areas.attribute(org, muni_id)
            self.out.add("waiting", region, muni, "investigation")

    # --- effect monitor ------------------------------------------------------------------------

    def closed_cases(self) -> None:
        from vangnet.cases.models import Case
        from vangnet.cases.workflow import State

        again = Case.objects.filter(
            previous_case_id=OuterRef("pk"),
            received_at__lte=OuterRef("closed_at") + RE_REPORT_WINDOW,
        )
        rows = (
            Case.objects.filter(closed_at__gte=self.start, closed_at__lt=self.end)
            .annotate(again=Exists(again))
            .values_list("id", "organisation_id", "municipality_id", "status", "again")
        )
        for pk, org, muni_id, status, re_reported in _rows(rows):
            region, muni, _problem = self.areas.attribute(org, muni_id)
            if status != State.CLOSED:
                self.out.find("C08", "case", pk, region, str(status)[:40])
            category = "re_reported" if re_reported else "not_re_reported"
            self.out.add("recidivism", region, muni, category)
        unclosed = Case.objects.filter(
            status=State.CLOSED,
            closed_at__isnull=True,
            received_at__gte=self.start,
            received_at__lt=self.end,
        ).values_list("id", "organisation_id", "municipality_id")
        for pk, org, muni_id in _rows(unclosed):
            region, _muni, _problem = self.areas.attribute(org, muni_id)
            self.out.find("C08", "case", pk, region)

    def cohort(self) -> None:
        """Cases received in the period: safety plans after unsafety, children."""
        from vangnet.cases.models import Case, Person, PlanRevision, SafetyAssessment

        received = {"received_at__gte": self.start, "received_at__lt": self.end}
        first: dict[int, tuple[bool, bool]] = {}
        assessments = (
            SafetyAssessment.objects.filter(
                case__received_at__gte=self.start, case__received_at__lt=self.end
            )
            .order_by("case_id", "decided_at", "id")
            .values_list("case_id", "acute_unsafety", "structural_unsafety")
        )
        for case_id, acute, structural in _rows(assessments):
            first.setdefault(case_id, (acute, structural))
        plan = PlanRevision.objects.filter(case_id=OuterRef("pk"), kind="safety")
        rows = (
            Case.objects.filter(**received)
            .annotate(has_plan=Exists(plan))
            .values_list("id", "organisation_id", "municipality_id", "has_plan")
        )
        for pk, org, muni_id, has_plan in _rows(rows):
            self.out.records["case"] += 1
            if not any(first.get(pk, (False, False))):
                continue
            region, muni, _problem = self.areas.attribute(org, muni_id)
            self.out.add("safety_plan", region, muni, "with_plan" if has_plan else "without_plan")
        children = Person.objects.filter(
            role="child", case__received_at__gte=self.start, case__received_at__lt=self.end
        ).values_list(
            "case__organisation_id", "case__municipality_id", "spoken_to_on", "trauma_screening"
        )
        for org, muni_id, spoken_to_on, screening in _rows(children):
            self.out.records["child"] += 1
            region, muni, _problem = self.areas.attribute(org, muni_id)
            spoken = "spoken_to" if spoken_to_on is not None else "not_spoken_to"
            self.out.add("child_spoken_to", region, muni, spoken)
            if screening in ("offered", "declined", "done"):
                trauma = "offered"
            elif screening == "not_needed":
                trauma = "not_needed"
            else:
                trauma = "not_considered"
            self.out.add("trauma_screening", region, muni, trauma)

    def scores(self) -> None:
        from vangnet.cases.models import SafetyScore

        first_day, next_day = self.period.first_day, self.period.next_first_day
        scored = SafetyScore.objects.filter(scored_on__gte=first_day, scored_on__lt=next_day)
        rows = (
            SafetyScore.objects.filter(case_id__in=scored.values("case_id"), scored_on__lt=next_day)
            .order_by("case_id", "scored_on", "id")
            .values_list("case_id", "case__organisation_id", "case__municipality_id", "score")
        )
        current: int | None = None
        series: list[int] = []
        place: tuple[int | None, int | None] = (None, None)

        def flush() -> None:
            if current is None or len(series) < 2:
                return
            region, muni, _problem = self.areas.attribute(*place)
            first_score, last_score = series[0], series[-1]
            trend = (
                "improved"
                if last_score > first_score
                else ("worse" if last_score < first_score else "same")
            )
            self.out.add("score_trend", region, muni, trend)
            self.out.add(SCORE_SUMS, region, muni, "first", first_score)
            self.out.add(SCORE_SUMS, region, muni, "last", last_score)

        for case_id, org, muni_id, score in _rows(rows):
            if case_id != current:
                flush()
                current, series, place = case_id, [], (org, muni_id)
            series.append(score)
        flush()


def extract(period: Period, areas: Areas | None = None) -> Extract:
    """Count, check and measure completeness of all records of ``period`` (a half-year)."""
    extractor = _Extractor(period, areas or Areas.load())
    extractor.advice()
    extractor.reports()
    extractor.cases_with_reports()
    extractor.assessments()
    extractor.investigations()
    extractor.waiting()
    extractor.closed_cases()
    extractor.cohort()
    extractor.scores()
    return extractor.out
