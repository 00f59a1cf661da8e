from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from vangnet.chat import hours

AMS = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2026-03-02 is a Monday.
    return datetime(2026, 3, 2 + day, hour, minute, tzinfo=AMS)


def test_the_default_is_always_open():
    assert hours.parse("24/7").is_open(at(6, 3))
    assert hours.parse("24/7").next_opening() is None


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(0, 8, 59), False),
        (at(0, 9, 0), True),
        (at(4, 20, 59), True),
        (at(4, 21, 0), False),
        (at(5, 11, 0), False),
        (at(5, 12, 0), True),
        (at(6, 16, 30), True),
    ],
)
def test_day_and_time_ranges(moment, open_):
    spec = hours.parse("mon-fri 09:00-21:00; sat,sun 12:00-17:00")
    assert spec.is_open(moment) is open_


def test_a_range_past_midnight_belongs_to_the_day_it_starts():
    spec = hours.parse("fri 20:00-02:00")
    assert spec.is_open(at(4, 23))
    assert spec.is_open(at(5, 1, 59))
    assert not spec.is_open(at(5, 2, 0))
    assert not spec.is_open(at(3, 1))


def test_day_ranges_wrap_round_the_week():
    spec = hours.parse("sat-mon 10:00-11:00")
    assert {d for d, _s, _e in spec.ranges} == {5, 6, 0}


def test_next_opening_is_the_next_minute_it_is_open():
    spec = hours.parse("mon-fri 09:00-17:00")
    assert spec.next_opening(at(4, 18)) == at(7, 9)


@pytest.mark.parametrize(
    "bad", ["mon 9-17", "funday 09:00-10:00", "mon 09:00", "mon 10:00-10:00", ";"]
)
def test_nonsense_is_refused_with_a_reason(bad):
    with pytest.raises(ValueError, match=r"."):
        hours.parse(bad)
