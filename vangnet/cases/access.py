# SPDX-License-Identifier: EUPL-1.2
"""Who may see and change which case: the only place that decides it.

A case is visible to the staff of the organisation that holds it, by role (``Perm.VIEW_CASE``,
``EDIT_CASE``, ``ASSESS_SAFETY``, ``APPROVE_CLOSURE``). Staff of other organisations see nothing
(referrals and radar requests come later). A missing case and another organisation's case give
the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vangnet.accounts.access import Perm, has_perm, require
from vangnet.accounts.models import User
from vangnet.cases.models import Case


def cases_for(user: Any, perm: Perm = Perm.VIEW_CASE) -> QuerySet[Case]:
    """The cases of the user's organisation (raises 403 when the role lacks ``perm``)."""
    require(user, perm)
    return Case.objects.filter(organisation_id=user.organisation_id)


def case_for(user: Any, case_id: int, perm: Perm = Perm.VIEW_CASE) -> Case:
    """One case of the user's organisation, or 404 (missing and forbidden look the same)."""
    case = (
        cases_for(user, perm)
        .select_related("organisation", "municipality", "assigned_to", "opened_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def report_for(user: Any, report_id: int) -> Any:
    """A report (melding) held by the user's organisation, or 404."""
    from vangnet.intake.models import Report

    require(user, Perm.EDIT_CASE)
    report = (
        Report.objects.select_related("contact", "municipality")
        .filter(pk=report_id, organisation_id=user.organisation_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def can(user: Any, perm: Perm) -> bool:
    return has_perm(user, perm)


def assignable_staff(organisation_id: int) -> QuerySet[User]:
    """Staff of the organisation who can hold a case."""
    from vangnet.accounts.access import ROLE_PERMISSIONS

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.EDIT_CASE in perms]
    return User.objects.filter(
        organisation_id=organisation_id, role__in=roles, is_active=True
    ).order_by("first_name", "last_name")
