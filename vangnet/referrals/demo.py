# SPDX-License-Identifier: EUPL-1.2
"""Demo data for the referrals app (idempotent): the help directory and a login at a partner
organisation (the Utrecht local team) that receives referrals.

``vangnet manage referrals_demo_case`` adds a case to share from (demo mode only).
"""

from __future__ import annotations

from collections.abc import Callable

from vangnet.referrals import directory

PARTNER_USERS = [
    # username, first name, last name, organisation code
    ("caseworker.buurtteam", "Lotte", "Smits", "lokaal-team-utrecht"),
]


def load(say: Callable[[str], None]) -> None:
    from vangnet.accounts.demo import DEMO_PASSWORD, ensure_user
    from vangnet.accounts.models import Organisation, Role

    result = directory.load()
    say(f"Help directory: {result.created} new, {result.updated} updated, {result.kept} kept.")
    for username, first, last, code in PARTNER_USERS:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            continue
        ensure_user(username, first, last, org, Role.CASE_WORKER)
        say(f"Partner login: {username} ({org.name}), password {DEMO_PASSWORD}")
