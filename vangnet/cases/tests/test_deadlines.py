"""Deadline logic of case work: Handle with Care, the waiting check and deadline status.

The working-day engine itself has its own property tests (lib/tests/test_workdays.py); these
check what the case app computes on top of it, across weekends, holidays and year ends.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from vangnet.cases import deadlines
from vangnet.lib import workdays
from vangnet.lib.workdays import AMSTERDAM

PROPERTY = settings(deadline=None, max_examples=300)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.sampled_from([AMSTERDAM, UTC, ZoneInfo("America/Curacao")]),
)


@PROPERTY
@given(moments)
def test_a_school_signal_is_due_at_the_start_of_the_first_school_day_after_receipt(received):
    due = deadlines.school_signal_deadline(received)
    assert due.astimezone(AMSTERDAM).time() == deadlines.SCHOOL_DAY_START
    assert workdays.is_working_day(due)
    assert due > received
    # No earlier school-day start lies between receipt and the deadline.
    local = received.astimezone(AMSTERDAM)
    day = local.date()
    while day < due.astimezone(AMSTERDAM).date():
        start = datetime.combine(day, deadlines.SCHOOL_DAY_START, tzinfo=AMSTERDAM)
        assert not (workdays.is_working_day(day) and start > received)
        day += timedelta(days=1)


def test_a_police_visit_in_the_night_is_signalled_that_same_morning():
    tuesday_night = datetime(2026, 3, 10, 2, 0, tzinfo=AMSTERDAM)
    assert deadlines.school_signal_deadline(tuesday_night) == datetime(
        2026, 3, 10, 8, 30, tzinfo=AMSTERDAM
    )


def test_a_friday_evening_incident_is_due_on_monday_morning_and_christmas_is_skipped():
    friday = datetime(2026, 12, 25 - 1, 20, 0, tzinfo=AMSTERDAM)  # Thursday 24 December 2026
    assert deadlines.school_signal_deadline(friday) == datetime(
        2026, 12, 28, 8, 30, tzinfo=AMSTERDAM
    )


@PROPERTY
@given(moments)
def test_the_waiting_check_is_due_at_the_end_of_the_fifth_working_day(since):
    due = deadlines.waiting_check_deadline(since)
    assert due.astimezone(AMSTERDAM).time() == time.max
    assert workdays.is_working_day(due)
    assert workdays.working_days_between(since, due) == deadlines.WAITING_CHECK_WORKING_DAYS


@PROPERTY
@given(moments, st.sampled_from(sorted(deadlines.KINDS)), st.integers(-2000, 2000))
def test_a_deadline_is_overdue_exactly_when_its_time_has_passed(due, kind, minutes):
    # Elapsed time in UTC: same-tzinfo arithmetic and comparison in Python use wall-clock time,
    # which is ambiguous in the hour the clocks go back.
    due_utc = due.astimezone(UTC)
    now = due_utc + timedelta(minutes=minutes)
    status = deadlines.Deadline(kind, due).status(now)
    assert (status == "overdue") == (now > due_utc)


@PROPERTY
@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 30))
def test_school_age_is_four_up_to_eighteen(born, years):
    on = born.replace(year=born.year + years) if not (born.month == 2 and born.day == 29) else born
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    assert deadlines.is_school_age(born, on) == (4 <= age < 18)
