# SPDX-License-Identifier: EUPL-1.2
"""Tests for Dutch working days and the Veilig Thuis lead times.

Known dates pin the calendar; hypothesis checks the properties a deadline engine must never
break (working-day results, monotonicity, round trips, DST).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vangnet.lib.workdays import (
    ACUTE_AT_RISK,
    AMSTERDAM,
    HolidayRules,
    acute_deadline,
    add_working_days,
    assessment_deadline,
    data_subject_request_deadline,
    deadline_status,
    deletion_request_deadline,
    dutch_public_holidays,
    easter_sunday,
    extend_notification,
    investigation_deadline,
    is_working_day,
    notify_persons_deadline,
    working_days_between,
)

PROPERTY = settings(deadline=None, max_examples=200)

days_strategy = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
zones = st.sampled_from(
    [
        AMSTERDAM,
        UTC,
        ZoneInfo("America/New_York"),
        ZoneInfo("Asia/Tokyo"),
        ZoneInfo("Europe/London"),
    ]
)
aware_datetimes = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31), timezones=zones
)
rules_strategy = st.builds(
    HolidayRules,
    good_friday=st.booleans(),
    liberation_day=st.sampled_from(["lustrum", "yearly", "never"]),
)


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=AMSTERDAM)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def knuth_easter(year: int) -> date:
    """Independent oracle: Knuth's Gregorian computus (TAOCP 1.3.2, exercise 14)."""
    golden = year % 19 + 1
    century = year // 100 + 1
    x = 3 * century // 4 - 12
    z = (8 * century + 5) // 25 - 5
    sunday = 5 * year // 4 - x - 10
    epact = (11 * golden + 20 + z - x) % 30
    if (epact == 25 and golden > 11) or epact == 24:
        epact += 1
    n = 44 - epact
    if n < 21:
        n += 30
    n = n + 7 - (sunday + n) % 7
    return date(year, 4, n - 31) if n > 31 else date(year, 3, n)


# --- Holidays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_matches_published_dates(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@settings(deadline=None, max_examples=500)
@given(st.integers(min_value=1583, max_value=9999))
def test_easter_agrees_with_an_independent_computus(year: int) -> None:
    easter = easter_sunday(year)
    assert easter == knuth_easter(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_easter_rejects_julian_years() -> None:
    with pytest.raises(ValueError, match="1583"):
        easter_sunday(1500)


def test_holidays_2025_include_lustrum_liberation_day_and_saturday_kings_day() -> None:
    assert dutch_public_holidays(2025) == {
        date(2025, 1, 1),
        date(2025, 4, 20),
        date(2025, 4, 21),
        date(2025, 4, 26),  # Koningsdag: the 27th is a Sunday
        date(2025, 5, 5),  # lustrum year
        date(2025, 5, 29),  # Hemelvaartsdag
        date(2025, 6, 8),
        date(2025, 6, 9),
        date(2025, 12, 25),
        date(2025, 12, 26),
    }


def test_holidays_2026_have_no_liberation_day_and_no_good_friday_by_default() -> None:
    holidays = dutch_public_holidays(2026)
    assert holidays == {
        date(2026, 1, 1),
        date(2026, 4, 5),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 14),
        date(2026, 5, 24),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }
    assert is_working_day(date(2026, 4, 3))  # Goede Vrijdag
    assert is_working_day(date(2026, 5, 5))  # Bevrijdingsdag, not a lustrum year


def test_good_friday_and_liberation_day_are_configurable() -> None:
    generous = HolidayRules(good_friday=True, liberation_day="yearly")
    assert date(2026, 4, 3) in dutch_public_holidays(2026, generous)
    assert date(2026, 5, 5) in dutch_public_holidays(2026, generous)
    assert not is_working_day(date(2026, 4, 3), generous)
    assert date(2030, 5, 5) in dutch_public_holidays(2030)
    assert date(2030, 5, 5) not in dutch_public_holidays(2030, HolidayRules(liberation_day="never"))


def test_an_unknown_liberation_day_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="liberation_day"):
        HolidayRules(liberation_day="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2006, date(2006, 4, 29)),  # Koninginnedag: 30 April was a Sunday
        (2013, date(2013, 4, 30)),
        (2014, date(2014, 4, 26)),  # first Koningsdag, the 27th was a Sunday
        (2024, date(2024, 4, 27)),
        (2025, date(2025, 4, 26)),
    ],
)
def test_kings_day_moves_off_sunday(year: int, day: date) -> None:
    assert day in dutch_public_holidays(year)


def test_holidays_are_cached_per_year() -> None:
    assert dutch_public_holidays(2031) is dutch_public_holidays(2031)


