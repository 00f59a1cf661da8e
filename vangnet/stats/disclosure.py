# SPDX-License-Identifier: EUPL-1.2
"""Statistical disclosure control for published counts (domain-rules §2.3; ADR 0012).

CBS publishes Veilig Thuis figures rounded to multiples of 5, with nothing below 10 and small
cells shown as "." ("het cijfer is onbekend, onvoldoende betrouwbaar of geheim"). We follow
that rule for every figure Vangnet publishes, because a count of 3 meldingen about elder abuse
in a small municipality can point at one family.

1. **Primary suppression**: a cell whose true count is below ``threshold`` (or whose rounded
   value would be) is suppressed. That includes true zeros: from counts alone we cannot tell a
   structural zero from a small one, and "nobody" is as revealing as "one". A caller who
   knows a category cannot occur drops that row or column instead of publishing zeros.
2. **Secondary suppression**: the table is extended with its row totals, column totals and
   grand total, and each of those margins is protected like any other cell. Then we suppress
   more cells until no suppressed value can be worked out exactly from what is published:
   first every line (row or column, margins included) with exactly one suppressed cell gets
   its smallest other cell suppressed, then every suppressed cell that is still a *bridge* in
   the row/column graph of suppressed cells (the classic "two blocks joined by one cell"
   pattern, which the line rule alone misses) is put on a cycle with the smallest cell that
   closes one. Repeat until stable.
3. **Rounding**: published values, margins included, are the true counts rounded half up to a
   multiple of ``base``. Totals are computed from the true counts and rounded on their own, as
   CBS does, so rounded cells need not add up to the rounded total.

Protection always assumes the margins are known, even with ``with_totals=False``: the same
totals are nearly always published elsewhere (the national figure, the next table).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DEFAULT_BASE",
    "DEFAULT_THRESHOLD",
    "SUPPRESSED",
    "ProtectedSeries",
    "ProtectedTable",
    "format_cell",
    "protect_series",
    "protect_table",
    "round_to_base",
]

#: CBS sign for "unknown, too unreliable or confidential".
SUPPRESSED = "."
DEFAULT_THRESHOLD = 10
DEFAULT_BASE = 5

Cell = int | None


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    """A table safe to publish: ``None`` marks a suppressed cell.

    The totals are always computed and protected; ``has_totals`` says whether the caller asked
    to publish them, and :meth:`grid` and :meth:`formatted` follow it.
    """

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell
    has_totals: bool = True

    def grid(self) -> tuple[tuple[Cell, ...], ...]:
        """The cells, with a totals column and a totals row appended when ``has_totals``."""
        if not self.has_totals:
            return self.cells
        body = tuple((*row, total) for row, total in zip(self.cells, self.row_totals, strict=True))
        return (*body, (*self.column_totals, self.grand_total))

    def formatted(self) -> tuple[tuple[str, ...], ...]:
        """:meth:`grid` as strings, with :data:`SUPPRESSED` for suppressed cells."""
        return tuple(tuple(format_cell(value) for value in row) for row in self.grid())


@dataclass(frozen=True, slots=True)
class ProtectedSeries:
    """A one-dimensional breakdown safe to publish, with its protected total."""

    values: tuple[Cell, ...]
    total: Cell
    has_total: bool = True

    def formatted(self) -> tuple[str, ...]:
        shown = (*self.values, self.total) if self.has_total else self.values
        return tuple(format_cell(value) for value in shown)


def round_to_base(n: int, base: int = DEFAULT_BASE) -> int:
    """``n`` rounded half up to the nearest multiple of ``base`` (12 → 10, 13 → 15).

    Counts are never negative, so a negative ``n`` is a bug upstream and raises.
    """
    _check_count(n)
    _check_positive_int(base, "base")
    return (2 * n + base) // (2 * base) * base


def format_cell(value: Cell) -> str:
    """The published text of a cell: the CBS sign "." when suppressed, else plain digits.

    No thousands separator: the Dutch one is ".", which would read as the suppression sign.
    """
    return SUPPRESSED if value is None else str(value)


def _check_count(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"counts must be ints, got {type(value).__name__}: {value!r}")
    if value < 0:
        raise ValueError(f"counts cannot be negative, got {value}")


def _check_positive_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def _check_parameters(threshold: int, base: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise ValueError(f"threshold must be an int >= 0, got {threshold!r}")
    _check_positive_int(base, "base")


def _as_counts(values: object, what: str) -> list[int]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise TypeError(f"{what} must be a sequence of counts, got {type(values).__name__}")
    for value in values:
        _check_count(value)
    return list(values)


def _unsafe(n: int, threshold: int, base: int) -> bool:
    # The rounded check matters when threshold is not a multiple of base (7 rounds to 5).
    return n < threshold or round_to_base(n, base) < threshold


def _enforce_lines(values: list[int], suppressed: set[int], lines: list[list[int]]) -> bool:
    """Give every line with exactly one suppressed cell a second one; True if anything changed.

    The second cell is the smallest true count in the line (least information lost); ties go
    to a cell whose crossing line also has a single suppression (one cell fixes two lines),
    then to inner cells over margins, then to the first position, so the result is
    deterministic.
    """
    lines_of: dict[int, list[int]] = {}
    for number, line in enumerate(lines):
        for index in line:
            lines_of.setdefault(index, []).append(number)
    margins = {line[-1] for line in lines}
    changed = False
    for line in lines:
        if sum(index in suppressed for index in line) != 1:
            continue

        def preference(index: int, line: list[int] = line) -> tuple[int, int, int, int]:
            crossing = [lines[n] for n in lines_of[index] if lines[n] is not line]
            fixes_other = any(sum(i in suppressed for i in other) == 1 for other in crossing)
            return (values[index], not fixes_other, index in margins, index)

        suppressed.add(min((i for i in line if i not in suppressed), key=preference))
        changed = True
    return changed


def _bridges(vertex_count: int, edges: list[tuple[int, int]]) -> list[int]:
    """Indices of the bridge edges of an undirected graph (Tarjan, iterative: no recursion
    limit for tables with hundreds of municipalities)."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(vertex_count)]
    for number, (u, v) in enumerate(edges):
        adjacency[u].append((v, number))
        adjacency[v].append((u, number))
    discovered = [-1] * vertex_count
    low = [0] * vertex_count
    clock = 0
    found: list[int] = []
    for root in range(vertex_count):
        if discovered[root] != -1 or not adjacency[root]:
            continue
        discovered[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            vertex, via, neighbours = stack[-1]
            for neighbour, edge in neighbours:
                if edge == via:
                    continue
                if discovered[neighbour] == -1:
                    discovered[neighbour] = low[neighbour] = clock
                    clock += 1
                    stack.append((neighbour, edge, iter(adjacency[neighbour])))
                    break
                low[vertex] = min(low[vertex], discovered[neighbour])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[vertex])
                    if low[vertex] > discovered[parent]:
                        found.append(via)
    return found


