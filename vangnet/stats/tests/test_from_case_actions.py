# SPDX-License-Identifier: EUPL-1.2
"""Records made through the real intake and case actions (not the test builder) are counted as
the statistics expect: the two apps and the statistics agree on codes and fields."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from vangnet.accounts.models import Municipality
from vangnet.cases import actions
from vangnet.intake import actions as intake_actions
from vangnet.intake.models import Contact
from vangnet.stats.periods import half_year_of
from vangnet.triage.instrument import Decision


def report(user, *, reporter_type="professional", kinds=("child_abuse",)):
    now = timezone.now()
    contact = Contact.objects.create(
        organisation=user.organisation,
        municipality=Municipality.objects.get(code="GM0344"),
        channel="phone",
        requested_kind="report",
        reporter_type=reporter_type,
        violence_kinds=list(kinds),
        violence_duration="over_1_year",
        narrative="De buren horen geschreeuw.",
        received_at=now - timedelta(minutes=30),
        last_activity_at=now,
        idempotency_digest=uuid.uuid4().hex,
    )
    return intake_actions.record_report(user, contact, version=contact.version)


def test_a_case_handled_through_the_case_actions_is_counted_in_every_table(
    case_worker, supervisor, tmp_path
):
    first = report(case_worker)
    case = actions.open_case_from_report(case_worker, first, household_label="Familie K")
    actions.join_case(case_worker, report(case_worker, reporter_type="police"), case)
    case.refresh_from_db()
    actions.decide_route(
        case_worker,
        case,
        case.version,
        checked=["B01"],
        decision=Decision(route="conditions_and_follow_up", rationale="Herhaald geweld."),
    )
    case.refresh_from_db()
    actions.save_plan(case_worker, case, kind="safety", body="Afspraken.", based_on=0)
    child = actions.add_person(case_worker, case, role="child", given_names="K", surname="K")
    actions.update_person(
        case_worker,
        child,
        child.version,
        spoken_to_on=timezone.localdate(),
        trauma_screening="offered",
    )

    period = half_year_of(timezone.now())
    out = tmp_path / "cbs"
    call_command("stats", "cbs", "--period", period.code, "--out", str(out))

    def values(name):
        text = (out / "delivery" / name).read_text()
        rows = csv.DictReader(io.StringIO(text), delimiter=";")
        return {r["category"]: int(r["value"]) for r in rows if r["area_code"] == "GM0344"}

    assert values("84848NED_report_by_reporter.csv")["professional.justice_safety"] == 1
    assert values("84848NED_report_by_reporter.csv")["professional.unknown"] == 1
    assert values("85361NED_report_by_involvement.csv")["first"] == 1
    assert values("85361NED_report_by_involvement.csv")["during_assessment"] == 1
    assert values("84852NED_assessment_route.csv")["conditions_and_follow_up"] == 1
    assert values("84852NED_assessment_appraisal.csv")["structural"] == 1
    assert values("vangnet_lead_assessment.csv")["within"] == 1
    assert values("vangnet_safety_plan.csv")["with_plan"] == 1
    assert values("vangnet_child_spoken_to.csv")["spoken_to"] == 1
    assert values("vangnet_trauma_screening.csv")["offered"] == 1
    assert values("vangnet_first_report_duration.csv")["over_1_year"] == 1
