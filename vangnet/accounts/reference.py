# SPDX-License-Identifier: EUPL-1.2
"""Load the Veilig Thuis regions and their municipalities from the shipped reference data.

CBS counts 25 regions since 2023 (VT16 and VT26 merged into VT27 Oost-Brabant).

The data (``accounts/data/regions.json``) and its sources are described in docs/data-sources.md.
Loading is idempotent: it updates names, adds what is new and moves municipalities that changed
region; it never deletes (an old municipality may still be referred to by old contacts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from vangnet.accounts.models import Municipality, Organisation, OrganisationType

DATA = Path(__file__).resolve().parent / "data" / "regions.json"


def read_regions() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@transaction.atomic
def load_regions() -> tuple[int, int]:
    data = read_regions()
    regions = 0
    municipalities = 0
    for region in data["regions"]:
        org, _ = Organisation.objects.update_or_create(
            code=region["code"].lower(),
            defaults={
                "name": f"Veilig Thuis {region.get('display_name') or region['name']}",
                "type": OrganisationType.VT_REGION,
            },
        )
        regions += 1
        for m in region["municipalities"]:
            Municipality.objects.update_or_create(
                code=m["code"], defaults={"name": m["name"], "vt_region": org}
            )
            municipalities += 1
    Organisation.objects.update_or_create(
        code="meldpunt",
        defaults={
            "name": "Landelijk meldpunt",
            "type": OrganisationType.NATIONAL_MELDPUNT,
        },
    )
    return regions, municipalities