def test_unsupported_years_are_refused() -> None:
    with pytest.raises(ValueError, match="not modelled"):
        dutch_public_holidays(1970)
    with pytest.raises(TypeError):
        dutch_public_holidays(2025.0)  # type: ignore[arg-type]


@PROPERTY
@given(st.integers(min_value=1980, max_value=2400), rules_strategy)
def test_holiday_calendar_shape(year: int, rules: HolidayRules) -> None:
    holidays = dutch_public_holidays(year, rules)
    easter = easter_sunday(year)
    assert all(day.year == year for day in holidays)
    assert (easter + timedelta(days=39)).weekday() == 3  # Hemelvaart on a Thursday
    assert (easter + timedelta(days=50)).weekday() == 0  # Tweede Pinksterdag on a Monday
    # Easter Monday (up to 26 April) and Hemelvaart (from 30 April) can share the month, so
    # look only at the days that do not follow Easter.
    movable = {easter + timedelta(days=offset) for offset in (-2, 0, 1, 39, 49, 50)}
    april = holidays - movable
    kings = [d for d in april if d.month == 4]
    assert len(kings) == 1
    assert kings[0].weekday() != 6
    assert 9 <= len(holidays) <= 11


# --- Working-day arithmetic ----------------------------------------------------------------


def test_report_on_christmas_eve_skips_christmas_weekend_and_new_year() -> None:
    # Thursday 24 December 2026: 25th holiday, weekend, four working days, 1 January holiday.
    assert add_working_days(date(2026, 12, 24), 5) == date(2027, 1, 4)
    assert assessment_deadline(ams(2026, 12, 24, 16, 30)) == end_of(date(2027, 1, 4))


def test_report_on_friday_christmas_eve_when_christmas_falls_in_the_weekend() -> None:
    # Friday 24 December 2027: both Kerstdagen on the weekend and no substitute days in NL.
    assert add_working_days(date(2027, 12, 24), 5) == date(2027, 12, 31)


def test_day_of_receipt_is_day_zero() -> None:
    monday = date(2026, 6, 1)
    assert add_working_days(monday, 0) == monday
    assert add_working_days(monday, 1) == date(2026, 6, 2)
    assert add_working_days(monday, 5) == date(2026, 6, 8)
    # Received on Saturday: Monday is day 1, Friday day 5.
    assert add_working_days(date(2026, 6, 6), 5) == date(2026, 6, 12)
    assert add_working_days(date(2026, 6, 6), 0) == date(2026, 6, 6)


def test_a_datetime_counts_by_its_amsterdam_day() -> None:
    # 23:30 UTC on 31 December is already New Year's Day in Amsterdam.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert add_working_days(late, 1) == date(2027, 1, 4)  # Fri 1 Jan is a holiday: day 0
    assert not is_working_day(late)


def test_working_days_between_known_span() -> None:
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 5
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 24)) == -5
    assert working_days_between(date(2026, 6, 6), date(2026, 6, 7)) == 0


@pytest.mark.parametrize("bad", [-1, -100])
def test_negative_n_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(date(2026, 1, 5), bad)


