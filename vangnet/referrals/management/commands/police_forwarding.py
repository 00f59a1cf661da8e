# SPDX-License-Identifier: EUPL-1.2
"""Approve or export a police forwarding from the command line: the same action and the same
gate as the web page (valid basis, four eyes, a second factor checked now).

    vangnet manage police_forwarding approve <public-id> --user <username> [--code 123456]
    vangnet manage police_forwarding export <public-id> --user <username> --format pdf|json \
        --out FILE [--code 123456]

Without ``--code`` the command asks for the authenticator code.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vangnet.accounts.models import User
from vangnet.referrals import gate
from vangnet.referrals.actions import disclosure as actions
from vangnet.referrals.actions.common import Refused
from vangnet.referrals.models import PoliceForwarding


class Command(BaseCommand):
    help = "Approve or export a police forwarding (four eyes and a fresh second factor)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["approve", "export"])
        parser.add_argument("public_id")
        parser.add_argument("--user", required=True)
        parser.add_argument("--code", default="")
        parser.add_argument("--format", choices=["pdf", "json"], default="json")
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        forwarding = (
            PoliceForwarding.objects.filter(public_id=options["public_id"]).first()
            if user is not None
            else None
        )
        if user is None or forwarding is None or forwarding.sender_id != user.organisation_id:
            raise CommandError("No such forwarding for this user.")
        code = options["code"] or getpass.getpass("Authenticator code: ")
        step_up = gate.StepUp.from_totp(user, code)
        try:
            if options["what"] == "approve":
                done = actions.decide(user, forwarding, "approve", step_up=step_up)
                self.stdout.write(
                    f"{done.reference} forwarded. PDF sha256 {done.pdf_sha256}, "
                    f"JSON sha256 {done.json_sha256}"
                )
                return
            if not options["out"]:
                raise CommandError("--out FILE is required for export.")
            data = actions.export_package(user, forwarding, options["format"], step_up)
        except PermissionDenied:
            raise CommandError("Refused: this user may not do this.") from None
        except Refused as refused:
            raise CommandError("Refused: " + "; ".join(str(m) for m in refused.messages)) from None
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"Wrote {options['out']}")
