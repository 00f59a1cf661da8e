# SPDX-License-Identifier: EUPL-1.2
"""Who may see which contact. Missing and forbidden give the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vangnet.accounts.access import Perm, require
from vangnet.intake.models import Contact


def contacts_for(user: Any) -> QuerySet[Contact]:
    """Contacts held by the user's organisation."""
    require(user, Perm.VIEW_INBOX)
    return Contact.objects.filter(organisation_id=user.organisation_id)


def contact_for_staff(user: Any, public_id: Any, perm: Perm = Perm.VIEW_INBOX) -> Contact:
    require(user, perm)
    contact = (
        Contact.objects.select_related("organisation", "municipality", "assigned_to")
        .filter(public_id=public_id, organisation_id=user.organisation_id)
        .first()
    )
    if contact is None:
        raise Http404
    return contact
