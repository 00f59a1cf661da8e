"""Referral and handover to a partner: request, four-eyes release, accept or decline; the
receiver sees only what was shared; every step is audited and in the case history."""

import pytest

from conftest import login_client
from vangnet.audit.models import AuditEvent
from vangnet.cases.models import CaseEvent
from vangnet.referrals.models import Referral
from vangnet.referrals.purposes import Purpose
from vangnet.referrals.workflow import State

pytestmark = pytest.mark.django_db

SECTIONS = ["case_summary", "persons", "safety_conditions"]


@pytest.fixture
def referral_consent(give_consent, victim, local_team):
    return give_consent(victim, local_team, purpose=Purpose.REFERRAL, sections=SECTIONS)


def request_referral(client, case, receiver, subject, persons, basis, **changes):
    data = {
        "receiver": receiver.pk, "kind": "handover", "subject": subject.pk,
        "persons": [p.pk for p in persons], "sections": ["case_summary", "persons"],
        "basis": basis, "reason": "Hulp thuis nodig; buurtteam neemt het over.",
    }  # fmt: skip
    data.update(changes)
    return client.post(f"/staff/sharing/cases/{case.pk}/referral", data)


@pytest.fixture
def requested(case_worker, case, local_team, victim, child, referral_consent):
    response = request_referral(
        login_client(case_worker), case, local_team, victim, [victim, child],
        f"consent:{referral_consent.pk}",
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return Referral.objects.get()


def approve(user, referral, otp_age=0):
    client = login_client(user, otp_age=otp_age)
    return client.post(f"/staff/sharing/referral/{referral.public_id}/approve", {"reason": ""})


def test_a_case_worker_requests_a_referral_with_exactly_the_chosen_data(requested, victim, child):
    assert requested.state == State.REQUESTED
    assert requested.sections == ["case_summary", "persons"]
    assert requested.person_ids == sorted([victim.pk, child.pk])
    shared = requested.snapshot["sections"]
    assert set(shared) == {"case_summary", "persons"}
    assert {p["kind"] for p in shared["persons"]} == {"adult", "child"}
    assert "Daan" not in str(requested.snapshot) and "Sara" not in str(requested.snapshot)


def test_the_supervisor_releases_it_and_the_receiver_accepts_and_takes_responsibility(
    requested, supervisor, team_worker, case
):
    assert approve(supervisor, requested).status_code == 302
    requested.refresh_from_db()
    assert requested.state == State.OFFERED and requested.decided_by == supervisor
    receiver = login_client(team_worker)
    page = receiver.get(f"/staff/sharing/referrals/{requested.public_id}").content.decode()
    assert "Veilig Thuis Utrecht" in page  # responsibility stays with the sender until accepted
    assert "K-" in page and "Sara" not in page
    response = receiver.post(
        f"/staff/sharing/referral/{requested.public_id}/accept", {"reason": "Wij pakken het op."}
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.state == State.ACCEPTED and requested.responded_by == team_worker
    page = receiver.get(f"/staff/sharing/referrals/{requested.public_id}").content.decode()
    assert 'id="responsible">Buurtteam Utrecht<' in page
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert {"referral_requested", "referral_approved", "referral_accepted"} <= set(actions)
    events = AuditEvent.objects.filter(processing_activity="vg-006-disclosure")
    assert {"referral_requested", "referral_approved", "referral_accepted"} <= set(
        events.values_list("action", flat=True)
    )
    assert all("Buurtteam Utrecht" in e.receiver for e in events.exclude(action="read"))


def test_the_receiver_sees_only_the_shared_part(requested, supervisor, team_worker, case):
    approve(supervisor, requested)
    page = login_client(team_worker).get(f"/staff/sharing/referrals/{requested.public_id}")
    html = page.content.decode()
    assert "Oudegracht" not in html and "De Vries" not in html and "de Vries" not in html
    assert "Sara wordt door Karel geslagen" not in html  # the report summary was not chosen
    assert case.reference in html  # the case summary was
    # The receiver cannot open the case itself or its sharing page.
    client = login_client(team_worker)
    assert client.get(f"/staff/sharing/cases/{case.pk}").status_code == 404


def test_a_declined_referral_keeps_responsibility_with_the_sender_and_hides_the_content(
    requested, supervisor, team_worker
):
    approve(supervisor, requested)
    client = login_client(team_worker)
    no_reason = client.post(f"/staff/sharing/referral/{requested.public_id}/decline", {})
    assert no_reason.status_code == 302
    requested.refresh_from_db()
    assert requested.state == State.OFFERED  # a decline needs a reason
    client.post(f"/staff/sharing/referral/{requested.public_id}/decline", {"reason": "Geen plek."})
    requested.refresh_from_db()
    assert requested.state == State.DECLINED
    html = client.get(f"/staff/sharing/referrals/{requested.public_id}").content.decode()
    assert 'id="shared"' not in html and "Geen plek." in html
    sender_view = login_client(supervisor).get(f"/staff/sharing/referrals/{requested.public_id}")
    assert 'id="responsible">Veilig Thuis Utrecht<' in sender_view.content.decode()


def test_before_approval_the_receiver_sees_nothing(requested, team_worker):
    client = login_client(team_worker)
    assert client.get(f"/staff/sharing/referrals/{requested.public_id}").status_code == 404
    assert requested.reference not in client.get("/staff/sharing/incoming").content.decode()


def test_another_partner_and_another_region_get_404(
    requested, supervisor, shelter_worker, outsider
):
    approve(supervisor, requested)
    for user in (shelter_worker, outsider):
        client = login_client(user)
        assert client.get(f"/staff/sharing/referrals/{requested.public_id}").status_code == 404
        response = client.post(f"/staff/sharing/referral/{requested.public_id}/accept", {})
        assert response.status_code == 404
    requested.refresh_from_db()
    assert requested.state == State.OFFERED


def test_the_sender_cannot_accept_its_own_referral(requested, supervisor, colleague):
    approve(supervisor, requested)
    login_client(colleague).post(f"/staff/sharing/referral/{requested.public_id}/accept", {})
    requested.refresh_from_db()
    assert requested.state == State.OFFERED


def test_withdrawing_the_consent_withdraws_a_sent_referral(
    requested, supervisor, team_worker, case_worker, referral_consent
):
    approve(supervisor, requested)
    response = login_client(case_worker).post(
        f"/staff/sharing/consents/{referral_consent.pk}/withdraw",
        {"reason": "Sara belde: ze wil het niet meer."},
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.state == State.WITHDRAWN
    html = login_client(team_worker).get(f"/staff/sharing/referrals/{requested.public_id}")
    assert 'id="shared"' not in html.content.decode()


def test_a_referral_needs_consent_for_this_receiver(
    case_worker, case, shelter, victim, referral_consent
):
    response = request_referral(
        login_client(case_worker), case, shelter, victim, [victim],
        f"consent:{referral_consent.pk}",
    )  # fmt: skip
    assert response.status_code == 400
    assert "andere ontvanger" in response.content.decode() or "another recipient" in (
        response.content.decode()
    )
    assert not Referral.objects.exists()
