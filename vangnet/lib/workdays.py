# SPDX-License-Identifier: EUPL-1.2
"""Dutch working days and the statutory lead times of Veilig Thuis (domain-rules §1.5).

Everything here is pure: no Django, no database, no clock. Callers pass ``now`` in, so the
rules can be tested with fixed dates and property tests.

Conventions (the *why* behind each choice):

* **Day 0 is the day of receipt.** "Binnen 5 werkdagen na ontvangst" is counted from the day
  after receipt: the deadline is the end of the 5th working day after the (Amsterdam) calendar
  day on which the melding arrived, whatever the time of day and even when that day is itself a
  weekend or holiday. A melding received on Monday is due by the end of next Monday; one
  received on Saturday is due by the end of Friday.
* **Day-based deadlines end at 23:59:59.999999 Amsterdam time** on their last day. Statutory
  terms run in days, not hours, and a VT worker reads "due Friday" as "by the end of Friday".
* **The acute norm ("binnen 24 uur") is 24 elapsed hours**, computed in UTC, so a DST change in
  the night gives 24 real hours and not 23 or 25 wall-clock ones.
* **Calendar terms (weeks, months) are not moved off weekends or holidays.** The Algemene
  termijnenwet may give a statutory term that ends on a Saturday, Sunday or holiday until the
  next working day; we do not apply that extension because a safety platform should plan for
  the earlier date. The legal maximum can therefore be a few days later than what we show.
* **Conservative holiday defaults.** Fewer holidays means earlier deadlines. Goede Vrijdag is
  not a day off in most care CAOs, and Bevrijdingsdag is a paid day off only every fifth year
  in the government's own CAO, so both default to working days. A region whose CAO differs
  passes its own :class:`HolidayRules`.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "ACUTE_AT_RISK",
    "ACUTE_WINDOW",
    "AMSTERDAM",
    "ASSESSMENT_WORKING_DAYS",
    "DEFAULT_RULES",
    "FIRST_SUPPORTED_YEAR",
    "DeadlineStatus",
    "HolidayRules",
    "LiberationDay",
    "acute_deadline",
    "add_working_days",
    "assessment_deadline",
    "data_subject_request_deadline",
    "deadline_status",
    "deletion_request_deadline",
    "dutch_public_holidays",
    "easter_sunday",
    "extend_notification",
    "investigation_deadline",
    "is_working_day",
    "notify_persons_deadline",
    "working_days_between",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: Koninginnedag rules before 1980 differ (Juliana's day moved to Monday); we do not need them.
FIRST_SUPPORTED_YEAR = 1980

ACUTE_WINDOW = timedelta(hours=24)
ASSESSMENT_WORKING_DAYS = 5
INVESTIGATION_TERM = timedelta(weeks=10)
NOTIFICATION_TERM = timedelta(weeks=4)
MAX_NOTIFICATION_EXTENSION = timedelta(weeks=2)
DELETION_TERM_MONTHS = 3
DATA_SUBJECT_REQUEST_TERM = timedelta(weeks=4)

#: An acute case is "at risk" in its last four hours: enough for a duty officer to act.
ACUTE_AT_RISK = timedelta(hours=4)

LiberationDay = Literal["lustrum", "yearly", "never"]
DeadlineStatus = Literal["on_track", "at_risk", "overdue"]


@dataclass(frozen=True, slots=True)
class HolidayRules:
    """Which optional days a VT organisation treats as days off (set by its CAO).

    ``good_friday``: Goede Vrijdag is a national holiday in name only; most care CAOs do not
    give it, so a VT team works that day.
    ``liberation_day``: Bevrijdingsdag (5 May) is a paid day off only in lustrum years (2025,
    2030, …) in the government's CAO; ``"yearly"`` follows CAOs that give it every year.
    """

    good_friday: bool = False
    liberation_day: LiberationDay = "lustrum"

    def __post_init__(self) -> None:
        if self.liberation_day not in ("lustrum", "yearly", "never"):
            raise ValueError(f"unknown liberation_day policy {self.liberation_day!r}")


DEFAULT_RULES = HolidayRules()


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Butcher).

    Closed-form integer arithmetic, so it needs no table and is valid for every Gregorian year.
    """
    if year < 1583:
        raise ValueError(f"the Gregorian computus needs a year from 1583 on, got {year}")
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _kings_day(year: int) -> date:
    """Koningsdag (from 2014) or Koninginnedag (1980-2013); never celebrated on a Sunday."""
    if year >= 2014:
        day = date(year, 4, 27)
        return day - timedelta(days=1) if day.weekday() == 6 else day
    day = date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@functools.lru_cache(maxsize=512)
