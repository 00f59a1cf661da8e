"""The visitor's side over HTTP: start, wait, chat without JavaScript, code, come back."""

import re

import pytest
from django.db import connection

from vangnet.chat.models import Conversation
from vangnet.chat.tests.conftest import new_cid, start_chat
from vangnet.chat.workflow import State
from vangnet.intake.models import Channel, Message, MessageDirection, Receipt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _meldpunt(meldpunt):
    return meldpunt


def test_the_start_page_asks_three_questions_in_plain_dutch(visitor):
    html = visitor.get("/chat/").content.decode()
    assert '<html lang="nl"' in html and "Snel weg" in html
    assert "nu in gevaar?" in html or "nu iemand in gevaar?" in html
    assert "Hoe oud ben je?" in html and "In welke taal wil je chatten?" in html
    assert 'href="tel:112"' in html


def test_the_start_page_is_offered_on_the_public_start_page(visitor):
    html = visitor.get("/").content.decode()
    assert 'href="/chat/"' in html and "Chat nu" in html


def test_starting_a_chat_creates_an_anonymous_chat_contact_in_the_queue(visitor, meldpunt):
    conversation = start_chat(visitor, age_group="12_15")
    contact = conversation.contact
    assert conversation.state == State.QUEUED
    assert contact.channel == Channel.CHAT and contact.anonymous
    assert contact.organisation == meldpunt
    assert conversation.priority == 3
    html = visitor.get("/chat/talk").content.decode()
    assert "Je wacht op een hulpverlener" in html
    assert "Je plek in de rij: 1" in html


def test_danger_now_shows_112_at_once_and_marks_the_chat_urgent(visitor):
    conversation = start_chat(visitor, acute=True)
    assert conversation.contact.acute and conversation.priority == 1
    html = visitor.get("/chat/talk").content.decode()
    assert 'href="tel:112"' in html and "Bel nu 112" in html


def test_a_visitor_with_an_open_chat_goes_straight_back_to_it(visitor):
    start_chat(visitor)
    assert visitor.get("/chat/")["Location"] == "/chat/talk"


def test_without_a_chat_the_talk_page_sends_you_to_the_start(visitor):
    assert visitor.get("/chat/talk")["Location"] == "/chat/"


def test_a_line_posted_without_javascript_is_stored_once_even_when_posted_twice(visitor):
    conversation = start_chat(visitor)
    cid = new_cid()
    for _ in range(2):
        response = visitor.post("/chat/talk", {"action": "send", "cid": cid, "body": "Ik ben bang"})
        assert response.status_code == 302
    lines = Message.objects.filter(
        contact=conversation.contact, direction=MessageDirection.FROM_REPORTER
    )
    assert [m.body for m in lines] == ["Ik ben bang"]
    assert "Ik ben bang" in visitor.get("/chat/talk").content.decode()


def test_checking_for_new_messages_keeps_what_you_were_typing(visitor):
    start_chat(visitor)
    response = visitor.post(
        "/chat/talk", {"action": "refresh", "cid": new_cid(), "body": "half af"}
    )
    assert response.status_code == 200
    assert "half af</textarea>" in response.content.decode()


def test_an_oversized_line_is_refused_and_the_text_kept(visitor):
    conversation = start_chat(visitor)
    text = "x" * 2001
    response = visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": text})
    assert response.status_code == 400
    assert "te lang" in response.content.decode()
    assert text in response.content.decode()
    assert not Message.objects.filter(
        contact=conversation.contact, direction="from_reporter"
    ).exists()


def test_control_characters_are_refused(visitor):
    start_chat(visitor)
    response = visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "a\x1b[2Jb"})
    assert response.status_code == 400


def test_the_visitor_can_end_the_chat_and_start_again_in_the_same_contact(visitor):
    conversation = start_chat(visitor)
    visitor.post("/chat/end")
    conversation.refresh_from_db()
    assert conversation.state == State.ENDED
    visitor.post("/chat/continue")
    conversation.refresh_from_db()
    assert conversation.state == State.QUEUED
    assert Conversation.objects.count() == 1


def code_from(html: str) -> str:
    found = re.search(r"data-return-code>([0-9A-Z-]+)<", html)
    assert found, "no return code on the page"
    return found.group(1)


