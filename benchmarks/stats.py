#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Statistics benchmark: 10 years of synthetic Veilig Thuis history in PostgreSQL, then the
half-yearly CBS export and the public figures pages against the real ASGI server.

1. A dedicated database (default ``vangnet_bench_stats``, dropped and re-made) on the server of
   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), migrated.
2. The project's generator (``vangnet.stats.synthetic``) writes --reports reports from July
   2016 to July 2026, with advice requests, cases, assessments, investigations, children,
   plans and scores, streamed to CSV and loaded with COPY.
3. Counts and publications for all 20 half-years (timed: this is the nightly job's work).
4. ``vangnet stats cbs --period 2026H1`` in a subprocess, timed end to end (refresh of the
   half-year + protected publication + all files + validation).
5. The figures pages and CSV downloads over HTTP (``vangnet serve``, 2 workers): a few warm-up
   requests, then --requests sequential requests over random periods, regions and
   municipalities; p95 latency.

    .venv/bin/python benchmarks/stats.py [--reports 3000000] [--requests 60] [--keep]

Last line: stats reports=<n> cbs_export_s=<n> dashboard_p95_ms=<n>
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_server import free_port  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"


def prepare_database(url: str, name: str) -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


class CopySink:
    """Streams generated rows straight into PostgreSQL: one connection and one ``COPY`` per
    table, all open at once, so the database parses and indexes while Python generates."""

    def __init__(self, url: str) -> None:
        import psycopg
        from django.apps import apps

        from vangnet.stats.synthetic import FIELDS

        self.stack = contextlib.ExitStack()
        self.connections: list[Any] = []
        self.plans: dict[str, tuple[list[Any], list[tuple[int, int, bool]], Any]] = {}
        self.rows: dict[str, int] = {}
        self.json_cache: dict[tuple[Any, ...], str] = {}
        for label, fields in FIELDS.items():
            model = apps.get_model(label)
            columns, template, slots = [], [], []
            for index, field in enumerate(model._meta.concrete_fields):
                columns.append(field.column)
                is_json = field.get_internal_type() == "JSONField"
                if field.attname in fields:
                    slots.append((index, fields.index(field.attname), is_json))
                    template.append(None)
                else:
                    default = field.get_default()
                    template.append(json.dumps(default) if is_json else default)
            conn = psycopg.connect(url)
            self.connections.append(conn)
            names = ", ".join(f'"{c}"' for c in columns)
            cursor = self.stack.enter_context(conn.cursor())
            copy = self.stack.enter_context(
                cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN")
            )
            self.plans[label] = (template, slots, copy)
            self.rows[label] = 0

    def _json(self, value: Any) -> str:
        """JSON as text (COPY parses it into jsonb); the few distinct values are cached."""
        key = tuple(value) if isinstance(value, list) else (json.dumps(value),)
        found = self.json_cache.get(key)
        if found is None:
            found = self.json_cache[key] = json.dumps(value)
        return found

    def add(self, label: str, row: tuple[Any, ...]) -> None:
        template, slots, copy = self.plans[label]
        values = list(template)
        for column, position, is_json in slots:
            value = row[position]
            values[column] = self._json(value) if is_json and value is not None else value
        copy.write_row(values)
        self.rows[label] += 1

    def finish(self) -> None:
        """End every COPY (in foreign-key order), commit, fix the id sequences, analyse."""
        self.stack.close()
        from django.apps import apps

        # Commit parents before children: foreign keys are checked at commit.
        for conn, label in zip(self.connections, self.plans, strict=True):
            conn.commit()
            table = apps.get_model(label)._meta.db_table
            conn.execute(  # table names come from our own models, not from input
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
            conn.commit()
            conn.close()


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, (time.perf_counter() - started) * 1000, len(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=3_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--advice-ratio", type=float, default=1.1)
    parser.add_argument("--database", default="vangnet_bench_stats")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use the kept database as it is (no generation)"
    )
    args = parser.parse_args()
    if args.requests < 50:
        parser.error("--requests must be at least 50 for a p95")

    admin_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if args.reuse:
        url = f"{admin_url.rsplit('/', 1)[0]}/{args.database}"
    else:
        url = prepare_database(admin_url, args.database)
    tmp = Path(tempfile.mkdtemp(prefix="vangnet-bench-stats-"))
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "VANGNET_ENV": "demo",
            "VANGNET_VAR_DIR": str(tmp),
            "VANGNET_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.update(env)
    cli = [sys.executable, "-m", "vangnet.cli"]
    if not args.reuse:
        migrate = [*cli, "manage", "migrate", "--no-input", "-v0"]
        subprocess.run(migrate, env=env, cwd=ROOT, check=True)

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "vangnet.settings"
    django.setup()
    from vangnet.accounts.models import Role, User
    from vangnet.accounts.reference import load_regions
    from vangnet.lib.workdays import AMSTERDAM
    from vangnet.stats.periods import Period, half_years
    from vangnet.stats.publish import build
    from vangnet.stats.refresh import refresh
    from vangnet.stats.synthetic import Generator, Universe

    if args.reuse:
        from vangnet.intake.models import Report

        reports = Report.objects.count()
        print(f"reusing {args.database}: {reports} reports", flush=True)
    else:
        load_regions()
        from vangnet.accounts.models import Organisation

        user = User.objects.create_user(
            "bench.caseworker",
            password=uuid.uuid4().hex,
            organisation=Organisation.objects.get(code="vt20"),
            role=Role.CASE_WORKER,
        )
        universe = Universe.from_database(user.pk)

        print(
            f"generating {args.reports} reports (seed {args.seed}) into COPY streams ...",
            flush=True,
        )
        started = time.perf_counter()
        sink = CopySink(url)
        generator = Generator(
            universe,
            datetime(2016, 7, 1, tzinfo=AMSTERDAM),
            datetime(2026, 7, 1, tzinfo=AMSTERDAM),
            seed=args.seed,
            advice_ratio=args.advice_ratio,
        )
        counts = generator.run(sink, args.reports)
        sink.finish()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        load_s = time.perf_counter() - started
        print(
            f"  generated and loaded in {load_s:.1f} s: "
            + ", ".join(f"{label.split('.')[1]} {n}" for label, n in counts.items()),
            flush=True,
        )
        reports = counts.get("intake.Report", 0)

    periods = half_years(Period(2016, "H", 2), Period(2026, "H", 1))
    refresh_times, publish_times = [], []
    for period in periods:
        started = time.perf_counter()
        refresh(period)
        refresh_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        build(period)
        publish_times.append(time.perf_counter() - started)
    print(
        f"counts for {len(periods)} half-years: {sum(refresh_times):.1f} s "
        f"(max {max(refresh_times):.1f} s); publications: {sum(publish_times):.1f} s "
        f"(max {max(publish_times):.1f} s)",
        flush=True,
    )

    out = tmp / "cbs-2026H1"
    started = time.perf_counter()
    result = subprocess.run(
        [*cli, "stats", "cbs", "--period", "2026H1", "--out", str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    export_s = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 1
    print(result.stdout.strip(), flush=True)

    from vangnet.stats.models import PublishedArea

    regions = list(
        PublishedArea.objects.filter(level="region")
        .exclude(code__endswith="-x")
        .values_list("code", flat=True)
        .distinct()
    )
    municipalities = list(
        PublishedArea.objects.filter(level="municipality")
        .exclude(code__endswith="-x")
        .values_list("parent_code", "code")
        .distinct()
    )
    rng = random.Random(args.seed)

    def random_path() -> str:
        period = rng.choice(periods).code
        kind = rng.random()
        if kind < 0.25:
            return f"/figures?period={period}"
        if kind < 0.6:
            return f"/figures/{rng.choice(regions)}?period={period}"
        if kind < 0.85:
            region, muni = rng.choice(municipalities)
            return f"/figures/{region}/{muni}?period={period}"
        return f"/figures/{rng.choice(regions)}.csv?period={period}"

    port = free_port()
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            try:
                get(conn, "/figures")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                time.sleep(0.3)
        for _ in range(6):  # warm both workers: templates and catalogues load once
            get(conn, random_path())
        latencies, sizes = [], []
        for _ in range(args.requests):
            status, ms, size = get(conn, random_path())
            assert status == 200, status
            latencies.append(ms)
            sizes.append(size)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"figures pages: {len(latencies)} requests, median {statistics.median(latencies):.0f} ms, "
        f"p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms, "
        f"mean size {statistics.mean(sizes) / 1024:.0f} KiB"
    )
    load1, load5, _load15 = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load1:.1f} (1 min) {load5:.1f} (5 min)")
    if not args.keep:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"stats reports={reports} cbs_export_s={export_s:.1f} dashboard_p95_ms={p95:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
