import logging
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from vangnet.audit.models import AuditEvent
from vangnet.intake.models import Contact
from vangnet.intake.retention import delete_expired
from vangnet.intake.tests.conftest import code_from

SECRET_STORY = "Mijn stiefvader slaat mij met een riem"


def all_text_in_database() -> str:
    """Every text value in every table, as the database stores it."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.extend(str(v) for v in row if v is not None)
    return "\n".join(chunks)


def test_the_database_holds_no_plaintext_narrative_and_no_ip_or_user_agent(
    visitor, form_data, caplog
):
    caplog.set_level(logging.DEBUG)
    code = code_from(
        visitor.post("/report/new", form_data(narrative=SECRET_STORY, person1_name="Jeroen Smit"))
    )
    visitor.post("/return", {"code": code})
    visitor.post("/return/thread", {"body": "Nog een bericht met geheim"})
    stored = all_text_in_database()
    for secret in (
        SECRET_STORY,
        "Jeroen Smit",
        "Nog een bericht met geheim",
        "203.0.113.77",
        "VisitorPhone",
    ):
        assert secret not in stored, secret
    assert Contact.objects.get().narrative == SECRET_STORY  # and it still decrypts
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("203.0.113.77", "VisitorPhone", code, code.replace("-", "")):
        assert secret not in logs


def test_the_code_never_appears_in_a_url(visitor, form_data):
    response = visitor.post("/report/new", form_data())
    code = code_from(response)
    back = visitor.post("/return", {"code": code})
    assert code not in back["Location"] and code.replace("-", "") not in back["Location"]


def test_retention_deletes_old_anonymous_contacts_without_report_and_audits_without_content(
    visitor, form_data, case_worker
):
    from conftest import login_client

    visitor.post("/report/new", form_data(narrative="Oud advies"))
    visitor.post("/report/new", form_data(narrative="Oude melding"))
    visitor.post("/report/new", form_data(narrative="Recent"))
    old_advice, old_report, recent = Contact.objects.order_by("id")
    login_client(case_worker).post(
        f"/staff/contacts/{old_report.public_id}",
        {"outcome-outcome": "report", "outcome-version": old_report.version},
    )
    long_ago = timezone.now() - timedelta(days=400)
    Contact.objects.filter(pk__in=[old_advice.pk, old_report.pk]).update(last_activity_at=long_ago)
    result = delete_expired()
    assert result.deleted == 1
    assert set(Contact.objects.values_list("pk", flat=True)) == {old_report.pk, recent.pk}
    event = AuditEvent.objects.get(action="contact_deleted")
    assert event.object_id == str(old_advice.pk)
    assert "Oud advies" not in str(event.details)


def test_retention_does_not_delete_a_contact_that_became_active_again(visitor, form_data):
    visitor.post("/report/new", form_data())
    Contact.objects.update(last_activity_at=timezone.now() - timedelta(days=400))
    contact = Contact.objects.get()
    Contact.objects.filter(pk=contact.pk).update(last_activity_at=timezone.now())
    assert delete_expired().deleted == 0
