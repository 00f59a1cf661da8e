# SPDX-License-Identifier: EUPL-1.2
"""Register once, report to every funder (seeds 000 and 001, the "paarse krokodil").

Care delivered in a case is recorded once, as a :class:`CareActivity` with its funding stream.
``vangnet stats funders --period 2026Q3 --out DIR`` then writes one period report per funding
stream from those same records, so no activity is reported twice and none is missing: the
manifest reconciles the number of activities per stream with the register.

Per funder (the municipality for Jeugdwet and Wmo, the insurer for Zvw, the care office for Wlz)
a report gives the number of clients, and per kind of care the number of activities and the
amount delivered per unit. These reports leave the organisation, so they are protected like any
publication: counts rounded to 5, below 10 shown as "."; an amount is shown only where its
number of activities is, rounded to 5 as well. Billing per client goes through the iJw/iWmo
messages, not through these reports.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from vangnet.audit.log import Actor, record
from vangnet.stats.cbs import Written, write_csv
from vangnet.stats.disclosure import format_cell, protect_series, protect_table
from vangnet.stats.models import CareActivity, CareActivityKind, CareUnit, FundingStream
from vangnet.stats.periods import Period
from vangnet.stats.publish import ACTIVITY, threshold_and_base

UNKNOWN_FUNDER = "unknown"
HEADER = ("period", "funding_stream", "funder", "measure", "kind_of_care", "unit", "value")


@dataclass
class StreamData:
    clients: dict[str, set[tuple[str, int]]] = field(default_factory=lambda: defaultdict(set))
    activities: Counter[tuple[str, str]] = field(default_factory=Counter)
    units: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    count: int = 0


@dataclass
class FunderResult:
    directory: Path
    files: dict[str, Written] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)


def collect(period: Period) -> dict[str, StreamData]:
    """The activities of ``period`` (by date performed), per funding stream and funder."""
    streams: dict[str, StreamData] = {s: StreamData() for s in FundingStream.values}
    rows = CareActivity.objects.filter(
        performed_on__gte=period.first_day, performed_on__lt=period.next_first_day
    ).values_list(
        "funding_stream",
        "funder_code",
        "case__municipality__code",
        "kind",
        "unit",
        "units",
        "person_id",
        "case_id",
    )
    for stream, funder, municipality, kind, unit, units, person_id, case_id in rows.iterator(
        chunk_size=5000
    ):
        data = streams.setdefault(stream, StreamData())
        funder = funder or (
            municipality if stream in ("jeugdwet", "wmo") and municipality else UNKNOWN_FUNDER
        )
        # A client is a person when one is named, else the family system (the case).
        data.clients[funder].add(("person", person_id) if person_id else ("case", case_id))
        data.activities[(funder, kind)] += 1
        data.units[(funder, kind, unit)] += units
        data.count += 1
    return streams


def _round_amount(amount: Decimal, base: int) -> int:
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return (2 * whole + base) // (2 * base) * base


def stream_rows(period: Period, stream: str, data: StreamData) -> list[list[Any]]:
    threshold, base = threshold_and_base()
    funders = sorted(data.clients)
    rows: list[list[Any]] = []
    if not funders:
        return rows
    clients = protect_series(
        [len(data.clients[f]) for f in funders], threshold=threshold, base=base, with_total=False
    )
    for funder, value in zip(funders, clients.values, strict=True):
        rows.append([period.code, stream, funder, "clients", "", "", format_cell(value)])
    kinds = list(CareActivityKind.values)
    table = protect_table(
        [[data.activities[(f, k)] for k in kinds] for f in funders],
        threshold=threshold,
        base=base,
    )
    for funder, cells, total in zip(funders, table.cells, table.row_totals, strict=True):
        for kind, value in zip(kinds, cells, strict=True):
            # Every kind and unit gets a line, also when empty: a missing line would say "0".
            rows.append([period.code, stream, funder, "activities", kind, "", format_cell(value)])
            for unit in CareUnit.values:
                amount = data.units.get((funder, kind, unit), Decimal(0))
                shown = None if value is None else _round_amount(amount, base)
                rows.append([period.code, stream, funder, "amount", kind, unit, format_cell(shown)])
        rows.append([period.code, stream, funder, "activities", "total", "", format_cell(total)])
    rows.append(
        [period.code, stream, "total", "activities", "total", "", format_cell(table.grand_total)]
    )
    return rows


def report(period: Period, out: Path, *, user: Any = None) -> FunderResult:
    result = FunderResult(out)
    streams = collect(period)
    out.mkdir(parents=True, exist_ok=True)
    for stream in FundingStream.values:
        data = streams.get(stream, StreamData())
        name = f"{period.code}_{stream}.csv"
        result.files[name] = write_csv(out / name, HEADER, stream_rows(period, stream, data))
        result.activities[stream] = data.count
    registered = CareActivity.objects.filter(
        performed_on__gte=period.first_day, performed_on__lt=period.next_first_day
    ).count()
    manifest = {
        "kind": "funder-reports",
        "period": period.code,
        "generated_at": timezone.now().isoformat(),
        "activities_registered": registered,
        "activities_reported": result.activities,
        "reconciled": registered == sum(result.activities.values()),
        "files": {n: {"rows": w.rows, "sha256": w.sha256} for n, w in result.files.items()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    record(
        actor=Actor.staff(user) if user is not None else Actor.system("stats"),
        action="funder_reports",
        activity=ACTIVITY,
        details={
            "period": period.code,
            "activities": registered,
            "manifest_sha256": hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest(),
        },
    )
    return result
