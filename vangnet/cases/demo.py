# SPDX-License-Identifier: EUPL-1.2
"""Demo cases in the two demo regions, made through the real actions (so history, deadlines
and audit look like the real thing). Synthetic people (Faker nl_NL, fixed seed). Idempotent:
each demo case hangs off a police report with a fixed idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vangnet.accounts.models import Organisation, User
from vangnet.cases import actions
from vangnet.intake.actions import idempotency_digest
from vangnet.intake.models import Contact
from vangnet.triage.instrument import Decision

REGIONS = {"vt20": "utrecht", "vt01": "amsterdam"}


def _report(user: User, key: str, *, hours_ago: float, acute: bool, kinds: list[str], text: str):  # type: ignore[no-untyped-def]
    digest = idempotency_digest(f"demo-case|{key}")
    if Contact.objects.filter(idempotency_digest=digest).exists():
        return None
    municipality = user.organisation.municipalities.order_by("name").first()  # type: ignore[union-attr]
    return actions.register_police_report(
        user,
        received_at=timezone.now() - timedelta(hours=hours_ago),
        municipality=municipality,
        acute=acute,
        violence_kinds=kinds,
        children_in_household=2,
        narrative=text,
        police_unit="Politie (demo)",
        idempotency_digest=digest,
    )


@transaction.atomic
def load(say: Callable[[str], None]) -> None:
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(5)
    made = 0
    today = timezone.localdate()
    for code, slug in REGIONS.items():
        org = Organisation.objects.filter(code=code).first()
        worker = User.objects.filter(username=f"caseworker.{slug}").first()
        if org is None or worker is None:
            continue
        # 1. An acute police report tonight: waiting for assessment, a school-age child.
        report = _report(
            worker,
            f"{code}-acute",
            hours_ago=6,
            acute=True,
            kinds=["partner_violence", "child_abuse"],
            text="Politie ter plaatse na ruzie; moeder met letsel, twee kinderen thuis.",
        )
        if report is not None:
            surname = fake.last_name()
            case = actions.open_case_from_report(
                worker,
                report,
                household_label=f"Familie {surname}",
                postcode=fake.postcode(),
                house_number=str(fake.random_int(1, 200)),
                street=fake.street_name(),
                city=fake.city(),
            )
            actions.add_person(
                worker, case, role="victim", given_names=fake.first_name_female(), surname=surname
            )
            actions.add_person(
                worker,
                case,
                role="alleged_perpetrator",
                given_names=fake.first_name_male(),
                surname=surname,
            )
            actions.add_person(
                worker,
                case,
                role="child",
                given_names=fake.first_name(),
                surname=surname,
                date_of_birth=today.replace(year=today.year - 9, day=1),
            )
            made += 1
        # 2. Conditions and follow-up, in monitoring with two safety scores.
        report = _report(
            worker,
            f"{code}-monitoring",
            hours_ago=24 * 20,
            acute=False,
            kinds=["child_abuse"],
            text="Herhaalde zorgen over verwaarlozing van twee jonge kinderen.",
        )
        if report is not None:
            surname = fake.last_name()
            case = actions.open_case_from_report(
                worker,
                report,
                household_label=f"Familie {surname}",
                postcode=fake.postcode(),
                house_number="4",
            )
            actions.record_kindcheck(
                worker,
                case,
                case.version,
                children_in_household="yes",
                children_count=2,
                children_ages=[3, 6],
                pregnancy="no",
            )
            actions.decide_route(
                worker,
                case,
                case.version,
                checked=["B01", "B02"],
                decision=Decision(
                    route="conditions_and_follow_up",
                    rationale="Structurele verwaarlozing; ouders werken mee aan afspraken.",
                ),
            )
            actions.add_condition(
                worker,
                case,
                text="De kinderen gaan elke dag naar de opvang.",
                agreed_on=today - timedelta(days=14),
            )
            actions.save_plan(
                worker,
                case,
                kind="safety",
                body="Buurtteam komt wekelijks op huisbezoek.",
                based_on=0,
                responsible_party="Buurtteam",
            )
            actions.schedule_monitoring(
                worker, case, due_on=today + timedelta(days=10), purpose="Gesprek met ouders"
            )
            actions.start_monitoring(worker, case, case.version)
            actions.add_score(
                worker,
                case,
                score=4,
                scored_on=today - timedelta(days=14),
                participants="Veilig Thuis, buurtteam",
            )
            actions.add_score(
                worker,
                case,
                score=6,
                scored_on=today - timedelta(days=1),
                participants="Veilig Thuis, buurtteam, school",
            )
            actions.add_note(
                worker, case, kind="fact", body="Huisbezoek: huis opgeruimd, kinderen gezond."
            )
            made += 1
        # 3. Waiting for an own investigation.
        report = _report(
            worker,
            f"{code}-investigation",
            hours_ago=24 * 3,
            acute=False,
            kinds=["elder_abuse"],
            text="Zorgen over financiële uitbuiting van een oudere door een zoon.",
        )
        if report is not None:
            case = actions.open_case_from_report(
                worker, report, household_label=f"Familie {fake.last_name()}"
            )
            actions.decide_route(
                worker,
                case,
                case.version,
                checked=["B01"],
                decision=Decision(
                    route="investigation",
                    investigation_criteria=("denial",),
                    rationale="Zoon ontkent; onduidelijk of er sprake is van uitbuiting.",
                ),
            )
            made += 1
    say(f"Cases: {made} demo cases added.")
