#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Case-work benchmark: a PostgreSQL database with N synthetic cases (default 1,000,000), then
the worklist and the case page measured through Django's test client (the whole middleware
stack, sessions, two-factor check, access check, audited read), p95 over >= 200 requests.

    .venv/bin/python benchmarks/cases.py [--cases 1000000] [--requests 200] [--reuse]

Uses its own database ``vangnet_bench_cases`` on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/test), dropped and re-made unless --reuse finds one with
the same number of cases. The generator is ours: plausible Dutch case histories from a fixed
seed, written with COPY. Encrypted fields are real tokens (drawn from a pool of pre-encrypted
values, so generation stays fast while every page read still decrypts).

Last line: cases n=<n> worklist_p95_ms=<n> case_page_p95_ms=<n>
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "vangnet_bench_cases"
SEED = 20261122
WORKERS_PER_REGION = 40
OPEN_SHARE = 0.04  # about 4% of all cases ever are still open (order of magnitude: ~40k open)


def _database(url: str, reuse: bool, n: int) -> tuple[str, bool]:
    """The benchmark database URL, and whether it already holds ``n`` cases."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    bench = f"{base}/{DB_NAME}"
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
    if reuse and exists:
        try:
            with psycopg.connect(bench) as conn:
                row = conn.execute("SELECT count(*) FROM cases_case").fetchone()
            if row and row[0] == n:
                return bench, True
        except psycopg.Error:
            pass
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return bench, False


class Copier:
    """COPY rows of a model, every concrete column, defaults for what the generator leaves out
    (so a column added to another app's model later does not break the benchmark)."""

    def __init__(self, model: Any) -> None:
        from django.db import models

        self.model = model
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.json = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
        self.uuid = {i for i, f in enumerate(fields) if isinstance(f, models.UUIDField)}
        template: list[Any] = []
        for i, f in enumerate(fields):
            value = f.get_default() if f.has_default() else (None if f.null else "")
            if i in self.json and value is not None:
                value = json.dumps(value)
            template.append(value)
        self.template = template
        self.rows: list[list[Any]] = []

    def add(self, **row: Any) -> None:
        values = self.template.copy()
        index, special = self.index, self.json | self.uuid
        for name, value in row.items():
            i = index[name]
            if i in special and value is not None:
                value = json.dumps(value) if i in self.json else str(value)
            values[i] = value
        self.rows.append(values)

    def flush(self, cursor: Any) -> int:
        from psycopg.copy import QueuedLibpqWriter

        table = self.model._meta.db_table
        cols = ", ".join(f'"{c}"' for c in self.columns)
        rows, self.rows = self.rows, []
        with cursor.copy(
            f'COPY "{table}" ({cols}) FROM STDIN', writer=QueuedLibpqWriter(cursor)
        ) as copy:
            for values in rows:
                copy.write_row(values)
        return len(rows)


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop secondary indexes and unique constraints of ``tables`` before a bulk load; returns
    the statements that rebuild them (one sort per index instead of 10^6 inserts each)."""
    rebuild: list[str] = []
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    for table, name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary",
        [tables],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f"DROP INDEX {name}")
        rebuild.append(definition)
    return rebuild


def _pool(purpose: str, values: list[str]) -> list[str]:
    from vangnet.lib import crypto

    return [crypto.encrypt_str(v, purpose) for v in values]


def generate(n: int, say: Callable[[str], None]) -> None:
    """Fill the database: regions, staff, and ``n`` cases with their reports and history."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from faker import Faker

    from vangnet.accounts.models import Municipality, Organisation, Role, User
    from vangnet.accounts.reference import load_regions
    from vangnet.cases import deadlines
    from vangnet.cases.models import (
        Case,
        CaseEvent,
        CaseReport,
        Note,
        Person,
        SafetyAssessment,
        SafetyScore,
    )
    from vangnet.cases.workflow import State
    from vangnet.intake.models import Contact, Report
    from vangnet.lib import workdays

    rng = random.Random(SEED)
    fake = Faker("nl_NL")
    fake.seed_instance(SEED)
    load_regions()
    regions = list(Organisation.objects.filter(type="vt_region").order_by("code"))
    municipalities: dict[int, list[int]] = {}
    for m in Municipality.objects.all():
        municipalities.setdefault(m.vt_region_id, []).append(m.pk)
    password = make_password("bench-password-not-used-for-login")
    users = []
    for org in regions:
        for i in range(WORKERS_PER_REGION):
            role = Role.SUPERVISOR if i < 2 else Role.CASE_WORKER
            users.append(
                User(
                    username=f"bench.{org.code}.{i}",
                    password=password,
                    organisation=org,
                    role=role,
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                )
            )
    User.objects.bulk_create(users, batch_size=1000)
    staff = {org.pk: list(User.objects.filter(organisation=org).order_by("id")) for org in regions}
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user=u, name="bench", confirmed=True) for us in staff.values() for u in us]
    )
    say(f"{len(regions)} regions, {len(users)} staff")

    labels = _pool(
        "cases.Case.household_label", [f"Familie {fake.last_name()}" for _ in range(2000)]
    )
    addresses = _pool(
        "cases.Case.household_address",
        [
            json.dumps(
                {
                    "street": fake.street_name(),
                    "house_number": str(rng.randint(1, 300)),
                    "postcode": fake.postcode().replace(" ", ""),
                    "city": fake.city(),
                }
            )
            for _ in range(2000)
        ],
    )
    given = _pool("cases.Person.given_names", [fake.first_name() for _ in range(2000)])
    surnames = _pool("cases.Person.surname", [fake.last_name() for _ in range(2000)])
    dobs = _pool(
        "cases.Person.date_of_birth",
        [fake.date_of_birth(minimum_age=0, maximum_age=80).isoformat() for _ in range(2000)],
    )
    note_texts = _pool("cases.Note.body", [fake.paragraph(nb_sentences=4) for _ in range(2000)])
    rationales = _pool(
        "cases.SafetyAssessment.rationale", [fake.paragraph(nb_sentences=2) for _ in range(500)]
    )
    reasons = _pool("cases.CaseEvent.reason", [fake.sentence() for _ in range(500)])
    say("encrypted value pools ready")

    # Region sizes differ: a weight per region, West-Nederland several times larger (§7.1).
    weights = [rng.uniform(0.5, 3.0) for _ in regions]
    cum_weights = list(__import__("itertools").accumulate(weights))
    now = datetime.now(UTC)
    kinds = ["child_abuse", "partner_violence", "elder_abuse", "violence_against_parents"]
    open_states = [
        (State.AWAITING_ASSESSMENT, 10),
        (State.ASSESSMENT, 8),
        (State.HANDED_OVER, 20),
        (State.CONDITIONS_AND_FOLLOW_UP, 10),
        (State.MONITORING, 25),
        (State.AWAITING_INVESTIGATION, 6),
        (State.INVESTIGATION, 12),
        (State.CHILD_PROTECTION_BOARD, 4),
        (State.CLOSURE_REQUESTED, 5),
    ]
    state_names = [s for s, _ in open_states]
    state_weights = [w for _, w in open_states]
    routes = {
        State.HANDED_OVER: "handover",
        State.CONDITIONS_AND_FOLLOW_UP: "conditions_and_follow_up",
        State.MONITORING: "conditions_and_follow_up",
        State.AWAITING_INVESTIGATION: "investigation",
        State.INVESTIGATION: "investigation",
        State.CHILD_PROTECTION_BOARD: "child_protection_board_request",
        State.CLOSURE_REQUESTED: "handover",
        State.CLOSED: "handover",
    }
    creator = {org.pk: staff[org.pk][0].pk for org in regions}
    copiers = {
        m: Copier(m)
        for m in (
            Contact,
            Report,
            Case,
            CaseReport,
            Person,
            CaseEvent,
            SafetyAssessment,
            Note,
            SafetyScore,
        )
    }
    batch = 50_000
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, for COPY
        # Bulk load: skip the per-row foreign-key triggers (the generator makes consistent ids;
        # PostgreSQL superuser only, which the benchmark database's owner is here).
        cursor.execute("SET session_replication_role = replica")
        tables = [m._meta.db_table for m in copiers]
        rebuild = _drop_indexes(cursor, tables)
        gen_time = copy_time = 0.0
        for first in range(1, n + 1, batch):
            ids = range(first, min(first + batch, n + 1))
            t_gen = time.perf_counter()
            person_id = (first - 1) * 3
            event_id = (first - 1) * 3
            note_id = (first - 1) * 2
            score_id = (first - 1) * 2
            for cid in ids:
                org = rng.choices(regions, cum_weights=cum_weights)[0]
                is_open = rng.random() < OPEN_SHARE
                if is_open:
                    status = rng.choices(state_names, state_weights)[0]
                    received = now - timedelta(days=rng.uniform(0, 120))
                else:
                    status = State.CLOSED
                    received = now - timedelta(days=rng.uniform(120, 8 * 365))
                workers = staff[org.pk]
                worker = rng.choice(workers[2:])
                acute = rng.random() < 0.08
                case_kinds = rng.sample(kinds, rng.choice([1, 1, 1, 2]))
                municipality = rng.choice(municipalities[org.pk])
                opened = received + timedelta(hours=rng.uniform(0.5, 30))
                decided = status not in (State.AWAITING_ASSESSMENT, State.ASSESSMENT)
                assessed = opened + timedelta(days=rng.uniform(0.1, 9)) if decided else None
                case = SimpleNamespace(
                    status=status,
                    acute=acute,
                    opened_at=opened,
                    acute_due_at=workdays.acute_deadline(received) if acute else None,
                    acute_handled_at=assessed if acute else None,
                    assessment_due_at=workdays.assessment_deadline(received),
                    investigation_due_at=(
                        workdays.investigation_deadline(assessed)
                        if assessed and routes.get(status) == "investigation"
                        else None
                    ),
                    notify_due_at=workdays.notify_persons_deadline(opened),
                    persons_informed_at=(
                        opened + timedelta(days=rng.uniform(1, 40))
                        if not is_open or rng.random() < 0.6
                        else None
                    ),
                    last_safety_check_at=None,
                )
                found = (
                    deadlines.open_deadlines(
                        case,  # type: ignore[arg-type]  # duck-typed: only these fields are read
                        monitoring_due=(
                            [(now + timedelta(days=rng.uniform(-10, 40))).date()]
                            if status == State.MONITORING
                            else []
                        ),
                    )
                    if is_open
                    else []
                )
                next_due = found[0] if found else None
                contact_id = cid
                copiers[Contact].add(
                    **{
                        "id": contact_id,
                        "public_id": uuid.UUID(int=rng.getrandbits(128)),
                        "organisation_id": org.pk,
                        "municipality_id": municipality,
                        "channel": rng.choice(["police", "police", "phone", "web_form"]),
                        "requested_kind": "report",
                        "reporter_type": rng.choice(
                            ["police", "police", "professional", "bystander"]
                        ),
                        "anonymous": False,
                        "acute": acute,
                        "violence_kinds": case_kinds,
                        "received_at": received,
                        "last_activity_at": opened,
                        "status": "closed" if not is_open else "in_progress",
                        "outcome": "report",
                    }
                )
                copiers[Report].add(
                    **{
                        "id": cid,
                        "contact_id": contact_id,
                        "organisation_id": org.pk,
                        "municipality_id": municipality,
                        "created_by_id": creator[org.pk],
                        "received_at": received,
                        "registered_at": opened,
                        "reporter_type": "police",
                        "acute": acute,
                        "violence_kinds": case_kinds,
                        "violence_duration": "unknown",
                    }
                )
                copiers[Case].add(
                    **{
                        "id": cid,
                        "organisation_id": org.pk,
                        "municipality_id": municipality,
                        "status": status,
                        "version": rng.randint(3, 30),
                        "assigned_to_id": worker.pk,
                        "household_label": rng.choice(labels),
                        "household_address": rng.choice(addresses),
                        "household_key": f"{rng.getrandbits(256):064x}",
                        "acute": acute,
                        "violence_kinds": case_kinds,
                        "received_at": received,
                        "opened_at": opened,
                        "opened_by_id": worker.pk,
                        "kindcheck_at": opened,
                        "children_in_household": "yes",
                        "children_count": 2,
                        "children_ages": [rng.randint(0, 17), rng.randint(0, 17)],
                        "acute_due_at": case.acute_due_at,
                        "acute_handled_at": case.acute_handled_at,
                        "assessment_due_at": case.assessment_due_at,
                        "assessed_at": assessed,
                        "investigation_due_at": case.investigation_due_at,
                        "notify_due_at": case.notify_due_at,
                        "persons_informed_at": case.persons_informed_at,
                        "next_due_at": next_due.due_at if next_due else None,
                        "next_due_kind": next_due.kind if next_due else "",
                        "closed_at": None if is_open else opened + timedelta(days=90),
                        "updated_at": opened,
                    }
                )
                copiers[CaseReport].add(
                    **{
                        "id": cid,
                        "case_id": cid,
                        "report_id": cid,
                        "involvement": "first",
                        "linked_at": opened,
                        "linked_by_id": worker.pk,
                    }
                )
                for role in ("victim", "alleged_perpetrator", "child"):
                    person_id += 1
                    copiers[Person].add(
                        **{
                            "id": person_id,
                            "case_id": cid,
                            "role": role,
                            "given_names": rng.choice(given),
                            "surname": rng.choice(surnames),
                            "date_of_birth": rng.choice(dobs),
                            "person_key": f"{rng.getrandbits(256):064x}",
                            "created_at": opened,
                            "created_by_id": worker.pk,
                        }
                    )
                for action, at in (
                    ("case_opened", opened),
                    ("assigned", opened + timedelta(minutes=5)),
                    ("route_decided", assessed or opened + timedelta(minutes=9)),
                ):
                    event_id += 1
                    copiers[CaseEvent].add(
                        **{
                            "id": event_id,
                            "case_id": cid,
                            "at": at,
                            "actor_id": worker.pk,
                            "action": action,
                            "reason": rng.choice(reasons),
                        }
                    )
                if assessed:
                    copiers[SafetyAssessment].add(
                        **{
                            "id": cid,
                            "case_id": cid,
                            "instrument_version": "vb-2026.1",
                            "answers": ["B01"],
                            "structural_unsafety": True,
                            "acute_unsafety": acute,
                            "route": routes[status],
                            "handover_target": "local_team" if routes[status] == "handover" else "",
                            "handover_party": "Buurtteam" if routes[status] == "handover" else "",
                            "rationale": rng.choice(rationales),
                            "decided_at": assessed,
                            "decided_by_id": worker.pk,
                        }
                    )
                for k in range(2):
                    note_id += 1
                    copiers[Note].add(
                        **{
                            "id": note_id,
                            "case_id": cid,
                            "kind": ("fact", "opinion")[k],
                            "body": rng.choice(note_texts),
                            "created_at": opened + timedelta(hours=k + 1),
                            "created_by_id": worker.pk,
                        }
                    )
                if status in (State.MONITORING, State.CLOSED) and rng.random() < 0.5:
                    for k in range(2):
                        score_id += 1
                        copiers[SafetyScore].add(
                            **{
                                "id": score_id,
                                "case_id": cid,
                                "score": rng.randint(3, 8),
                                "scored_on": (opened + timedelta(days=20 * (k + 1))).date(),
                                "participants": "Veilig Thuis, buurtteam",
                                "created_at": opened + timedelta(days=20 * (k + 1)),
                                "created_by_id": worker.pk,
                            }
                        )
            t_copy = time.perf_counter()
            gen_time += t_copy - t_gen
            for copier in copiers.values():
                copier.flush(raw)
            copy_time += time.perf_counter() - t_copy
            done = ids[-1]
            rate = done / (time.perf_counter() - started)
            say(
                f"{done:>9,} cases ({rate:,.0f}/s; "
                f"generate {gen_time:.0f} s, copy {copy_time:.0f} s)"
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        t_index = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        say(f"indexes rebuilt in {time.perf_counter() - t_index:.0f} s")
        for model in copiers:
            table = model._meta.db_table
            cursor.execute(  # table names come from our own models, not from input
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cursor.execute("ANALYZE")


def measure(requests: int, say: Callable[[str], None]) -> tuple[float, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vangnet.accounts.auth import SESSION_LOGIN_AT, SESSION_OTP_AT
    from vangnet.accounts.models import User
    from vangnet.cases.models import Case

    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session[SESSION_LOGIN_AT] = session[SESSION_OTP_AT] = time.time()
        session.save()
        return client

    # The busiest region and its busiest worker: the worst case for the worklist.
    busiest = (
        Case.objects.exclude(status="closed")
        .values("assigned_to")
        .order_by()
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id"))
        .order_by("-n")
        .first()
    )
    worker = User.objects.get(pk=busiest["assigned_to"])
    supervisor = User.objects.filter(organisation=worker.organisation, role="supervisor").first()
    say(
        f"worker {worker.username}: {busiest['n']} open cases; region "
        f"{Case.objects.filter(organisation=worker.organisation).count():,} cases"
    )
    rng = random.Random(SEED + 1)
    ids = list(
        Case.objects.filter(organisation=worker.organisation)
        .values_list("id", flat=True)
        .order_by("?")[: requests * 2]
    )

    def timed(client: Client, path: str) -> float:
        t = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - t) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return elapsed

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18]

    worker_client, supervisor_client = login(worker), login(supervisor)
    for _ in range(10):  # warm up caches and connections
        timed(worker_client, "/staff/cases/")
        timed(worker_client, f"/staff/cases/{rng.choice(ids)}")
    worklist = [timed(worker_client, "/staff/cases/") for _ in range(requests)]
    team = [timed(supervisor_client, "/staff/cases/?view=team") for _ in range(requests // 2)]
    pages = [timed(worker_client, f"/staff/cases/{rng.choice(ids)}") for _ in range(requests)]
    with CaptureQueriesContext(connection) as wl:
        worker_client.get("/staff/cases/")
    with CaptureQueriesContext(connection) as cp:
        worker_client.get(f"/staff/cases/{ids[0]}")
    say(
        f"worklist (worker) p50 {statistics.median(worklist):.1f} ms p95 {p95(worklist):.1f} ms, "
        f"{len(wl)} queries"
    )
    say(f"worklist (team)   p50 {statistics.median(team):.1f} ms p95 {p95(team):.1f} ms")
    say(
        f"case page         p50 {statistics.median(pages):.1f} ms p95 {p95(pages):.1f} ms, "
        f"{len(cp)} queries"
    )
    return p95(worklist), p95(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep a database with N cases")
    args = parser.parse_args()
    if args.requests < 200:
        parser.error("--requests must be at least 200 for a meaningful p95")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    if not url.startswith("postgres"):
        parser.error("this benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    bench_url, ready = _database(url, args.reuse, args.cases)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    os.environ.setdefault("VANGNET_ENV", "demo")
    import django

    django.setup()
    from django.core.management import call_command

    def say(text: str) -> None:
        print(text, flush=True)

    if not ready:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        generate(args.cases, say)
        say(f"generated in {time.perf_counter() - started:.0f} s")
    worklist_p95, page_p95 = measure(args.requests, say)
    print(
        f"cases n={args.cases} worklist_p95_ms={worklist_p95:.0f} case_page_p95_ms={page_p95:.0f}"
    )


if __name__ == "__main__":
    main()
