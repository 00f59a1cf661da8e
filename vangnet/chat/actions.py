# SPDX-License-Identifier: EUPL-1.2
"""Every change to a chat: one named, atomic action that writes its history and audit event.

Lines of the chat are intake messages (``intake.actions.post_message``): committed before this
returns, stored once per client id. Events to other processes (channel layer) are sent only after
the commit (``live.send_after_commit``), so nobody is told about something that did not happen.
The WebSocket consumer sends its own line events (it is already on the event loop) and passes
``announce=False``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.audit.log import Actor, record
from vangnet.chat import conf, live, queue
from vangnet.chat.access import visitor_key_digest
from vangnet.chat.models import Conversation, ConversationEvent, EndReason, Handover, priority_for
from vangnet.chat.protocol import SIDE_OF_DIRECTION, Line, Refused
from vangnet.chat.workflow import (
    INITIAL,
    LIVE_STATES,
    Event,
    NotAllowed,
    Side,
    State,
    may_post,
    next_state,
)
from vangnet.intake import actions as intake
from vangnet.intake import receipts
from vangnet.intake.models import (
    AdviceRequest,
    Channel,
    Contact,
    Message,
    MessageDirection,
    Receipt,
    Report,
    ReporterType,
    RequestKind,
)
from vangnet.lib import codes, throttle

ACTIVITY = intake.ACTIVITY_CONVERSATION
CID_PREFIX = {Side.VISITOR: "v.", Side.COUNSELLOR: "c."}
DIRECTION = {
    Side.VISITOR: MessageDirection.FROM_REPORTER,
    Side.COUNSELLOR: MessageDirection.FROM_STAFF,
}


@dataclass(frozen=True)
class Started:
    conversation: Conversation
    visitor_key: str


# --- helpers -------------------------------------------------------------------------------


def _new_visitor_key() -> tuple[str, str]:
    key = secrets.token_urlsafe(32)
    return key, visitor_key_digest(key)


def _event(
    conversation: Conversation, event: Event, from_state: str, actor: Any, at: datetime
) -> None:
    ConversationEvent.objects.create(
        conversation=conversation,
        event=event,
        from_state=from_state,
        to_state=conversation.state,
        actor=actor if isinstance(actor, User) else None,
        at=at,
    )


def _audit(actor: Any, action: str, conversation: Conversation, **details: Any) -> None:
    record(
        actor=Actor.staff(actor) if isinstance(actor, User) else Actor.public(),
        action=action,
        activity=ACTIVITY,
        obj=conversation,
        organisation_id=conversation.contact.organisation_id,
        details=details or None,
    )


def _scalar(sql: str, params: list[Any]) -> Any:
    """One value of one row (or None). The few statements every chat line, ping and reconnect
    runs are written out: the ORM spent more CPU composing each of them (0.3-0.7 ms) than the
    database spent answering (ADR 0021)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(message=_message_table()), params)
        row = cursor.fetchone()
    return row[0] if row else None


def _message_table() -> str:
    return connection.ops.quote_name(Message._meta.db_table)


def _prev_seq(contact_id: int, seq: int) -> int:
    return int(
        _scalar(
            "SELECT MAX(id) FROM {message} WHERE contact_id = %s AND id < %s", [contact_id, seq]
        )
        or 0
    )


def _line(message: Message, *, created: bool) -> Line:
    return Line(
        seq=message.pk,
        prev=_prev_seq(message.contact_id, message.pk),
        side=SIDE_OF_DIRECTION[MessageDirection(message.direction)],
        body=message.body,
        at=message.created_at,
        cid=message.client_id[2:] if message.client_id else "",
        created=created,
    )


def _system_line(conversation: Conversation, text: Any, author: Any = None) -> Line:
    """A line from the system (joined, transferred, ended), in the conversation's language."""
    with translation.override(conversation.contact.language or "nl"):
        body = str(text())
    message, created = intake.post_message(
        conversation.contact,
        direction=MessageDirection.SYSTEM,
        body=body,
        author=author if isinstance(author, User) else None,
    )
    line = _line(message, created=created)
    live.send_after_commit(live.conversation_group(conversation.pk), line.event())
    return line


def _announce_state(conversation: Conversation, event: Event) -> None:
    live.send_after_commit(
        live.conversation_group(conversation.pk),
        {
            "type": "chat.state",
            "state": conversation.state,
            "event": str(event),
            "counsellor_id": conversation.counsellor_id,
        },
    )
    live.queue_changed(conversation.contact.organisation_id)


