from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vangnet.accounts.demo import DEMO_PASSWORD, totp_secret_base32

# Apps that contribute demo data, in dependency order. Each has demo.load(say) -> list | None.
DEMO_MODULES = ["vangnet.accounts.demo"]
OPTIONAL_DEMO_MODULES = [
    "vangnet.referrals.demo",
    "vangnet.intake.demo",
    "vangnet.chat.demo",
    "vangnet.cases.demo",
    "vangnet.radar.demo",
    "vangnet.stats.demo",
]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refused outside demo mode."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.VANGNET_DEMO:
            raise CommandError("Demo data is only loaded with VANGNET_ENV=demo.")
        users = import_module("vangnet.accounts.demo").load(self.stdout.write)
        for name in OPTIONAL_DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            module.load(self.stdout.write)
        self.stdout.write("")
        self.stdout.write(f"Demo staff logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            device = user.totpdevice_set.first()
            secret = totp_secret_base32(device.key) if device else "-"
            self.stdout.write(
                f"  {user.username:<28} {user.get_role_display():<32} TOTP secret {secret}"
            )
        self.stdout.write("Current TOTP code for a user: vangnet manage totp_code <username>")
