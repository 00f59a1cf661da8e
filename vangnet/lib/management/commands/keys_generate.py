from typing import Any

from django.core.management.base import BaseCommand

from vangnet.lib.crypto import Keyring


class Command(BaseCommand):
    help = "Print a new random AES-256 key for VANGNET_KEYRING (put it first to make it primary)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kid", default="k1", help="key id (letters and digits)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{options['kid']}:{Keyring.generate_key()}")