def _locked(conversation_id: int) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .get(pk=conversation_id)
    )


def _move(
    conversation: Conversation, event: Event, actor: Any, now: datetime, **changes: Any
) -> str:
    """Apply a transition from the table to a locked conversation; returns the old state."""
    old = conversation.state
    try:
        conversation.state = next_state(old, event)
    except NotAllowed:
        raise Refused("not_allowed") from None
    for name, value in changes.items():
        setattr(conversation, name, value)
    conversation.save(update_fields=["state", *changes])
    _event(conversation, event, old, actor, now)
    return old


# --- the visitor ---------------------------------------------------------------------------


def start_chat(*, language: str, age_group: str, acute: bool) -> Started:
    """A visitor joins the queue. No account, no name, nothing about their device is kept."""
    now = timezone.now()
    key, digest = _new_visitor_key()
    with transaction.atomic():
        contact = Contact.objects.create(
            organisation=intake.route(None),
            channel=Channel.CHAT,
            requested_kind=RequestKind.ADVICE,
            reporter_type=ReporterType.VICTIM,
            language=language,
            age_group=age_group,
            acute=acute,
            anonymous=True,
            received_at=now,
            last_activity_at=now,
        )
        conversation = Conversation.objects.create(
            contact=contact,
            state=INITIAL[Event.START],
            priority=priority_for(acute=acute, age_group=age_group),
            visitor_key_digest=digest,
            created_at=now,
            queued_at=now,
        )
        _event(conversation, Event.START, "", None, now)
        record(
            actor=Actor.public(),
            action="contact_created",
            activity=intake.ACTIVITY_INTAKE,
            obj=contact,
            organisation_id=contact.organisation_id,
            details={"channel": Channel.CHAT, "acute": acute},
        )
        live.queue_changed(contact.organisation_id)
    live.mark_present(conversation.pk)
    return Started(conversation, key)


@dataclass(frozen=True)
class LeftMessage:
    conversation: Conversation
    code: codes.ReturnCode | None
    visitor_key: str


def leave_message(
    *, idempotency_key: str, language: str, age_group: str, acute: bool, body: str
) -> LeftMessage:
    """Outside opening hours: the message is stored with a return code to read the answer."""
    submitted = intake.submit_contact(
        idempotency_key=idempotency_key,
        fields={
            "channel": Channel.CHAT,
            "requested_kind": RequestKind.ADVICE,
            "reporter_type": ReporterType.VICTIM,
            "language": language,
            "age_group": age_group,
            "acute": acute,
        },
        narrative="",
        persons=None,
        reporter_details=None,
        first_message=body,
    )
    contact = submitted.contact
    now = timezone.now()
    key, digest = _new_visitor_key()
    with transaction.atomic():
        conversation, created = Conversation.objects.get_or_create(
            contact=contact,
            defaults={
                "state": INITIAL[Event.LEAVE_MESSAGE],
                "priority": priority_for(acute=contact.acute, age_group=contact.age_group),
                "created_at": now,
            },
        )
        conversation.visitor_key_digest = digest
        conversation.save(update_fields=["visitor_key_digest"])
        if created:
            _event(conversation, Event.LEAVE_MESSAGE, "", None, now)
            live.queue_changed(contact.organisation_id)
    return LeftMessage(conversation, submitted.code, key)


def end_by_visitor(conversation_id: int) -> Conversation:
    now = timezone.now()
    with transaction.atomic():
        conversation = _locked(conversation_id)
        if conversation.state not in LIVE_STATES:
            return conversation  # already ended: ending twice is not an error for the visitor
        _move(
            conversation, Event.VISITOR_END, None, now, ended_at=now, end_reason=EndReason.VISITOR
        )
        _system_line(conversation, lambda: _("You ended the chat."))
        _audit(None, "chat_ended", conversation, by="visitor")
        _announce_state(conversation, Event.VISITOR_END)
    return conversation


def resume(conversation_id: int) -> Conversation:
    """The visitor wants to talk live again: back in the queue, in the same contact."""
    now = timezone.now()
    with transaction.atomic():
        conversation = _locked(conversation_id)
        if conversation.state in LIVE_STATES:
            return conversation
        contact = conversation.contact
        _move(
            conversation,
            Event.RESUME,
            None,
            now,
            counsellor=None,
            queued_at=now,
            accepted_at=None,
            ended_at=None,
            end_reason=EndReason.NONE,
            priority=priority_for(acute=contact.acute, age_group=contact.age_group),
        )
        _system_line(conversation, lambda: _("You are back. You are waiting for a counsellor."))
        _audit(None, "chat_resumed", conversation)
        _announce_state(conversation, Event.RESUME)
    live.mark_present(conversation.pk)
    return conversation


