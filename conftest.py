# SPDX-License-Identifier: EUPL-1.2
"""Shared test personas: a counsellor, a colleague in the same organisation, an outsider from
another region, a supervisor, and an anonymous visitor (a plain client)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.auth import SESSION_LOGIN_AT, SESSION_OTP_AT
from vangnet.accounts.models import Municipality, Organisation, OrganisationType, Role, User

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def region_utrecht(db: Any) -> Organisation:
    org = Organisation.objects.create(
        code="vt20", name="Veilig Thuis Utrecht", type=OrganisationType.VT_REGION
    )
    Municipality.objects.create(code="GM0344", name="Utrecht", vt_region=org)
    Municipality.objects.create(code="GM0307", name="Amersfoort", vt_region=org)
    return org


@pytest.fixture
def region_amsterdam(db: Any) -> Organisation:
    org = Organisation.objects.create(
        code="vt01", name="Veilig Thuis Amsterdam-Amstelland", type=OrganisationType.VT_REGION
    )
    Municipality.objects.create(code="GM0363", name="Amsterdam", vt_region=org)
    return org


@pytest.fixture
def meldpunt(db: Any) -> Organisation:
    return Organisation.objects.create(
        code="meldpunt", name="Landelijk meldpunt", type=OrganisationType.NATIONAL_MELDPUNT
    )


@pytest.fixture
def make_staff(db: Any) -> Callable[..., User]:
    def make(username: str, org: Organisation, role: str) -> User:
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            organisation=org,
            role=role,
            first_name=username.split(".")[0].title(),
            last_name="Test",
        )
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def login_client(user: User, *, otp_age: float = 0) -> Client:
    """A client logged in with password and TOTP, as the login view would leave it."""
    client = Client()
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.get(user=user)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_LOGIN_AT] = time.time()
    session[SESSION_OTP_AT] = time.time() - otp_age
    session.save()
    return client


@pytest.fixture
def counsellor(region_utrecht: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("sanne.counsellor", region_utrecht, Role.COUNSELLOR)


@pytest.fixture
def case_worker(region_utrecht: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("fleur.caseworker", region_utrecht, Role.CASE_WORKER)


@pytest.fixture
def colleague(region_utrecht: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("mo.triage", region_utrecht, Role.TRIAGE_WORKER)


@pytest.fixture
def supervisor(region_utrecht: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("ingrid.supervisor", region_utrecht, Role.SUPERVISOR)


@pytest.fixture
def outsider(region_amsterdam: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("otto.outsider", region_amsterdam, Role.CASE_WORKER)


@pytest.fixture
def privacy_officer(region_utrecht: Organisation, make_staff: Callable[..., User]) -> User:
    return make_staff("pim.privacy", region_utrecht, Role.PRIVACY_OFFICER)


@pytest.fixture
def visitor() -> Client:
    """An anonymous member of the public, with a recognisable address and user agent."""
    return Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="VisitorPhone/9.9 (Secret)")