def _holidays(year: int, rules: HolidayRules) -> frozenset[date]:
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1),  # Nieuwjaarsdag
        easter,  # Eerste Paasdag
        easter + timedelta(days=1),  # Tweede Paasdag
        _kings_day(year),
        easter + timedelta(days=39),  # Hemelvaartsdag
        easter + timedelta(days=49),  # Eerste Pinksterdag
        easter + timedelta(days=50),  # Tweede Pinksterdag
        date(year, 12, 25),  # Eerste Kerstdag
        date(year, 12, 26),  # Tweede Kerstdag
    }
    if rules.good_friday:
        days.add(easter - timedelta(days=2))
    if rules.liberation_day == "yearly" or (rules.liberation_day == "lustrum" and year % 5 == 0):
        days.add(date(year, 5, 5))
    return frozenset(days)


def dutch_public_holidays(year: int, rules: HolidayRules = DEFAULT_RULES) -> frozenset[date]:
    """The days off in ``year`` under ``rules`` (cached per year and rule set).

    Sunday holidays (Eerste Paas- and Pinksterdag) are included for completeness even though
    they change nothing for working-day arithmetic.
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an int, got {type(year).__name__}")
    if year < FIRST_SUPPORTED_YEAR:
        raise ValueError(f"holidays before {FIRST_SUPPORTED_YEAR} are not modelled (got {year})")
    return _holidays(year, rules)


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (a naive datetime has no defined deadline): {value!r}"
        )


def _local_date(value: date | datetime, name: str = "value") -> date:
    """The Amsterdam calendar day of ``value``: a VT working day is a Dutch working day."""
    if isinstance(value, datetime):
        _require_aware(value, name)
        return value.astimezone(AMSTERDAM).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"{name} must be a date or datetime, got {type(value).__name__}")


def _end_of_day(day: date) -> datetime:
    # 23:59:59.999999 is never inside a DST gap or fold in Amsterdam (changes happen at 02-03h).
    return datetime.combine(day, time.max, tzinfo=AMSTERDAM)


def is_working_day(day: date | datetime, rules: HolidayRules = DEFAULT_RULES) -> bool:
    """Monday to Friday and not a day off; an aware datetime is judged by its Amsterdam day."""
    local = _local_date(day, "day")
    return local.weekday() < 5 and local not in dutch_public_holidays(local.year, rules)


def add_working_days(start: date | datetime, n: int, rules: HolidayRules = DEFAULT_RULES) -> date:
    """The ``n``-th working day after ``start``, where ``start`` itself is day 0.

    ``n == 0`` returns the start day unchanged (even on a weekend), so that
    ``working_days_between(start, add_working_days(start, n)) == n`` holds for every n; for
    ``n >= 1`` the result is always a working day strictly after ``start``.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be >= 0 (deadlines only run forward), got {n}")
    day = _local_date(start, "start")
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, rules):
            remaining -= 1
    return day


def _weekdays_through(day: date) -> int:
    """Number of Mondays-to-Fridays from 0001-01-01 (a Monday) up to and including ``day``."""
    full_weeks, rest = divmod(day.toordinal(), 7)
    return 5 * full_weeks + min(rest, 5)


def working_days_between(
    a: date | datetime, b: date | datetime, rules: HolidayRules = DEFAULT_RULES
) -> int:
    """Working days ``d`` with ``a < d <= b`` (the day-0 convention); negative when ``b < a``.

    Arithmetic on weekday counts plus a holiday correction, so it is O(years), not O(days):
    the dashboard calls it for every open case.
    """
    start = _local_date(a, "a")
    end = _local_date(b, "b")
    if end < start:
        return -working_days_between(end, start, rules)
    count = _weekdays_through(end) - _weekdays_through(start)
    for year in range(start.year, end.year + 1):
        count -= sum(
            1
            for holiday in dutch_public_holidays(year, rules)
            if start < holiday <= end and holiday.weekday() < 5
        )
    return count


