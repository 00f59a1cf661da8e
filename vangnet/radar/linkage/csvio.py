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
from datetime import date
from pathlib import Path

from .normalise import PersonColumns, PersonRecord, parse_birth_date

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


class PersonTable:
    """The rows read: ids, the person fields column-wise, and the rows that were skipped."""

    __slots__ = ("_records", "bad_rows", "columns", "ids")

    def __init__(self, ids: list[str], columns: PersonColumns, bad_rows: list[BadRow]) -> None:
        self.ids = ids
        self.columns = columns
        self.bad_rows = bad_rows
        self._records: list[PersonRecord] | None = None

    @property
    def records(self) -> list[PersonRecord]:
        """One ``PersonRecord`` per row (built on first use; bulk encoding reads ``columns``)."""
        if self._records is None:
            self._records = self.columns.records()
        return self._records


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
        with open(path, "rb") as raw:
            data = raw.read()
    except FileNotFoundError as exc:
        raise InputFileError(f"{name}: file not found") from exc
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read file ({exc.strerror})") from exc
    # A well-formed file (the usual case) is read in one go; anything unusual, including every
    # error to report, goes through the row-by-row reader.
    table = _read_clean(data)
    if table is None:
        table = _read_rows(name, data, strict, on_bad_row)
    return table


def _read_clean(data: bytes) -> PersonTable | None:
    """All rows at once, or None if any row would need a message (or the header is wrong).

    Gives exactly what ``_read_rows`` gives for such a file: it checks the same things.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    width = len(INPUT_COLUMNS)
    if "\r" in text and text.count("\r") == text.count("\r\n"):
        text = text.replace("\r\n", "\n")  # csv.reader ends a row at \r\n as at \n
    if "\r" in text or "\0" in text:
        return None
    # Lines without a quote are exactly their comma-separated fields (split in C); the few
    # lines with quotes go through csv.reader, one line each. If a quoted field spans lines
    # (it would hold the line end, or two lines would make one row) the whole file goes to
    # the row-by-row reader instead.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines:
        return None
    rows = [line.split(",") for line in lines]
    quoted = [i for i, line in enumerate(lines) if '"' in line]
    if quoted:
        try:
            parsed = list(csv.reader([lines[i] + "\n" for i in quoted]))
        except csv.Error:
            return None
        if len(parsed) != len(quoted) or any("\n" in "".join(row) for row in parsed):
            return None
        for i, row in zip(quoted, parsed, strict=True):
            rows[i] = row
    header, body = rows[0], rows[1:]
    if any(len(row) != width for row in body):  # also blank lines: one empty field
        return None
    fields = list(zip(*body, strict=True)) if body else [() for _ in INPUT_COLUMNS]
    if [h.strip().lower() for h in header] != list(INPUT_COLUMNS):
        return None
    if not fields[0]:
        return PersonTable([], PersonColumns([], [], [], [], [], [], [], []), [])
    ids = list(map(str.strip, fields[0]))
    if not all(ids) or len(set(ids)) != len(ids):
        return None
    dates: dict[str, date | None] = {}
    for value in set(fields[3]):
        try:
            dates[value] = parse_birth_date(value)
        except ValueError:
            return None
    columns = PersonColumns(
        list(fields[1]),
        list(fields[2]),
        list(map(dates.__getitem__, fields[3])),
        list(fields[4]),
        list(fields[5]),
        list(fields[6]),
        list(fields[7]),
        list(fields[8]),
    )
    return PersonTable(ids, columns, [])


def _read_rows(
    name: str, data: bytes, strict: bool, on_bad_row: Callable[[BadRow], None] | None
) -> PersonTable:
    """Row by row: every malformed row is reported with its line number and skipped."""
    ids: list[str] = []
    columns = PersonColumns([], [], [], [], [], [], [], [])
    bad_rows: list[BadRow] = []
    first_line_of: dict[str, int] = {}

    def bad(line: int, reason: str) -> None:
        row = BadRow(name, line, reason)
        if strict:
            raise StrictStop(row)
        bad_rows.append(row)
        if on_bad_row is not None:
            on_bad_row(row)

    raw = io.BytesIO(data)
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
            columns.first_name.append(row[1])
            columns.last_name.append(row[2])
            columns.birth_date.append(birth)
            columns.street.append(row[4])
            columns.house_number.append(row[5])
            columns.postcode.append(row[6])
            columns.city.append(row[7])
            columns.bsn.append(row[8])
    return PersonTable(ids, columns, bad_rows)


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
