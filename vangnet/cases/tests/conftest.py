"""Case-work fixtures: reports made through intake's own actions, cases through ours."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from vangnet.accounts.models import Municipality
from vangnet.cases import actions
from vangnet.intake import actions as intake_actions
from vangnet.intake.models import Contact
from vangnet.triage.instrument import Decision


@pytest.fixture
def make_report(region_utrecht):
    """A report (melding) in the Utrecht region, registered by a staff member."""

    def make(
        user,
        *,
        acute=False,
        anonymous=True,
        kinds=("child_abuse",),
        received=None,
        channel="web_form",
        reporter_type="bystander",
        language="nl",
        details=None,
    ):
        now = timezone.now()
        contact = Contact.objects.create(
            organisation=user.organisation,
            municipality=Municipality.objects.get(code="GM0344"),
            channel=channel,
            requested_kind="report",
            reporter_type=reporter_type,
            anonymous=anonymous,
            acute=acute,
            language=language,
            violence_kinds=list(kinds),
            narrative="Buren horen geschreeuw en een kind dat huilt.",
            reporter_details=details,
            received_at=received or now - timedelta(hours=1),
            last_activity_at=now,
            idempotency_digest=uuid.uuid4().hex,
        )
        return intake_actions.record_report(user, contact, version=contact.version)

    return make


@pytest.fixture
def open_case(make_report):
    def make(user, **report_kwargs):
        household = report_kwargs.pop("household", {})
        report = make_report(user, **report_kwargs)
        return actions.open_case_from_report(
            user,
            report,
            household_label=household.get("label", "Familie Jansen"),
            postcode=household.get("postcode", "3511 AB"),
            house_number=household.get("house_number", "12"),
            street="Oudegracht",
            city="Utrecht",
        )

    return make


@pytest.fixture
def case(open_case, case_worker):
    return open_case(case_worker)


def decide(user, case, route="conditions_and_follow_up", checked=("B01",), **decision):
    decision.setdefault("rationale", "Herhaald geweld; afspraken nodig.")
    return actions.decide_route(
        user, case, case.version, checked=list(checked), decision=Decision(route=route, **decision)
    )