@dataclass(frozen=True)
class CodeResume:
    result: receipts.CheckResult
    conversation: Conversation | None = None
    visitor_key: str = ""
    locked_seconds: int = 0


def bind_with_code(raw_code: str) -> CodeResume:
    """A visitor enters their return code: this browser now holds the conversation.

    A contact that started as a web form gets a conversation here, so a live chat can follow it.
    An older browser session that held the conversation loses it (a new key is set).
    """
    check = receipts.check(raw_code)
    if check.result != receipts.CheckResult.OK or check.contact is None:
        return CodeResume(check.result, locked_seconds=check.locked_seconds)
    contact = check.contact
    now = timezone.now()
    key, digest = _new_visitor_key()
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(
            contact=contact,
            defaults={
                "state": State.ENDED,
                "priority": priority_for(acute=contact.acute, age_group=contact.age_group),
                "created_at": now,
                "end_reason": EndReason.ANSWERED,
            },
        )
        Conversation.objects.filter(pk=conversation.pk).update(visitor_key_digest=digest)
        conversation.visitor_key_digest = digest
        _audit(None, "return_code_used", conversation)
        # A browser that held the conversation before loses it, open socket included.
        live.send_after_commit(
            live.conversation_group(conversation.pk), {"type": "chat.rekey", "digest": digest}
        )
    return CodeResume(check.result, conversation, key)


def issue_return_code(conversation_id: int, *, replace: bool = False) -> codes.ReturnCode | None:
    """The visitor asks for a code during the chat. One code per contact: asking again replaces
    the earlier code (only its hash is stored, so it cannot be shown twice). Returns None when a
    code exists and ``replace`` is false."""
    with transaction.atomic():
        conversation = _locked(conversation_id)
        existing = Receipt.objects.filter(contact_id=conversation.contact_id)
        if existing.exists():
            if not replace:
                return None
            existing.delete()
        code = receipts.issue(conversation.contact)
        _audit(None, "return_code_issued", conversation, replaced=replace)
    return code


# --- lines ---------------------------------------------------------------------------------


def send_message(
    conversation_id: int,
    *,
    side: Side,
    cid: str,
    body: str,
    user: User | None = None,
    announce: bool = True,
) -> Line:
    """Store one line; return it once committed (this is when the client gets its ack).

    A resent ``cid`` returns the stored line (``created=False``) whatever has happened since —
    it was stored, so it is acknowledged. New lines are refused with a :class:`Refused` code when
    the state does not allow them, the counsellor no longer holds the chat, or the conversation
    is over its rate limit.
    """
    client_id = CID_PREFIX[side] + cid
    with transaction.atomic():
        # The hot path: lock the row and load only what a line needs (the contact's other
        # columns, some encrypted, are not read).
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("contact")
            .only(
                "state",
                "public_id",
                "counsellor_id",
                "contact_id",
                "contact__id",
                "contact__organisation_id",
                "contact__language",
                "contact__acute",
                "contact__age_group",
                "contact__last_activity_at",  # post_message touches the contact once a minute
            )
            .get(pk=conversation_id)
        )
        if side == Side.COUNSELLOR and (user is None or conversation.counsellor_id != user.pk):
            raise Refused("not_found")
        if not may_post(side, conversation.state):
            # Refused as new, but a resend of a line stored before the change is acknowledged.
            existing = Message.objects.filter(
                contact_id=conversation.contact_id, client_id=client_id
            ).first()
            if existing is None:
                raise Refused("ended" if side == Side.VISITOR else "not_allowed", cid=cid)
            message, created = existing, False
        else:
            limit = throttle.Limit("chat-line", conf.rate_messages(), conf.rate_window_seconds())
            if throttle.hit(limit, str(conversation.public_id), side) > limit.max_hits:
                # (A resend over the limit waits too; it is acknowledged once the window ends.)
                raise Refused("rate_limited", cid=cid, retry_after=limit.window_seconds)
            message, created = intake.post_message(
                conversation.contact,
                direction=DIRECTION[side],
                body=body,
                author=user if side == Side.COUNSELLOR else None,
                client_id=client_id,
            )
        if message.direction != DIRECTION[side]:
            raise Refused("bad_cid", cid=cid)
        line = _line(message, created=created)
        if created and side == Side.COUNSELLOR and conversation.state == State.MESSAGE_WAITING:
            now = timezone.now()
            _move(conversation, Event.REPLY, user, now, ended_at=now, end_reason=EndReason.ANSWERED)
            _announce_state(conversation, Event.REPLY)
        if announce:
            live.send_after_commit(live.conversation_group(conversation.pk), line.event())
    return line


