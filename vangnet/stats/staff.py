# SPDX-License-Identifier: EUPL-1.2
"""Read model of the statisticians' page: raw counts and the validation summary of one period,
limited to the user's scope (:func:`vangnet.stats.access.statistics_scope`).

These are confidential figures (small numbers are not hidden): the page is for staff only, and
says so. Three queries: the refreshed periods, the counts of the scope, the areas' names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from vangnet.accounts.models import Municipality, Organisation, OrganisationType
from vangnet.stats import tables
from vangnet.stats.checks import CHECKS, Check
from vangnet.stats.cube import COUNTRY, area_label, unknown_municipality
from vangnet.stats.models import PeriodCount, PeriodRefresh, Publication
from vangnet.stats.tables import SCORE_SUMS, TableDef


@dataclass(frozen=True)
class RawTable:
    table: TableDef
    rows: tuple[tuple[str, int], ...]
    total: int


@dataclass(frozen=True)
class FindingRow:
    check: Check
    count: int


@dataclass(frozen=True)
class FieldRow:
    name: str
    records: int
    filled: int
    unknown: int
    invalid: int
    missing: int

    @property
    def complete(self) -> str:
        return f"{100 * self.filled / self.records:.1f}%" if self.records else ""


@dataclass
class Overview:
    scope: str
    periods: list[str]
    period: str
    area: str
    area_name: str
    areas: list[tuple[str, str]]
    refresh: PeriodRefresh | None = None
    published: bool = False
    tables: list[RawTable] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    fields: list[FieldRow] = field(default_factory=list)
    score_means: tuple[float, float] | None = None


def _areas(scope: str) -> list[tuple[str, str]]:
    if scope == COUNTRY:
        regions = Organisation.objects.filter(type=OrganisationType.VT_REGION).order_by("code")
        return [(COUNTRY, str(area_label(COUNTRY, "")))] + [
            (code, name) for code, name in regions.values_list("code", "name")
        ]
    name = Organisation.objects.filter(code=scope).values_list("name", flat=True).first() or scope
    municipalities = Municipality.objects.filter(vt_region__code=scope).order_by("name")
    return (
        [(scope, name)]
        + [(code, muni) for code, muni in municipalities.values_list("code", "name")]
        + [(unknown_municipality(scope), str(area_label(unknown_municipality(scope), "")))]
    )


def overview(scope: str, period: str | None, area: str | None) -> Overview:
    periods = list(PeriodRefresh.objects.order_by("-period").values_list("period", flat=True))
    chosen = period or (periods[0] if periods else "")
    if period and period not in periods:
        raise Http404
    areas = _areas(scope)
    names = dict(areas)
    wanted = area or scope
    if wanted not in names:
        raise Http404
    result = Overview(scope, periods, chosen, wanted, names[wanted], areas)
    if not chosen:
        return result
    result.refresh = PeriodRefresh.objects.filter(period=chosen).first()
    result.published = Publication.objects.filter(period=chosen).exists()
    counts = PeriodCount.objects.filter(period=chosen)
    if scope != COUNTRY:
        counts = counts.filter(region_code=scope)
    if wanted == COUNTRY:
        pass
    elif wanted == scope or scope == COUNTRY:
        counts = counts.filter(region_code=wanted)
    elif wanted == unknown_municipality(scope):
        counts = counts.filter(municipality_code="")
    else:
        counts = counts.filter(municipality_code=wanted)
    totals: Counter[tuple[str, str]] = Counter()
    for table_id, category, value in counts.values_list("table", "category", "value"):
        totals[(table_id, category)] += value
    for table in tables.TABLES:
        rows = tuple((str(c.label), totals[(table.id, c.code)]) for c in table.categories)
        if table.additive:
            total = sum(v for _label, v in rows)
        else:
            source = tables.universe_table(table.universe) if table.universe else table
            total = sum(totals[(source.id, c)] for c in source.category_codes)
        result.tables.append(RawTable(table, rows, total))
    scored = sum(totals[("score_trend", c)] for c in ("improved", "same", "worse"))
    if scored:
        result.score_means = (
            round(totals[(SCORE_SUMS, "first")] / scored, 1),
            round(totals[(SCORE_SUMS, "last")] / scored, 1),
        )
    if result.refresh is not None:
        _validation(result, result.refresh.summary, wanted if scope == COUNTRY else scope)
    return result


def _validation(result: Overview, summary: dict[str, Any], scope: str) -> None:
    key = "" if scope == COUNTRY else scope
    found = summary.get("findings", {}).get(key, {})
    result.findings = [FindingRow(check, found.get(check.id, 0)) for check in CHECKS.values()]
    fields = summary.get("completeness", {}).get(key, {})
    result.fields = [
        FieldRow(
            name,
            sum(statuses.values()),
            statuses.get("filled", 0),
            statuses.get("unknown", 0),
            statuses.get("invalid", 0),
            statuses.get("missing", 0),
        )
        for name, statuses in sorted(fields.items())
    ]