def _component(start: int, edges: list[tuple[int, int]], skip: int, vertex_count: int) -> set[int]:
    adjacency: list[list[int]] = [[] for _ in range(vertex_count)]
    for number, (u, v) in enumerate(edges):
        if number != skip:
            adjacency[u].append(v)
            adjacency[v].append(u)
    seen, queue = {start}, deque([start])
    while queue:
        for neighbour in adjacency[queue.popleft()]:
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    return seen


def _break_one_bridge(values: list[int], suppressed: set[int], rows: int, columns: int) -> bool:
    """Suppress one more cell so that a bridge cell lies on a cycle; True if one was found.

    In a two-way table with margins, the suppressed cells are edges between their row and
    column. A cell is exactly derivable from the published figures if and only if its edge is
    a bridge (on no cycle): then summing the lines on one side of it isolates its value.
    Adding any edge between the two sides of the bridge closes a cycle through it.
    """
    vertex_count = rows + columns  # rows are 0..rows-1, columns rows..rows+columns-1
    edges = [(index // columns, rows + index % columns) for index in sorted(suppressed)]
    bridges = _bridges(vertex_count, edges)
    if not bridges:
        return False
    bridge = min(bridges)
    row_end, column_end = edges[bridge]
    side_a = _component(row_end, edges, bridge, vertex_count)
    side_b = _component(column_end, edges, bridge, vertex_count)
    # Only an edge from one side to the other closes a cycle through the bridge. Both sides
    # have a row and a column (the line rule ran first), so there is always a candidate.
    candidates = [
        row * columns + column
        for row in range(rows)
        for column in range(columns)
        if row * columns + column not in suppressed
        and (
            (row in side_a and rows + column in side_b)
            or (row in side_b and rows + column in side_a)
        )
    ]
    if not candidates:  # unreachable while the line rule runs first; never loop forever
        raise RuntimeError("secondary suppression found no cell to close a cycle")
    margins = {index for index in range(len(values)) if _is_margin(index, rows, columns)}
    suppressed.add(min(candidates, key=lambda i: (values[i], i in margins, i)))
    return True


def _is_margin(index: int, rows: int, columns: int) -> bool:
    row, column = divmod(index, columns)
    return row == rows - 1 or column == columns - 1


def _complete_suppression(
    values: list[int], suppressed: set[int], rows: int, columns: int
) -> set[int]:
    """Secondary suppression on an extended grid (margins in the last row and column) of
    ``rows`` x ``columns`` flat ``values``; returns the final suppressed set (a fixed point:
    feeding it back in adds nothing)."""
    result = set(suppressed)
    lines = [[r * columns + c for c in range(columns)] for r in range(rows)]
    lines += [[r * columns + c for r in range(rows)] for c in range(columns)]
    while _enforce_lines(values, result, lines) or _break_one_bridge(values, result, rows, columns):
        pass
    return result


def protect_table(
    rows: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    base: int = DEFAULT_BASE,
    with_totals: bool = True,
) -> ProtectedTable:
    """Apply the CBS rule (suppress below ``threshold``, round to ``base``) with margins and
    secondary suppression to a two-way table of true counts.

    The table must be additive (each count in exactly one cell). A breakdown where one melding
    can count in several categories has a total that is not the sum of its cells; protect its
    real total separately.
    """
    _check_parameters(threshold, base)
    if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a sequence of rows, got {type(rows).__name__}")
    table = [_as_counts(row, "each row") for row in rows]
    if not table or not table[0]:
        raise ValueError("a table needs at least one row and one column")
    width = len(table[0])
    if any(len(row) != width for row in table):
        raise ValueError("all rows must have the same number of cells")

    column_totals = [sum(row[c] for row in table) for c in range(width)]
    grid = [[*row, sum(row)] for row in table] + [[*column_totals, sum(column_totals)]]
    height, columns = len(grid), width + 1
    values = [value for row in grid for value in row]
    primary = {i for i, value in enumerate(values) if _unsafe(value, threshold, base)}
    suppressed = _complete_suppression(values, primary, height, columns)

    published = [
        None if i in suppressed else round_to_base(value, base) for i, value in enumerate(values)
    ]
    out = [tuple(published[r * columns : (r + 1) * columns]) for r in range(height)]
    return ProtectedTable(
        cells=tuple(row[:-1] for row in out[:-1]),
        row_totals=tuple(row[-1] for row in out[:-1]),
        column_totals=out[-1][:-1],
        grand_total=out[-1][-1],
        has_totals=with_totals,
    )


def protect_series(
    values: Sequence[int],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    base: int = DEFAULT_BASE,
    with_total: bool = True,
) -> ProtectedSeries:
    """The same rule for a one-way breakdown (e.g. meldingen per kind of violence) plus its
    total: a single line, so one extra suppression is enough when exactly one is small."""
    _check_parameters(threshold, base)
    counts = _as_counts(values, "values")
    if not counts:
        raise ValueError("a series needs at least one value")
    line = [*counts, sum(counts)]
    suppressed = {i for i, value in enumerate(line) if _unsafe(value, threshold, base)}
    _enforce_lines(line, suppressed, [list(range(len(line)))])
    published = [
        None if i in suppressed else round_to_base(value, base) for i, value in enumerate(line)
    ]
    return ProtectedSeries(values=tuple(published[:-1]), total=published[-1], has_total=with_total)