def test_a_return_code_is_shown_once_and_never_in_a_url(visitor):
    conversation = start_chat(visitor)
    response = visitor.post("/chat/code")
    code = code_from(response.content.decode())
    assert len(code.replace("-", "")) == 36
    assert Receipt.objects.filter(contact=conversation.contact).count() == 1
    again = visitor.post("/chat/code").content.decode()
    assert "data-return-code" not in again and "nieuwe code" in again
    assert code not in response.get("Location", "")


def test_a_new_code_replaces_the_old_one(visitor, client):
    start_chat(visitor)
    old = code_from(visitor.post("/chat/code").content.decode())
    new = code_from(visitor.post("/chat/code", {"replace": "1"}).content.decode())
    assert old != new
    assert client.post("/chat/come-back", {"code": old}).status_code == 400
    assert client.post("/chat/come-back", {"code": new}).status_code == 302


def test_coming_back_with_the_code_continues_the_same_contact_on_another_device(visitor, client):
    conversation = start_chat(visitor)
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "eerste keer"})
    code = code_from(visitor.post("/chat/code").content.decode())
    visitor.post("/chat/end")

    response = client.post("/chat/come-back", {"code": code.lower().replace("-", " ")})
    assert response["Location"] == "/chat/talk"
    html = client.get("/chat/talk").content.decode()
    assert "eerste keer" in html
    conversation.refresh_from_db()
    assert conversation.state == State.QUEUED
    client.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "tweede keer"})
    bodies = [
        m.body
        for m in Message.objects.filter(contact=conversation.contact, direction="from_reporter")
    ]
    assert bodies == ["eerste keer", "tweede keer"]
    # The first browser no longer holds the conversation.
    assert visitor.get("/chat/talk")["Location"] == "/chat/"


def test_a_wrong_code_gets_the_same_answer_as_an_unknown_one(client):
    from vangnet.lib import codes

    made_up = codes.generate().display
    response = client.post("/chat/come-back", {"code": made_up})
    assert response.status_code == 400 and "kennen deze code niet" in response.content.decode()
    typo = client.post("/chat/come-back", {"code": "ABCD"})
    assert typo.status_code == 400


def test_outside_opening_hours_the_visitor_leaves_a_message_and_gets_a_code(visitor, settings):
    settings.VANGNET_CHAT_OPENING_HOURS = "mon 03:00-03:01"
    page = visitor.get("/chat/").content.decode()
    assert "De chat is nu gesloten" in page
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found
    key = found.group(1)
    data = {
        "language": "nl",
        "age_group": "16_17",
        "danger_now": "no",
        "body": "Help mij",
        "idempotency_key": key,
    }
    first = visitor.post("/chat/", data)
    assert first.status_code == 200
    assert code_from(first.content.decode())
    visitor.post("/chat/", data)  # a double submit stores one message
    conversation = Conversation.objects.get()
    assert conversation.state == State.MESSAGE_WAITING
    assert [m.body for m in conversation.contact.messages.all()] == ["Help mij"]


def test_nothing_identifying_is_stored_and_lines_are_encrypted_at_rest(visitor):
    conversation = start_chat(visitor)
    visitor.post("/chat/talk", {"action": "send", "cid": new_cid(), "body": "geheimzinnig verhaal"})
    dump: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            dump.extend(str(row) for row in cursor.fetchall())
    text = "\n".join(dump)
    assert "geheimzinnig" not in text
    assert "203.0.113.77" not in text and "VisitorPhone" not in text
    assert (
        Message.objects.get(contact=conversation.contact, direction="from_reporter").body
        == "geheimzinnig verhaal"
    )


def test_the_public_chat_pages_follow_the_strict_policy(visitor):
    start_chat(visitor)
    response = visitor.get("/chat/talk")
    html = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "<script>" not in html and " style=" not in html
    assert 'type="application/json"' in html  # strings for chat.js, not code
    assert "no-store" in response["Cache-Control"]


def test_english_visitors_get_english(visitor):
    visitor.post("/i18n/set-language", {"language": "en", "next": "/chat/"})
    html = visitor.get("/chat/").content.decode()
    assert "Is someone in danger right now?" in html
