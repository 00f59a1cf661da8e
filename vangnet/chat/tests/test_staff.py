"""The counsellor console and the supervisor's view over HTTP (the no-JavaScript path)."""

import pytest

from conftest import login_client
from vangnet.audit.models import AuditEvent
from vangnet.chat.models import Conversation, Handover
from vangnet.chat.tests.conftest import new_cid, start_chat
from vangnet.chat.workflow import State
from vangnet.intake.models import AdviceRequest, Message, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(meldpunt_staff):
    return {name: (user, login_client(user)) for name, user in meldpunt_staff.items()}


def accept(client, conversation):
    return client.post(f"/staff/chat/{conversation.public_id}/accept")


def test_the_console_lists_the_queue_by_urgency_age_and_waiting_time_without_content(
    staff, visitor, client
):
    adult = start_chat(client, age_group="25_plus")
    from django.test import Client

    minor = start_chat(Client(), age_group="12_15")
    urgent_adult = start_chat(Client(), acute=True, age_group="25_plus")
    unknown = start_chat(Client())
    client.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "heel geheim"})
    html = staff["counsellor"][1].get("/staff/chat/").content.decode()
    order = [c.short_ref for c in (urgent_adult, minor, unknown, adult)]
    positions = [html.index(ref) for ref in order]
    assert positions == sorted(positions)
    assert "heel geheim" not in html
    assert "Nu gevaar" in html


def test_accepting_assigns_the_chat_and_opens_it(staff, visitor):
    conversation = start_chat(visitor)
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "ben je daar?"})
    user, client = staff["counsellor"]
    response = accept(client, conversation)
    assert response["Location"] == f"/staff/chat/{conversation.public_id}/"
    conversation.refresh_from_db()
    assert conversation.state == State.ACTIVE and conversation.counsellor == user
    assert conversation.contact.first_opened_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "ben je daar?" in page
    assert AuditEvent.objects.filter(
        action="read",
        object_type="chat.Conversation",
        object_id=str(conversation.pk),
        actor_id=str(user.pk),
    ).exists()


def test_take_next_takes_the_most_urgent(staff):
    from django.test import Client

    start_chat(Client(), age_group="25_plus")
    urgent = start_chat(Client(), acute=True)
    response = staff["counsellor"][1].post("/staff/chat/next")
    assert response["Location"] == f"/staff/chat/{urgent.public_id}/"


def test_a_counsellor_cannot_take_more_chats_than_their_maximum(staff):
    from django.test import Client

    user, client = staff["counsellor"]
    user.max_concurrent_chats = 1
    user.save()
    first, second = start_chat(Client()), start_chat(Client())
    accept(client, first)
    response = accept(client, second)
    assert response["Location"] == "/staff/chat/"
    second.refresh_from_db()
    assert second.state == State.QUEUED
    assert "maximale aantal chats" in client.get("/staff/chat/").content.decode()


def test_two_counsellors_accepting_the_same_chat_one_wins(staff, visitor):
    conversation = start_chat(visitor)
    accept(staff["counsellor"][1], conversation)
    response = accept(staff["colleague"][1], conversation)
    assert response.status_code == 404  # no longer waiting: same answer as missing
    conversation.refresh_from_db()
    assert conversation.counsellor == staff["counsellor"][0]


def test_a_counsellor_from_another_organisation_gets_404_everywhere(
    staff, visitor, region_outsider
):
    conversation = start_chat(visitor)
    outsider = login_client(region_outsider)
    assert accept(outsider, conversation).status_code == 404
    accept(staff["counsellor"][1], conversation)
    for path in ["", "transfer", "end", "outcome", "standard-text"]:
        url = f"/staff/chat/{conversation.public_id}/{path}"
        response = (
            outsider.get(url) if not path else outsider.post(url, {"to": "queue", "note": "x"})
        )
        assert response.status_code == 404, url
    assert conversation.public_id.hex[:8] not in outsider.get("/staff/chat/").content.decode()
    conversation.refresh_from_db()
    assert conversation.state == State.ACTIVE


