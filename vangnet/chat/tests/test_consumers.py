"""The live protocol on the real ASGI application (origin check, sessions, auth, routing) with
the in-memory channel layer: acknowledgement after commit, resend without duplicates, catch-up
after a reconnect, refusal of bad frames, and who may open which socket."""

import logging

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client

from conftest import login_client
from vangnet.chat.models import Conversation
from vangnet.chat.tests.conftest import Socket, new_cid, start_chat
from vangnet.chat.workflow import State
from vangnet.intake.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chat(meldpunt_staff):
    """A visitor in an accepted chat with a counsellor (both with HTTP sessions)."""
    visitor = Client()
    conversation = start_chat(visitor)
    counsellor = meldpunt_staff["counsellor"]
    staff = login_client(counsellor)
    assert staff.post(f"/staff/chat/{conversation.public_id}/accept").status_code == 302
    return {
        "visitor": visitor,
        "staff": staff,
        "conversation": conversation,
        "counsellor": counsellor,
    }


def staff_path(conversation):
    return f"/ws/chat/staff/{conversation.public_id}"


def lines(conversation, direction=None):
    qs = Message.objects.filter(contact_id=conversation.contact_id).order_by("id")
    if direction:
        qs = qs.filter(direction=direction)
    return list(qs.values_list("id", "body"))


def run(coro_fn):
    async_to_sync(coro_fn)()


