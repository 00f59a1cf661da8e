# SPDX-License-Identifier: EUPL-1.2
"""Who may see and do what in the referrals app: the only place that decides it.

- The help directory: every staff member may read it (they refer callers to it); only roles with
  ``Perm.MANAGE_DIRECTORY`` change it.
- Consent, legal grounds, referrals and police forwardings of a case belong to the organisation
  that holds the case (sender side). A receiving organisation sees a referral only once it has
  been approved and sent, and then only the snapshot of what was shared.

A missing object and a forbidden one give the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vangnet.accounts.access import Perm, require
from vangnet.accounts.models import Organisation, OrganisationType
from vangnet.cases import access as cases_access
from vangnet.cases.models import Case
from vangnet.referrals.models import Consent, HelpEntry, LegalGround, PoliceForwarding, Referral
from vangnet.referrals.purposes import Purpose
from vangnet.referrals.workflow import (
    PENDING,
    RECEIVER,
    RECEIVER_SEES_REFERRAL,
    SENDER,
    ReferralKind,
    State,
)


def help_entry_for_manager(user: Any, slug: str) -> HelpEntry:
    require(user, Perm.MANAGE_DIRECTORY)
    entry = HelpEntry.objects.filter(slug=slug).first()
    if entry is None:
        raise Http404
    return entry


# --- consent, legal grounds and disclosures -----------------------------------------------------

PARTNER_TYPES = (
    OrganisationType.LOCAL_TEAM,
    OrganisationType.SPECIALIST,
    OrganisationType.SHELTER,
    OrganisationType.MENTAL_HEALTH,
    OrganisationType.FORENSIC,
    OrganisationType.OTHER,
)


def case_for(user: Any, case_id: int, perm: Perm = Perm.VIEW_CASE) -> Case:
    """A case of the user's own organisation (the sending side), or 404."""
    return cases_access.case_for(user, case_id, perm)


def recipients(purpose: str) -> QuerySet[Organisation]:
    """Who data may be sent to for a purpose: police units, or partner organisations."""
    types = (OrganisationType.POLICE,) if purpose == Purpose.POLICE else PARTNER_TYPES
    return Organisation.objects.filter(type__in=types, active=True).order_by("name")


def consent_for(user: Any, consent_id: int, perm: Perm = Perm.EDIT_CASE) -> Consent:
    require(user, perm)
    found = (
        Consent.objects.select_related("case", "subject", "recipient")
        .filter(pk=consent_id, case__organisation_id=user.organisation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def legal_ground_for(user: Any, ground_id: int, perm: Perm = Perm.EDIT_CASE) -> LegalGround:
    require(user, perm)
    found = (
        LegalGround.objects.select_related("case", "subject", "recipient")
        .filter(pk=ground_id, case__organisation_id=user.organisation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


_DISCLOSURE_RELATED = (
    "case", "sender", "receiver", "subject", "consent", "legal_ground", "requested_by",
    "decided_by",
)  # fmt: skip


def referral_for(user: Any, public_id: Any, perm: Perm = Perm.VIEW_CASE) -> tuple[Referral, str]:
    """A referral and the side the user is on: the sender always, the receiver only once it
    has been sent. Anyone else, and a missing referral, gets the same 404."""
    require(user, perm)
    referral = (
        Referral.objects.select_related(*_DISCLOSURE_RELATED).filter(public_id=public_id).first()
    )
    if referral is None:
        raise Http404
    if referral.sender_id == user.organisation_id:
        return referral, SENDER
    if referral.receiver_id == user.organisation_id and referral.state in RECEIVER_SEES_REFERRAL:
        return referral, RECEIVER
    raise Http404


def forwarding_for(user: Any, public_id: Any, perm: Perm = Perm.VIEW_CASE) -> PoliceForwarding:
    """A police forwarding of the user's own organisation, or 404. The police do not log in
    here: they receive the export package."""
    require(user, perm)
    found = (
        PoliceForwarding.objects.select_related(*_DISCLOSURE_RELATED)
        .filter(public_id=public_id, sender_id=user.organisation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def incoming_referrals(user: Any) -> QuerySet[Referral]:
    require(user, Perm.VIEW_CASE)
    return Referral.objects.filter(
        receiver_id=user.organisation_id, state__in=RECEIVER_SEES_REFERRAL
    ).select_related("sender")


def waiting_for_approval(user: Any) -> tuple[QuerySet[Referral], QuerySet[PoliceForwarding]]:
    require(user, Perm.APPROVE_FORWARDING)
    org = user.organisation_id
    return (
        Referral.objects.filter(sender_id=org, state__in=PENDING).select_related(
            "case", "receiver", "requested_by"
        ),
        PoliceForwarding.objects.filter(sender_id=org, state__in=PENDING).select_related(
            "case", "receiver", "requested_by"
        ),
    )


def open_handovers(case: Any) -> int:
    """Handovers of this case not yet accepted or ended: the sender is still responsible.
    Public for the case app (e.g. to warn before closing a case)."""
    return Referral.objects.filter(
        case=case, kind=ReferralKind.HANDOVER, state__in=[State.REQUESTED, State.OFFERED]
    ).count()
