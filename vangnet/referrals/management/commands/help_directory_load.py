# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.core.management.base import BaseCommand

from vangnet.referrals import directory


class Command(BaseCommand):
    help = (
        "Load the help directory seed (referrals/data/help_directory.json). Idempotent: creates "
        "missing entries, refreshes unedited ones from a newer seed, never overwrites staff edits."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = directory.load()
        self.stdout.write(
            f"Help directory: {result.created} created, {result.updated} updated, "
            f"{result.kept} kept as they are."
        )
