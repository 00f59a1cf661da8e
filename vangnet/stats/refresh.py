# SPDX-License-Identifier: EUPL-1.2
"""Rebuild the raw counts (:class:`PeriodCount`) of a half-year from the source records.

A refresh replaces the period's counts in one transaction: readers see the old counts or the
new ones, never a mix. It takes a few seconds per half-year of national data (measured in
``benchmarks/stats.py``), so it runs for the recent half-years on a schedule
(:mod:`vangnet.stats.tasks`), before every CBS export, and when a statistician asks for it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from vangnet.stats.cube import UNKNOWN_REGION
from vangnet.stats.extract import Areas, Extract, extract
from vangnet.stats.models import PeriodCount, PeriodRefresh
from vangnet.stats.periods import Period

BATCH = 5000


@dataclass(frozen=True)
class Refreshed:
    extract: Extract
    refresh: PeriodRefresh


def summary_of(result: Extract) -> dict[str, Any]:
    """Counts only: records per type, findings per check (nationally and per region), and
    completeness per field (nationally and per region). No record ids."""
    findings: dict[str, Counter[str]] = {"": Counter()}
    for finding in result.findings:
        findings[""][finding.check] += 1
        findings.setdefault(finding.region_code or UNKNOWN_REGION, Counter())[finding.check] += 1
    completeness: dict[str, dict[str, dict[str, int]]] = {"": {}}
    for (region, record_type, name, status), n in result.completeness.items():
        for scope in ("", region or UNKNOWN_REGION):
            fields = completeness.setdefault(scope, {})
            bucket = fields.setdefault(f"{record_type}.{name}", {})
            bucket[status] = bucket.get(status, 0) + n
    return {
        "records": dict(result.records),
        "findings": {region: dict(counts) for region, counts in findings.items()},
        "completeness": completeness,
    }


def refresh(period: Period, *, areas: Areas | None = None) -> Refreshed:
    if period.kind != "H":
        raise ValueError(f"counts are kept per half-year, not for {period.code}")
    started = time.perf_counter()
    result = extract(period, areas)
    rows = [
        PeriodCount(
            period=period.code,
            table=table,
            region_code=region,
            municipality_code=muni,
            category=category,
            value=value,
        )
        for (table, region, muni, category), value in result.counts.items()
        if value
    ]
    with transaction.atomic():
        PeriodCount.objects.filter(period=period.code).delete()
        PeriodCount.objects.bulk_create(rows, batch_size=BATCH)
        record, _created = PeriodRefresh.objects.update_or_create(
            period=period.code,
            defaults={
                "refreshed_at": timezone.now(),
                "seconds": round(time.perf_counter() - started, 3),
                "summary": summary_of(result),
            },
        )
    return Refreshed(result, record)
