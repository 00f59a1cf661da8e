# SPDX-License-Identifier: EUPL-1.2
"""Opening hours of the live chat, as one line of text.

``24/7`` (the default) means always open. Otherwise: day ranges and time ranges separated by
``;``, in the project's time zone, e.g. ``mon-fri 09:00-21:00; sat,sun 12:00-17:00``. A range
that ends at or before it starts runs past midnight (``fri 20:00-02:00``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class OpeningHours:
    always: bool
    # (weekday 0-6, start, end); end <= start means the range continues the next day.
    ranges: tuple[tuple[int, time, time], ...] = ()

    def is_open(self, at: datetime | None = None) -> bool:
        if self.always:
            return True
        local = timezone.localtime(at or timezone.now())
        now = local.time()
        today = local.weekday()
        yesterday = (today - 1) % 7
        for day, start, end in self.ranges:
            if start < end:
                if day == today and start <= now < end:
                    return True
            else:  # past midnight
                if day == today and now >= start:
                    return True
                if day == yesterday and now < end:
                    return True
        return False

    def next_opening(self, at: datetime | None = None) -> datetime | None:
        """The next moment the chat opens (to the minute), or None when always open/never."""
        if self.always or not self.ranges:
            return None
        local = timezone.localtime(at or timezone.now()).replace(second=0, microsecond=0)
        for minutes in range(1, 8 * 24 * 60):
            candidate = local + timedelta(minutes=minutes)
            if self.is_open(candidate):
                return candidate
        return None


def _days(text: str) -> list[int]:
    found: list[int] = []
    for part in text.split(","):
        part = part.strip().lower()
        if "-" in part:
            first, _sep, last = part.partition("-")
            if first not in DAYS or last not in DAYS:
                raise ValueError(f"unknown day in {part!r}; use {', '.join(DAYS)}")
            day, last_day = DAYS.index(first), DAYS.index(last)
            found.append(day)
            while day != last_day:  # "fri-mon" wraps round the week
                day = (day + 1) % 7
                found.append(day)
        else:
            if part not in DAYS:
                raise ValueError(f"unknown day {part!r}; use {', '.join(DAYS)}")
            found.append(DAYS.index(part))
    return found


def _time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time like 09:00")
    return time(int(match.group(1)), int(match.group(2)))


def parse(spec: str) -> OpeningHours:
    spec = spec.strip()
    if spec.lower() in {"24/7", "always", ""}:
        return OpeningHours(always=True)
    ranges: list[tuple[int, time, time]] = []
    for rule in spec.split(";"):
        rule = rule.strip()
        if not rule:
            continue
        days, _sep, span = rule.partition(" ")
        start, sep, end = span.strip().partition("-")
        if not sep:
            raise ValueError(f"{rule!r} needs a time range like 09:00-17:00")
        first, last = _time(start), _time(end)
        if first == last:
            raise ValueError(f"{rule!r} opens and closes at the same time")
        ranges.extend((day, first, last) for day in _days(days))
    if not ranges:
        raise ValueError("no opening hours given")
    return OpeningHours(always=False, ranges=tuple(ranges))
