# SPDX-License-Identifier: EUPL-1.2
"""Handle with Care: show the signal for the attendance office once, and record the decision.

The message (name, date of birth, code word) is built on request from the encrypted person
record and returned to the view; it is never written to the database or the audit log
(domain rules §4: the school-facing message is ephemeral). The view is audited as a read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require
from vangnet.audit.log import record_read
from vangnet.cases.actions.common import Refused, audit, ensure_open, log_event, refresh_next_due
from vangnet.cases.models import SchoolSignal, SchoolSignalStatus
from vangnet.cases.models.school import CODE_WORD


@dataclass(frozen=True)
class SignalMessage:
    name: str
    date_of_birth: date | None
    code_word: str = CODE_WORD


def signal_message(user: Any, signal: SchoolSignal) -> SignalMessage:
    require(user, Perm.EDIT_CASE)
    record_read(user, signal, "vg-004-case-work", reason="handle_with_care")
    person = signal.person
    return SignalMessage(name=person.display_name, date_of_birth=person.birth_date)


def record_school_signal(
    user: Any, signal: SchoolSignal, *, sent: bool, recipient: str = "", reason: str = ""
) -> SchoolSignal:
    require(user, Perm.EDIT_CASE)
    case = signal.case
    ensure_open(case)
    if signal.status != SchoolSignalStatus.OPEN:
        raise Refused(_("This signal has already been decided."))
    if sent and not recipient.strip():
        raise Refused(_("Name the attendance office that received the signal."))
    if not sent and not reason.strip():
        raise Refused(_("Say why no signal is given."))
    now = timezone.now()
    with transaction.atomic():
        updated = SchoolSignal.objects.filter(pk=signal.pk, status=SchoolSignalStatus.OPEN).update(
            status=SchoolSignalStatus.SENT if sent else SchoolSignalStatus.NOT_SENT,
            recipient=recipient.strip() if sent else "",
            decided_at=now,
            decided_by=user,
        )
        if updated != 1:
            raise Refused(_("This signal has already been decided."))
        signal.refresh_from_db()
        if not sent:
            signal.reason = reason
            signal.save(update_fields=["reason"])
        log_event(
            user,
            case,
            "school_signal_sent" if sent else "school_signal_not_sent",
            reason="" if sent else reason,
            details={"signal": signal.pk, "on_time": now <= signal.due_at},
            at=now,
        )
        audit(
            user,
            "school_signal_sent" if sent else "school_signal_not_sent",
            case,
            obj=signal,
            details={"on_time": now <= signal.due_at},
            receiver=recipient.strip() if sent else "",
        )
        refresh_next_due(case)
    return signal
