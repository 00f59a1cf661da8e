"""Fixtures for consent, referrals and police forwarding: a case in Utrecht with a victim who
reported anonymously (and has a return code), her child and the alleged perpetrator; partner
organisations with their own staff; a second supervisor for four eyes."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from vangnet.accounts.models import Municipality, Organisation, OrganisationType, Role
from vangnet.cases import actions as case_actions
from vangnet.intake import actions as intake_actions
from vangnet.referrals.actions import consent as consent_actions
from vangnet.referrals.purposes import Purpose


@pytest.fixture
def police(region_utrecht):
    return Organisation.objects.create(
        code="politie-utrecht", name="Politie Midden-Nederland", type=OrganisationType.POLICE,
        region=region_utrecht,
    )  # fmt: skip


@pytest.fixture
def local_team(region_utrecht):
    return Organisation.objects.create(
        code="lokaal-team-utrecht", name="Buurtteam Utrecht", type=OrganisationType.LOCAL_TEAM,
        region=region_utrecht,
    )  # fmt: skip


@pytest.fixture
def shelter(region_amsterdam):
    return Organisation.objects.create(
        code="opvang-amsterdam", name="Blijf Groep", type=OrganisationType.SHELTER,
        region=region_amsterdam,
    )  # fmt: skip


@pytest.fixture
def team_worker(local_team, make_staff):
    return make_staff("lisa.buurtteam", local_team, Role.CASE_WORKER)


@pytest.fixture
def shelter_worker(shelter, make_staff):
    return make_staff("bo.opvang", shelter, Role.CASE_WORKER)


@pytest.fixture
def second_supervisor(region_utrecht, make_staff):
    return make_staff("henk.supervisor", region_utrecht, Role.SUPERVISOR)


@pytest.fixture
def reported(region_utrecht, meldpunt):
    """An anonymous victim's report through the public intake: returns (contact, code)."""
    submitted = intake_actions.submit_contact(
        idempotency_key=uuid.uuid4().hex,
        fields={
            "channel": "web_form", "requested_kind": "report", "reporter_type": "victim",
            "language": "nl", "acute": False, "violence_kinds": ["partner_violence"],
            "municipality": Municipality.objects.get(code="GM0344"),
        },
        narrative="Mijn man Karel slaat mij. Daan ziet het.",
        persons=None,
        reporter_details=None,
    )  # fmt: skip
    return submitted.contact, submitted.code


@pytest.fixture
def case(case_worker, reported):
    contact, _code = reported
    report = intake_actions.record_report(
        case_worker, contact, version=contact.version, summary="Sara wordt door Karel geslagen."
    )
    return case_actions.open_case_from_report(
        case_worker, report, household_label="Familie De Vries", postcode="3511 AB",
        house_number="12", street="Oudegracht", city="Utrecht",
    )  # fmt: skip


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=30)


@pytest.fixture
def victim(case, case_worker):
    return case_actions.add_person(
        case_worker, case, role="victim", given_names="Sara", surname="de Vries",
        date_of_birth=_years_ago(34),
    )  # fmt: skip


@pytest.fixture
def child(case, case_worker):
    return case_actions.add_person(
        case_worker, case, role="child", given_names="Daan", surname="de Vries",
        date_of_birth=_years_ago(9),
    )  # fmt: skip


@pytest.fixture
def teenager(case, case_worker):
    return case_actions.add_person(
        case_worker, case, role="child", given_names="Noor", surname="de Vries",
        date_of_birth=_years_ago(14),
    )  # fmt: skip


@pytest.fixture
def suspect(case, case_worker):
    return case_actions.add_person(
        case_worker, case, role="alleged_perpetrator", given_names="Karel", surname="de Vries",
        date_of_birth=_years_ago(40),
    )  # fmt: skip


@pytest.fixture
def make_person(case, case_worker):
    def make(role, given_names, age):
        return case_actions.add_person(
            case_worker, case, role=role, given_names=given_names, surname="de Vries",
            date_of_birth=_years_ago(age),
        )  # fmt: skip

    return make


@pytest.fixture
def persons(victim, child, suspect):
    return [victim, child, suspect]


@pytest.fixture
def give_consent(case, case_worker):
    def give(subject, recipient, purpose=Purpose.POLICE, sections=("case_summary", "persons"),
             **kwargs):  # fmt: skip
        now = timezone.now()
        values: dict[str, Any] = {
            "given_at": now - timedelta(hours=1), "valid_until": now + timedelta(days=90),
            "how": "in_person", "given_by_subject": True, "given_by_representative": False,
        }  # fmt: skip
        values.update(kwargs)
        return consent_actions.record_consent(
            case_worker, case, subject=subject, purpose=purpose, recipient=recipient,
            sections=list(sections), **values,
        )  # fmt: skip

    return give
