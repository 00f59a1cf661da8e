# SPDX-License-Identifier: EUPL-1.2
"""The validation report: every check finds its record, lists it, and the record is still
counted (invalid source data is listed, not silently dropped)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command

from vangnet.cases.models import Case, Investigation
from vangnet.intake.models import AdviceRequest, Report
from vangnet.stats.checks import CHECKS
from vangnet.stats.tests.conftest import local


def read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text()), delimiter=";"))


def export(tmp_path: Path) -> Path:
    out = tmp_path / "cbs"
    call_command("stats", "cbs", "--period", "2026H1", "--out", str(out))
    return out


def national_findings(out: Path) -> dict[str, int]:
    rows = read(out / "validation" / "kwaliteitsrapport.csv")
    return {r["check"]: int(r["findings"]) for r in rows if r["area_code"] == "NL"}


def test_the_quality_report_lists_every_check_with_the_records_that_failed_it(history, tmp_path):
    out = export(tmp_path)
    found = national_findings(out)
    assert set(found) == set(CHECKS)
    assert {check: n for check, n in found.items() if n} == {
        "A04": 1,
        "A07": 1,
        "A08": 1,
        "R03": 1,
        "R04": 1,
        "R05": 1,
        "R06": 1,
        "R08": 1,
        "R12": 1,
        "C07": 1,
    }
    listed = read(out / "internal" / "invalid_records.csv")
    bad_duration = Report.objects.get(violence_duration="forever")
    assert {
        "check": "R06",
        "severity": "error",
        "record_type": "report",
        "record_id": str(bad_duration.pk),
        "region_code": "vt01",
        "detail": "forever",
    } in listed
    assert len(listed) == sum(found.values())


def test_a_report_that_fails_checks_is_still_counted_under_unknown(history, tmp_path):
    out = export(tmp_path)
    rows = read(out / "delivery" / "84848NED_report_by_duration.csv")
    values = {(r["area_code"], r["category"]): int(r["value"]) for r in rows}
    # The report with duration "forever" is in Amsterdam's "unknown", not missing.
    assert values[("GM0363", "unknown")] == 1
    # The report nobody could place is in the national total, under "region unknown".
    assert values[("vt-x", "total")] == 1
    assert (
        values[("NL", "total")]
        == Report.objects.filter(
            received_at__gte=local(2026, 1, 1), received_at__lt=local(2026, 7, 1)
        ).count()
    )


def test_the_mirror_report_gives_completeness_per_field(history, tmp_path):
    out = export(tmp_path)
    rows = read(out / "validation" / "spiegelrapport.csv")
    national = {(r["record_type"], r["field"]): r for r in rows if r["area_code"] == "NL"}
    duration = national[("report", "violence_duration")]
    assert (duration["records"], duration["filled"], duration["unknown"], duration["invalid"]) == (
        "8",
        "6",
        "1",
        "1",
    )
    assert duration["complete_pct"] == "75.0"
    municipality = national[("report", "municipality")]
    assert (municipality["filled"], municipality["missing"]) == ("7", "1")
    organisation = national[("report", "reporter_organisation")]
    assert (organisation["records"], organisation["filled"], organisation["missing"]) == (
        "2",
        "1",
        "1",
    )
    regional = {r["area_code"] for r in rows}
    assert {"NL", "vt20", "vt01"} <= regional


def test_each_cross_field_check_finds_its_own_broken_record(
    build, region_amsterdam, meldpunt, tmp_path
):
    """One record per remaining check; each is found, listed by id and counted."""
    b = build
    expected: dict[str, tuple[str, int]] = {}
    r = b.report(local(2026, 1, 5, 9), None, org=region_amsterdam)
    expected["R01"] = ("report", r.pk)
    b.case(r)
    r = b.report(local(2026, 1, 5, 9), "GM0344", org=region_amsterdam)
    expected["R02"] = ("report", r.pk)
    b.case(r)
    r = b.report(local(2026, 1, 5, 9), reporter_type="alien")
    expected["R07"] = ("report", r.pk)
    b.case(r)
    r = b.report(local(2026, 1, 5, 9), reporter_type="bystander", org_kind="education")
    expected["R09"] = ("report", r.pk)
    b.case(r)
    r = b.report(local(2026, 1, 5, 9), reporter_type="professional", org_kind="circus")
    expected["R10"] = ("report", r.pk)
    b.case(r)
    r = b.report(local(2026, 1, 5, 9), registered=local(2026, 1, 5, 8))
    expected["R11"] = ("report", r.pk)
    b.case(r)
    a = b.advice(local(2026, 1, 6, 9), None, org=region_amsterdam)
    expected["A01"] = ("advice", a.pk)
    a = b.advice(local(2026, 1, 6, 9), kinds=("child_abuse", "martian"))
    expected["A03"] = ("advice", a.pk)
    a = b.advice(local(2026, 1, 6, 9), reporter_type="alien")
    expected["A05"] = ("advice", a.pk)
    a = b.advice(local(2026, 1, 6, 9))
    AdviceRequest.objects.filter(pk=a.pk).update(ended_at=local(2026, 1, 6, 8))
    expected["A06"] = ("advice", a.pk)
    a = b.advice(local(2026, 1, 6, 9), None, org=meldpunt)
    expected["A02"] = ("advice", a.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    assessment = b.assess(case, local(2026, 2, 1, 9))
    expected["C01"] = ("assessment", assessment.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    assessment = b.assess(case, local(2026, 2, 3, 9), "teleport")
    expected["C02"] = ("assessment", assessment.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    assessment = b.assess(case, local(2026, 2, 3, 9), "close", acute=True)
    expected["C03"] = ("assessment", assessment.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    investigation = b.investigate(
        case, b.assess(case, local(2026, 2, 3, 9), "investigation"), ended=local(2026, 3, 1, 9)
    )
    expected["C04"] = ("investigation", investigation.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    investigation = b.investigate(
        case,
        b.assess(case, local(2026, 2, 3, 9), "investigation"),
        ended=local(2026, 3, 1, 9),
        outcomes={"child_abuse": "maybe"},
    )
    expected["C05"] = ("investigation", investigation.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    investigation = b.investigate(
        case,
        b.assess(case, local(2026, 3, 3, 9), "investigation"),
        ended=local(2026, 3, 1, 9),
        outcomes={"child_abuse": "confirmed"},
    )
    expected["C06"] = ("investigation", investigation.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)), status="closed")
    expected["C08"] = ("case", case.pk)
    case = b.case(b.report(local(2026, 2, 2, 9)))
    b.link(case, b.report(local(2026, 2, 3, 9)), "first")
    expected["C09"] = ("case", case.pk)

    out = export(tmp_path)
    listed = {
        (r["check"], r["record_type"], int(r["record_id"]))
        for r in read(out / "internal" / "invalid_records.csv")
    }
    for check, (record_type, pk) in expected.items():
        assert (check, record_type, pk) in listed, check
    assert Investigation.objects.count() == 3
    rows = read(out / "delivery" / "vangnet_lead_investigation.csv")
    totals = {(r["area_code"], r["category"]): int(r["value"]) for r in rows}
    assert totals[("NL", "total")] == 3  # the broken investigations are still counted
    contacts = read(out / "delivery" / "84848NED_contacts.csv")
    national = {r["category"]: int(r["value"]) for r in contacts if r["area_code"] == "NL"}
    assert national["report"] == Report.objects.count()
    assert national["advice"] == AdviceRequest.objects.count()
    assert Case.objects.filter(status="closed", closed_at__isnull=True).count() == 1