def test_naive_datetimes_are_refused_everywhere() -> None:
    naive = datetime(2026, 1, 5, 9, 0)
    for call in (
        lambda: add_working_days(naive, 1),
        lambda: is_working_day(naive),
        lambda: working_days_between(naive, date(2026, 2, 1)),
        lambda: acute_deadline(naive),
        lambda: assessment_deadline(naive),
        lambda: investigation_deadline(naive),
        lambda: notify_persons_deadline(naive),
        lambda: extend_notification(naive),
        lambda: deletion_request_deadline(naive),
        lambda: data_subject_request_deadline(naive),
        lambda: deadline_status(naive, ams(2026, 1, 5)),
        lambda: deadline_status(ams(2026, 1, 5), naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_a_bare_date_is_not_a_receipt_time() -> None:
    with pytest.raises(TypeError):
        acute_deadline(date(2026, 1, 5))  # type: ignore[arg-type]


def naive_count(a: date, b: date, rules: HolidayRules) -> int:
    if b < a:
        return -naive_count(b, a, rules)
    return sum(is_working_day(a + timedelta(days=i), rules) for i in range(1, (b - a).days + 1))


@PROPERTY
@given(days_strategy, st.integers(min_value=1, max_value=400), rules_strategy)
def test_added_working_days_land_on_a_working_day_after_start(
    start: date, n: int, rules: HolidayRules
) -> None:
    result = add_working_days(start, n, rules)
    assert result > start
    assert is_working_day(result, rules)
    assert result.weekday() < 5
    assert result not in dutch_public_holidays(result.year, rules)


@PROPERTY
@given(days_strategy, st.integers(min_value=0, max_value=400), rules_strategy)
def test_adding_then_counting_gives_n(start: date, n: int, rules: HolidayRules) -> None:
    assert working_days_between(start, add_working_days(start, n, rules), rules) == n


@PROPERTY
@given(days_strategy, st.integers(min_value=0, max_value=300))
def test_monotonic_in_n(start: date, n: int) -> None:
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@PROPERTY
@given(days_strategy, st.integers(min_value=0, max_value=30), st.integers(0, 30))
def test_monotonic_in_start(start: date, gap: int, n: int) -> None:
    later = start + timedelta(days=gap)
    assert add_working_days(start, n) <= add_working_days(later, n)


@PROPERTY
@given(days_strategy, st.integers(min_value=-800, max_value=800), rules_strategy)
def test_fast_count_matches_day_by_day_count(a: date, offset: int, rules: HolidayRules) -> None:
    b = a + timedelta(days=offset)
    assert working_days_between(a, b, rules) == naive_count(a, b, rules)


@PROPERTY
@given(days_strategy, st.integers(-400, 400), st.integers(-400, 400))
def test_counting_is_additive_and_antisymmetric(a: date, i: int, j: int) -> None:
    b, c = a + timedelta(days=i), a + timedelta(days=j)
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


# --- Deadlines -----------------------------------------------------------------------------


def test_acute_deadline_is_24_real_hours_across_spring_forward() -> None:
    received = ams(2026, 3, 28, 12, 0)  # Saturday before the last Sunday of March, CET
    deadline = acute_deadline(received)
    assert deadline == ams(2026, 3, 29, 13, 0)  # CEST: the wall clock moved an hour
    assert deadline.utcoffset() == timedelta(hours=2)
    assert deadline.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=24)


def test_acute_deadline_is_24_real_hours_across_fall_back() -> None:
    received = ams(2026, 10, 24, 12, 0)  # CEST
    deadline = acute_deadline(received)
    assert deadline == ams(2026, 10, 25, 11, 0)
    assert deadline.utcoffset() == timedelta(hours=1)


def test_acute_deadline_in_the_repeated_hour_keeps_elapsed_time() -> None:
    first = datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=0)  # CEST
    second = datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM, fold=1)  # CET, an hour later
    assert acute_deadline(second).astimezone(UTC) - acute_deadline(first).astimezone(
        UTC
    ) == timedelta(hours=1)


def test_calendar_deadlines() -> None:
    assert investigation_deadline(ams(2026, 1, 5, 9)) == end_of(date(2026, 3, 16))
    assert notify_persons_deadline(ams(2026, 2, 10, 14)) == end_of(date(2026, 3, 10))
    assert data_subject_request_deadline(ams(2026, 2, 10, 14)) == end_of(date(2026, 3, 10))


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        (date(2026, 1, 31), date(2026, 4, 30)),  # end of April, not 1 May
        (date(2025, 11, 30), date(2026, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
        (date(2026, 10, 31), date(2027, 1, 31)),  # year rollover
        (date(2026, 3, 15), date(2026, 6, 15)),
    ],
)
def test_deletion_deadline_adds_calendar_months(requested: date, due: date) -> None:
    received = datetime.combine(requested, time(10), tzinfo=AMSTERDAM)
    assert deletion_request_deadline(received) == end_of(due)


def test_notification_can_be_extended_by_at_most_two_weeks_each_time() -> None:
    deadline = notify_persons_deadline(ams(2026, 2, 10, 14))
    once = extend_notification(deadline)
    assert once == end_of(date(2026, 3, 24))
    assert extend_notification(once, weeks=1) == end_of(date(2026, 3, 31))
    assert extend_notification(deadline, weeks=0, days=10) == end_of(date(2026, 3, 20))
    for weeks, days in ((3, 0), (2, 1), (0, 0), (-1, 10)):
        with pytest.raises(ValueError, match="extension"):
            extend_notification(deadline, weeks=weeks, days=days)


@PROPERTY
@given(aware_datetimes)
def test_every_deadline_is_after_receipt_and_in_amsterdam_time(received: datetime) -> None:
    moment = received.astimezone(UTC)
    for deadline in (
        acute_deadline(received),
        assessment_deadline(received),
        investigation_deadline(received),
        notify_persons_deadline(received),
        deletion_request_deadline(received),
        data_subject_request_deadline(received),
    ):
        assert deadline.astimezone(UTC) > moment
        assert deadline.tzinfo is AMSTERDAM


@PROPERTY
@given(aware_datetimes)
def test_acute_deadline_is_always_exactly_24_hours(received: datetime) -> None:
    elapsed = acute_deadline(received).astimezone(UTC) - received.astimezone(UTC)
    assert elapsed == timedelta(hours=24)


