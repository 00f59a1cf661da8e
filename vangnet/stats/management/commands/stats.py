# SPDX-License-Identifier: EUPL-1.2
"""``vangnet stats``: the statistics deliveries.

vangnet stats cbs --period 2026H1 --out DIR      half-yearly CBS delivery + validation
vangnet stats funders --period 2026Q3 --out DIR  one period report per funding stream
vangnet stats refresh [--period 2026H1 | --recent N]   rebuild the raw counts
vangnet stats publish --period 2026H1            refresh and publish the figures pages
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from vangnet.stats import cbs, funders
from vangnet.stats.periods import Period, PeriodError, half_year_of, parse
from vangnet.stats.publish import build
from vangnet.stats.refresh import refresh


def _period(kinds: str) -> Any:
    def convert(text: str) -> Period:
        try:
            return parse(text, kinds=kinds)
        except PeriodError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


class Command(BaseCommand):
    help = "Statistics: CBS delivery, funder reports, refresh and publish the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", default="nl", help="language of labels (nl or en)")
        sub = parser.add_subparsers(dest="action", required=True)
        cbs_parser = sub.add_parser("cbs", help="the half-yearly CBS delivery")
        cbs_parser.add_argument("--period", required=True, type=_period("H"))
        cbs_parser.add_argument("--out", required=True, type=Path)
        funders_parser = sub.add_parser("funders", help="one period report per funding stream")
        funders_parser.add_argument("--period", required=True, type=_period("YHQ"))
        funders_parser.add_argument("--out", required=True, type=Path)
        refresh_parser = sub.add_parser("refresh", help="rebuild the raw counts")
        group = refresh_parser.add_mutually_exclusive_group()
        group.add_argument("--period", type=_period("H"))
        group.add_argument("--recent", type=int, default=2, help="the last N half-years")
        publish_parser = sub.add_parser("publish", help="refresh and publish a half-year")
        publish_parser.add_argument("--period", required=True, type=_period("H"))

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            action = options["action"]
            if action == "cbs":
                self.cbs(options["period"], options["out"])
            elif action == "funders":
                self.funders(options["period"], options["out"])
            elif action == "refresh":
                self.refresh(options.get("period"), options.get("recent") or 2)
            elif action == "publish":
                refresh(options["period"])
                publication = build(options["period"])
                self.stdout.write(
                    f"Published {publication.period} (threshold {publication.threshold}, "
                    f"base {publication.base}, {publication.passes} protection passes)."
                )

    def cbs(self, period: Period, out: Path) -> None:
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty: choose a new directory for the delivery.")
        result = cbs.export(period, out)
        records = ", ".join(f"{n} {kind}" for kind, n in sorted(result.records.items()))
        self.stdout.write(
            f"CBS delivery {period.code} written to {out} in {result.seconds:.1f} s: "
            f"{len(result.files)} files; records: {records or 'none'}; "
            f"{result.findings} validation findings (validation/kwaliteitsrapport.csv)."
        )

    def funders(self, period: Period, out: Path) -> None:
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty: choose a new directory for the reports.")
        result = funders.report(period, out)
        counts = ", ".join(f"{stream} {n}" for stream, n in result.activities.items())
        self.stdout.write(
            f"Funder reports {period.code} written to {out}: activities per stream: {counts}."
        )

    def refresh(self, period: Period | None, recent: int) -> None:
        periods = [period] if period else []
        if not periods:
            current = half_year_of(timezone.now())
            for _ in range(max(recent, 1)):
                periods.append(current)
                current = current.previous()
        for item in periods:
            done = refresh(item)
            self.stdout.write(
                f"Refreshed {item.code} in {done.refresh.seconds:.1f} s "
                f"({sum(done.extract.records.values())} records)."
            )
