# SPDX-License-Identifier: EUPL-1.2
"""Numbers reconcile: a known history (conftest ``history``) gives exactly the expected count in
every table, for every municipality, region and the country, in the CBS delivery files, in the
published figures (with disclosure control switched off, threshold 0 and base 1, so the
published values must equal the true ones) and in the statisticians' raw download."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from conftest import login_client
from vangnet.stats import tables
from vangnet.stats.cbs import file_name

REGION_OF = {"GM0344": "vt20", "GM0307": "vt20", "GM0363": "vt01", "vt-x-x": "vt-x"}
MUNICIPALITIES = {"vt20": ("GM0307", "GM0344"), "vt01": ("GM0363",)}

#: table -> municipality (or pseudo-area) -> category -> count, for 2026H1.
EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "contacts": {
        "GM0344": {"advice": 2, "report": 4},
        "GM0307": {"advice": 1, "report": 1},
        "GM0363": {"advice": 1, "report": 2},
        "vt-x-x": {"report": 1},
    },
    "advice_by_reporter": {
        "GM0344": {"bystander": 1, "victim": 1},
        "GM0307": {"bystander": 1},
        "GM0363": {"professional.unknown": 1},
    },
    "advice_by_duration": {
        "GM0344": {"once": 1, "over_1_year": 1},
        "GM0307": {"unknown": 1},
        "GM0363": {"unknown": 1},
    },
    "advice_by_kind": {
        "GM0344": {"child_abuse": 1, "partner_violence": 1},
        "GM0307": {"unknown": 1},
        "GM0363": {"elder_abuse": 1},
    },
    "advice_by_additional": {"GM0344": {"human_trafficking": 1}},
    "report_by_reporter": {
        "GM0344": {"professional.justice_safety": 3, "professional.education": 1},
        "GM0307": {"professional.unknown": 1},
        "GM0363": {"bystander": 1, "professional.justice_safety": 1},
        "vt-x-x": {"victim": 1},
    },
    "report_by_duration": {
        "GM0344": {"once": 3, "over_1_year": 1},
        "GM0307": {"6_to_12_months": 1},
        "GM0363": {"under_6_months": 1, "unknown": 1},
        "vt-x-x": {"unknown": 1},
    },
    "report_by_kind": {
        "GM0344": {"child_abuse": 4},
        "GM0307": {"partner_violence": 1},
        "GM0363": {"elder_abuse": 1, "partner_violence": 1},
        "vt-x-x": {"unknown": 1},
    },
    "report_by_additional": {"GM0344": {"sexual_violence": 1}},
    "cases_with_reports": {"GM0344": {"all": 3}, "GM0307": {"all": 1}, "GM0363": {"all": 2}},
    "case_by_kind": {
        "GM0344": {"child_abuse": 3},
        "GM0307": {"partner_violence": 1},
        "GM0363": {"elder_abuse": 1, "partner_violence": 1},
    },
    "report_by_involvement": {
        "GM0344": {"first": 3, "during_assessment": 1},
        "GM0307": {"first": 1},
        "GM0363": {"re_report": 1, "first": 1},
        "vt-x-x": {"not_linked": 1},
    },
    "first_report_duration": {
        "GM0344": {"once": 3},
        "GM0307": {"6_to_12_months": 1},
        "GM0363": {"unknown": 1},
    },
    "assessment_appraisal": {
        "GM0344": {"structural": 1, "neither": 1},
        "GM0307": {"acute": 1},
        "GM0363": {"neither": 1},
    },
    "assessment_route": {
        "GM0344": {"handover": 1, "investigation": 1},
        "GM0307": {"investigation": 1},
        "GM0363": {"close": 1},
    },
    "appraisal_route": {
        "GM0344": {"structural.handover": 1, "neither.investigation": 1},
        "GM0307": {"acute.investigation": 1},
        "GM0363": {"neither.close": 1},
    },
    "lead_assessment": {
        "GM0344": {"within": 2},
        "GM0307": {"late": 1},
        "GM0363": {"within": 1},
    },
    "lead_investigation": {"GM0307": {"within": 1}},
    "investigation_outcome": {
        "GM0307": {"partner_violence.confirmed": 1, "child_abuse.not_confirmed": 1}
    },
    "waiting": {
        "GM0344": {"assessment_within_term": 1, "investigation": 1},
        "GM0363": {"assessment_overdue": 1},
    },
    "safety_plan": {"GM0344": {"with_plan": 1}, "GM0307": {"without_plan": 1}},
    "score_trend": {"GM0344": {"improved": 1}},
    "recidivism": {"GM0363": {"not_re_reported": 1}},
    "child_spoken_to": {"GM0344": {"spoken_to": 1, "not_spoken_to": 1}},
    "trauma_screening": {"GM0344": {"offered": 1, "not_considered": 1}},
}


def expected_by_area(table_id: str) -> dict[str, Counter[str]]:
    """The expected counts of a table for every area code: municipalities, regions, NL."""
    out: dict[str, Counter[str]] = {}
    for muni, counts in EXPECTED[table_id].items():
        for area in (muni, REGION_OF[muni], "NL"):
            out.setdefault(area, Counter()).update(counts)
    return out


def expected_total(table_id: str, area: str) -> int:
    table = tables.BY_ID[table_id]
    source = table if table.additive else tables.universe_table(table.universe)
    return sum(expected_by_area(source.id).get(area, Counter()).values())


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_expectations_cover_every_table():
    assert set(EXPECTED) == {t.id for t in tables.TABLES}


def test_every_delivery_table_has_the_expected_count_for_every_area_and_category(
    history, tmp_path: Path
):
    call_command("stats", "cbs", "--period", "2026H1", "--out", str(tmp_path / "cbs"))
    checked = 0
    for table in tables.TABLES:
        rows = read_csv((tmp_path / "cbs" / "delivery" / file_name(table)).read_text())
        expected = expected_by_area(table.id)
        for row in rows:
            area, category = row["area_code"], row["category"]
            if category == "total":
                want = expected_total(table.id, area)
            else:
                want = expected.get(area, Counter())[category]
            assert int(row["value"]) == want, (table.id, area, category)
            checked += 1
        areas = {row["area_code"] for row in rows}
        assert {"NL", "vt20", "vt01", "GM0344", "GM0307", "GM0363"} <= areas
        assert len(rows) == len(areas) * (len(table.categories) + 1)
    assert checked > 1000


@override_settings(VANGNET_STATS_THRESHOLD=0, VANGNET_STATS_BASE=1)
def test_published_figures_without_protection_equal_the_true_counts(history, client):
    call_command("stats", "publish", "--period", "2026H1")
    pages = {
        "NL": "/figures.csv?period=2026H1",
        "vt20": "/figures/vt20.csv?period=2026H1",
        "vt01": "/figures/vt01.csv?period=2026H1",
        "GM0363": "/figures/vt01/GM0363.csv?period=2026H1",
    }
    seen = 0
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        for row in read_csv(response.content.decode()):
            table, area, category = row["table"], row["area_code"], row["category"]
            assert tables.BY_ID[table].publish
            if category == "total":
                want = expected_total(table, area)
            else:
                want = expected_by_area(table).get(area, Counter())[category]
            assert int(row["value"]) == want, (page, table, area, category)
            seen += 1
    assert seen > 500


@override_settings(VANGNET_STATS_THRESHOLD=0, VANGNET_STATS_BASE=1)
def test_a_category_without_records_nationally_is_left_out_of_the_published_table(history, client):
    call_command("stats", "publish", "--period", "2026H1")
    rows = read_csv(client.get("/figures.csv?period=2026H1").content.decode())
    routes = {r["category"] for r in rows if r["table"] == "assessment_route"}
    assert routes == {"handover", "investigation", "close", "total"}


def test_the_statisticians_raw_download_has_the_true_counts_of_their_region(history, statistician):
    call_command("stats", "refresh", "--period", "2026H1")
    client = login_client(statistician)
    response = client.get("/staff/stats/raw.csv?period=2026H1")
    assert response.status_code == 200
    rows = read_csv(response.content.decode())
    assert {r["area_code"] for r in rows} == {"vt20"}
    for row in rows:
        if row["category"] == "total":
            want = expected_total(row["table"], "vt20")
        else:
            want = expected_by_area(row["table"]).get("vt20", Counter())[row["category"]]
        assert int(row["value"]) == want, (row["table"], row["category"])


def test_recidivism_counts_a_closed_case_whose_family_was_reported_again_within_a_year(
    history, tmp_path: Path
):
    call_command("stats", "cbs", "--period", "2025H2", "--out", str(tmp_path / "h2"))
    rows = read_csv((tmp_path / "h2" / "delivery" / "vangnet_recidivism.csv").read_text())
    values = {(r["area_code"], r["category"]): int(r["value"]) for r in rows}
    assert values[("GM0363", "re_reported")] == 1
    assert values[("NL", "not_re_reported")] == 0
    advice = read_csv((tmp_path / "h2" / "delivery" / "84848NED_contacts.csv").read_text())
    totals = {(r["area_code"], r["category"]): int(r["value"]) for r in advice}
    assert totals[("GM0344", "advice")] == 1  # 31 December, 23:30 in Amsterdam
    assert totals[("NL", "report")] == 1


@pytest.mark.parametrize("muni", sorted(MUNICIPALITIES["vt20"]))
def test_region_totals_are_the_sum_of_their_municipalities_in_the_delivery(
    history, tmp_path: Path, muni
):
    call_command("stats", "cbs", "--period", "2026H1", "--out", str(tmp_path / "cbs"))
    rows = read_csv((tmp_path / "cbs" / "delivery" / "84848NED_contacts.csv").read_text())
    values = {(r["area_code"], r["category"]): int(r["value"]) for r in rows}
    region = sum(values[(m, "report")] for m in MUNICIPALITIES["vt20"])
    assert values[("vt20", "report")] == region == 5
    assert values[(muni, "report")] == EXPECTED["contacts"][muni]["report"]