def test_a_colleague_it_is_not_assigned_to_cannot_read_it(staff, visitor):
    conversation = start_chat(visitor)
    accept(staff["counsellor"][1], conversation)
    assert staff["colleague"][1].get(f"/staff/chat/{conversation.public_id}/").status_code == 404
    assert (
        staff["colleague"][1].get("/staff/chat/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_roles_without_chat_permission_are_refused(region_utrecht, make_staff):
    from vangnet.accounts.models import Role

    privacy = login_client(make_staff("p.privacy", region_utrecht, Role.PRIVACY_OFFICER))
    assert privacy.get("/staff/chat/").status_code == 403
    assert privacy.get("/staff/chat/supervise").status_code == 403


def test_a_line_from_the_counsellor_without_javascript_is_stored_once(staff, visitor):
    conversation = start_chat(visitor)
    user, client = staff["counsellor"]
    accept(client, conversation)
    cid = new_cid()
    for _ in range(2):
        client.post(
            f"/staff/chat/{conversation.public_id}/",
            {"action": "send", "cid": cid, "body": "Hoi, ik ben er"},
        )
    assert (
        Message.objects.filter(
            contact=conversation.contact, author=user, direction="from_staff"
        ).count()
        == 1
    )
    assert "Hoi, ik ben er" in visitor.get("/chat/talk").content.decode()


def test_a_standard_text_is_sent_in_the_language_of_the_chat(staff, visitor):
    conversation = start_chat(visitor, language="en")
    client = staff["counsellor"][1]
    accept(client, conversation)
    client.post(
        f"/staff/chat/{conversation.public_id}/standard-text",
        {"key": "take_time", "cid": new_cid()},
    )
    assert Message.objects.get(contact=conversation.contact, direction="from_staff").body == (
        "Take your time. I am here and I am reading along."
    )


def test_transfer_to_a_colleague_with_a_note(staff, visitor):
    conversation = start_chat(visitor)
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "eerste verhaal"})
    client = staff["counsellor"][1]
    colleague, colleague_client = staff["colleague"]
    accept(client, conversation)
    response = client.post(
        f"/staff/chat/{conversation.public_id}/transfer",
        {"to": str(colleague.pk), "note": "Meisje, 15, bang thuis"},
    )
    assert response["Location"] == "/staff/chat/"
    conversation.refresh_from_db()
    assert conversation.counsellor == colleague and conversation.state == State.ACTIVE
    page = colleague_client.get(f"/staff/chat/{conversation.public_id}/").content.decode()
    assert "Meisje, 15, bang thuis" in page and "eerste verhaal" in page
    assert client.get(f"/staff/chat/{conversation.public_id}/").status_code == 404
    assert "andere hulpverlener" in visitor.get("/chat/talk").content.decode()
    assert Handover.objects.get().note == "Meisje, 15, bang thuis"


def test_transfer_to_someone_outside_the_organisation_is_refused(staff, visitor, region_outsider):
    conversation = start_chat(visitor)
    client = staff["counsellor"][1]
    accept(client, conversation)
    response = client.post(
        f"/staff/chat/{conversation.public_id}/transfer",
        {"to": str(region_outsider.pk), "note": "x"},
    )
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.counsellor == staff["counsellor"][0]


def test_back_to_the_queue_keeps_the_place_and_the_note(staff, visitor):
    conversation = start_chat(visitor)
    client = staff["counsellor"][1]
    accept(client, conversation)
    client.post(
        f"/staff/chat/{conversation.public_id}/transfer",
        {"to": "queue", "note": "Graag iemand die Engels spreekt"},
    )
    conversation.refresh_from_db()
    assert conversation.state == State.QUEUED and conversation.counsellor is None
    staff["colleague"][1].post(f"/staff/chat/{conversation.public_id}/accept")
    page = staff["colleague"][1].get(f"/staff/chat/{conversation.public_id}/").content.decode()
    assert "Graag iemand die Engels spreekt" in page


def test_ending_and_registering_as_advice_keeps_the_transcript(staff, visitor):
    conversation = start_chat(visitor)
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "mijn vader slaat"})
    user, client = staff["counsellor"]
    accept(client, conversation)
    client.post(f"/staff/chat/{conversation.public_id}/end")
    conversation.refresh_from_db()
    assert conversation.state == State.ENDED
    version = conversation.contact.version
    response = client.post(
        f"/staff/chat/{conversation.public_id}/outcome",
        {"kind": "advice", "summary": "Advies gegeven", "version": version},
    )
    assert response.status_code == 302
    advice = AdviceRequest.objects.get()
    assert advice.contact == conversation.contact and advice.created_by == user
    assert "mijn vader slaat" in [m.body for m in advice.contact.messages.all()]
    again = client.post(
        f"/staff/chat/{conversation.public_id}/outcome", {"kind": "report", "version": version + 1}
    )
    assert again.status_code == 400 and not Report.objects.exists()


