# SPDX-License-Identifier: EUPL-1.2
"""Build the protected publication of a half-year from its raw counts.

Everything the public sees comes from here: the figures pages, their CSV downloads and the
``publication/`` files of the CBS export. One run protects all published tables of all areas
together (:mod:`vangnet.stats.linked`), so a number hidden on the Utrecht page is hidden on the
national page too.

Categories without a single record nationally are left out of that period's tables: a column of
zeros would be suppressed everywhere and drag one more suppression into every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vangnet.audit.log import Actor, record
from vangnet.stats import tables
from vangnet.stats.cube import Area, AreaTree, Cube, area_tree
from vangnet.stats.disclosure import DEFAULT_BASE, DEFAULT_THRESHOLD
from vangnet.stats.linked import Grid, Protected, protect_linked
from vangnet.stats.models import PeriodRefresh, Publication, PublishedArea
from vangnet.stats.periods import Period
from vangnet.stats.tables import SCORE_SUMS, TableDef

ACTIVITY = "vg-008-statistics"


def threshold_and_base() -> tuple[int, int]:
    """Configurable (``VANGNET_STATS_THRESHOLD``/``_BASE`` settings), CBS defaults otherwise."""
    return (
        int(getattr(settings, "VANGNET_STATS_THRESHOLD", DEFAULT_THRESHOLD)),
        int(getattr(settings, "VANGNET_STATS_BASE", DEFAULT_BASE)),
    )


@dataclass(frozen=True)
class Plan:
    """Which categories of which tables a publication shows (non-empty nationally)."""

    categories: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, cube: Cube, defs: tuple[TableDef, ...] = tables.PUBLISHED) -> Plan:
        out = {}
        for table in defs:
            shown = tuple(c for c in table.category_codes if cube.country[(table.id, c)] > 0)
            if shown:
                out[table.id] = shown
        return cls(out)


def grids(cube: Cube, tree: AreaTree, plan: Plan) -> list[Grid]:
    """The country table (regions as rows) and one table per region (municipalities as rows)
    for every published table."""
    out: list[Grid] = []
    for table_id, categories in plan.categories.items():
        table = tables.BY_ID[table_id]
        columns = tuple(table.key(c) for c in categories)
        parents: list[tuple[Area, tuple[Area, ...]]] = [(tree.country, tree.regions)]
        parents += [(region, tree.municipalities[region.code]) for region in tree.regions]
        for parent, children in parents:
            out.append(
                Grid(
                    rows=tuple(child.code for child in children),
                    parent=parent.code,
                    columns=columns,
                    margin=table.margin,
                    values=tuple(
                        tuple(cube.value(table.id, child, c) for c in categories)
                        for child in children
                    ),
                )
            )
    return out


def area_data(area: Area, cube: Cube, plan: Plan, protected: Protected) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for table_id, categories in plan.categories.items():
        table = tables.BY_ID[table_id]
        data[table_id] = {
            "cells": {c: protected.get((table.key(c), area.code)) for c in categories},
            "total": protected.get((table.universe, area.code)),
        }
    scored = protected.get(("scored_cases", area.code))
    n = cube.value("score_trend", area, "improved")
    n += cube.value("score_trend", area, "same") + cube.value("score_trend", area, "worse")
    if scored is not None and n:
        data["score_means"] = {
            "first": round(cube.value(SCORE_SUMS, area, "first") / n, 1),
            "last": round(cube.value(SCORE_SUMS, area, "last") / n, 1),
        }
    return data


def build(period: Period, *, user: Any = None) -> Publication:
    """Protect and store the figures of ``period`` (which must have been refreshed)."""
    if period.kind != "H":
        raise ValueError("figures are published per half-year")
    source = PeriodRefresh.objects.get(period=period.code)
    threshold, base = threshold_and_base()
    cube = Cube.load(period.code)
    tree = area_tree(cube.used)
    plan = Plan.of(cube)
    protected = protect_linked(grids(cube, tree, plan), threshold=threshold, base=base)
    now = timezone.now()
    with transaction.atomic():
        Publication.objects.filter(period=period.code).delete()
        publication = Publication.objects.create(
            period=period.code,
            built_at=now,
            built_by=user,
            source_refreshed_at=source.refreshed_at,
            threshold=threshold,
            base=base,
            provisional=now < period.end,
            passes=protected.passes,
        )
        PublishedArea.objects.bulk_create(
            [
                PublishedArea(
                    publication=publication,
                    level=area.level,
                    code=area.code,
                    name=area.name,
                    parent_code=area.parent,
                    position=position,
                    data=area_data(area, cube, plan, protected),
                )
                for position, area in enumerate(tree.all())
            ],
            batch_size=500,
        )
        record(
            actor=Actor.staff(user) if user is not None else Actor.system("stats"),
            action="statistics_published",
            activity=ACTIVITY,
            obj=publication,
            details={"period": period.code, "threshold": threshold, "base": base},
        )
    return publication
