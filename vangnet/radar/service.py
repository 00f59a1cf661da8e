# SPDX-License-Identifier: EUPL-1.2
"""The radar index in this process: loaded once from the encodings, then kept up to date.

Each lookup first pulls entries changed since the last one (one indexed query), so several
processes each keep a current index without coordination. Plaintext never enters here: the
caller encodes within its own organisation's code path (``actions.encode_person``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from vangnet.radar.linkage import DEFAULT_PARAMS, DEFAULT_THRESHOLD, EncodedRecord, RadarIndex
from vangnet.radar.models import RadarEntry


@dataclass(frozen=True)
class Payload:
    organisation_id: int
    group_ref: str


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index = RadarIndex(DEFAULT_PARAMS)
        self.seen_until: datetime | None = None
        self.seen_ids: set[int] = set()

    def refresh(self) -> RadarIndex:
        with self.lock:
            entries = RadarEntry.objects.only(
                "id", "organisation_id", "group_ref", "encoding", "encoding_params", "updated_at"
            ).order_by("updated_at", "id")
            if self.seen_until is not None:
                entries = entries.filter(Q(updated_at__gte=self.seen_until))
            for entry in entries.iterator(5000):
                if entry.encoding_params != DEFAULT_PARAMS.params_id:
                    continue
                if entry.pk in self.index:
                    self.index.remove(entry.pk)
                self.index.add(
                    entry.pk,
                    EncodedRecord.from_bytes(bytes(entry.encoding)),
                    Payload(entry.organisation_id, entry.group_ref),
                )
                self.seen_until = entry.updated_at
            return self.index

    def reset(self) -> None:
        with self.lock:
            self.index = RadarIndex(DEFAULT_PARAMS)
            self.seen_until = None


_cache = _Cache()


def index() -> RadarIndex:
    return _cache.refresh()


def reset() -> None:
    """Forget the in-process index (tests, and after bulk deletions)."""
    _cache.reset()


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


def lookup(encoded: EncodedRecord, *, exclude_group: str, k: int = 10) -> list[Hit]:
    """Earlier involvement of the same person elsewhere: matches at or above the threshold,
    outside the asking person's own case."""
    idx = index()
    hits = []
    for entry_id, score in idx.lookup(encoded, k=k + 10, min_score=DEFAULT_THRESHOLD):
        payload = idx.payload(entry_id)
        if isinstance(payload, Payload) and payload.group_ref == exclude_group:
            continue
        hits.append(Hit(int(entry_id), float(score)))  # type: ignore[call-overload]
    return hits[:k]
