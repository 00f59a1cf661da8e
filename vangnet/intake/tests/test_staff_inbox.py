import pytest

from conftest import login_client
from vangnet.audit.models import AuditEvent
from vangnet.intake.models import AdviceRequest, Contact, Report


@pytest.fixture
def two_contacts(visitor, form_data):
    visitor.post("/report/new", form_data(narrative="Eerste, niet acuut."))
    visitor.post("/report/new", form_data(narrative="Tweede, wel acuut.", danger_now="yes"))
    return Contact.objects.order_by("id")


def test_the_inbox_shows_acute_first_then_longest_waiting(case_worker, two_contacts):
    html = login_client(case_worker).get("/staff/inbox").content.decode()
    first, second = two_contacts
    assert html.index(second.short_ref) < html.index(first.short_ref)


def test_opening_a_contact_is_audited(case_worker, two_contacts):
    contact = two_contacts[0]
    response = login_client(case_worker).get(f"/staff/contacts/{contact.public_id}")
    assert response.status_code == 200
    assert "Eerste, niet acuut." in response.content.decode()
    assert AuditEvent.objects.filter(
        action="read", object_id=str(contact.pk), actor_id=str(case_worker.pk)
    ).exists()
    contact.refresh_from_db()
    assert contact.first_opened_at is not None and contact.status == "in_progress"


def test_a_colleague_in_the_same_organisation_sees_it_too(colleague, two_contacts):
    assert (
        login_client(colleague).get(f"/staff/contacts/{two_contacts[0].public_id}").status_code
        == 200
    )


def test_an_outsider_from_another_region_gets_the_same_404_as_for_a_missing_contact(
    outsider, two_contacts
):
    client = login_client(outsider)
    assert client.get(f"/staff/contacts/{two_contacts[0].public_id}").status_code == 404
    assert client.get("/staff/contacts/00000000-0000-0000-0000-000000000000").status_code == 404
    assert two_contacts[0].short_ref not in client.get("/staff/inbox").content.decode()


def test_roles_without_inbox_rights_are_refused(privacy_officer, two_contacts):
    assert login_client(privacy_officer).get("/staff/inbox").status_code == 403


def test_anonymous_visitors_are_sent_to_login(visitor, two_contacts):
    assert visitor.get("/staff/inbox").status_code == 302


def test_registering_a_report_creates_a_report_record(case_worker, two_contacts):
    contact = two_contacts[0]
    client = login_client(case_worker)
    response = client.post(
        f"/staff/contacts/{contact.public_id}",
        {
            "outcome-outcome": "report",
            "outcome-version": contact.version,
            "outcome-summary": "Melding",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(contact=contact)
    assert report.violence_kinds == ["child_abuse"] and report.created_by == case_worker


def test_registering_advice(case_worker, two_contacts):
    contact = two_contacts[0]
    login_client(case_worker).post(
        f"/staff/contacts/{contact.public_id}",
        {"outcome-outcome": "advice", "outcome-version": contact.version},
    )
    assert AdviceRequest.objects.filter(contact=contact).exists()
    contact.refresh_from_db()
    assert contact.status == "closed"


def test_two_workers_registering_at_once_the_second_gets_a_clear_message(
    case_worker, colleague, two_contacts
):
    contact = two_contacts[0]
    stale_version = contact.version
    login_client(case_worker).post(
        f"/staff/contacts/{contact.public_id}",
        {"outcome-outcome": "advice", "outcome-version": stale_version},
    )
    second = login_client(colleague).post(
        f"/staff/contacts/{contact.public_id}",
        {"outcome-outcome": "report", "outcome-version": stale_version},
    )
    assert second.status_code == 400
    assert "collega" in second.content.decode()
    assert not Report.objects.exists()


def test_the_inbox_uses_a_bounded_number_of_queries(
    case_worker, two_contacts, django_assert_max_num_queries, visitor, form_data
):
    for _ in range(10):
        visitor.post("/report/new", form_data())
    client = login_client(case_worker)
    with django_assert_max_num_queries(12):
        client.get("/staff/inbox")
