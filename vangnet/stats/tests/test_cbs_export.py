# SPDX-License-Identifier: EUPL-1.2
"""``vangnet stats cbs``: the delivery's files, manifest, audit, refusals, and no personal data."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from vangnet.audit.models import AuditEvent
from vangnet.stats import tables
from vangnet.stats.cbs import TABLE_HEADER, file_name
from vangnet.stats.tests.conftest import SECRETS

AGGREGATE_DIRS = ("delivery", "publication", "validation")


@pytest.fixture
def delivery(history, tmp_path) -> Path:
    out = tmp_path / "cbs"
    call_command("stats", "cbs", "--period", "2026H1", "--out", str(out))
    return out


def test_the_delivery_has_every_table_raw_and_every_published_table_protected(delivery):
    raw = {p.name for p in (delivery / "delivery").iterdir()}
    assert {file_name(t) for t in tables.TABLES} <= raw
    protected = {p.name for p in (delivery / "publication").iterdir()}
    assert protected == {file_name(t) for t in tables.PUBLISHED}
    for name in protected:
        for row in csv.DictReader(
            io.StringIO((delivery / "publication" / name).read_text()), delimiter=";"
        ):
            value = row["value"]
            assert value == "." or (int(value) >= 10 and int(value) % 5 == 0), (name, row)


def test_the_manifest_lists_every_file_with_its_checksum(delivery):
    manifest = json.loads((delivery / "manifest.json").read_text())
    assert manifest["period"] == "2026H1"
    assert manifest["start"] == "2026-01-01T00:00:00+01:00"
    assert manifest["end"] == "2026-07-01T00:00:00+02:00"
    assert manifest["records"]["report"] == 8
    assert manifest["publication"] == {"threshold": 10, "base": 5}
    for name, entry in manifest["files"].items():
        data = (delivery / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data.count(b"\n") == entry["rows"] + 1
    assert "CONFIDENTIAL" in (delivery / "README.txt").read_text()


def test_aggregate_files_hold_no_personal_data_and_no_record_numbers(delivery):
    for folder in AGGREGATE_DIRS:
        for path in (delivery / folder).iterdir():
            text = path.read_text()
            for secret in SECRETS:
                assert secret not in text, (path.name, secret)
            header = text.splitlines()[0].split(";")
            assert "record_id" not in header and "id" not in header
            if folder != "validation":
                assert tuple(header) == TABLE_HEADER
    internal = (delivery / "internal" / "invalid_records.csv").read_text()
    for secret in SECRETS:
        assert secret not in internal


def test_the_export_is_audited_without_content(delivery):
    event = AuditEvent.objects.get(action="cbs_export")
    assert event.processing_activity == "vg-008-statistics"
    assert event.details["period"] == "2026H1"
    manifest = (delivery / "manifest.json").read_bytes()
    assert event.details["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()


def test_the_export_refuses_a_directory_that_is_not_empty(history, tmp_path):
    (tmp_path / "old.txt").write_text("previous delivery")
    with pytest.raises(CommandError, match="not empty"):
        call_command("stats", "cbs", "--period", "2026H1", "--out", str(tmp_path))


@pytest.mark.parametrize("period", ["2026Q3", "2026", "2026H3", "H1"])
def test_the_cbs_delivery_is_per_half_year(db, tmp_path, period):
    with pytest.raises(CommandError, match="period"):
        call_command("stats", "cbs", "--period", period, "--out", str(tmp_path / "x"))


def test_labels_follow_the_language_option(history, tmp_path):
    call_command(
        "stats", "--language", "en", "cbs", "--period", "2026H1", "--out", str(tmp_path / "en")
    )
    text = (tmp_path / "en" / "delivery" / "84848NED_report_by_duration.csv").read_text()
    assert "More than a year" in text
    call_command("stats", "cbs", "--period", "2026H1", "--out", str(tmp_path / "nl"))
    text = (tmp_path / "nl" / "delivery" / "84848NED_report_by_duration.csv").read_text()
    assert "Langer dan een jaar" in text


@pytest.mark.slow
def test_the_vangnet_command_dispatches_stats_to_the_management_command(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "VANGNET_ENV": "demo",
        "VANGNET_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    run = [sys.executable, "-m", "vangnet.cli"]
    subprocess.run(
        [*run, "manage", "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
        cwd=settings.BASE_DIR,
        capture_output=True,
        timeout=300,
    )
    result = subprocess.run(
        [*run, "stats", "cbs", "--period", "2026H1", "--out", str(tmp_path / "out")],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "CBS delivery 2026H1 written" in result.stdout
    assert (tmp_path / "out" / "manifest.json").exists()
