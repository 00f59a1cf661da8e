from typing import Any

from django.core.management.base import BaseCommand

from vangnet.audit.log import Actor, record
from vangnet.lib import crypto
from vangnet.lib.rotation import rotate_all


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the primary key of VANGNET_KEYRING."

    def handle(self, *args: Any, **options: Any) -> None:
        primary = crypto.keyring().primary
        result = rotate_all(progress=lambda name: self.stdout.write(f"  rotated {name}"))
        record(
            actor=Actor.system("keys-rotate"),
            action="keys_rotated",
            activity="vg-010-security",
            details={"primary": primary, "scanned": result.scanned, "rotated": result.rotated},
        )
        self.stdout.write(
            f"Key rotation done: {result.rotated} values re-encrypted under {primary!r}, "
            f"{result.scanned} scanned, {result.skipped_changed} changed meanwhile (kept)."
        )
