# SPDX-License-Identifier: EUPL-1.2
"""Re-encrypt every encrypted column under the primary key (`vangnet keys rotate`).

Works in primary-key batches on raw column values, so it never holds a table in memory. Each
row is updated with compare-and-swap (``WHERE col = old_token``): a row changed by a user during
rotation keeps the user's value, which is already encrypted under the primary key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from vangnet.lib import crypto
from vangnet.lib.fields import encrypted_fields

BATCH = 500


@dataclass
class RotationResult:
    scanned: int = 0
    rotated: int = 0
    skipped_changed: int = 0


def _rotate_column(
    model: type[Model], name: str, ring: crypto.Keyring, result: RotationResult
) -> None:
    qn = connection.ops.quote_name
    field: Any = model._meta.get_field(name)
    table, column, purpose = qn(model._meta.db_table), qn(field.column), str(field.purpose)
    pk = qn(str(model._meta.pk.column)) if model._meta.pk else "id"
    select_first = f"SELECT {pk}, {column} FROM {table} ORDER BY {pk} LIMIT {BATCH}"  # noqa: S608
    select_next = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT {BATCH}"  # noqa: S608
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
    last: Any = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(select_first)
            else:
                cursor.execute(select_next, [last])
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        with transaction.atomic(), connection.cursor() as cursor:
            for row_pk, token in rows:
                result.scanned += 1
                if not token or crypto.key_id(token) == ring.primary:
                    continue
                fresh = crypto.encrypt(crypto.decrypt(token, purpose, ring), purpose, ring)
                cursor.execute(update, [fresh, row_pk, token])
                if cursor.rowcount == 1:
                    result.rotated += 1
                else:
                    result.skipped_changed += 1


def rotate_all(progress: Callable[[str], None] | None = None) -> RotationResult:
    ring = crypto.keyring()
    result = RotationResult()
    for model, names in encrypted_fields():
        for name in names:
            _rotate_column(model, name, ring, result)
            if progress:
                progress(f"{model._meta.label}.{name}")
    return result
