# SPDX-License-Identifier: EUPL-1.2
"""Who may do what. The only place that decides it (architecture principle 3).

Permissions are data: each role has a set of named permissions. Views and actions call
`require()` or `has_perm()`; object access helpers in each app's ``access.py`` build on these and
answer a missing and a forbidden object with the same 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from vangnet.accounts.models import Role, User


class Perm(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    HANDLE_CHAT = "handle_chat"
    SUPERVISE_CHAT = "supervise_chat"
    VIEW_INBOX = "view_inbox"
    HANDLE_CONTACT = "handle_contact"
    VIEW_CASE = "view_case"
    EDIT_CASE = "edit_case"
    ASSESS_SAFETY = "assess_safety"
    APPROVE_CLOSURE = "approve_closure"
    APPROVE_FORWARDING = "approve_forwarding"
    REQUEST_FORWARDING = "request_forwarding"
    RADAR_LOOKUP = "radar_lookup"
    VIEW_AUDIT = "view_audit"
    VIEW_STATISTICS = "view_statistics"
    MANAGE_DIRECTORY = "manage_directory"
    MANAGE_USERS = "manage_users"


_CASE_WORK = {
    Perm.VIEW_DASHBOARD,
    Perm.VIEW_INBOX,
    Perm.HANDLE_CONTACT,
    Perm.VIEW_CASE,
    Perm.EDIT_CASE,
    Perm.RADAR_LOOKUP,
    Perm.REQUEST_FORWARDING,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.COUNSELLOR: frozenset(
        {Perm.VIEW_DASHBOARD, Perm.HANDLE_CHAT, Perm.VIEW_INBOX, Perm.HANDLE_CONTACT}
    ),
    Role.TRIAGE_WORKER: frozenset(_CASE_WORK | {Perm.ASSESS_SAFETY, Perm.HANDLE_CHAT}),
    Role.CASE_WORKER: frozenset(_CASE_WORK | {Perm.ASSESS_SAFETY}),
    Role.SUPERVISOR: frozenset(
        _CASE_WORK
        | {
            Perm.ASSESS_SAFETY,
            Perm.HANDLE_CHAT,
            Perm.SUPERVISE_CHAT,
            Perm.APPROVE_CLOSURE,
            Perm.APPROVE_FORWARDING,
        }
    ),
    Role.PRIVACY_OFFICER: frozenset({Perm.VIEW_DASHBOARD, Perm.VIEW_AUDIT}),
    Role.STATISTICIAN: frozenset({Perm.VIEW_DASHBOARD, Perm.VIEW_STATISTICS}),
    Role.ADMINISTRATOR: frozenset({Perm.VIEW_DASHBOARD, Perm.MANAGE_DIRECTORY, Perm.MANAGE_USERS}),
}


def permissions(user: Any) -> frozenset[Perm]:
    if not isinstance(user, User) or not user.is_active or user.organisation_id is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def has_perm(user: Any, perm: Perm) -> bool:
    return perm in permissions(user)


def require(user: Any, perm: Perm) -> None:
    """Raise PermissionDenied (403) when the user's role lacks the permission."""
    if not has_perm(user, perm):
        raise PermissionDenied


def same_organisation_or_404(user: User, organisation_id: int | None) -> None:
    """Object-level check: a missing and a forbidden object look the same (404)."""
    if organisation_id is None or user.organisation_id != organisation_id:
        raise Http404