def test_a_line_is_acknowledged_after_it_is_stored_and_reaches_the_other_side(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        staff = Socket(chat["staff"], staff_path(chat["conversation"]))
        assert (await visitor.open())[0] and (await staff.open())[0]
        welcome, history = await visitor.hello()
        assert welcome["state"] == "active" and welcome["side"] == "visitor"
        assert [m["from"] for m in history["msgs"]] == ["system"]  # "a counsellor is here"
        await staff.hello()
        cid = new_cid()
        await visitor.send({"type": "send", "cid": cid, "body": "Ik durf niet naar huis"})
        ack = await visitor.until("ack")
        assert ack["cid"] == cid
        stored = await sync_to_async(lines)(chat["conversation"], "from_reporter")
        assert stored == [(ack["seq"], "Ik durf niet naar huis")]
        got = await staff.until("msg", {"from": "visitor"})
        assert got["seq"] == ack["seq"] and got["body"] == "Ik durf niet naar huis"
        assert "cid" not in got  # the other side never sees the visitor's client ids
        assert got["prev"] == history["msgs"][-1]["seq"]

        await staff.send({"type": "send", "cid": new_cid(), "body": "Je bent hier veilig"})
        reply = await visitor.until("msg", {"from": "counsellor"})
        assert reply["body"] == "Je bent hier veilig" and reply["prev"] == ack["seq"]
        await visitor.close()
        await staff.close()

    run(scenario)


def test_a_resent_line_is_stored_once_and_acknowledged_with_the_same_seq(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        await visitor.hello()
        cid = new_cid()
        await visitor.send({"type": "send", "cid": cid, "body": "een keer"})
        first = await visitor.until("ack")
        await visitor.close()
        # The ack was lost with the connection: the client sends the line again.
        again = Socket(chat["visitor"], "/ws/chat/visitor")
        await again.open()
        await again.hello(last_seq=0, count=0)
        await again.send({"type": "send", "cid": cid, "body": "een keer"})
        second = await again.until("ack")
        assert second["seq"] == first["seq"]
        await again.close()

    run(scenario)
    assert lines(chat["conversation"], "from_reporter") == [
        (lines(chat["conversation"], "from_reporter")[0][0], "een keer")
    ]


def test_after_a_reconnect_the_client_gets_exactly_what_it_missed(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        staff = Socket(chat["staff"], staff_path(chat["conversation"]))
        await visitor.open()
        await staff.open()
        _welcome, history = await visitor.hello()
        await staff.hello()
        held = [m["seq"] for m in history["msgs"]]
        await visitor.close()  # the tab loses its connection
        sent = []
        for text in ["Ben je er nog?", "Ik wacht op je"]:
            await staff.send({"type": "send", "cid": new_cid(), "body": text})
            sent.append((await staff.until("ack"))["seq"])
        back = Socket(chat["visitor"], "/ws/chat/visitor")
        await back.open()
        _welcome, missed = await back.hello(last_seq=max(held), count=len(held))
        assert missed["complete"] is False
        assert [m["seq"] for m in missed["msgs"]] == sent
        assert [m["body"] for m in missed["msgs"]] == ["Ben je er nog?", "Ik wacht op je"]
        # A client whose count shows a hole (a line it never got) receives the whole thread.
        _welcome, everything = await back.hello(last_seq=max(sent), count=len(held))
        assert everything["complete"] is True
        assert [m["seq"] for m in everything["msgs"]] == sorted(held + sent)
        await back.close()
        await staff.close()

    run(scenario)


def test_unacknowledged_lines_sent_again_after_a_reconnect_keep_their_order(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        await visitor.hello()
        cids = [new_cid() for _ in range(5)]
        for i, cid in enumerate(cids[:3]):
            await visitor.send({"type": "send", "cid": cid, "body": f"regel {i}"})
        acks = [await visitor.until("ack") for _ in range(3)]
        await visitor.close()
        again = Socket(chat["visitor"], "/ws/chat/visitor")
        await again.open()
        await again.hello()
        for i, cid in enumerate(cids):  # the client did not see acks 0-2: it sends all five
            await again.send({"type": "send", "cid": cid, "body": f"regel {i}"})
        acks2 = [await again.until("ack") for _ in range(5)]
        assert [a["seq"] for a in acks2[:3]] == [a["seq"] for a in acks]
        seqs = [a["seq"] for a in acks2]
        assert seqs == sorted(seqs) and len(set(seqs)) == 5
        await again.close()

    run(scenario)
    bodies = [b for _id, b in lines(chat["conversation"], "from_reporter")]
    assert bodies == [f"regel {i}" for i in range(5)]


@pytest.mark.parametrize(
    ("text", "data", "code"),
    [
        ("this is not json", None, "bad_frame"),
        ('{"type": "explode"}', None, "bad_frame"),
        ("[1, 2, 3]", None, "bad_frame"),
        (None, b"\x00\xff binary", "bad_frame"),
        ('{"type": "send", "cid": "abcdefgh12", "body": "' + "x" * 2001 + '"}', None, "too_long"),
        ('{"type": "send", "cid": "abcdefgh12", "body": "\\u0007"}', None, "invalid_characters"),
        ('{"type": "send", "cid": "abcdefgh12", "body": "\\ud800"}', None, "invalid_characters"),
        ('{"type": "send", "cid": "../../etc", "body": "hoi"}', None, "bad_cid"),
        ('{"type": "hello", "last_seq": "DROP TABLE"}', None, "bad_frame"),
        ('{"type": "send", "cid": "abcdefgh12", "body": "' + "x" * 40000 + '"}', None, "too_long"),
    ],
)
def test_bad_frames_are_refused_and_the_conversation_goes_on(chat, text, data, code):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        await visitor.hello()
        await visitor.raw(text, data)
        error = await visitor.until("error")
        assert error["code"] == code
        await visitor.send({"type": "send", "cid": new_cid(), "body": "nog steeds hier"})
        assert (await visitor.until("ack"))["seq"]
        await visitor.close()

    run(scenario)
    assert [b for _i, b in lines(chat["conversation"], "from_reporter")] == ["nog steeds hier"]


def test_a_client_that_keeps_sending_garbage_is_disconnected_but_the_chat_survives(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        for _ in range(30):
            await visitor.raw("garbage")
        assert await visitor.closed_with() == 4400
        again = Socket(chat["visitor"], "/ws/chat/visitor")
        assert (await again.open())[0]
        welcome, _history = await again.hello()
        assert welcome["state"] == "active"
        await again.close()

    run(scenario)


def test_flooding_is_rate_limited_per_conversation(chat, settings):
    settings.VANGNET_CHAT_RATE_MESSAGES = 3
    settings.VANGNET_CHAT_RATE_WINDOW_SECONDS = 60

    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        await visitor.hello()
        answers = []
        for i in range(5):
            await visitor.send({"type": "send", "cid": new_cid(), "body": f"spam {i}"})
            answers.append(await visitor.next())
            while answers[-1]["type"] not in {"ack", "error"}:
                answers[-1] = await visitor.next()
        assert [a["type"] for a in answers] == ["ack", "ack", "ack", "error", "error"]
        assert answers[3]["code"] == "rate_limited" and answers[3]["retry_after"] == 60
        await visitor.close()

    run(scenario)
    assert len(lines(chat["conversation"], "from_reporter")) == 3


def test_typing_goes_to_the_other_side_only(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        staff = Socket(chat["staff"], staff_path(chat["conversation"]))
        await visitor.open()
        await staff.open()
        await visitor.hello()
        await staff.hello()
        await visitor.send({"type": "typing"})
        assert (await staff.until("typing"))["from"] == "visitor"
        assert await visitor.nothing()
        await visitor.close()
        await staff.close()

    run(scenario)


def test_a_counsellor_of_another_organisation_cannot_open_the_socket(chat, region_outsider):
    outsider_client = login_client(region_outsider)

    async def scenario():
        outsider = Socket(outsider_client, staff_path(chat["conversation"]))
        assert await outsider.open() == (False, 4404)

    run(scenario)


def test_a_colleague_it_is_not_assigned_to_gets_the_same_answer_as_a_missing_chat(
    chat, meldpunt_staff
):
    colleague = login_client(meldpunt_staff["colleague"])

    async def scenario():
        assert await Socket(colleague, staff_path(chat["conversation"])).open() == (False, 4404)
        missing = "/ws/chat/staff/00000000-0000-0000-0000-000000000000"
        assert await Socket(colleague, missing).open() == (False, 4404)

    run(scenario)


def test_sockets_without_a_session_or_from_another_site_are_refused(chat):
    async def scenario():
        assert await Socket(None, "/ws/chat/visitor").open() == (False, 4404)
        assert (await Socket(None, staff_path(chat["conversation"])).open())[1] == 4401
        assert (await Socket(None, "/ws/chat/console").open())[1] == 4401
        evil = Socket(chat["visitor"], "/ws/chat/visitor", origin=b"https://evil.example")
        assert (await evil.open())[0] is False

    run(scenario)


def test_a_transfer_closes_the_old_counsellors_socket_and_the_new_one_takes_over(
    chat, meldpunt_staff
):
    colleague = meldpunt_staff["colleague"]
    colleague_client = login_client(colleague)

    async def scenario():
        old = Socket(chat["staff"], staff_path(chat["conversation"]))
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await old.open()
        await visitor.open()
        await old.hello()
        await visitor.hello()
        response = await sync_to_async(chat["staff"].post)(
            f"/staff/chat/{chat['conversation'].public_id}/transfer",
            {"to": str(colleague.pk), "note": "overdracht"},
        )
        assert response.status_code == 302
        assert await old.closed_with() == 4404
        notice = await visitor.until("msg", {"from": "system"})
        assert "andere hulpverlener" in notice["body"]
        new = Socket(colleague_client, staff_path(chat["conversation"]))
        assert (await new.open())[0]
        await new.hello()
        await visitor.send({"type": "send", "cid": new_cid(), "body": "hallo nieuwe"})
        assert (await new.until("msg", {"from": "visitor"}))["body"] == "hallo nieuwe"
        await new.close()
        await visitor.close()

    run(scenario)


def test_after_the_end_the_visitor_cannot_add_lines_but_the_counsellor_can(chat):
    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        staff = Socket(chat["staff"], staff_path(chat["conversation"]))
        await visitor.open()
        await staff.open()
        await visitor.hello()
        await staff.hello()
        await sync_to_async(chat["staff"].post)(f"/staff/chat/{chat['conversation'].public_id}/end")
        assert (await visitor.until("state"))["state"] == "ended"
        await visitor.send({"type": "send", "cid": new_cid(), "body": "wacht"})
        assert (await visitor.until("error"))["code"] == "ended"
        await staff.send(
            {"type": "send", "cid": new_cid(), "body": "Je kunt terugkomen met je code"}
        )
        assert (await staff.until("ack"))["seq"]
        await visitor.close()
        await staff.close()

    run(scenario)
    assert Conversation.objects.get().state == State.ENDED


def test_a_waiting_visitor_sees_their_place_in_the_queue(meldpunt_staff):
    first, second = Client(), Client()
    start_chat(first, acute=True)
    start_chat(second)

    async def scenario():
        visitor = Socket(second, "/ws/chat/visitor")
        await visitor.open()
        welcome, _history = await visitor.hello()
        assert welcome["state"] == "queued" and welcome["position"] == 2
        await visitor.close()

    run(scenario)


def test_the_console_gets_a_content_free_nudge_when_the_queue_changes(meldpunt_staff):
    staff = login_client(meldpunt_staff["counsellor"])

    async def scenario():
        console = Socket(staff, "/ws/chat/console")
        assert (await console.open())[0]
        await sync_to_async(start_chat)(Client())
        nudge = await console.until("queue")
        assert nudge == {"type": "queue"}
        await console.close()

    run(scenario)


def test_nothing_identifying_reaches_the_logs(chat, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        await visitor.hello()
        await visitor.raw("garbage")
        await visitor.send({"type": "send", "cid": new_cid(), "body": "geheim bericht"})
        await visitor.until("ack")
        await visitor.close()

    run(scenario)
    assert "203.0.113.77" not in caplog.text
    assert "VisitorPhone" not in caplog.text
    assert "geheim bericht" not in caplog.text


def test_using_the_return_code_elsewhere_closes_the_old_browsers_socket(chat):
    from vangnet.chat.tests.test_public import code_from

    code = code_from(chat["visitor"].post("/chat/code").content.decode())
    other_device = Client()

    async def scenario():
        old = Socket(chat["visitor"], "/ws/chat/visitor")
        await old.open()
        await old.hello()
        response = await sync_to_async(other_device.post)("/chat/come-back", {"code": code})
        assert response.status_code == 302
        assert await old.closed_with() == 4404
        new = Socket(other_device, "/ws/chat/visitor")
        assert (await new.open())[0]
        await new.close()

    run(scenario)


def test_a_line_written_outside_the_chat_is_found_through_the_pong(chat):
    """E.g. a staff reply from the intake inbox, or a channel-layer event that was dropped: no
    event arrives, but the next pong names a newer line and the client asks for it."""
    from vangnet.intake.actions import staff_reply

    async def scenario():
        visitor = Socket(chat["visitor"], "/ws/chat/visitor")
        await visitor.open()
        _welcome, history = await visitor.hello()
        held = [m["seq"] for m in history["msgs"]]
        message = await sync_to_async(staff_reply)(
            chat["counsellor"], chat["conversation"].contact, "Antwoord via de inbox"
        )
        await visitor.send({"type": "ping"})
        pong = await visitor.until("pong")
        assert pong["last_seq"] == message.pk and message.pk not in held
        await visitor.send({"type": "sync", "last_seq": max(held), "count": len(held)})
        missed = await visitor.until("history")
        assert [m["body"] for m in missed["msgs"]] == ["Antwoord via de inbox"]
        await visitor.close()

    run(scenario)


def test_a_counsellors_socket_read_is_audited_once_a_minute_and_page_views_every_time(chat):
    """The socket is the live part of the chat page (whose load is audited); a reconnect within
    a minute of an audited read adds no event. Without the cache entry it is audited again."""
    from django.core.cache import cache

    from vangnet.audit.models import AuditEvent

    conversation, counsellor = chat["conversation"], chat["counsellor"]

    def reads() -> int:
        return AuditEvent.objects.filter(
            action="read", object_id=str(conversation.pk), actor_id=str(counsellor.pk)
        ).count()

    cache.clear()
    before = reads()

    async def connect_and_hello() -> None:
        staff = Socket(chat["staff"], staff_path(conversation))
        assert (await staff.open())[0]
        _welcome, history = await staff.hello()
        assert history["msgs"]  # it did read the thread
        await staff.close()

    run(connect_and_hello)
    assert reads() == before + 1  # the first socket read of the minute
    run(connect_and_hello)
    run(connect_and_hello)
    assert reads() == before + 1  # reconnects within the minute
    assert chat["staff"].get(f"/staff/chat/{conversation.public_id}/").status_code == 200
    assert reads() == before + 2  # a page view is always recorded
    cache.clear()  # the minute is over (or the cache was lost): recorded again
    run(connect_and_hello)
    assert reads() == before + 3
