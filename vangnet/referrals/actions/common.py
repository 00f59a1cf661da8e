# SPDX-License-Identifier: EUPL-1.2
"""Shared pieces of the referrals actions: the refusal, case history and the audit event."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

from vangnet.audit.log import Actor, record
from vangnet.referrals import pseudonyms

ACTIVITY_DISCLOSURE = "vg-006-disclosure"


class Refused(Exception):
    """The action is not possible; ``messages`` say why in plain words (no personal data)."""

    def __init__(self, *messages: Promise | str) -> None:
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


def history(user: Any, case: Any, action: str, details: dict[str, Any]) -> None:
    """A line in the case history (the case app's append-only CaseEvent)."""
    from vangnet.cases.actions.common import log_event

    log_event(user, case, action, details=details)


def audit(
    user: Any,
    action: str,
    obj: Any,
    *,
    case: Any,
    subject: Any = None,
    receiver: Any = None,
    details: dict[str, Any] | None = None,
    status: str = "ok",
) -> None:
    """One disclosure event: who, what, for which case, to whom (``receiver``), about whom
    (pseudonymised). Never names or free text in ``details``."""
    record(
        actor=Actor.staff(user),
        action=action,
        activity=ACTIVITY_DISCLOSURE,
        obj=obj,
        organisation_id=case.organisation_id,
        data_subject_id=pseudonyms.person_number(subject) if subject is not None else "",
        data_subject_type="person" if subject is not None else "",
        receiver=f"{receiver.code} {receiver.name}" if receiver is not None else "",
        details={"case": case.pk, **(details or {})},
        status=status,
    )
