# SPDX-License-Identifier: EUPL-1.2
"""Reporting periods: half-years for CBS and the figures pages, quarters for funders.

A period is a half-open interval of Amsterdam calendar time ``[start, end)``: a report received
on 30 June at 23:59 local time belongs to the first half-year, whatever the UTC offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vangnet.lib.workdays import AMSTERDAM

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<kind>[HQ])(?P<n>\d))?$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "Y", "H" or "Q"
    number: int  # 1 for a year

    @property
    def code(self) -> str:
        return str(self.year) if self.kind == "Y" else f"{self.year}{self.kind}{self.number}"

    @property
    def first_day(self) -> date:
        months = {"Y": 12, "H": 6, "Q": 3}[self.kind]
        return date(self.year, 1 + months * (self.number - 1), 1)

    @property
    def next_first_day(self) -> date:
        months = {"Y": 12, "H": 6, "Q": 3}[self.kind]
        index = months * self.number
        return date(self.year + index // 12, index % 12 + 1, 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=AMSTERDAM)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive)."""
        return datetime.combine(self.next_first_day, time.min, tzinfo=AMSTERDAM)

    @property
    def label(self) -> Promise | str:
        if self.kind == "H":
            return format_lazy(
                _("{n} half of {year}"),
                n=_("first") if self.number == 1 else _("second"),
                year=self.year,
            )
        if self.kind == "Q":
            return format_lazy(_("quarter {n} of {year}"), n=self.number, year=self.year)
        return str(self.year)

    def previous(self) -> Period:
        if self.kind == "Y":
            return Period(self.year - 1, "Y", 1)
        count = 2 if self.kind == "H" else 4
        if self.number == 1:
            return Period(self.year - 1, self.kind, count)
        return Period(self.year, self.kind, self.number - 1)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def __str__(self) -> str:
        return self.code


def parse(text: str, *, kinds: str = "YHQ") -> Period:
    """``2026H1``, ``2026H2``, ``2026Q3`` or ``2026`` (only the kinds in ``kinds``)."""
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise PeriodError(f"not a period: {text!r} (use e.g. 2026H1, 2026Q3 or 2026)")
    year = int(match["year"])
    kind = match["kind"] or "Y"
    number = int(match["n"] or 1)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"year out of range: {year}")
    if kind not in kinds:
        wanted = {"Y": "a year", "H": "a half-year", "Q": "a quarter"}
        raise PeriodError(f"{text!r}: expected " + " or ".join(wanted[k] for k in kinds))
    if not 1 <= number <= {"Y": 1, "H": 2, "Q": 4}[kind]:
        raise PeriodError(f"no such period: {text!r}")
    return Period(year, kind, number)


def half_year_of(moment: datetime) -> Period:
    local = moment.astimezone(AMSTERDAM)
    return Period(local.year, "H", 1 if local.month <= 6 else 2)


def half_years(first: Period, last: Period) -> list[Period]:
    """Every half-year from ``first`` to ``last`` inclusive, oldest first."""
    result, current = [], last
    while current >= first:
        result.append(current)
        current = current.previous()
    return result[::-1]
