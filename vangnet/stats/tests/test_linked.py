# SPDX-License-Identifier: EUPL-1.2
"""Linked protection: a number hidden in one table is hidden in every table that shows it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vangnet.stats.linked import Grid, InconsistentLink, protect_linked
from vangnet.stats.tests.test_disclosure import derivable


def country_and_region(region_rows, other_region_rows):
    """Two regions of municipalities, each a grid, and the country grid of the two regions."""
    columns = ("a", "b", "c")
    regions = []
    for code, rows in (("r1", region_rows), ("r2", other_region_rows)):
        regions.append(
            Grid(
                tuple(f"{code}.m{i}" for i in range(len(rows))),
                code,
                columns,
                "total",
                tuple(tuple(r) for r in rows),
            )
        )
    country = Grid(
        ("r1", "r2"),
        "NL",
        columns,
        "total",
        tuple(
            tuple(sum(col) for col in zip(*rows, strict=True))
            for rows in (region_rows, other_region_rows)
        ),
    )
    return country, regions


def test_a_number_hidden_in_the_region_table_is_hidden_in_the_country_table():
    # Region r1's column "a" total (3 + 4 = 7) is small: hidden in the region's total row,
    # so it must be hidden in the country table's row r1 too, which then needs a partner.
    country, regions = country_and_region([[3, 40, 50], [4, 60, 70]], [[30, 40, 50], [60, 60, 70]])
    result = protect_linked([country, *regions])
    assert result.get(("a", "r1")) is None
    country_suppressed = [name for name in country.names() if result.get(name) is None]
    assert len(country_suppressed) >= 4  # a rectangle: r1/a, r1/x, r2/a, r2/x


def test_the_same_name_gets_the_same_value_everywhere():
    country, regions = country_and_region(
        [[30, 40, 50], [40, 60, 70]], [[30, 40, 50], [60, 60, 70]]
    )
    result = protect_linked([country, *regions])
    assert result.get(("total", "r1")) == 290
    assert result.get(("a", "NL")) == 160


def test_two_tables_that_disagree_about_a_shared_number_are_refused():
    one = Grid(("m1",), "r1", ("a",), "total", ((12,),))
    other = Grid(("m1",), "r1", ("b",), "total", ((13,),))  # same total name, other value
    with pytest.raises(InconsistentLink):
        protect_linked([one, other])


def test_without_a_threshold_nothing_is_hidden_and_nothing_is_rounded():
    grid = Grid(("m1", "m2"), "r1", ("a", "b"), "total", ((1, 2), (3, 0)))
    result = protect_linked([grid], threshold=0, base=1)
    assert all(value is not None for value in result.values.values())
    assert result.get(("b", "m2")) == 0


counts = st.integers(0, 60)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(counts, min_size=3, max_size=3), min_size=1, max_size=4),
    st.lists(st.lists(counts, min_size=3, max_size=3), min_size=1, max_size=4),
)
def test_linked_grids_are_each_safe_and_agree_on_every_shared_number(first, second):
    country, regions = country_and_region(first, second)
    result = protect_linked([country, *regions])
    for grid in (country, *regions):
        names = grid.names()
        width = len(grid.columns) + 1
        flat = grid.extended()
        true = [flat[i : i + width] for i in range(0, len(flat), width)]
        published = tuple(
            tuple(result.get(names[r * width + c]) for c in range(width)) for r in range(len(true))
        )
        assert derivable(true, published) == set()
        for name, value in zip(names, flat, strict=True):
            shown = result.get(name)
            assert shown is None or (shown >= 10 and shown % 5 == 0 and abs(shown - value) <= 2)
