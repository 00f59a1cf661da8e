# SPDX-License-Identifier: EUPL-1.2
"""The half-yearly CBS delivery (*Beleidsinformatie Veilig Thuis*, domain rules §2).

``vangnet stats cbs --period 2026H1 --out DIR`` writes::

    DIR/README.txt          what is where, and who may see it
    DIR/manifest.json       period, settings, record counts, every file with rows and sha256
    DIR/delivery/           raw counts per table, area and category: CONFIDENTIAL, for CBS
    DIR/publication/        the same tables protected (rounded to 5, "." for small cells)
    DIR/validation/         spiegelrapport.csv (completeness) and kwaliteitsrapport.csv (checks)
    DIR/internal/           invalid_records.csv: which records failed which check (for the
                            regions to correct at the source; not for CBS, not for publication)

The delivery holds aggregate counts, no microdata: no person, case or report appears in it.
CBS receives unprotected counts and protects its own publications; we deliver raw counts as a
confidential file and publish only the protected ones (ADR 0050).

Files are UTF-8 CSV with ``;`` as separator (what Dutch spreadsheets expect) and codes in the
first columns, labels after them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from vangnet.audit.log import Actor, record
from vangnet.stats import tables
from vangnet.stats.checks import CHECKS
from vangnet.stats.cube import COUNTRY, AreaTree, Cube, area_label, area_tree
from vangnet.stats.disclosure import format_cell
from vangnet.stats.models import Publication, PublishedArea
from vangnet.stats.periods import Period
from vangnet.stats.publish import ACTIVITY, build
from vangnet.stats.refresh import refresh
from vangnet.stats.tables import SCORE_SUMS, TableDef

SEPARATOR = ";"
TOTAL = "total"
TABLE_HEADER = (
    "period",
    "area_level",
    "area_code",
    "area_name",
    "parent_code",
    "table",
    "category",
    "category_label",
    "value",
)

README = """Beleidsinformatie Veilig Thuis, {period} (Vangnet {version}, {generated})

delivery/      Raw counts per table, area and category. CONFIDENTIAL: for CBS only.
               Small numbers are not hidden here; CBS protects its own publications.
publication/   The same tables after disclosure control: counts rounded to multiples of
               {base}, counts below {threshold} shown as "." (also where a hidden number could
               be worked out from the totals). Totals are rounded separately and need not
               equal the sum of the rounded cells. Safe to publish.
validation/    spiegelrapport.csv: completeness per field, nationally and per region.
               kwaliteitsrapport.csv: the cross-field checks and how many records failed.
internal/      invalid_records.csv: which records failed which check, by internal record
               number, for correction at the source. Not for CBS and not for publication.

