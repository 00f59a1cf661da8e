# SPDX-License-Identifier: EUPL-1.2
"""Every change to a contact is one named, atomic action that also writes its audit event.

The chat app and the case app call these too: a chat is a contact with channel ``chat``, and its
lines are messages of that contact.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from vangnet.accounts.models import Municipality, Organisation, OrganisationType
from vangnet.audit.log import Actor, record
from vangnet.intake import receipts
from vangnet.intake.models import (
    AdviceRequest,
    Contact,
    ContactStatus,
    Message,
    MessageDirection,
    Outcome,
    Report,
)
from vangnet.lib import codes

ACTIVITY_INTAKE = "vg-001-intake"
ACTIVITY_CONVERSATION = "vg-002-anonymous-conversation"
# How stale a contact's last_activity_at may be before a new message writes it again.
ACTIVITY_TOUCH_GRANULARITY = timedelta(minutes=1)


class StaleVersion(Exception):
    """Someone else changed the contact since this user loaded it (optimistic locking)."""


def route(municipality: Municipality | None) -> Organisation:
    """The Veilig Thuis region of the municipality; the national meldpunt when unknown."""
    if municipality is not None:
        return municipality.vt_region
    return Organisation.objects.get(type=OrganisationType.NATIONAL_MELDPUNT)


def idempotency_digest(key: str) -> str:
    return hmac.new(settings.VANGNET_PEPPER, f"idem|{key}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Submitted:
    contact: Contact
    code: codes.ReturnCode | None
    duplicate: bool


def submit_contact(
    *,
    idempotency_key: str,
    fields: dict[str, Any],
    narrative: str,
    persons: list[dict[str, Any]] | None,
    reporter_details: dict[str, Any] | None,
    first_message: str = "",
) -> Submitted:
    """Store a contact from the public side. Returns only after the commit (principle 1).

    A second submit with the same idempotency key returns the first contact (and its code, if
    still within the re-show window); nothing is stored twice. The unique index on the key's
    digest decides (no read before the insert: a repeat is rare and fails on the first insert).
    """
    digest = idempotency_digest(idempotency_key)
    for _attempt in range(5):
        now = timezone.now()
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    **fields,
                    organisation=route(fields.get("municipality")),
                    narrative=narrative,
                    persons=persons or None,
                    reporter_details=reporter_details or None,
                    received_at=now,
                    last_activity_at=now,
                    idempotency_digest=digest,
                )
                if first_message:
                    Message.objects.create(
                        contact=contact,
                        direction=MessageDirection.FROM_REPORTER,
                        body=first_message,
                        created_at=now,
                    )
                code = receipts.issue(contact, idempotency_key, savepoint=False)
                record(
                    actor=Actor.public(),
                    action="contact_created",
                    activity=ACTIVITY_INTAKE,
                    obj=contact,
                    organisation_id=contact.organisation_id,
                    details={"channel": contact.channel, "acute": contact.acute},
                )
        except IntegrityError:
            existing = Contact.objects.filter(idempotency_digest=digest).first()
            if existing is not None:
                # A double submit or retry (also one racing itself): the first one counts.
                return Submitted(
                    existing, receipts.reshow(existing, idempotency_key), duplicate=True
                )
            continue  # a return-code locator clash (40 random bits): all again, new locator
        return Submitted(contact, code, duplicate=False)
    raise RuntimeError("Could not store the contact")


def post_message(
    contact: Contact,
    *,
    direction: str,
    body: str,
    author: Any = None,
    client_id: str = "",
    at: datetime | None = None,
) -> tuple[Message, bool]:
    """Append a message to a contact's thread; a resent ``client_id`` is stored only once.

    Returns (message, created). The message is committed when this returns.
    """
    # A resent client_id meets the unique constraint (contact, client_id) and the stored message
    # is returned: no look-up first, resends are rare and every chat line paid for it.
    now = at or timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                contact=contact,
                direction=direction,
                body=body,
                author=author,
                created_at=now,
                client_id=client_id,
            )
            # last_activity_at feeds retention (counted in days): a contact touched in the last
            # minute is not written again, so a live chat does not rewrite the contact row per
            # line. Only a value already loaded on ``contact`` is trusted (never a deferred load).
            touched = contact.__dict__.get("last_activity_at")
            if touched is None or not (timedelta(0) <= now - touched < ACTIVITY_TOUCH_GRANULARITY):
                Contact.objects.filter(pk=contact.pk).update(last_activity_at=now)
                contact.last_activity_at = now
            actor = Actor.staff(author) if author is not None else Actor.public()
            record(
                actor=actor,
                action="message_posted",
                activity=ACTIVITY_CONVERSATION,
                obj=message,
                organisation_id=contact.organisation_id,
                details={"direction": direction},
            )
    except IntegrityError:
        if not client_id:
            raise
        return Message.objects.get(contact=contact, client_id=client_id), False
    return message, True


def open_contact(user: Any, contact: Contact) -> None:
    """A staff member opens a contact: audited; the first opening is the end of waiting."""
    with transaction.atomic():
        if contact.first_opened_at is None:
            now = timezone.now()
            Contact.objects.filter(pk=contact.pk, first_opened_at=None).update(
                first_opened_at=now, status=ContactStatus.IN_PROGRESS
            )
            contact.first_opened_at, contact.status = now, ContactStatus.IN_PROGRESS
        record(
            actor=Actor.staff(user),
            action="read",
            activity=ACTIVITY_INTAKE,
            obj=contact,
        )


def _bump(contact: Contact, expected_version: int, **changes: Any) -> None:
    updated = Contact.objects.filter(pk=contact.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise StaleVersion
    for name, value in changes.items():
        setattr(contact, name, value)
    contact.version = expected_version + 1


def record_advice(user: Any, contact: Contact, *, version: int, summary: str = "") -> AdviceRequest:
    """Register the contact as an advice request (advies)."""
    now = timezone.now()
    with transaction.atomic():
        _bump(contact, version, outcome=Outcome.ADVICE, status=ContactStatus.CLOSED, closed_at=now)
        advice = AdviceRequest.objects.create(
            contact=contact,
            organisation=contact.organisation,
            created_by=user,
            started_at=contact.received_at,
            ended_at=now,
            reporter_type=contact.reporter_type,
            violence_kinds=contact.violence_kinds,
            violence_duration=contact.violence_duration,
            summary=summary,
        )
        record(
            actor=Actor.staff(user),
            action="outcome_advice",
            activity=ACTIVITY_INTAKE,
            obj=contact,
        )
    return advice


def record_report(user: Any, contact: Contact, *, version: int, summary: str = "") -> Report:
    """Register the contact as a report (melding); the case app opens or joins a case."""
    now = timezone.now()
    with transaction.atomic():
        _bump(contact, version, outcome=Outcome.REPORT, status=ContactStatus.IN_PROGRESS)
        report = Report.objects.create(
            contact=contact,
            organisation=contact.organisation,
            municipality=contact.municipality,
            created_by=user,
            received_at=contact.received_at,
            registered_at=now,
            reporter_type=contact.reporter_type,
            acute=contact.acute,
            violence_kinds=contact.violence_kinds,
            violence_duration=contact.violence_duration,
            summary=summary,
        )
        record(
            actor=Actor.staff(user),
            action="outcome_report",
            activity=ACTIVITY_INTAKE,
            obj=contact,
        )
    return report


def staff_reply(user: Any, contact: Contact, body: str) -> Message:
    """A professional answers the reporter; a new contact is then clearly being looked at."""
    message, _created = post_message(
        contact, direction=MessageDirection.FROM_STAFF, body=body, author=user
    )
    Contact.objects.filter(pk=contact.pk, status=ContactStatus.NEW).update(
        status=ContactStatus.IN_PROGRESS, first_opened_at=message.created_at
    )
    return message
