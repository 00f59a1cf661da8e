# SPDX-License-Identifier: EUPL-1.2
"""Reporting periods (Amsterdam calendar) and the server-drawn SVG charts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vangnet.stats.charts import bar_chart
from vangnet.stats.periods import Period, PeriodError, half_year_of, half_years, parse


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026H1", "2026-01-01T00:00:00+01:00", "2026-07-01T00:00:00+02:00"),
        ("2026h2", "2026-07-01T00:00:00+02:00", "2027-01-01T00:00:00+01:00"),
        ("2026Q3", "2026-07-01T00:00:00+02:00", "2026-10-01T00:00:00+02:00"),
        ("2026", "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00"),
    ],
)
def test_a_period_is_a_half_open_interval_of_amsterdam_time(text, start, end):
    period = parse(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["2026H3", "2026Q0", "26H1", "2026-H1", "", "1999H1"])
def test_nonsense_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse(text)


def test_only_the_wanted_kinds_of_period_are_accepted():
    with pytest.raises(PeriodError, match="half-year"):
        parse("2026Q3", kinds="H")


def test_the_last_evening_of_june_in_amsterdam_is_still_the_first_half_year():
    assert half_year_of(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)).code == "2026H1"
    assert half_year_of(datetime(2026, 6, 30, 22, 0, tzinfo=UTC)).code == "2026H2"


def test_half_years_run_from_first_to_last():
    codes = [p.code for p in half_years(Period(2025, "H", 2), Period(2027, "H", 1))]
    assert codes == ["2025H2", "2026H1", "2026H2", "2027H1"]
    assert Period(2026, "Q", 1).previous().code == "2025Q4"


def test_a_chart_escapes_its_text_and_draws_no_bar_for_a_hidden_value():
    svg = bar_chart(
        [("<b>Kinder</b>", 120), ("Klein", None)],
        chart_id="c1",
        title='Titel "x"',
        description="Uitleg & meer",
    )
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert "&lt;b&gt;Kinder&lt;/b&gt;" in svg and "<b>" not in svg
    assert "Titel &quot;x&quot;" in svg and "Uitleg &amp; meer" in svg
    assert svg.count("<rect") == 1
    assert ">.</text>" in svg
    assert "style=" not in svg


def test_an_empty_chart_is_nothing():
    assert bar_chart([], chart_id="c", title="t", description="d") == ""


def test_the_demo_loader_publishes_the_current_and_previous_half_year(db):
    from django.utils import timezone

    from vangnet.stats import demo
    from vangnet.stats.models import Publication

    said: list[str] = []
    demo.load(said.append)
    demo.load(said.append)  # idempotent
    current = half_year_of(timezone.now())
    assert set(Publication.objects.values_list("period", flat=True)) == {
        current.code,
        current.previous().code,
    }
    assert "/figures" in said[0]
