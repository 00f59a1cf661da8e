# SPDX-License-Identifier: EUPL-1.2
"""The municipalities and their Veilig Thuis region, held in process memory for the public form.

Every public report names a municipality (or none), and the municipality decides the region
that receives it. This reference data changes about once a year (municipal redivisions, loaded
by ``accounts.reference``), yet the form would otherwise look it up on every page view and every
submission. The index is loaded once per process and dropped

* when a municipality or an organisation is saved or deleted in this process (signals), and
* after ``MAX_AGE_SECONDS`` — so a change made by another process is seen within minutes.

A municipality that is not in the index yet (added by another process just now) is looked up
once more before the form calls it unknown. The objects handed out are shared between threads:
treat them as read-only.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from vangnet.accounts.models import Municipality, Organisation

MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class Index:
    version: int
    loaded_at: float
    by_id: dict[int, Municipality]
    choices: tuple[tuple[str, str], ...]  # (id, name), ordered by name


_lock = threading.Lock()
_index: Index | None = None
_version = 0


def _load_locked() -> Index:
    global _index, _version
    _version += 1
    rows = list(Municipality.objects.select_related("vt_region").order_by("name", "code"))
    _index = Index(
        version=_version,
        loaded_at=time.monotonic(),
        by_id={m.pk: m for m in rows},
        choices=tuple((str(m.pk), m.name) for m in rows),
    )
    return _index


def _stale(current: Index | None) -> bool:
    return current is None or time.monotonic() - current.loaded_at > MAX_AGE_SECONDS


def index() -> Index:
    current = _index
    if _stale(current):
        with _lock:  # one thread reloads; the others wait for its result
            current = _index if not _stale(_index) else _load_locked()
    assert current is not None
    return current


def get(pk: int) -> Municipality | None:
    """The municipality with its region loaded, or None when it does not exist.

    A miss costs one indexed lookup (an unknown or forged id must not reload the whole list);
    only a municipality that does exist — added by another process — reloads the index."""
    if not 0 < pk < 2**63:  # not a database id (and PostgreSQL would refuse the lookup)
        return None
    found = index().by_id.get(pk)
    if found is None and Municipality.objects.filter(pk=pk).exists():
        with _lock:
            found = _load_locked().by_id.get(pk)
    return found


def choices() -> tuple[tuple[str, str], ...]:
    return index().choices


def version() -> int:
    return index().version


def clear(**_kwargs: object) -> None:
    global _index
    with _lock:
        _index = None


def connect_signals() -> None:
    """Called from the app config: drop the index whenever its source rows change here."""
    for model in (Municipality, Organisation):
        post_save.connect(clear, sender=model, dispatch_uid=f"municipality-index-{model.__name__}")
        post_delete.connect(
            clear, sender=model, dispatch_uid=f"municipality-index-{model.__name__}-d"
        )