@st.composite
def around_dst(draw: st.DrawFn) -> datetime:
    """Moments within two days of a DST change (last Sunday of March or October)."""
    year = draw(st.integers(2000, 2099))
    sunday = last_sunday(year, draw(st.sampled_from([3, 10])))
    start = datetime.combine(sunday - timedelta(days=2), time(), tzinfo=UTC)
    return (start + timedelta(minutes=draw(st.integers(0, 4 * 24 * 60)))).astimezone(AMSTERDAM)


@PROPERTY
@given(around_dst())
def test_day_deadlines_end_at_local_midnight_around_dst(received: datetime) -> None:
    deadline = assessment_deadline(received)
    assert deadline.time() == time.max
    assert is_working_day(deadline.date())
    assert working_days_between(received, deadline) == 5
    assert acute_deadline(received).astimezone(UTC) - received.astimezone(UTC) == timedelta(
        hours=24
    )


# --- Deadline status -----------------------------------------------------------------------


def test_acute_status_uses_the_last_four_hours() -> None:
    deadline = acute_deadline(ams(2026, 6, 1, 10))
    assert deadline_status(deadline, ams(2026, 6, 2, 5), ACUTE_AT_RISK) == "on_track"
    assert deadline_status(deadline, ams(2026, 6, 2, 6), ACUTE_AT_RISK) == "at_risk"
    assert deadline_status(deadline, deadline, ACUTE_AT_RISK) == "at_risk"
    assert deadline_status(deadline, ams(2026, 6, 2, 10, 1), ACUTE_AT_RISK) == "overdue"


def test_clock_window_is_measured_in_real_hours_over_dst() -> None:
    deadline = ams(2026, 3, 29, 5, 0)  # CEST, 03:00 UTC
    now = ams(2026, 3, 29, 1, 30)  # CET, 00:30 UTC: 2.5 real hours, 3.5 on the wall clock
    assert deadline_status(deadline, now, timedelta(hours=3)) == "at_risk"


def test_day_deadline_is_at_risk_on_its_last_working_day() -> None:
    deadline = assessment_deadline(ams(2026, 6, 1, 10))  # due end of Monday 8 June
    assert deadline_status(deadline, ams(2026, 6, 5, 17)) == "on_track"  # Friday
    assert deadline_status(deadline, ams(2026, 6, 7, 12)) == "on_track"  # Sunday: Monday left
    assert deadline_status(deadline, ams(2026, 6, 8, 0, 1)) == "at_risk"
    assert deadline_status(deadline, ams(2026, 6, 9, 0, 0)) == "overdue"


def test_deadline_on_a_sunday_is_at_risk_from_the_friday() -> None:
    deadline = end_of(date(2026, 6, 14))  # a Sunday
    assert deadline_status(deadline, ams(2026, 6, 11, 12)) == "on_track"
    assert deadline_status(deadline, ams(2026, 6, 12, 12)) == "at_risk"


def test_status_argument_validation() -> None:
    deadline = ams(2026, 6, 8, 12)
    with pytest.raises(ValueError, match="negative"):
        deadline_status(deadline, ams(2026, 6, 1), timedelta(hours=-1))
    with pytest.raises(ValueError, match="negative"):
        deadline_status(deadline, ams(2026, 6, 1), -1)
    with pytest.raises(TypeError):
        deadline_status(deadline, ams(2026, 6, 1), True)


ORDER = {"on_track": 0, "at_risk": 1, "overdue": 2}


@PROPERTY
@given(
    aware_datetimes,
    st.integers(0, 60 * 24 * 30),
    st.integers(0, 60 * 24 * 30),
    st.one_of(st.integers(0, 5), st.timedeltas(timedelta(0), timedelta(days=3))),
)
def test_status_only_gets_worse_as_time_passes(
    received: datetime, m1: int, m2: int, at_risk: timedelta | int
) -> None:
    deadline = assessment_deadline(received)
    early = received + timedelta(minutes=min(m1, m2))
    late = received + timedelta(minutes=max(m1, m2))
    first = deadline_status(deadline, early, at_risk)
    second = deadline_status(deadline, late, at_risk)
    assert ORDER[first] <= ORDER[second]
    assert (second == "overdue") == (late.astimezone(UTC) > deadline.astimezone(UTC))


@PROPERTY
@given(aware_datetimes)
def test_receipt_time_is_never_overdue_for_the_assessment(received: datetime) -> None:
    assume(received.astimezone(UTC).year < 2100)
    assert deadline_status(assessment_deadline(received), received) == "on_track"
