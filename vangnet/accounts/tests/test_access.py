import pytest

from vangnet.accounts import access
from vangnet.accounts.access import ROLE_PERMISSIONS, Perm
from vangnet.accounts.models import Role


def test_every_role_has_a_permission_set():
    assert set(ROLE_PERMISSIONS) == {r.value for r in Role}


@pytest.mark.parametrize(
    ("role", "perm", "allowed"),
    [
        (Role.COUNSELLOR, Perm.HANDLE_CHAT, True),
        (Role.COUNSELLOR, Perm.VIEW_CASE, False),
        (Role.CASE_WORKER, Perm.APPROVE_CLOSURE, False),
        (Role.SUPERVISOR, Perm.APPROVE_CLOSURE, True),
        (Role.SUPERVISOR, Perm.APPROVE_FORWARDING, True),
        (Role.PRIVACY_OFFICER, Perm.VIEW_AUDIT, True),
        (Role.PRIVACY_OFFICER, Perm.VIEW_CASE, False),
        (Role.STATISTICIAN, Perm.VIEW_CASE, False),
        (Role.ADMINISTRATOR, Perm.VIEW_CASE, False),
    ],
)
def test_role_permissions(role, perm, allowed, region_utrecht, make_staff):
    user = make_staff(f"u.{role}", region_utrecht, role)
    assert access.has_perm(user, perm) is allowed


def test_inactive_users_and_anonymous_users_have_no_permissions(counsellor):
    from django.contrib.auth.models import AnonymousUser

    counsellor.is_active = False
    assert access.permissions(counsellor) == frozenset()
    assert access.permissions(AnonymousUser()) == frozenset()
