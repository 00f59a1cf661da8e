# SPDX-License-Identifier: EUPL-1.2
"""Tests for statistical disclosure control of published counts.

The strongest check is an independent oracle: exact linear algebra over the published
figures decides, for every suppressed cell, whether an analyst could compute its true value
from the true values of the published cells and the table's additivity.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vangnet.stats.disclosure import (
    SUPPRESSED,
    ProtectedSeries,
    ProtectedTable,
    _complete_suppression,
    _enforce_lines,
    format_cell,
    protect_series,
    protect_table,
    round_to_base,
)

PROPERTY = settings(deadline=None, max_examples=300)

counts = st.one_of(st.integers(0, 12), st.integers(0, 300))
tables = st.integers(1, 6).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
)
thresholds = st.integers(0, 25)
bases = st.integers(1, 10)


def extended(rows: list[list[int]]) -> list[list[int]]:
    """The true table with a totals column and a totals row."""
    column_totals = [sum(col) for col in zip(*rows, strict=True)]
    return [[*row, sum(row)] for row in rows] + [[*column_totals, sum(column_totals)]]


def lines(grid: tuple[tuple[int | None, ...], ...]) -> list[tuple[int | None, ...]]:
    return [*grid, *zip(*grid, strict=True)]


def derivable(
    true: list[list[int]], published: tuple[tuple[int | None, ...], ...]
) -> set[tuple[int, int]]:
    """Suppressed cells of the extended grid whose value follows exactly from the others.

    Unknowns are the suppressed cells; each row and column of the extended grid gives one
    equation (cells minus total = 0). A cell is determined iff every vector in the null space
    of the system is zero there, read off the reduced row echelon form.
    """
    height, width = len(true), len(true[0])
    unknowns = [(r, c) for r in range(height) for c in range(width) if published[r][c] is None]
    position = {cell: k for k, cell in enumerate(unknowns)}

    equations: list[list[Fraction]] = []
    for r in range(height):
        equations.append([Fraction(0)] * len(unknowns))
        for c in range(width):
            if (r, c) in position:
                equations[-1][position[(r, c)]] = Fraction(-1 if c == width - 1 else 1)
    for c in range(width):
        equations.append([Fraction(0)] * len(unknowns))
        for r in range(height):
            if (r, c) in position:
                equations[-1][position[(r, c)]] = Fraction(-1 if r == height - 1 else 1)

    # Reduced row echelon form.
    pivots: list[int] = []
    row = 0
    for col in range(len(unknowns)):
        pivot = next((i for i in range(row, len(equations)) if equations[i][col] != 0), None)
        if pivot is None:
            continue
        equations[row], equations[pivot] = equations[pivot], equations[row]
        lead = equations[row][col]
        equations[row] = [value / lead for value in equations[row]]
        for i in range(len(equations)):
            if i != row and equations[i][col] != 0:
                factor = equations[i][col]
                equations[i] = [
                    a - factor * b for a, b in zip(equations[i], equations[row], strict=True)
                ]
        pivots.append(col)
        row += 1
    free = set(range(len(unknowns))) - set(pivots)
    determined: set[tuple[int, int]] = set()
    for r, col in enumerate(pivots):
        if all(equations[r][f] == 0 for f in free):
            determined.add(unknowns[col])
    return determined


# --- Rounding and formatting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "base", "expected"),
    [
        (0, 5, 0),
        (2, 5, 0),
        (3, 5, 5),
        (7, 5, 5),
        (8, 5, 10),
        (12, 5, 10),
        (13, 5, 15),
        (4, 10, 0),
        (5, 10, 10),  # half up
        (15, 10, 20),
        (17, 1, 17),
    ],
)
def test_round_to_base(n: int, base: int, expected: int) -> None:
    assert round_to_base(n, base) == expected


@PROPERTY
@given(st.integers(0, 10**6), bases)
def test_rounding_is_nearest_multiple_and_idempotent(n: int, base: int) -> None:
    rounded = round_to_base(n, base)
    assert rounded % base == 0
    assert rounded >= 0
    assert abs(rounded - n) * 2 <= base
    assert round_to_base(rounded, base) == rounded


def test_rounding_refuses_negative_counts_and_bad_bases() -> None:
    with pytest.raises(ValueError, match="negative"):
        round_to_base(-1)
    with pytest.raises(ValueError, match="base"):
        round_to_base(10, 0)


def test_format_cell_uses_the_cbs_sign() -> None:
    assert SUPPRESSED == "."
    assert format_cell(None) == "."
    assert format_cell(0) == "0"
    assert format_cell(12345) == "12345"  # no "." thousands separator


# --- Worked examples -----------------------------------------------------------------------


def test_a_single_small_cell_gets_a_partner_in_its_row_and_column() -> None:
    protected = protect_table([[3, 50, 60], [40, 45, 12], [20, 30, 70]])
    assert protected == ProtectedTable(
        cells=((None, None, 60), (40, 45, 10), (None, None, 70)),
        row_totals=(115, 95, 120),
        column_totals=(65, 125, 140),
        grand_total=330,
    )
    assert protected.formatted() == (
        (".", ".", "60", "115"),
        ("40", "45", "10", "95"),
        (".", ".", "70", "120"),
        ("65", "125", "140", "330"),
    )


def test_rounded_cells_need_not_add_up_to_the_rounded_total() -> None:
    protected = protect_series([12, 12, 12])
    assert protected == ProtectedSeries(values=(10, 10, 10), total=35)


def test_true_zeros_are_suppressed_like_small_counts() -> None:
    protected = protect_table([[0, 50], [40, 45]])
    assert protected.cells[0][0] is None
    assert sum(v is None for row in protected.grid() for v in row) >= 4


def test_a_small_total_is_suppressed_with_its_cells() -> None:
    protected = protect_table([[2, 3], [40, 45]])
    assert protected.row_totals[0] is None
    assert protected.cells[0] == (None, None)


def test_a_threshold_that_is_not_a_multiple_of_the_base_still_holds_after_rounding() -> None:
    # 7 >= 7 but rounds to 5, which would publish a value below the threshold.
    protected = protect_series([7, 100, 100], threshold=7)
    assert protected.values[0] is None


def test_a_bridge_between_two_blocks_is_protected_though_every_line_has_two_suppressions() -> None:
    true = [
        [2, 3, 100, 100, 100],
        [4, 5, 6, 100, 100],
        [100, 100, 2, 3, 100],
        [100, 100, 4, 5, 100],
        [100, 100, 100, 100, 100],
    ]
    grid = extended(true)
    values = [v for row in grid for v in row]
    height, width = len(grid), len(grid[0])
    primary = {i for i, v in enumerate(values) if v < 10}
    line_rule_only = set(primary)
    index_lines = [[r * width + c for c in range(width)] for r in range(height)]
    index_lines += [[r * width + c for r in range(height)] for c in range(width)]
    while _enforce_lines(values, line_rule_only, index_lines):
        pass
    naive = tuple(
        tuple(None if r * width + c in line_rule_only else grid[r][c] for c in range(width))
        for r in range(height)
    )
    # The line rule alone leaves the bridge cell (6) computable ...
    assert (1, 2) in derivable(grid, naive)
    # ... the full algorithm does not.
    protected = protect_table(true)
    assert protected.cells[1][2] is None
    assert derivable(grid, protected.grid()) == set()


def test_without_totals_the_same_cells_are_suppressed_but_totals_are_not_shown() -> None:
    true = [[3, 50, 60], [40, 45, 12]]
    with_totals = protect_table(true)
    without = protect_table(true, with_totals=False)
    assert without.cells == with_totals.cells
    assert without.grid() == with_totals.cells
    assert len(without.formatted()[0]) == 3


def test_one_cell_tables() -> None:
    assert protect_table([[5]]).grid() == ((None, None), (None, None))
    assert protect_table([[20]]).grid() == ((20, 20), (20, 20))


def test_series_gets_a_second_suppression() -> None:
    protected = protect_series([3, 50, 60, 12])
    assert protected == ProtectedSeries(values=(None, 50, 60, None), total=125)
    assert protected.formatted() == (".", "50", "60", ".", "125")
    assert protect_series([3, 50], with_total=False).formatted() == (".", ".")


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([[1, -2]], ValueError),
        ([[1, 2], [3]], ValueError),
        ([], ValueError),
        ([[]], ValueError),
        ([[1.0, 2]], TypeError),
        ([[True, 2]], TypeError),
        (["12"], TypeError),
        ("12", TypeError),
    ],
)
def test_table_input_validation(rows: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        protect_table(rows)  # type: ignore[arg-type]


def test_parameter_and_series_validation() -> None:
    with pytest.raises(ValueError, match="threshold"):
        protect_table([[1]], threshold=-1)
    with pytest.raises(ValueError, match="base"):
        protect_table([[1]], base=0)
    with pytest.raises(ValueError, match="negative"):
        protect_series([5, -1])
    with pytest.raises(ValueError, match="at least one"):
        protect_series([])


# --- Properties ----------------------------------------------------------------------------


@PROPERTY
@given(tables, thresholds, bases)
def test_published_values_are_never_small_and_always_rounded(
    rows: list[list[int]], threshold: int, base: int
) -> None:
    protected = protect_table(rows, threshold=threshold, base=base)
    truth = extended(rows)
    for published_row, true_row in zip(protected.grid(), truth, strict=True):
        for published, true in zip(published_row, true_row, strict=True):
            if true < threshold:
                assert published is None
            if published is not None:
                assert published >= threshold
                assert published % base == 0
                assert published == round_to_base(true, base)


@PROPERTY
@given(tables, thresholds, bases)
def test_no_line_has_exactly_one_suppressed_cell(
    rows: list[list[int]], threshold: int, base: int
) -> None:
    grid = protect_table(rows, threshold=threshold, base=base).grid()
    for line in lines(grid):
        assert sum(value is None for value in line) != 1


@PROPERTY
@given(tables, thresholds, bases)
def test_no_suppressed_value_can_be_derived_from_the_published_figures(
    rows: list[list[int]], threshold: int, base: int
) -> None:
    protected = protect_table(rows, threshold=threshold, base=base)
    assert derivable(extended(rows), protected.grid()) == set()


@PROPERTY
@given(tables, thresholds, bases)
def test_protection_is_deterministic_pure_and_a_fixed_point(
    rows: list[list[int]], threshold: int, base: int
) -> None:
    snapshot = [list(row) for row in rows]
    first = protect_table(rows, threshold=threshold, base=base)
    assert protect_table(rows, threshold=threshold, base=base) == first
    assert rows == snapshot
    grid = extended(rows)
    values = [v for row in grid for v in row]
    published = [v for row in first.grid() for v in row]
    pattern = {i for i, v in enumerate(published) if v is None}
    assert _complete_suppression(values, pattern, len(grid), len(grid[0])) == pattern


@PROPERTY
@given(
    st.integers(1, 5).flatmap(
        lambda w: st.lists(
            st.lists(st.integers(2, 60).map(lambda n: 5 * n), min_size=w, max_size=w),
            min_size=1,
            max_size=5,
        )
    )
)
def test_a_table_that_is_already_safe_is_published_unchanged(rows: list[list[int]]) -> None:
    protected = protect_table(rows)
    assert protected.cells == tuple(tuple(row) for row in rows)
    assert protected.grid() == tuple(tuple(row) for row in extended(rows))


@PROPERTY
@given(st.lists(counts, min_size=1, max_size=12), thresholds, bases)
def test_series_properties(values: list[int], threshold: int, base: int) -> None:
    protected = protect_series(values, threshold=threshold, base=base)
    shown = (*protected.values, protected.total)
    truth = (*values, sum(values))
    assert sum(v is None for v in shown) != 1
    for published, true in zip(shown, truth, strict=True):
        if true < threshold:
            assert published is None
        if published is not None:
            assert published >= threshold
            assert published == round_to_base(true, base)
    assert protect_series(values, threshold=threshold, base=base) == protected
