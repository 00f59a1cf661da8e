"""Forwarding to the police: only with a valid consent or legal ground, four eyes and a fresh
second factor, through the web page or the command line. Every way around it is tried."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import current_code, login_client
from vangnet.audit.models import AuditEvent
from vangnet.intake.models import Message, MessageDirection
from vangnet.referrals import export, pseudonyms
from vangnet.referrals.actions import consent as consent_actions
from vangnet.referrals.models import Consent, PoliceForwarding
from vangnet.referrals.purposes import Purpose
from vangnet.referrals.workflow import State

pytestmark = pytest.mark.django_db

SECTIONS = ["case_summary", "persons", "reports"]


def ask(client, case, police, subject, persons, basis, sections=SECTIONS):
    return client.post(
        f"/staff/sharing/cases/{case.pk}/police",
        {
            "receiver": police.pk,
            "subject": subject.pk,
            "persons": [p.pk for p in persons],
            "sections": sections,
            "basis": basis,
            "reason": "Slachtoffer wil aangifte doen.",
        },
    )


@pytest.fixture
def consent(give_consent, victim, police):
    return give_consent(victim, police, sections=SECTIONS)


@pytest.fixture
def requested(case_worker, case, police, persons, victim, consent):
    response = ask(
        login_client(case_worker), case, police, victim, persons, f"consent:{consent.pk}"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return PoliceForwarding.objects.get()


def approve(user, forwarding, otp_age=0):
    return login_client(user, otp_age=otp_age).post(
        f"/staff/sharing/forwarding/{forwarding.public_id}/approve", {}
    )


def state_of(forwarding):
    forwarding.refresh_from_db()
    return forwarding.state


def test_without_consent_the_request_page_is_blocked(case_worker, case, victim):
    html = login_client(case_worker).get(f"/staff/sharing/cases/{case.pk}/police").content
    assert 'id="blocked"' in html.decode()


def test_a_request_without_a_basis_is_refused(case_worker, case, police, persons, victim):
    response = ask(login_client(case_worker), case, police, victim, persons, "consent:999")
    assert response.status_code == 400
    assert not PoliceForwarding.objects.exists()


def test_with_consent_four_eyes_and_step_up_it_is_forwarded(requested, supervisor):
    response = approve(supervisor, requested)
    assert response.status_code == 302
    assert state_of(requested) == State.FORWARDED
    assert requested.decided_by == supervisor
    event = AuditEvent.objects.get(action="police_forwarding_approved")
    assert event.details["pdf_sha256"] == requested.pdf_sha256
    assert event.details["json_sha256"] == requested.json_sha256
    assert "Politie Midden-Nederland" in event.receiver
    assert event.processing_activity == "vg-006-disclosure"


def test_the_requester_cannot_approve_their_own_request(requested, case_worker, supervisor):
    assert approve(case_worker, requested).status_code == 403  # not even the permission
    # A supervisor who asked cannot approve it either.
    supervisor_request = PoliceForwarding.objects.filter(pk=requested.pk)
    supervisor_request.update(requested_by=supervisor)
    response = approve(supervisor, requested)
    assert response.status_code == 409
    assert state_of(requested) == State.REQUESTED
    assert AuditEvent.objects.filter(action="police_forwarding_release_refused").exists()


def test_the_same_supervisor_approving_twice_forwards_once(requested, supervisor):
    approve(supervisor, requested)
    again = approve(supervisor, requested)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="police_forwarding_approved").count() == 1


def test_a_stale_second_factor_sends_the_approver_to_step_up_first(requested, supervisor):
    response = approve(supervisor, requested, otp_age=3600)
    assert response.status_code == 302 and "/staff/step-up" in response["Location"]
    assert state_of(requested) == State.REQUESTED


def test_an_expired_consent_blocks_the_release(requested, supervisor, consent):
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    response = approve(supervisor, requested)
    assert response.status_code == 409 and "verlopen" in response.content.decode()
    assert state_of(requested) == State.REQUESTED


def test_a_withdrawn_consent_blocks_the_release(requested, supervisor, case_worker, consent):
    consent_actions.withdraw_consent(case_worker, consent, "Ze belde: toch niet.")
    response = approve(supervisor, requested)
    assert response.status_code == 409 and "ingetrokken" in response.content.decode()
    assert state_of(requested) == State.REQUESTED


def test_a_supervisor_of_another_region_gets_404(requested, region_amsterdam, make_staff):
    other = make_staff("anna.supervisor", region_amsterdam, "supervisor")
    assert approve(other, requested).status_code == 404
    assert (
        login_client(other).get(f"/staff/sharing/police/{requested.public_id}").status_code == 404
    )
    assert state_of(requested) == State.REQUESTED


def test_a_caseworker_of_another_organisation_cannot_request(
    outsider, case, police, persons, victim, consent
):
    response = ask(login_client(outsider), case, police, victim, persons, f"consent:{consent.pk}")
    assert response.status_code == 404
    assert not PoliceForwarding.objects.exists()


def test_the_legal_ground_path_forwards_without_consent(
    case_worker, case, police, persons, victim, supervisor
):
    client = login_client(case_worker)
    response = client.post(
        f"/staff/sharing/cases/{case.pk}/legal-ground",
        {
            "subject": victim.pk,
            "purpose": Purpose.POLICE,
            "recipient": police.pk,
            "sections": ["case_summary", "persons"],
            "ground": "acute_danger_police",
            "justification": "Karel dreigt vannacht terug te komen met een mes.",
            "valid_days": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ground = victim.legal_grounds.get()
    response = ask(
        client, case, police, victim, persons, f"ground:{ground.pk}", ["case_summary", "persons"]
    )
    assert response.status_code == 302
    forwarding = PoliceForwarding.objects.get()
    approve(supervisor, forwarding)
    assert state_of(forwarding) == State.FORWARDED
    data = json.loads(export.package_json(forwarding))
    assert data["basis"]["kind"] == "legal_ground"
    assert data["basis"]["article"] == "Wmo 2015 art. 4.1.1 lid 2 sub e"


def test_a_legal_ground_needs_a_justification(case_worker, case, police, victim):
    response = login_client(case_worker).post(
        f"/staff/sharing/cases/{case.pk}/legal-ground",
        {
            "subject": victim.pk,
            "purpose": Purpose.POLICE,
            "recipient": police.pk,
            "sections": ["case_summary"],
            "ground": "acute_danger_police",
            "justification": "gevaar",
            "valid_days": 3,
        },
    )
    assert response.status_code == 400 and not victim.legal_grounds.exists()


def test_children_appear_by_kindnummer_unless_the_consent_covers_names(
    requested, supervisor, child
):
    approve(supervisor, requested)
    package = export.package_json(requested).decode()
    assert pseudonyms.kindnummer(child) in package
    assert "Daan" not in package and "Sara" not in package and "Karel" not in package
    # The report summary named Sara and Karel: their names were replaced by pseudonyms.
    data = json.loads(package)
    summary = data["content"]["sections"]["reports"][0]["summary"]
    assert summary.startswith("P-") and "geslagen" in summary


def test_names_appear_when_the_consent_covers_them(
    give_consent, case_worker, case, police, persons, victim, child, supervisor
):
    covered = give_consent(victim, police, sections=["persons", "child_identity", "identity"])
    ask(login_client(case_worker), case, police, victim, persons, f"consent:{covered.pk}",
        ["persons", "child_identity", "identity"])  # fmt: skip
    forwarding = PoliceForwarding.objects.get()
    approve(supervisor, forwarding)
    package = export.package_json(forwarding).decode()
    assert "Daan" in package and pseudonyms.kindnummer(child) in package


def test_the_package_is_reproducible_and_contains_nothing_beyond_the_choice(requested, supervisor):
    approve(supervisor, requested)
    requested.refresh_from_db()
    assert export.sha256(export.package_pdf(requested)) == requested.pdf_sha256
    assert export.sha256(export.package_json(requested)) == requested.json_sha256
    data = json.loads(export.package_json(requested))
    assert set(data["content"]["sections"]) == set(SECTIONS)
    assert data["shared_sections"] == sorted(SECTIONS)
    assert "Oudegracht" not in json.dumps(data)


def test_downloading_needs_a_fresh_second_factor_and_is_audited_with_the_hash(
    requested, supervisor, case_worker
):
    approve(supervisor, requested)
    requested.refresh_from_db()
    stale = login_client(case_worker, otp_age=3600)
    assert stale.get(f"/staff/sharing/police/{requested.public_id}/package.pdf").status_code == 302
    fresh = login_client(case_worker)
    pdf = fresh.get(f"/staff/sharing/police/{requested.public_id}/package.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert export.sha256(pdf.content) == requested.pdf_sha256
    assert pdf.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="police_forwarding_exported")
    assert event.details == {"case": requested.case_id, "format": "pdf",
                             "sha256": requested.pdf_sha256}  # fmt: skip


def test_the_anonymous_victim_sees_that_and_when_it_was_forwarded(
    requested, supervisor, reported, visitor
):
    approve(supervisor, requested)
    contact, code = reported
    notice = Message.objects.get(contact=contact, direction=MessageDirection.SYSTEM)
    assert "politie" in notice.body
    response = visitor.post(
        "/return", {"code": code.display if hasattr(code, "display") else str(code)}
    )
    assert response.status_code == 302
    thread = visitor.get("/return/thread").content.decode()
    assert "doorgegeven aan de politie" in thread
    assert timezone.localdate().strftime("%Y") in thread


def test_the_command_line_goes_through_the_same_gate(
    requested, supervisor, second_supervisor, case_worker, colleague, tmp_path
):
    # A wrong code, then the requester's own (valid) code: both refused by the same gate.
    with pytest.raises(CommandError, match="Refused"):
        call_command("police_forwarding", "approve", str(requested.public_id),
                     user=second_supervisor.username, code="000000")  # fmt: skip
    with pytest.raises(CommandError, match="Refused"):
        call_command("police_forwarding", "approve", str(requested.public_id),
                     user=case_worker.username, code=current_code(case_worker))  # fmt: skip
    assert state_of(requested) == State.REQUESTED
    call_command("police_forwarding", "approve", str(requested.public_id),
                 user=supervisor.username, code=current_code(supervisor))  # fmt: skip
    assert state_of(requested) == State.FORWARDED
    out = tmp_path / "package.json"
    call_command("police_forwarding", "export", str(requested.public_id), user=colleague.username,
                 code=current_code(colleague), format="json", out=str(out))  # fmt: skip
    assert export.sha256(out.read_bytes()) == requested.json_sha256


def test_the_history_of_the_case_shows_each_step(requested, supervisor, case):
    approve(supervisor, requested)
    actions = set(case.events.values_list("action", flat=True))
    assert {
        "consent_recorded",
        "police_forwarding_requested",
        "police_forwarding_approved",
    } <= actions
