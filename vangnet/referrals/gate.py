# SPDX-License-Identifier: EUPL-1.2
"""The gate: the one place that decides whether case data may leave the system.

Every release (a referral sent to a partner, a forwarding to the police) calls
:func:`check_release` inside the releasing transaction, whether the request comes from a web
page, the command line or an API. It refuses unless all of these hold at that moment:

1. a basis: a consent of the subject, or a recorded legal ground, that is valid now for this
   purpose, this recipient and every chosen section (``consent_rules.status``), and a consent's
   givers still satisfy the age rules;
2. four eyes: the approver holds ``Perm.APPROVE_FORWARDING``, works for the sending
   organisation and is not the person who asked for it;
3. a fresh second factor: proof of a second-factor check by this approver no older than
   ``STEP_UP_MAX_AGE_SECONDS`` (OWASP ASVS 7.5.3).

The proof of a second factor (:class:`StepUp`) can only come from the session (the web step-up
page) or from checking a TOTP code now (the command line).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, has_perm
from vangnet.accounts.auth import SESSION_OTP_AT
from vangnet.referrals import consent_rules


@dataclass(frozen=True)
class StepUp:
    """Evidence that ``user_id`` passed a second-factor check at ``at`` (epoch seconds)."""

    user_id: int
    at: float

    @classmethod
    def from_request(cls, request: HttpRequest) -> StepUp | None:
        user: Any = request.user
        at = request.session.get(SESSION_OTP_AT)
        if at is None or not getattr(user, "is_authenticated", False):
            return None
        return cls(int(user.pk), float(at))

    @classmethod
    def from_totp(cls, user: Any, token: str) -> StepUp | None:
        """Check a TOTP code now (command line). Audited like the web step-up."""
        from django_otp import match_token

        from vangnet.audit.log import Actor, record

        ok = match_token(user, (token or "").strip()) is not None
        record(
            actor=Actor.staff(user),
            action="step_up" if ok else "step_up_failed",
            activity="vg-010-security",
            status="ok" if ok else "error",
            obj=user,
            details={"via": "cli"},
        )
        return cls(int(user.pk), time.time()) if ok else None

    def is_fresh_for(self, user: Any, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self.user_id == user.pk and 0 <= now - self.at <= settings.STEP_UP_MAX_AGE_SECONDS


class Blocked(Exception):
    """The gate refuses; ``reasons`` say why in plain words (never personal data)."""

    def __init__(self, reasons: list[Promise]) -> None:
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = reasons


NO_BASIS = _("There is no consent and no legal ground for this.")
BASIS_STATUS: dict[consent_rules.Status, Promise] = {
    consent_rules.Status.WITHDRAWN: _("The consent or legal ground has been withdrawn."),
    consent_rules.Status.EXPIRED: _("The consent or legal ground has expired."),
    consent_rules.Status.NOT_YET_VALID: _("The consent or legal ground is not valid yet."),
    consent_rules.Status.OTHER_PURPOSE: _("The consent or legal ground is for another purpose."),
    consent_rules.Status.OTHER_RECIPIENT: _(
        "The consent or legal ground is for another recipient."
    ),
    consent_rules.Status.NOT_COVERED: _(
        "The consent or legal ground does not cover all the data you chose."
    ),
    consent_rules.Status.GIVERS_INCOMPLETE: _(
        "The consent was not given by the right people for this person's age."
    ),
}
NOT_AN_APPROVER = _("Only a supervisor of the sending organisation can approve this.")
FOUR_EYES = _("You asked for this yourself. Another supervisor must approve it (four eyes).")
STALE_SECOND_FACTOR = _("Confirm with a new code from your authenticator app first.")
WRONG_SUBJECT = _("The consent or legal ground is about another person or another case.")


def basis_problems(disclosure: Any, purpose: str, at: datetime) -> list[Promise]:
    """Why the disclosure's basis does not allow it at ``at`` (empty: it does)."""
    basis = disclosure.consent if disclosure.consent_id else disclosure.legal_ground
    if basis is None or (disclosure.consent_id and disclosure.legal_ground_id):
        return [NO_BASIS]
    if basis.case_id != disclosure.case_id or basis.subject_id != disclosure.subject_id:
        return [WRONG_SUBJECT]
    found = consent_rules.status(
        basis.terms(),
        at=at,
        purpose=purpose,
        recipient_id=disclosure.receiver_id,
        sections=frozenset(disclosure.sections),
    )
    return [] if found is consent_rules.Status.VALID else [BASIS_STATUS[found]]


def approver_problems(user: Any, disclosure: Any, step_up: StepUp | None) -> list[Promise]:
    problems: list[Promise] = []
    if not has_perm(user, Perm.APPROVE_FORWARDING) or user.organisation_id != disclosure.sender_id:
        problems.append(NOT_AN_APPROVER)
    if user.pk == disclosure.requested_by_id:
        problems.append(FOUR_EYES)
    if step_up is None or not step_up.is_fresh_for(user):
        problems.append(STALE_SECOND_FACTOR)
    return problems


def check_release(
    user: Any, disclosure: Any, purpose: str, step_up: StepUp | None, at: datetime
) -> None:
    """Raise :class:`Blocked` unless the data may leave now. Call inside the transaction."""
    problems = approver_problems(user, disclosure, step_up) + basis_problems(
        disclosure, purpose, at
    )
    if problems:
        raise Blocked(problems)
