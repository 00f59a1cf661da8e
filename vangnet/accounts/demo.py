# SPDX-License-Identifier: EUPL-1.2
"""Demo organisations and staff: one user per role in two regions, plus the national meldpunt.

TOTP secrets are derived from the user name so that loading twice gives the same secrets; that is
only acceptable because this runs in demo mode (the command refuses production).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import Organisation, OrganisationType, Role, User
from vangnet.accounts.reference import load_regions

DEMO_PASSWORD = "vangnet-demo-2026"  # noqa: S105 - demo mode only, printed by `make run`
DEMO_REGIONS = {"vt20": "utrecht", "vt01": "amsterdam"}
PARTNERS = [
    ("politie-utrecht", "Politie eenheid Midden-Nederland", OrganisationType.POLICE, "vt20"),
    ("lokaal-team-utrecht", "Buurtteam Utrecht", OrganisationType.LOCAL_TEAM, "vt20"),
    ("csg-utrecht", "Centrum Seksueel Geweld Utrecht", OrganisationType.SPECIALIST, "vt20"),
    ("politie-amsterdam", "Politie eenheid Amsterdam", OrganisationType.POLICE, "vt01"),
    ("lokaal-team-amsterdam", "Samen DOEN Amsterdam", OrganisationType.LOCAL_TEAM, "vt01"),
    ("opvang-amsterdam", "Blijf Groep Amsterdam", OrganisationType.SHELTER, "vt01"),
]


def demo_totp_key(username: str) -> str:
    return hashlib.sha1(f"vangnet-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


def totp_secret_base32(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def ensure_user(username: str, first: str, last: str, org: Organisation, role: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "organisation": org, "role": role},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    TOTPDevice.objects.get_or_create(
        user=user, name="demo", defaults={"key": demo_totp_key(username), "confirmed": True}
    )
    return user


ROLE_NAMES = {
    Role.COUNSELLOR: ("Sanne", "de Jong"),
    Role.TRIAGE_WORKER: ("Mohamed", "El Amrani"),
    Role.CASE_WORKER: ("Fleur", "Bakker"),
    Role.SUPERVISOR: ("Ingrid", "Visser"),
    Role.PRIVACY_OFFICER: ("Joost", "van Dam"),
    Role.STATISTICIAN: ("Priya", "Ramdin"),
    Role.ADMINISTRATOR: ("Kees", "Mulder"),
}


@transaction.atomic
def load(say: Callable[[str], None]) -> list[User]:
    regions, municipalities = load_regions()
    say(f"Regions: {regions} Veilig Thuis regions, {municipalities} municipalities.")
    for code, name, kind, region in PARTNERS:
        Organisation.objects.update_or_create(
            code=code,
            defaults={"name": name, "type": kind, "region": Organisation.objects.get(code=region)},
        )
    users = []
    for code, slug in DEMO_REGIONS.items():
        org = Organisation.objects.get(code=code)
        for role, (first, last) in ROLE_NAMES.items():
            users.append(
                ensure_user(f"{role.value.replace('_', '')}.{slug}", first, last, org, role)
            )
    meldpunt = Organisation.objects.get(code="meldpunt")
    users.append(ensure_user("counsellor.meldpunt", "Noor", "Hendriks", meldpunt, Role.COUNSELLOR))
    users.append(ensure_user("supervisor.meldpunt", "Ruben", "Smit", meldpunt, Role.SUPERVISOR))
    return users
