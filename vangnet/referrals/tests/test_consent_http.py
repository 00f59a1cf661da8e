"""Recording consent through the staff page: the Dutch age rules for minors, withdrawal,
expiry, the representative who is a suspect; legal grounds. Owner, colleague, outsider."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login_client
from vangnet.audit.models import AuditEvent
from vangnet.referrals.models import Consent
from vangnet.referrals.purposes import Purpose

pytestmark = pytest.mark.django_db


def consent_post(subject, recipient, **changes):
    today = timezone.localdate()
    data = {
        "subject": subject.pk, "purpose": Purpose.POLICE, "recipient": recipient.pk,
        "sections": ["case_summary", "persons"], "given_on": today.isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(), "how": "in_person",
        "subject_capable": "yes",
    }  # fmt: skip
    data.update(changes)
    return data


def record(client, case, data):
    return client.post(f"/staff/sharing/cases/{case.pk}/consent", data)


def test_an_adult_victim_consents_alone(case_worker, case, victim, police):
    response = record(
        login_client(case_worker), case, consent_post(victim, police, given_by_subject="on")
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.rule == "adult" and consent.subject_age >= 18
    assert AuditEvent.objects.filter(action="consent_recorded", object_id=str(consent.pk)).exists()


def test_a_child_under_12_needs_the_legal_representative(case_worker, case, child, police):
    client = login_client(case_worker)
    alone = record(client, case, consent_post(child, police, given_by_subject="on"))
    assert (
        alone.status_code == 400 and "vertegenwoordiger moet toestemming" in alone.content.decode()
    )
    parent = consent_post(
        child,
        police,
        given_by_representative="on",
        representative_name="Sara de Vries",
        representative_relation="parent",
    )
    assert record(client, case, parent).status_code == 302
    assert Consent.objects.get().rule == "under_12"


def test_a_young_person_of_12_to_15_and_the_representative_both_consent(
    case_worker, case, teenager, police
):
    client = login_client(case_worker)
    child_only = consent_post(teenager, police, given_by_subject="on")
    assert record(client, case, child_only).status_code == 400
    parent_only = consent_post(
        teenager, police, given_by_representative="on", representative_name="Sara de Vries"
    )
    assert record(client, case, parent_only).status_code == 400
    both = consent_post(
        teenager,
        police,
        given_by_subject="on",
        given_by_representative="on",
        representative_name="Sara de Vries",
        representative_relation="parent",
    )
    assert record(client, case, both).status_code == 302
    assert Consent.objects.get().rule == "12_15"


def test_a_16_year_old_decides_alone(case_worker, case, police, make_person):
    sixteen = make_person("child", "Mila", 16)
    client = login_client(case_worker)
    parent_only = consent_post(
        sixteen, police, given_by_representative="on", representative_name="Sara de Vries"
    )
    response = record(client, case, parent_only)
    assert response.status_code == 400 and "beslist de persoon zelf" in response.content.decode()
    assert (
        record(client, case, consent_post(sixteen, police, given_by_subject="on")).status_code
        == 302
    )
    assert Consent.objects.get().rule == "16_17"


def test_a_representative_suspected_of_the_violence_cannot_consent(
    case_worker, case, child, police
):
    data = consent_post(
        child,
        police,
        given_by_representative="on",
        representative_name="Karel",
        representative_is_suspect="on",
    )
    response = record(login_client(case_worker), case, data)
    assert response.status_code == 400 and "wettelijke grondslag" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_young_person_who_cannot_judge_their_interests_needs_the_representative(
    case_worker, case, teenager, police
):
    data = consent_post(
        teenager,
        police,
        subject_capable="no",
        given_by_representative="on",
        representative_name="Sara de Vries",
    )
    assert record(login_client(case_worker), case, data).status_code == 302
    assert Consent.objects.get().rule == "not_capable"


def test_consent_for_more_than_a_year_is_refused(case_worker, case, victim, police):
    late = (timezone.localdate() + timedelta(days=400)).isoformat()
    data = consent_post(victim, police, given_by_subject="on", valid_until=late)
    assert record(login_client(case_worker), case, data).status_code == 400


def test_an_expired_consent_shows_as_expired_and_cannot_be_chosen(
    case_worker, case, victim, police, give_consent
):
    consent = give_consent(victim, police)
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(days=1))
    client = login_client(case_worker)
    assert "Verlopen" in client.get(f"/staff/sharing/cases/{case.pk}").content.decode()
    assert 'id="blocked"' in client.get(f"/staff/sharing/cases/{case.pk}/police").content.decode()


def test_withdrawing_consent_is_recorded_and_it_is_no_longer_offered(
    case_worker, case, victim, police, give_consent
):
    consent = give_consent(victim, police)
    client = login_client(case_worker)
    assert (
        f"consent:{consent.pk}"
        in client.get(f"/staff/sharing/cases/{case.pk}/police").content.decode()
    )
    empty = client.post(f"/staff/sharing/consents/{consent.pk}/withdraw", {"reason": " "})
    assert empty.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    client.post(f"/staff/sharing/consents/{consent.pk}/withdraw", {"reason": "Sara belde."})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == case_worker
    assert "Ingetrokken" in client.get(f"/staff/sharing/cases/{case.pk}").content.decode()
    assert 'id="blocked"' in client.get(f"/staff/sharing/cases/{case.pk}/police").content.decode()
    assert case.events.filter(action="consent_withdrawn").exists()


def test_a_colleague_sees_the_sharing_page_and_an_outsider_gets_404(
    colleague, outsider, case, victim, police, give_consent
):
    consent = give_consent(victim, police)
    assert login_client(colleague).get(f"/staff/sharing/cases/{case.pk}").status_code == 200
    client = login_client(outsider)
    assert client.get(f"/staff/sharing/cases/{case.pk}").status_code == 404
    assert client.get(f"/staff/sharing/cases/{case.pk}/consent").status_code == 404
    response = client.post(f"/staff/sharing/consents/{consent.pk}/withdraw", {"reason": "x"})
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_counsellor_cannot_record_consent(counsellor, case):
    assert (
        login_client(counsellor).get(f"/staff/sharing/cases/{case.pk}/consent").status_code == 403
    )


def test_consent_details_are_encrypted_at_rest(case_worker, case, child, police):
    from django.db import connection

    data = consent_post(
        child,
        police,
        given_by_representative="on",
        representative_name="Sara de Vries",
        notes="Moeder belde om 10 uur",
    )
    record(login_client(case_worker), case, data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT representative_name, notes FROM referrals_consent")
        name, notes = cursor.fetchone()
    assert name.startswith("vg1.") and notes.startswith("vg1.")
    assert "Sara" not in name