def latest_seq(contact_id: int) -> int:
    return int(_scalar("SELECT MAX(id) FROM {message} WHERE contact_id = %s", [contact_id]) or 0)


_HISTORY_COUNTS = (
    "SELECT SUM(CASE WHEN id <= %s THEN 1 ELSE 0 END), SUM(CASE WHEN id > %s THEN 1 ELSE 0 END) "
    "FROM {message} WHERE contact_id = %s"
)


def history(contact_id: int, *, last_seq: int, count: int) -> tuple[list[Line], bool]:
    """What a (re)connecting client is missing. ``(lines, complete)``: complete means every line
    of the thread, because the client's count showed it lacks one below ``last_seq`` (a line
    committed late with a lower id, or a client that starts empty)."""
    messages = Message.objects.filter(contact_id=contact_id).order_by("id")
    if last_seq:
        # One statement for the usual reconnect (nothing missed): how many lines the client
        # should hold up to its last seq, and whether any came after it.
        with connection.cursor() as cursor:
            cursor.execute(
                _HISTORY_COUNTS.format(message=_message_table()), [last_seq, last_seq, contact_id]
            )
            known, newer = cursor.fetchone()
        complete = (known or 0) != count
        if not complete and not newer:
            return [], False
    else:
        complete = True
    if not complete:
        messages = messages.filter(id__gt=last_seq)
    lines: list[Line] = []
    prev = 0 if complete else last_seq
    for message in messages:
        lines.append(
            Line(
                seq=message.pk,
                prev=prev,
                side=SIDE_OF_DIRECTION[MessageDirection(message.direction)],
                body=message.body,
                at=message.created_at,
                cid=message.client_id[2:] if message.client_id else "",
            )
        )
        prev = message.pk
    return lines, complete


# --- the counsellor ------------------------------------------------------------------------


def accept(user: User, conversation_id: int) -> Conversation:
    """Take a waiting chat (or a left message). Live chats count against the counsellor's
    maximum; two counsellors taking the same chat: one wins, the other gets ``taken``."""
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one accept at a time
        conversation = _locked(conversation_id)
        if conversation.contact.organisation_id != user.organisation_id:
            raise Refused("not_found")
        if conversation.state == State.MESSAGE_WAITING:
            _move(conversation, Event.ACCEPT, user, now, counsellor=user)
            intake.open_contact(user, conversation.contact)
            _announce_state(conversation, Event.ACCEPT)
            return conversation
        if conversation.state != State.QUEUED:
            raise Refused("taken")
        if queue.active_count(user.pk) >= user.max_concurrent_chats:
            raise Refused("full")
        _move(conversation, Event.ACCEPT, user, now, counsellor=user, accepted_at=now)
        intake.open_contact(user, conversation.contact)
        _system_line(conversation, lambda: _("A counsellor is here to talk with you."), user)
        _audit(user, "chat_accepted", conversation)
        _announce_state(conversation, Event.ACCEPT)
    return conversation


def take_next(user: User) -> Conversation | None:
    """Accept the first chat in the queue order; None when the queue is empty."""
    for candidate in queue.waiting(user.organisation_id, limit=20):  # type: ignore[arg-type]
        try:
            return accept(user, candidate.pk)
        except Refused as exc:
            if exc.code != "taken":
                raise
    return None


def transfer(user: User, conversation_id: int, colleague: User, note: str) -> Conversation:
    """Hand the chat to a colleague of the same organisation, with a note for them."""
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=colleague.pk).first()
        conversation = _locked(conversation_id)
        if conversation.counsellor_id != user.pk:
            raise Refused("not_found")
        if (
            colleague.organisation_id != conversation.contact.organisation_id
            or colleague.pk == user.pk
        ):
            raise Refused("not_found")
        if (
            conversation.state == State.ACTIVE
            and queue.active_count(colleague.pk) >= colleague.max_concurrent_chats
        ):
            raise Refused("colleague_full")
        _move(conversation, Event.TRANSFER, user, now, counsellor=colleague)
        Handover.objects.create(
            conversation=conversation, from_user=user, to_user=colleague, note=note, at=now
        )
        _system_line(conversation, lambda: _("You are now talking with another counsellor."), user)
        _audit(user, "chat_transferred", conversation, to_user=colleague.pk)
        _announce_state(conversation, Event.TRANSFER)
        live.send_after_commit(
            live.user_group(colleague.pk),
            {"type": "chat.assigned", "conversation": str(conversation.public_id)},
        )
    return conversation


