# SPDX-License-Identifier: EUPL-1.2
"""Recording and withdrawing consent; recording and withdrawing a legal ground."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require
from vangnet.referrals import access, consent_rules, legal_grounds
from vangnet.referrals.actions.common import Refused, audit, history
from vangnet.referrals.models import Consent, LegalGround, Referral
from vangnet.referrals.sections import SECTIONS
from vangnet.referrals.workflow import State


def _check_scope(
    user: Any, case: Any, subject: Any, purpose: str, recipient: Any, sections: list[str]
) -> None:
    if case.organisation_id != user.organisation_id:
        raise Refused(_("This case belongs to another organisation."))
    if not case.is_open:
        raise Refused(_("This case is closed. Nothing can be shared from it any more."))
    if subject.case_id != case.pk:
        raise Refused(_("Choose a person of this case."))
    if not access.recipients(purpose).filter(pk=recipient.pk).exists():
        raise Refused(_("This organisation cannot receive data for this purpose."))
    if not sections or set(sections) - set(SECTIONS):
        raise Refused(_("Choose which data it covers."))


def record_consent(
    user: Any,
    case: Any,
    *,
    subject: Any,
    purpose: str,
    recipient: Any,
    sections: list[str],
    given_at: datetime,
    valid_until: datetime,
    how: str,
    given_by_subject: bool,
    given_by_representative: bool,
    subject_age: int | None = None,
    subject_capable: bool = True,
    representative_name: str = "",
    representative_relation: str = "",
    representative_is_suspect: bool = False,
    notes: str = "",
) -> Consent:
    """Record a consent after checking who gave it against the age rules."""
    require(user, Perm.EDIT_CASE)
    _check_scope(user, case, subject, purpose, recipient, sections)
    now = timezone.now()
    if given_at > now + timedelta(minutes=5):
        raise Refused(_("Consent cannot be given in the future."))
    if valid_until <= given_at or valid_until <= now:
        raise Refused(_("The end date must be after today."))
    if valid_until - given_at > consent_rules.MAX_VALIDITY:
        raise Refused(_("Consent can be recorded for at most one year. Ask again after that."))
    age = subject_age if subject_age is not None else subject.age_on(timezone.localdate(given_at))
    if age is None:
        raise Refused(_("The date of birth is not known: enter the age."))
    check = consent_rules.check_givers(
        age,
        subject_capable,
        consent_rules.Givers(
            subject=given_by_subject,
            representative=given_by_representative,
            representative_named=bool(representative_name.strip()),
            representative_is_suspect=representative_is_suspect,
        ),
    )
    if not check.ok:
        raise Refused(*(consent_rules.PROBLEM_TEXT[p] for p in check.problems))
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            subject=subject,
            purpose=purpose,
            recipient=recipient,
            sections=sorted(set(sections)),
            given_at=given_at,
            valid_until=valid_until,
            how=how,
            subject_age=age,
            subject_capable=subject_capable,
            rule=check.rule.key,
            given_by_subject=given_by_subject,
            given_by_representative=given_by_representative,
            representative_name=representative_name.strip() if given_by_representative else "",
            representative_relation=representative_relation if given_by_representative else "",
            notes=notes,
            recorded_at=now,
            recorded_by=user,
        )
        details = {
            "consent": consent.pk,
            "purpose": purpose,
            "rule": check.rule.key,
            "sections": consent.sections,
        }
        history(user, case, "consent_recorded", {**details, "receiver": recipient.name})
        audit(
            user,
            "consent_recorded",
            consent,
            case=case,
            subject=subject,
            receiver=recipient,
            details=details,
        )
    return consent


def _withdraw_offered_referrals(user: Any, basis_field: str, basis: Any, reason: str) -> None:
    """A referral that is sent but not yet accepted loses its basis: withdraw it, so the
    receiver no longer sees its content. Accepted ones have been handed over already."""
    now = timezone.now()
    offered = Referral.objects.select_for_update().filter(
        **{basis_field: basis}, state=State.OFFERED
    )
    for referral in offered:
        Referral.objects.filter(pk=referral.pk).update(
            state=State.WITHDRAWN, responded_at=now, response_reason=reason
        )
        history(
            user,
            referral.case,
            "referral_withdrawn",
            {
                "referral": referral.pk,
                "because": "basis_withdrawn",
                "receiver": referral.receiver.name,
            },
        )
        audit(
            user,
            "referral_withdrawn",
            referral,
            case=referral.case,
            subject=referral.subject,
            receiver=referral.receiver,
            details={"because": "basis_withdrawn"},
        )


def withdraw_consent(user: Any, consent: Consent, reason: str) -> Consent:
    """The person (or their representative) withdraws consent. From now on it covers nothing."""
    require(user, Perm.EDIT_CASE)
    if consent.case.organisation_id != user.organisation_id:
        raise Refused(_("This case belongs to another organisation."))
    if not reason.strip():
        raise Refused(_("Say who withdrew the consent and how."))
    now = timezone.now()
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at=None).update(
            withdrawn_at=now, withdrawn_by=user, withdrawal_reason=reason.strip()
        )
        if updated != 1:
            raise Refused(_("This consent was already withdrawn."))
        consent.refresh_from_db()
        history(user, consent.case, "consent_withdrawn", {"consent": consent.pk})
        audit(
            user,
            "consent_withdrawn",
            consent,
            case=consent.case,
            subject=consent.subject,
            receiver=consent.recipient,
        )
        _withdraw_offered_referrals(user, "consent", consent, str(_("Consent was withdrawn.")))
    return consent


def record_legal_ground(
    user: Any,
    case: Any,
    *,
    subject: Any,
    purpose: str,
    recipient: Any,
    sections: list[str],
    ground: str,
    justification: str,
    valid_until: datetime | None = None,
) -> LegalGround:
    """Record that the law allows sharing without consent here, and why."""
    require(user, Perm.EDIT_CASE)
    _check_scope(user, case, subject, purpose, recipient, sections)
    definition = legal_grounds.GROUNDS.get(ground)
    if definition is None or purpose not in definition.purposes:
        raise Refused(_("This legal ground does not apply to this purpose."))
    if len(justification.strip()) < 20:
        raise Refused(_("Explain why sharing without consent is needed (at least a sentence)."))
    now = timezone.now()
    until = valid_until or now + legal_grounds.DEFAULT_VALIDITY
    if until <= now or until - now > legal_grounds.MAX_VALIDITY:
        raise Refused(_("A legal ground is recorded for at most 30 days."))
    with transaction.atomic():
        found = LegalGround.objects.create(
            case=case,
            subject=subject,
            purpose=purpose,
            recipient=recipient,
            sections=sorted(set(sections)),
            ground=ground,
            justification=justification.strip(),
            recorded_at=now,
            valid_until=until,
            recorded_by=user,
        )
        details = {
            "legal_ground": found.pk,
            "purpose": purpose,
            "ground": ground,
            "sections": found.sections,
        }
        history(user, case, "legal_ground_recorded", {**details, "receiver": recipient.name})
        audit(
            user,
            "legal_ground_recorded",
            found,
            case=case,
            subject=subject,
            receiver=recipient,
            details=details,
        )
    return found


def withdraw_legal_ground(user: Any, ground: LegalGround, reason: str) -> LegalGround:
    require(user, Perm.EDIT_CASE)
    if ground.case.organisation_id != user.organisation_id:
        raise Refused(_("This case belongs to another organisation."))
    if not reason.strip():
        raise Refused(_("Say why the legal ground no longer applies."))
    now = timezone.now()
    with transaction.atomic():
        updated = LegalGround.objects.filter(pk=ground.pk, withdrawn_at=None).update(
            withdrawn_at=now, withdrawn_by=user, withdrawal_reason=reason.strip()
        )
        if updated != 1:
            raise Refused(_("This legal ground was already withdrawn."))
        ground.refresh_from_db()
        history(user, ground.case, "legal_ground_withdrawn", {"legal_ground": ground.pk})
        audit(
            user,
            "legal_ground_withdrawn",
            ground,
            case=ground.case,
            subject=ground.subject,
            receiver=ground.recipient,
        )
        _withdraw_offered_referrals(
            user, "legal_ground", ground, str(_("The legal ground was withdrawn."))
        )
    return ground
