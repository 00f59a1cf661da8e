# SPDX-License-Identifier: EUPL-1.2
"""Property-based tests of disclosure control *as published*: for random synthetic histories,
no figures page and no CSV download shows a count below the threshold or a count that is not a
multiple of the base, and no suppressed cell can be worked out exactly from what is published.

The disclosure module's own property tests (``test_disclosure.py``) cover single tables; these
cover the whole path: source records, counting, linked protection over all tables and areas,
storage, the pages and the downloads.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vangnet.accounts.models import Role
from vangnet.accounts.reference import load_regions
from vangnet.stats import tables
from vangnet.stats.cube import Cube, area_tree
from vangnet.stats.models import PublishedArea
from vangnet.stats.periods import parse
from vangnet.stats.publish import Plan, build, grids
from vangnet.stats.refresh import refresh
from vangnet.stats.synthetic import Generator, OrmSink, Universe
from vangnet.stats.tests.test_disclosure import derivable

PERIOD = parse("2026H1")
THRESHOLD, BASE = 10, 5
COUNT_CELL = re.compile(r'data-kind="count">([^<]*)<')
#: Tables whose every grid gets the exact-inference oracle (it is slow on wide tables).
ORACLE_TABLES = ("report_by_reporter", "report_by_involvement", "lead_assessment", "waiting")

pytestmark = pytest.mark.slow

PROPERTY = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_publishable(value: str, where: str) -> None:
    if value in (".", "–", ""):
        return
    number = int(value)
    assert number >= THRESHOLD, f"{where}: {number} is below the threshold"
    assert number % BASE == 0, f"{where}: {number} is not a multiple of {BASE}"


@pytest.fixture
def universe(region_utrecht, make_staff) -> Universe:
    load_regions()
    user = make_staff("gen.caseworker", region_utrecht, Role.CASE_WORKER)
    return Universe.from_database(user.pk)


def history(universe: Universe, seed: int, reports: int, advice_ratio: float) -> None:
    sink = OrmSink()
    Generator(
        universe,
        datetime(2025, 9, 1, tzinfo=UTC),
        datetime(2026, 8, 1, tzinfo=UTC),
        seed=seed,
        advice_ratio=advice_ratio,
        invalid_rate=0.02,
        first_id=10_000_000,
    ).run(sink, reports)
    sink.flush()


def published_grid(grid, table, areas: dict[str, PublishedArea]) -> tuple:
    """The grid as the publication shows it (``None`` for "."), margins included."""
    categories = [c for c in table.category_codes if table.key(c) in grid.columns]
    out = []
    for code in (*grid.rows, grid.parent):
        data = areas[code].data[table.id]
        row = [data["cells"][c] for c in categories]
        row.append(data["total"] if table.additive else None)
        out.append(tuple(row))
    return tuple(out)


@PROPERTY
@given(
    seed=st.integers(0, 10**6),
    reports=st.integers(10, 1000),
    advice_ratio=st.floats(0, 1.5),
)
def test_pages_and_downloads_never_publish_a_small_or_unrounded_count(
    universe, seed, reports, advice_ratio
):
    with transaction.atomic():
        history(universe, seed, reports, advice_ratio)
        refresh(PERIOD)
        build(PERIOD)
        client = Client()
        biggest = max(
            PublishedArea.objects.filter(level="region").exclude(code__endswith="-x"),
            key=lambda a: a.data.get("contacts", {}).get("total") or 0,
        )
        muni = (
            PublishedArea.objects.filter(parent_code=biggest.code)
            .exclude(code__endswith="-x")
            .first()
        )
        assert muni is not None
        pages = ["/figures", f"/figures/{biggest.code}", f"/figures/{biggest.code}/{muni.code}"]
        checked = 0
        for path in pages:
            html = client.get(path).content.decode()
            for value in COUNT_CELL.findall(html):
                assert_publishable(value, path)
                checked += 1
            response = client.get(path + ".csv")
            rows = csv.DictReader(io.StringIO(response.content.decode()), delimiter=";")
            for row in rows:
                assert_publishable(row["value"], f"{path}.csv {row['table']}")
                checked += 1
        assert checked > 100
        transaction.set_rollback(True)


@PROPERTY
@given(seed=st.integers(0, 10**6), reports=st.integers(50, 1000))
def test_no_suppressed_published_cell_can_be_worked_out_from_its_table(universe, seed, reports):
    with transaction.atomic():
        history(universe, seed, reports, 0.6)
        refresh(PERIOD)
        publication = build(PERIOD)
        areas = {a.code: a for a in PublishedArea.objects.filter(publication=publication)}
        cube = Cube.load(PERIOD.code)
        tree = area_tree(cube.used)
        plan = Plan.of(cube, tuple(tables.BY_ID[t] for t in ORACLE_TABLES))
        suppressed = 0
        for grid in grids(cube, tree, plan):
            table = next(
                t
                for t in tables.PUBLISHED
                if t.margin == grid.margin
                and all(c in {t.key(k) for k in t.category_codes} for c in grid.columns)
            )
            published = published_grid(grid, table, areas)
            flat = grid.extended()
            width = len(grid.columns) + 1
            true = [flat[i : i + width] for i in range(0, len(flat), width)]
            assert derivable(true, published) == set(), (table.id, grid.parent)
            suppressed += sum(v is None for row in published for v in row)
        assert suppressed > 0
        transaction.set_rollback(True)
