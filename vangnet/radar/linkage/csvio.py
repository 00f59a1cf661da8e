"""Reading person CSV files robustly, and writing pair files.

A malformed row (wrong column count, bad date, bytes that are not UTF-8, a repeated id) must
not sink a whole linkage run: it is reported with its line number and skipped, unless the
caller asked for ``strict`` reading. A missing file or a wrong header is a different matter:
nothing sensible can be read, so that is an ``InputFileError``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .normalise import PersonRecord, parse_birth_date

__all__ = [
    "INPUT_COLUMNS",
    "BadRow",
    "InputFileError",
    "PersonTable",
    "StrictStop",
    "read_persons",
    "write_pairs",
]

INPUT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "house_number",
    "postcode",
    "city",
    "bsn",
)


class InputFileError(Exception):
    """The file cannot be read at all (missing, unreadable, empty, wrong header)."""


@dataclass(frozen=True, slots=True)
class BadRow:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: line {self.line}: {self.reason}; row skipped"


class StrictStop(Exception):
    """Raised in strict mode at the first malformed row."""

    def __init__(self, bad: BadRow) -> None:
        super().__init__(str(bad))
        self.bad = bad


@dataclass(slots=True)
class PersonTable:
    ids: list[str]
    records: list[PersonRecord]
    bad_rows: list[BadRow]


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _has_undecodable(fields: list[str]) -> bool:
    # surrogateescape maps every byte that is not valid UTF-8 to U+DC80..U+DCFF.
    text = "".join(fields)
    return not text.isascii() and _UNDECODABLE.search(text) is not None


def read_persons(
    path: Path | str,
    *,
    strict: bool = False,
    on_bad_row: Callable[[BadRow], None] | None = None,
) -> PersonTable:
    """Read ``id,first_name,last_name,birth_date,street,house_number,postcode,city,bsn``."""
    name = str(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the TextIOWrapper below
    except FileNotFoundError as exc:
        raise InputFileError(f"{name}: file not found") from exc
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read file ({exc.strerror})") from exc
    ids: list[str] = []
    records: list[PersonRecord] = []
    bad_rows: list[BadRow] = []
    first_line_of: dict[str, int] = {}

    def bad(line: int, reason: str) -> None:
        row = BadRow(name, line, reason)
        if strict:
            raise StrictStop(row)
        bad_rows.append(row)
        if on_bad_row is not None:
            on_bad_row(row)

    with io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            raise InputFileError(f"{name}: the file is empty (expected a header row)") from None
        except (csv.Error, OSError) as exc:
            raise InputFileError(f"{name}: cannot read the header ({exc})") from exc
        if [h.strip().lower() for h in header] != list(INPUT_COLUMNS):
            raise InputFileError(
                f"{name}: line 1: expected the header {','.join(INPUT_COLUMNS)!r}, "
                f"got {','.join(header)!r}"
            )
        line = reader.line_num
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line = reader.line_num
                bad(start, f"cannot parse the CSV row ({exc})")
                continue
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if _has_undecodable(row):
                bad(start, "contains bytes that are not valid UTF-8")
                continue
            if len(row) != len(INPUT_COLUMNS):
                bad(start, f"expected {len(INPUT_COLUMNS)} columns, got {len(row)}")
                continue
            record_id = row[0].strip()
            if not record_id:
                bad(start, "empty id")
                continue
            if record_id in first_line_of:
                bad(
                    start,
                    f"duplicate id {record_id!r} (first seen on line {first_line_of[record_id]})",
                )
                continue
            try:
                birth = parse_birth_date(row[3])
            except ValueError:
                bad(start, f"bad birth_date {row[3]!r} (expected YYYY-MM-DD)")
                continue
            first_line_of[record_id] = start
            ids.append(record_id)
            records.append(
                PersonRecord(
                    first_name=row[1],
                    last_name=row[2],
                    birth_date=birth,
                    street=row[4],
                    house_number=row[5],
                    postcode=row[6],
                    city=row[7],
                    bsn=row[8],
                )
            )
    return PersonTable(ids, records, bad_rows)


def write_pairs(path: Path | str, pairs: Iterable[tuple[str, str, float]]) -> int:
    """Write ``id_l,id_r,score`` (score with 4 decimals); returns the number of pairs."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("id_l", "id_r", "score"))
        for left, right, value in pairs:
            writer.writerow((left, right, f"{value:.4f}"))
            count += 1
    return count
