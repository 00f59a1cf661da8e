# SPDX-License-Identifier: EUPL-1.2
"""Disclosure control over *linked* tables: one suppression pattern for the whole publication.

:func:`vangnet.stats.disclosure.protect_table` protects one table. A publication has many, and
they share numbers: the reports of Utrecht by reporter and by duration have the same total; the
row "Utrecht" in the national table is the total row of the Utrecht table. If one table hid a
number that another table shows, the first table's protection would be void (ADR 0012,
"differencing between tables").

So every number gets a name, ``(quantity, area)`` (see :class:`vangnet.stats.tables.TableDef`),
and the same name must get the same treatment everywhere:

1. every cell below the threshold is suppressed (primary);
2. each table, extended with its totals, gets secondary suppression (the module's own
   ``_complete_suppression``: line rule plus bridge rule), *starting from every name that is
   already suppressed anywhere*;
3. names newly suppressed in one table are suppressed in every table that shows them, and those
   tables are protected again, until nothing changes (suppression only grows, so this ends).

The result is a fixed point: each table on its own passes the disclosure module's guarantee (no
suppressed cell is exactly derivable from the table and its totals), and no number is hidden in
one place and shown in another. Published values are the true counts rounded to ``base``.

``_complete_suppression`` is private to the disclosure module; it is called here because its
public wrapper cannot take cells that must be suppressed for reasons outside the table. ADR 0050
asks for a public ``protect_table(..., forced=...)``; until then this is the one call site.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from vangnet.stats.disclosure import (
    DEFAULT_BASE,
    DEFAULT_THRESHOLD,
    _complete_suppression,
    round_to_base,
)

Name = tuple[str, str]  # (quantity, area code)


class InconsistentLink(ValueError):
    """Two tables give the same named number different values: a bug in the counting."""


@dataclass(frozen=True)
class Grid:
    """A table of child areas (rows) by categories (columns), with its totals.

    ``columns`` are the quantity names of the categories; ``margin`` names the row totals.
    The total row is the parent area's ``columns``, the corner is the parent's ``margin``.
    """

    rows: tuple[str, ...]
    parent: str
    columns: tuple[str, ...]
    margin: str
    values: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(self.values) != len(self.rows) or any(
            len(row) != len(self.columns) for row in self.values
        ):
            raise ValueError("grid values do not match its rows and columns")

    def names(self) -> list[Name]:
        """Names of the extended grid (cells, row totals, total row), row by row."""
        out: list[Name] = []
        for area in (*self.rows, self.parent):
            out.extend((column, area) for column in self.columns)
            out.append((self.margin, area))
        return out

    def extended(self) -> list[int]:
        column_totals = [sum(col) for col in zip(*self.values, strict=True)] or [
            0 for _ in self.columns
        ]
        flat: list[int] = []
        for row in self.values:
            flat.extend(row)
            flat.append(sum(row))
        flat.extend(column_totals)
        flat.append(sum(column_totals))
        return flat


@dataclass(frozen=True)
class Protected:
    values: dict[Name, int | None]
    passes: int

    def get(self, name: Name) -> int | None:
        return self.values.get(name)


def _unsafe(value: int, threshold: int, base: int) -> bool:
    return value < threshold or round_to_base(value, base) < threshold


def protect_linked(
    grids: Iterable[Grid], *, threshold: int = DEFAULT_THRESHOLD, base: int = DEFAULT_BASE
) -> Protected:
    """One consistent protection for all ``grids``; see the module docstring."""
    grids = [g for g in grids if g.rows and g.columns]
    true: dict[Name, int] = {}
    where: dict[Name, list[int]] = defaultdict(list)
    for index, grid in enumerate(grids):
        for name, value in zip(grid.names(), grid.extended(), strict=True):
            known = true.setdefault(name, value)
            if known != value:
                raise InconsistentLink(f"{name} is {known} in one table and {value} in another")
            where[name].append(index)
    suppressed = {name for name, value in true.items() if _unsafe(value, threshold, base)}
    pending = deque(range(len(grids)))
    queued = set(pending)
    passes = 0
    while pending:
        index = pending.popleft()
        queued.discard(index)
        passes += 1
        grid = grids[index]
        names = grid.names()
        start = {i for i, name in enumerate(names) if name in suppressed}
        result = _complete_suppression(
            grid.extended(), start, len(grid.rows) + 1, len(grid.columns) + 1
        )
        new = {names[i] for i in result} - suppressed
        if not new:
            continue
        suppressed |= new
        for name in new:
            for other in where[name]:
                if other != index and other not in queued:
                    pending.append(other)
                    queued.add(other)
    published = {
        name: None if name in suppressed else round_to_base(value, base)
        for name, value in true.items()
    }
    return Protected(published, passes)
