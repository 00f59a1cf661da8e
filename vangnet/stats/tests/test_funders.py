# SPDX-License-Identifier: EUPL-1.2
"""Register once, report to every funder: care recorded once with its funding stream gives one
period report per stream, from the same records, reconciled with the register."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from vangnet.audit.models import AuditEvent
from vangnet.stats.actions import Refused, record_care_activity
from vangnet.stats.models import CareActivity
from vangnet.stats.tests.conftest import SECRETS, local


@pytest.fixture
def cases(build):
    utrecht = build.case(build.report(local(2026, 7, 1, 9), "GM0344"))
    amersfoort = build.case(build.report(local(2026, 7, 2, 9), "GM0307"))
    return utrecht, amersfoort


def record(user, case, stream, on, *, kind="trauma_treatment", units="1.5", **kw):
    return record_care_activity(
        user,
        case,
        kind=kind,
        funding_stream=stream,
        performed_on=on,
        units=units,
        unit="hours",
        **kw,
    )


def read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text()), delimiter=";"))


def test_a_case_worker_registers_care_once_with_its_funding_stream(cases, case_worker):
    utrecht, _amersfoort = cases
    child = utrecht.persons.create(
        role="child", created_at=timezone.now(), created_by=case_worker, given_names=SECRETS[0]
    )
    activity = record(case_worker, utrecht, "jeugdwet", date(2026, 8, 3), person=child)
    assert activity.funding_stream == "jeugdwet"
    assert activity.provider == case_worker.organisation
    assert activity.person == child
    event = AuditEvent.objects.get(action="care_activity_recorded")
    assert event.processing_activity == "vg-004-case-work"
    assert SECRETS[0] not in json.dumps(event.details)


def test_registering_care_checks_access_and_values(cases, case_worker, outsider, counsellor):
    utrecht, amersfoort = cases
    with pytest.raises(Http404):
        record(outsider, utrecht, "wmo", date(2026, 8, 3))
    with pytest.raises(PermissionDenied):
        record(counsellor, utrecht, "wmo", date(2026, 8, 3))
    with pytest.raises(Refused):
        record(case_worker, utrecht, "lottery", date(2026, 8, 3))
    with pytest.raises(Refused):
        record(case_worker, utrecht, "wmo", timezone.localdate() + timedelta(days=1))
    with pytest.raises(Refused):
        record(case_worker, utrecht, "wmo", date(2026, 8, 3), units="0")
    with pytest.raises(Refused):
        record(case_worker, utrecht, "wmo", date(2026, 8, 3), units="1.234")
    other_child = amersfoort.persons.create(
        role="child", created_at=timezone.now(), created_by=case_worker
    )
    with pytest.raises(Http404):
        record(case_worker, utrecht, "wmo", date(2026, 8, 3), person=other_child)
    assert not CareActivity.objects.exists()


@override_settings(VANGNET_STATS_THRESHOLD=0, VANGNET_STATS_BASE=1)
def test_every_funder_gets_its_own_report_from_the_same_records(cases, case_worker, tmp_path):
    utrecht, amersfoort = cases
    for _ in range(3):
        record(case_worker, utrecht, "jeugdwet", date(2026, 8, 3))
    record(case_worker, amersfoort, "jeugdwet", date(2026, 9, 30), units="2")
    record(case_worker, utrecht, "wmo", date(2026, 7, 1), kind="family_support")
    record(case_worker, utrecht, "zvw", date(2026, 7, 15), funder_code="3311")
    record(case_worker, utrecht, "jeugdwet", date(2026, 10, 1))  # next quarter
    record(case_worker, utrecht, "jeugdwet", date(2026, 6, 30))  # previous quarter
    out = tmp_path / "funders"
    call_command("stats", "funders", "--period", "2026Q3", "--out", str(out))

    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "2026Q3_jeugdwet.csv",
        "2026Q3_other.csv",
        "2026Q3_wlz.csv",
        "2026Q3_wmo.csv",
        "2026Q3_zvw.csv",
        "manifest.json",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["activities_registered"] == 6
    assert manifest["activities_reported"] == {
        "jeugdwet": 4,
        "wmo": 1,
        "zvw": 1,
        "wlz": 0,
        "other": 0,
    }
    assert manifest["reconciled"] is True

    youth = read(out / "2026Q3_jeugdwet.csv")
    value = {(r["funder"], r["measure"], r["kind_of_care"], r["unit"]): r["value"] for r in youth}
    assert value[("GM0344", "clients", "", "")] == "1"  # one family system, three sessions
    assert value[("GM0344", "activities", "trauma_treatment", "")] == "3"
    assert value[("GM0344", "amount", "trauma_treatment", "hours")] == "5"  # 4.5 h, half up
    assert value[("GM0307", "activities", "trauma_treatment", "")] == "1"
    assert value[("total", "activities", "total", "")] == "4"
    insurer = read(out / "2026Q3_zvw.csv")
    assert {r["funder"] for r in insurer} == {"3311", "total"}
    assert read(out / "2026Q3_wlz.csv") == []


def test_funder_reports_are_protected_and_hold_no_personal_data(cases, case_worker, tmp_path):
    utrecht, _amersfoort = cases
    for day in range(12):
        record(case_worker, utrecht, "wmo", date(2026, 7, 1) + timedelta(days=day))
    record(case_worker, utrecht, "wmo", date(2026, 7, 20), kind="shelter")
    out = tmp_path / "funders"
    call_command("stats", "funders", "--period", "2026Q3", "--out", str(out))
    rows = read(out / "2026Q3_wmo.csv")
    value = {(r["measure"], r["kind_of_care"], r["unit"]): r["value"] for r in rows}
    assert value[("activities", "trauma_treatment", "")] == "10"  # 12 rounded to 5
    assert value[("activities", "shelter", "")] == "."  # 1 is too few to show
    assert value[("amount", "shelter", "hours")] == "."
    assert value[("clients", "", "")] == "."  # one family
    for row in rows:
        assert row["value"] == "." or (int(row["value"]) % 5 == 0)
    text = "".join(p.read_text() for p in out.iterdir())
    for secret in SECRETS:
        assert secret not in text
    assert AuditEvent.objects.filter(action="funder_reports").count() == 1


def test_the_funders_command_wants_a_period_and_an_empty_directory(tmp_path):
    with pytest.raises(CommandError, match="period"):
        call_command("stats", "funders", "--period", "2026Q5", "--out", str(tmp_path / "x"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.csv").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("stats", "funders", "--period", "2026Q3", "--out", str(tmp_path / "full"))


def test_amounts_keep_two_decimals(cases, case_worker):
    utrecht, _amersfoort = cases
    activity = record(case_worker, utrecht, "other", date(2026, 8, 1), units="0.25")
    activity.refresh_from_db()
    assert activity.units == Decimal("0.25")
