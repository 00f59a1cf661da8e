"""What one chat line costs the database, counted in statements (not timed), and the audit chain
of a busy organisation under concurrent writers. A change that adds a statement to every line
must change the numbers here, on purpose (docs/adr/0020-chat.md, "Measured")."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vangnet.audit.models import AuditEvent
from vangnet.audit.verify import verify_all
from vangnet.chat import actions
from vangnet.chat.tests.conftest import new_cid
from vangnet.chat.workflow import Side
from vangnet.intake.models import Contact, Message

pytestmark = pytest.mark.django_db(transaction=True)

# Statements per line in its own transaction, BEGIN and COMMIT included: lock the conversation,
# savepoint, insert the line (a resent client id fails on the unique constraint there; no
# look-up first), audit (chain head and insert; PostgreSQL: an advisory lock on the chain — an
# organisation's or a public shard — instead of the savepoint and its release), release, the
# previous line's id. Before issue #4's work: 13 on both; with a look-up of the client id first:
# 11 and 12.
STATEMENTS = {
    "postgresql": {Side.VISITOR: 10, Side.COUNSELLOR: 10},
    "sqlite": {Side.VISITOR: 11, Side.COUNSELLOR: 11},
}


@pytest.fixture
def live_chat(meldpunt_staff):
    counsellor = meldpunt_staff["counsellor"]
    counsellor.max_concurrent_chats = 50
    counsellor.save(update_fields=["max_concurrent_chats"])

    def start():
        started = actions.start_chat(language="nl", age_group="", acute=False)
        return actions.accept(counsellor, started.conversation.pk)

    return counsellor, start


def _send(conversation, side, user):
    return actions.send_message(
        conversation.pk,
        side=side,
        cid=new_cid(),
        body="Ik wil praten.",
        user=user if side == Side.COUNSELLOR else None,
        announce=False,
    )


def _statements(conversation, side, user):
    with CaptureQueriesContext(connection) as ctx:
        _send(conversation, side, user)
    return [q["sql"] for q in ctx.captured_queries]


def test_a_chat_line_costs_a_fixed_number_of_statements(live_chat):
    counsellor, start = live_chat
    conversation = start()
    _send(conversation, Side.VISITOR, None)  # the first line of a contact touches the contact
    expected = STATEMENTS[connection.vendor]
    for side in (Side.VISITOR, Side.COUNSELLOR):
        statements = _statements(conversation, side, counsellor)
        assert len(statements) == expected[side], "\n".join(statements)
        assert not any(s.startswith('UPDATE "intake_contact"') for s in statements)


def test_the_contact_is_touched_again_after_a_minute_of_lines(live_chat):
    _counsellor, start = live_chat
    conversation = start()
    _send(conversation, Side.VISITOR, None)
    earlier = timezone.now() - timedelta(minutes=2)
    Contact.objects.filter(pk=conversation.contact_id).update(last_activity_at=earlier)

    statements = _statements(conversation, Side.VISITOR, None)

    assert sum(s.startswith('UPDATE "intake_contact"') for s in statements) == 1
    contact = Contact.objects.get(pk=conversation.contact_id)
    assert contact.last_activity_at > earlier + timedelta(minutes=1)


def test_a_resent_line_stores_and_audits_nothing_new(live_chat):
    _counsellor, start = live_chat
    conversation = start()
    cid = new_cid()
    first = actions.send_message(conversation.pk, side=Side.VISITOR, cid=cid, body="Hallo")
    lines, events = Message.objects.count(), AuditEvent.objects.count()
    again = actions.send_message(conversation.pk, side=Side.VISITOR, cid=cid, body="Hallo")
    assert (again.seq, again.created) == (first.seq, False)
    assert (Message.objects.count(), AuditEvent.objects.count()) == (lines, events)
    # and the line after it follows the first one, not a gap left by the refused insert
    after = actions.send_message(conversation.pk, side=Side.VISITOR, cid=new_cid(), body="Nog")
    assert after.prev == first.seq


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_counsellors_writing_at_once_all_get_their_lines_and_audit_events_stored(live_chat):
    """Eight threads append counsellor lines (one organisation's audit chain) at the same time.
    Before the chain lock, racing writers ran out of retries ("Could not append to audit chain")
    under this load; now they queue, every line is stored once and the chain is intact."""
    counsellor, start = live_chat
    conversations = [start() for _ in range(8)]
    before = AuditEvent.objects.count()
    errors: list[BaseException] = []
    gate = threading.Barrier(len(conversations))

    def writer(conversation):
        try:
            gate.wait(timeout=10)
            for _ in range(15):
                _send(conversation, Side.COUNSELLOR, counsellor)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(c,)) for c in conversations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for conversation in conversations:
        stored = Message.objects.filter(
            contact_id=conversation.contact_id, client_id__startswith="c."
        )
        assert stored.count() == 15
    assert AuditEvent.objects.count() - before == 8 * 15
    assert verify_all().problem is None


# Statements of a reconnect's database work (the socket's setup and its ``hello``), when the
# client missed nothing: after a crashed worker a thousand sockets do this at once. Visitor:
# session, conversation, status, "missed anything?". Counsellor: session, user, OTP device,
# conversation, status, "missed anything?" (its read was audited less than a minute ago).
RECONNECT_STATEMENTS = {"visitor": 4, "counsellor": 6}


def test_a_reconnect_costs_a_fixed_number_of_statements_and_loads_no_contact_details(
    meldpunt_staff,
):
    from importlib import import_module

    from django.conf import settings
    from django.test import Client

    from conftest import login_client
    from vangnet.chat.consumers import CounsellorConsumer, VisitorConsumer
    from vangnet.chat.tests.conftest import start_chat

    store = import_module(settings.SESSION_ENGINE).SessionStore
    visitor_client = Client()
    conversation = start_chat(visitor_client)
    counsellor = meldpunt_staff["counsellor"]
    actions.accept(counsellor, conversation.pk)
    staff_client = login_client(counsellor)
    actions.send_message(conversation.pk, side=Side.VISITOR, cid=new_cid(), body="Hallo")
    seqs = list(Message.objects.filter(contact_id=conversation.contact_id).values_list("id"))
    last, count = max(seqs)[0], len(seqs)

    def reconnect(consumer, scope):
        consumer.scope = scope
        with CaptureQueriesContext(connection) as ctx:
            found = consumer._find()
            conv = found[1] if isinstance(found, tuple) else found
            consumer.conversation_id, consumer.contact_id = conv.pk, conv.contact_id
            info, (lines, complete) = consumer._hello(last, count)
        assert info["state"] == "active" and lines == [] and not complete
        return [q["sql"] for q in ctx.captured_queries]

    visitor = reconnect(
        VisitorConsumer(), {"session": store(visitor_client.cookies["sessionid"].value)}
    )
    staff_scope = {
        "session": store(staff_client.cookies["sessionid"].value),
        "url_route": {"kwargs": {"public_id": conversation.public_id}},
    }
    reconnect(CounsellorConsumer(), dict(staff_scope))  # the first read in a minute is audited
    staff_scope["session"] = store(staff_client.cookies["sessionid"].value)
    counsellor_sql = reconnect(CounsellorConsumer(), staff_scope)

    assert len(visitor) == RECONNECT_STATEMENTS["visitor"], "\n".join(visitor)
    assert len(counsellor_sql) == RECONNECT_STATEMENTS["counsellor"], "\n".join(counsellor_sql)
    for sql in visitor + counsellor_sql:
        assert '"narrative"' not in sql and '"reporter_details"' not in sql
