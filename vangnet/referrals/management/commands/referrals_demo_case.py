# SPDX-License-Identifier: EUPL-1.2
"""Demo mode only: a fresh case to share from, made through the apps' own actions.

An anonymous victim reports through the public intake (and gets a return code), a case worker
registers it as a report and opens a case with the victim, a child of 9 and the alleged
perpetrator. Prints JSON with the case id, its reference and the return code, so a browser test
(or a person trying the demo) can follow the whole path.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vangnet.accounts.models import Municipality, User
from vangnet.cases import actions as case_actions
from vangnet.intake import actions as intake_actions


def _born(years: int) -> Any:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=40)


class Command(BaseCommand):
    help = "Demo mode only: create a case with an anonymous victim's report to share from."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.VANGNET_DEMO:
            raise CommandError("Only in demo mode (VANGNET_ENV=demo).")
        worker = User.objects.get(username="caseworker.utrecht")
        submitted = intake_actions.submit_contact(
            idempotency_key=uuid.uuid4().hex,
            fields={
                "channel": "web_form",
                "requested_kind": "report",
                "reporter_type": "victim",
                "language": "nl",
                "acute": False,
                "violence_kinds": ["partner_violence"],
                "municipality": Municipality.objects.get(code="GM0344"),
            },
            narrative="Mijn partner slaat mij als hij gedronken heeft. Onze zoon ziet het.",
            persons=None,
            reporter_details=None,
        )
        contact = submitted.contact
        report = intake_actions.record_report(
            worker, contact, version=contact.version, summary="Demo: partnergeweld, kind erbij."
        )
        case = case_actions.open_case_from_report(
            worker,
            report,
            household_label="Demo-gezin",
            postcode="3511 AB",
            house_number="1",
            street="Demostraat",
            city="Utrecht",
        )
        people = [
            ("victim", "Sanne", 31),
            ("child", "Daan", 9),
            ("alleged_perpetrator", "Rob", 35),
        ]
        ids = {}
        for role, name, age in people:
            person = case_actions.add_person(
                worker, case, role=role, given_names=name, surname="Demo", date_of_birth=_born(age)
            )
            ids[role] = person.pk
        assert submitted.code is not None
        self.stdout.write(
            json.dumps(
                {
                    "case_id": case.pk,
                    "case_reference": case.reference,
                    "return_code": submitted.code.display,
                    "persons": ids,
                }
            )
        )