def _add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the end of a shorter month (31 January + 3 → 30 April)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def acute_deadline(received: datetime) -> datetime:
    """Received + 24 elapsed hours (acute unsafety), in Amsterdam time."""
    _require_aware(received, "received")
    return (received.astimezone(UTC) + ACUTE_WINDOW).astimezone(AMSTERDAM)


def assessment_deadline(received: datetime, rules: HolidayRules = DEFAULT_RULES) -> datetime:
    """End of the 5th working day after the day of receipt (veiligheidsbeoordeling)."""
    _require_aware(received, "received")
    return _end_of_day(add_working_days(received, ASSESSMENT_WORKING_DAYS, rules))


def investigation_deadline(started: datetime) -> datetime:
    """End of the day 10 calendar weeks after the onderzoek started.

    The start point of the 10 weeks is still to be verified (domain-rules §8, item 1); the
    caller decides which event counts as ``started``.
    """
    _require_aware(started, "started")
    return _end_of_day(_local_date(started) + INVESTIGATION_TERM)


def notify_persons_deadline(recorded: datetime) -> datetime:
    """End of the day 4 weeks after recording: informing the betrokkene (Wmo art. 5.3.1)."""
    _require_aware(recorded, "recorded")
    return _end_of_day(_local_date(recorded) + NOTIFICATION_TERM)


def extend_notification(deadline: datetime, weeks: int = 2, days: int = 0) -> datetime:
    """Extend a notification deadline once by at most two weeks (Wmo art. 5.3.1).

    The law allows repeated extensions "telkens met ten hoogste twee weken", so each call is one
    extension; the caller records the reason. ``days`` allows an extension shorter than a week.
    """
    _require_aware(deadline, "deadline")
    if weeks < 0 or days < 0:
        raise ValueError(f"an extension cannot be negative (weeks={weeks}, days={days})")
    extension = timedelta(weeks=weeks, days=days)
    if not timedelta(days=1) <= extension <= MAX_NOTIFICATION_EXTENSION:
        raise ValueError(f"an extension must be between 1 day and 2 weeks, got {extension}")
    return _end_of_day(_local_date(deadline) + extension)


def deletion_request_deadline(requested: datetime) -> datetime:
    """End of the day 3 calendar months after a written deletion request (Wmo art. 5.3.5)."""
    _require_aware(requested, "requested")
    return _end_of_day(_add_months(_local_date(requested), DELETION_TERM_MONTHS))


def data_subject_request_deadline(requested: datetime) -> datetime:
    """End of the day 4 weeks after an inzage/correctie request.

    VT practice is 4 weeks; the AVG allows one month, which is never shorter, so 4 weeks is safe.
    """
    _require_aware(requested, "requested")
    return _end_of_day(_local_date(requested) + DATA_SUBJECT_REQUEST_TERM)


def deadline_status(
    deadline: datetime,
    now: datetime,
    at_risk: timedelta | int = 1,
    rules: HolidayRules = DEFAULT_RULES,
) -> DeadlineStatus:
    """Where a case stands against its deadline, for the waiting-list dashboard.

    ``at_risk`` is either a clock window (use :data:`ACUTE_AT_RISK`, 4 hours, for the acute norm)
    or a number of working days (default 1 for day-based deadlines): the case is at risk once
    fewer than that many working days lie strictly between today and the deadline's day, i.e.
    with the default on the last working day on or before the deadline. A deadline falling on a
    Sunday is therefore already at risk on the Friday before, when someone can still act.
    """
    _require_aware(deadline, "deadline")
    _require_aware(now, "now")
    # Compare in UTC: Python compares and subtracts two datetimes that share a tzinfo by wall
    # clock, which is off by an hour across a DST change.
    deadline_utc, now_utc = deadline.astimezone(UTC), now.astimezone(UTC)
    if now_utc > deadline_utc:
        return "overdue"
    if isinstance(at_risk, timedelta):
        if at_risk < timedelta(0):
            raise ValueError(f"at_risk must not be negative, got {at_risk}")
        return "at_risk" if deadline_utc - now_utc <= at_risk else "on_track"
    if isinstance(at_risk, bool) or not isinstance(at_risk, int):
        raise TypeError(f"at_risk must be a timedelta or an int, got {type(at_risk).__name__}")
    if at_risk < 0:
        raise ValueError(f"at_risk must not be negative, got {at_risk}")
    remaining = working_days_between(now, deadline, rules)
    return "at_risk" if remaining < at_risk else "on_track"