def requeue(user: User, conversation_id: int, note: str) -> Conversation:
    """Back to the queue (keeping the visitor's place), with a note for whoever takes it."""
    now = timezone.now()
    with transaction.atomic():
        conversation = _locked(conversation_id)
        if conversation.counsellor_id != user.pk:
            raise Refused("not_found")
        _move(conversation, Event.REQUEUE, user, now, counsellor=None, accepted_at=None)
        Handover.objects.create(
            conversation=conversation, from_user=user, to_user=None, note=note, at=now
        )
        _system_line(
            conversation,
            lambda: _("Your counsellor had to stop. The next counsellor will take over soon."),
            user,
        )
        _audit(user, "chat_requeued", conversation)
        _announce_state(conversation, Event.REQUEUE)
    return conversation


def end_by_counsellor(user: User, conversation_id: int) -> Conversation:
    now = timezone.now()
    with transaction.atomic():
        conversation = _locked(conversation_id)
        if conversation.counsellor_id != user.pk:
            raise Refused("not_found")
        _move(conversation, Event.END, user, now, ended_at=now, end_reason=EndReason.COUNSELLOR)
        _system_line(conversation, lambda: _("The counsellor has ended the chat."), user)
        _audit(user, "chat_ended", conversation, by="counsellor")
        _announce_state(conversation, Event.END)
    return conversation


READ_COALESCE_SECONDS = 60


def read(user: User, conversation: Conversation) -> None:
    """A counsellor reads a conversation (a page or fragment): audited every time."""
    _audit(user, "read", conversation)
    live.note_read(user.pk, conversation.pk, READ_COALESCE_SECONDS)


def read_live(user: User, conversation: Conversation) -> bool:
    """A counsellor's chat socket connects (and gets the lines it missed): audited as a read,
    unless this counsellor's read of this conversation was recorded in the last minute.

    The socket is the live part of the chat page, whose load is always audited; it connects
    right after that load and again after every network hiccup or server restart. One event
    per user, conversation and minute still answers who read what and when, and after a
    crashed server process a thousand reconnecting sockets do not each queue for an audit
    chain. Fails safe: without the cache entry (expired, evicted, a new cache), the read is
    recorded. Returns whether an event was written."""
    if not live.first_read_in(user.pk, conversation.pk, READ_COALESCE_SECONDS):
        return False
    _audit(user, "read", conversation)
    return True


def record_outcome(
    user: User, conversation: Conversation, *, kind: str, version: int, summary: str
) -> AdviceRequest | Report:
    """Register the chat as advice or a report. The transcript is the contact's messages, so it
    goes with the outcome without being copied. Raises ``intake.StaleVersion`` on a conflict."""
    if kind == RequestKind.REPORT:
        return intake.record_report(user, conversation.contact, version=version, summary=summary)
    return intake.record_advice(user, conversation.contact, version=version, summary=summary)


# --- the system ----------------------------------------------------------------------------


def expire_abandoned(now: datetime | None = None) -> int:
    """End live chats whose visitor has been gone longer than the grace period."""
    now = now or timezone.now()
    grace = conf.grace_seconds()
    rows = list(
        Conversation.objects.filter(state__in=LIVE_STATES).values_list(
            "pk", "created_at", "queued_at", "accepted_at"
        )
    )
    seen = live.last_seen(pk for pk, *_rest in rows)
    ended = 0
    for pk, *moments in rows:
        reference = seen.get(pk) or max(m.timestamp() for m in moments if m is not None)
        if now.timestamp() - reference <= grace:
            continue
        with transaction.atomic():
            conversation = _locked(pk)
            if conversation.state not in LIVE_STATES:
                continue
            _move(
                conversation, Event.ABANDON, None, now, ended_at=now, end_reason=EndReason.ABANDONED
            )
            _system_line(
                conversation, lambda: _("The chat has ended because you were away for a while.")
            )
            record(
                actor=Actor.system("chat-sweep"),
                action="chat_abandoned",
                activity=ACTIVITY,
                obj=conversation,
                organisation_id=conversation.contact.organisation_id,
            )
            _announce_state(conversation, Event.ABANDON)
        ended += 1
    return ended