Areas: NL = the Netherlands; vtNN = Veilig Thuis region; GMnnnn = municipality (CBS code);
vt-x = region unknown; vtNN-x = municipality unknown in that region.
"""


@dataclass
class Written:
    rows: int
    sha256: str


@dataclass
class ExportResult:
    directory: Path
    files: dict[str, Written] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    findings: int = 0
    seconds: float = 0.0


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Written:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=SEPARATOR, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return Written(count, hashlib.sha256(path.read_bytes()).hexdigest())


def file_name(table: TableDef) -> str:
    return f"{table.cbs or 'vangnet'}_{table.id}.csv"


def universe_total(cube: Cube, table: TableDef, area: Any) -> int:
    source = tables.universe_table(table.universe) if not table.additive else table
    return sum(cube.value(source.id, area, c) for c in source.category_codes)


def raw_rows(period: Period, cube: Cube, tree: AreaTree, table: TableDef) -> Iterable[list[Any]]:
    labels = {c.code: str(c.label) for c in table.categories}
    for area in tree.all():
        name = str(area.label)
        for category in table.category_codes:
            value = cube.value(table.id, area, category)
            yield [
                period.code,
                area.level,
                area.code,
                name,
                area.parent,
                table.id,
                category,
                labels[category],
                value,
            ]
        total = universe_total(cube, table, area)
        yield [
            period.code,
            area.level,
            area.code,
            name,
            area.parent,
            table.id,
            TOTAL,
            str(table.counts),
            total,
        ]


def published_rows(
    publication: Publication, areas: Sequence[PublishedArea], table: TableDef
) -> Iterable[list[Any]]:
    labels = {c.code: str(c.label) for c in table.categories}
    for area in areas:
        data = area.data.get(table.id)
        if data is None:
            continue
        name = str(area_label(area.code, area.name))
        for category, value in data["cells"].items():
            yield [
                publication.period,
                area.level,
                area.code,
                name,
                area.parent_code,
                table.id,
                category,
                labels.get(category, category),
                format_cell(value),
            ]
        yield [
            publication.period,
            area.level,
            area.code,
            name,
            area.parent_code,
            table.id,
            TOTAL,
            str(table.counts),
            format_cell(data["total"]),
        ]


def completeness_rows(summary: dict[str, Any], tree: AreaTree) -> Iterable[list[Any]]:
    names = {COUNTRY: str(tree.country.label)} | {r.code: str(r.label) for r in tree.regions}
    for scope, fields in sorted(summary["completeness"].items()):
        code = scope or COUNTRY
        for key, statuses in sorted(fields.items()):
            record_type, _dot, name = key.partition(".")
            total = sum(statuses.values())
            filled = statuses.get("filled", 0)
            yield [
                code,
                names.get(code, str(area_label(code, ""))),
                record_type,
                name,
                total,
                filled,
                statuses.get("unknown", 0),
                statuses.get("invalid", 0),
                statuses.get("missing", 0),
                f"{100 * filled / total:.1f}" if total else "",
            ]


def quality_rows(summary: dict[str, Any]) -> Iterable[list[Any]]:
    national = summary["findings"].get("", {})
    for check in CHECKS.values():
        yield [
            check.id,
            check.severity,
            check.record_type,
            str(check.description),
            str(check.treatment),
            COUNTRY,
            national.get(check.id, 0),
        ]
    for region, counts in sorted(summary["findings"].items()):
        if not region:
            continue
        for check_id, n in sorted(counts.items()):
            check = CHECKS[check_id]
            yield [
                check.id,
                check.severity,
                check.record_type,
                str(check.description),
                str(check.treatment),
                region,
                n,
            ]


def export(period: Period, out: Path, *, user: Any = None) -> ExportResult:
    """Refresh the counts of ``period``, publish them, and write the delivery to ``out``."""
    started = time.perf_counter()
    result = ExportResult(out)
    refreshed = refresh(period)
    publication = build(period, user=user)
    cube = Cube.load(period.code)
    tree = area_tree(cube.used)
    out.mkdir(parents=True, exist_ok=True)
    for table in tables.TABLES:
        name = f"delivery/{file_name(table)}"
        result.files[name] = write_csv(
            out / name, TABLE_HEADER, raw_rows(period, cube, tree, table)
        )
    result.files["delivery/vangnet_score_sums.csv"] = write_csv(
        out / "delivery/vangnet_score_sums.csv",
        TABLE_HEADER,
        (
            [
                period.code,
                area.level,
                area.code,
                str(area.label),
                area.parent,
                SCORE_SUMS,
                part,
                f"sum of {part} safety scores",
                cube.value(SCORE_SUMS, area, part),
            ]
            for area in tree.all()
            for part in ("first", "last")
        ),
    )
    areas = list(PublishedArea.objects.filter(publication=publication).order_by("position"))
    for table in tables.PUBLISHED:
        name = f"publication/{file_name(table)}"
        result.files[name] = write_csv(
            out / name, TABLE_HEADER, published_rows(publication, areas, table)
        )
    summary = refreshed.refresh.summary
    result.files["validation/spiegelrapport.csv"] = write_csv(
        out / "validation/spiegelrapport.csv",
        (
            "area_code",
            "area_name",
            "record_type",
            "field",
            "records",
            "filled",
            "unknown",
            "invalid",
            "missing",
            "complete_pct",
        ),
        completeness_rows(summary, tree),
    )
    result.files["validation/kwaliteitsrapport.csv"] = write_csv(
        out / "validation/kwaliteitsrapport.csv",
        ("check", "severity", "record_type", "description", "treatment", "area_code", "findings"),
        quality_rows(summary),
    )
    findings = sorted(
        refreshed.extract.findings, key=lambda f: (f.check, f.record_type, f.record_id)
    )
    result.files["internal/invalid_records.csv"] = write_csv(
        out / "internal/invalid_records.csv",
        ("check", "severity", "record_type", "record_id", "region_code", "detail"),
        (
            [f.check, CHECKS[f.check].severity, f.record_type, f.record_id, f.region_code, f.detail]
            for f in findings
        ),
    )
    result.records = dict(refreshed.extract.records)
    result.findings = len(findings)
    generated = timezone.now()
    (out / "README.txt").write_text(
        README.format(
            period=period.code,
            version=settings.VANGNET_VERSION,
            generated=generated.isoformat(timespec="seconds"),
            base=publication.base,
            threshold=publication.threshold,
        ),
        encoding="utf-8",
    )
    manifest = {
        "kind": "beleidsinformatie-veilig-thuis",
        "period": period.code,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "generated_at": generated.isoformat(),
        "system_version": settings.VANGNET_VERSION,
        "delivery": "raw aggregate counts, confidential, for CBS only",
        "publication": {"threshold": publication.threshold, "base": publication.base},
        "records": result.records,
        "findings": dict(Counter(f.check for f in findings)),
        "files": {name: {"rows": w.rows, "sha256": w.sha256} for name, w in result.files.items()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    result.seconds = time.perf_counter() - started
    record(
        actor=Actor.staff(user) if user is not None else Actor.system("stats"),
        action="cbs_export",
        activity=ACTIVITY,
        obj=publication,
        details={
            "period": period.code,
            "files": len(result.files),
            "manifest_sha256": hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest(),
        },
    )
    return result
