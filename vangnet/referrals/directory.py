# SPDX-License-Identifier: EUPL-1.2
"""Loading the help directory from its seed file, and linking internal entries safely.

Loading is idempotent and never overwrites what staff changed: a missing entry is created; an
entry still as seeded (never edited by staff) is updated when the seed file has a newer version;
an edited entry is left alone. Nothing is deleted: staff hide an entry by making it inactive.

``apply_seed`` takes the model class as an argument so that the data migration can pass its
historical model; it must therefore not import models itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.urls import NoReverseMatch, reverse

SEED_FILE = Path(__file__).resolve().parent / "data" / "help_directory.json"

#: URL names in older seed files, mapped to the name the app registers now.
URL_NAME_ALIASES = {"public:chat": "chat:start"}

_SCALAR_FIELDS = (
    "name",
    "name_en",
    "purpose_nl",
    "purpose_en",
    "chat",
    "anonymous",
    "hours_nl",
    "hours_en",
    "always_open",
    "free",
    "audiences",
    "topics",
    "urgency",
    "emergency",
    "internal",
    "verified",
    "verification_note",
    "sources",
)


def read_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def entry_fields(raw: dict[str, Any], position: int, version: int) -> dict[str, Any]:
    """The model fields for one seed entry (``None`` strings become empty strings)."""
    fields = {name: raw[name] for name in _SCALAR_FIELDS}
    fields.update(
        phone=raw["phone"] or "",
        phone_display=raw["phone_display"] or "",
        url=raw["url"] or "",
        url_name=raw["url_name"] or "",
        age_min=raw["ages"]["min"],
        age_max=raw["ages"]["max"],
        position=position,
        seed_version=version,
    )
    return fields


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    kept: int


def apply_seed(model: Any, seed: dict[str, Any]) -> SeedResult:
    """Create missing entries, refresh unedited ones from a newer seed; keep staff edits."""
    version = int(seed["version"])
    created = updated = kept = 0
    existing = {e.slug: e for e in model.objects.all()}
    for position, raw in enumerate(seed["entries"], start=1):
        fields = entry_fields(raw, position * 10, version)
        entry = existing.get(raw["slug"])
        if entry is None:
            model.objects.create(slug=raw["slug"], **fields)
            created += 1
        elif entry.edited_at is None and (entry.seed_version or 0) < version:
            model.objects.filter(pk=entry.pk).update(**fields)
            updated += 1
        else:
            kept += 1
    return SeedResult(created, updated, kept)


def load() -> SeedResult:
    """Load the shipped seed into the live model (demo step and the CLI)."""
    from django.db import transaction

    from vangnet.referrals.models import HelpEntry

    with transaction.atomic():
        return apply_seed(HelpEntry, read_seed())


def internal_url(url_name: str) -> str | None:
    """The path of an internal entry, or ``None`` when no app registers that page (yet).

    A page that does not exist is never linked: the entry is then left out of public pages and
    shown as broken on the staff directory page.
    """
    for name in (url_name, URL_NAME_ALIASES.get(url_name, "")):
        if not name:
            continue
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None