def test_registering_as_a_report_with_a_stale_version_is_refused(staff, visitor):
    conversation = start_chat(visitor)
    client = staff["counsellor"][1]
    accept(client, conversation)
    stale = conversation.contact.version - 1 or 99
    response = client.post(
        f"/staff/chat/{conversation.public_id}/outcome", {"kind": "report", "version": stale}
    )
    assert response.status_code == 400 and not Report.objects.exists()
    fresh = Conversation.objects.get().contact.version
    assert (
        client.post(
            f"/staff/chat/{conversation.public_id}/outcome", {"kind": "report", "version": fresh}
        ).status_code
        == 302
    )
    assert Report.objects.get().contact == conversation.contact


def test_the_supervisor_sees_figures_and_load_without_content(staff, visitor):
    conversation = start_chat(visitor, acute=True, age_group="12_15")
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "zeer prive inhoud"})
    from django.test import Client

    start_chat(Client())
    accept(staff["counsellor"][1], conversation)
    html = staff["supervisor"][1].get("/staff/chat/supervise").content.decode()
    assert "zeer prive inhoud" not in html and conversation.short_ref not in html
    assert 'data-figure="waiting">1<' in html and 'data-figure="active">1<' in html
    assert "Noor" in html  # the counsellor's load row
    fragment = staff["supervisor"][1].get("/staff/chat/supervise/figures")
    assert fragment.status_code == 200 and "zeer prive inhoud" not in fragment.content.decode()
    assert staff["counsellor"][1].get("/staff/chat/supervise").status_code == 403


def test_a_left_message_is_taken_and_answered(staff, visitor, settings):
    settings.VANGNET_CHAT_OPENING_HOURS = "mon 03:00-03:01"
    visitor.post(
        "/chat/",
        {
            "language": "nl",
            "age_group": "",
            "danger_now": "no",
            "body": "Wie helpt mij?",
            "idempotency_key": "k" * 20,
        },
    )
    conversation = Conversation.objects.get()
    client = staff["counsellor"][1]
    assert "Wie helpt mij?" not in client.get("/staff/chat/").content.decode()
    accept(client, conversation)
    client.post(
        f"/staff/chat/{conversation.public_id}/",
        {"action": "send", "cid": new_cid(), "body": "Wij helpen je"},
    )
    conversation.refresh_from_db()
    assert conversation.state == State.ENDED and conversation.end_reason == "answered"
    assert "Wij helpen je" in visitor.get("/chat/talk").content.decode()


def test_abandoned_chats_end_after_the_grace_period(staff, visitor, settings):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from vangnet.chat.actions import expire_abandoned

    conversation = start_chat(visitor)
    assert expire_abandoned() == 0
    cache.clear()  # the visitor's presence is gone (tab closed long ago)
    from vangnet.chat import conf

    later = timezone.now() + timedelta(seconds=conf.grace_seconds() + 1)
    assert expire_abandoned(later) == 1
    conversation.refresh_from_db()
    assert conversation.state == State.ENDED and conversation.end_reason == "abandoned"


def test_deleting_the_contact_deletes_the_chat_with_it(staff, visitor):
    conversation = start_chat(visitor)
    client = staff["counsellor"][1]
    accept(client, conversation)
    client.post(
        f"/staff/chat/{conversation.public_id}/transfer", {"to": "queue", "note": "notitie"}
    )
    conversation.contact.delete()
    assert not Conversation.objects.exists() and not Handover.objects.exists()


def test_audit_details_hold_no_content(staff, visitor):
    conversation = start_chat(visitor)
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "inhoud123"})
    client = staff["counsellor"][1]
    accept(client, conversation)
    client.post(
        f"/staff/chat/{conversation.public_id}/transfer", {"to": "queue", "note": "notitie456"}
    )
    for event in AuditEvent.objects.all():
        text = str(event.details) + event.reason
        assert "inhoud123" not in text and "notitie456" not in text
    assert AuditEvent.objects.filter(action="chat_accepted").exists()
    assert AuditEvent.objects.filter(action="chat_requeued").exists()
