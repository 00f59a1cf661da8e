# SPDX-License-Identifier: EUPL-1.2
"""Demo contacts: synthetic, generated with Faker nl_NL (no real people), loaded idempotently.

Each demo contact has a fixed idempotency key, so loading twice finds the existing ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from faker import Faker

from vangnet.accounts.models import Municipality
from vangnet.intake import actions
from vangnet.intake.models import Channel, Contact, ReporterType, ViolenceDuration, ViolenceKind

STORIES = [
    "Ik hoor de buurvrouw bijna elke avond schreeuwen en daarna huilen de kinderen.",
    "Mijn vriend kijkt in mijn telefoon en zegt dat ik niemand meer mag zien.",
    "Een meisje uit mijn klas krijgt dure cadeaus van een oudere man en spijbelt steeds.",
    "Mijn opa krijgt zijn eigen pinpas niet meer van mijn oom.",
    "Op school vertelde een leerling dat ze thuis geslagen wordt met een riem.",
    "Mijn vader zegt dat ik in de zomer in Marokko moet trouwen.",
]


def load(say: Callable[[str], None]) -> None:
    fake = Faker("nl_NL")
    Faker.seed(2026)
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    municipalities = list(
        Municipality.objects.filter(vt_region__code__in=["vt20", "vt01"]).order_by("code")
    )
    created = 0
    for i in range(12):
        key = f"{i:032x}"
        if Contact.objects.filter(idempotency_digest=actions.idempotency_digest(key)).exists():
            continue
        municipality = municipalities[i % len(municipalities)] if municipalities else None
        reporter = [ReporterType.VICTIM, ReporterType.BYSTANDER, ReporterType.PROFESSIONAL][i % 3]
        professional = reporter == ReporterType.PROFESSIONAL
        submitted = actions.submit_contact(
            idempotency_key=key,
            fields={
                "channel": Channel.PROFESSIONAL_FORM if professional else Channel.WEB_FORM,
                "requested_kind": "report" if i % 2 else "advice",
                "reporter_type": reporter,
                "acute": i % 5 == 0,
                "violence_kinds": [rng.choice(list(ViolenceKind.values[:9]))],
                "violence_duration": rng.choice(list(ViolenceDuration.values)),
                "children_in_household": rng.randint(0, 4),
                "municipality": municipality,
                "anonymous": not professional,
            },
            narrative=STORIES[i % len(STORIES)],
            persons=[{"name": fake.first_name(), "age": rng.randint(2, 70), "relation": "child"}],
            reporter_details=(
                {"contact_name": fake.name(), "professional_organisation": fake.company()}
                if professional
                else None
            ),
        )
        back = timezone.now() - timedelta(hours=rng.randint(1, 200))
        Contact.objects.filter(pk=submitted.contact.pk).update(
            received_at=back, last_activity_at=back
        )
        created += 1
    say(f"Intake: {created} demo contacts added ({Contact.objects.count()} in total).")
