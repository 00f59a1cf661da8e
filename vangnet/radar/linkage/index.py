"""``RadarIndex``: an in-memory index of encodings for single-record lookups.

Encodings are kept column-wise in growable NumPy arrays (about 200 bytes per person, so a
million persons take a few hundred MB), never as a million Python objects. The blocking keys
of everything added so far are kept in one sorted array; records added after the last sort sit
in a small unsorted tail that is scanned directly, and the sorted array is rebuilt only when
that tail grows large. Adding one record is therefore cheap, and a lookup is a few binary
searches plus one vectorised scoring call over the candidates.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .blocking import BLOCK_COLUMNS, DEFAULT_MAX_BLOCK, SortedKeys
from .encoding import DEFAULT_PARAMS, EncodedRecord, EncodingParams
from .scoring import EncodedBatch, score_pairs

__all__ = ["RadarIndex"]

Index = npt.NDArray[np.intp]
_FIELDS = ("given", "surname", "street", "city", "popcount", "keys", "flags")


class RadarIndex:
    """Encoded persons with an id and an opaque payload; ``lookup`` finds the best matches."""

    def __init__(
        self,
        params: EncodingParams = DEFAULT_PARAMS,
        *,
        max_block: int = DEFAULT_MAX_BLOCK,
        chunk_size: int = 8192,
    ) -> None:
        self.params = params
        self.max_block = max_block
        self._chunk_size = chunk_size
        self._arrays: dict[str, np.ndarray[Any, Any]] = {}
        self._size = 0
        self._pending: list[EncodedRecord] = []
        self._ids: list[Hashable] = []
        self._payloads: list[object] = []
        self._row_of: dict[Hashable, int] = {}
        self._alive = np.zeros(0, dtype=np.bool_)
        self._sorted: SortedKeys | None = None
        self._sorted_upto = 0

    # --- adding --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._row_of

    def add(self, record_id: Hashable, encoded: EncodedRecord, payload: object = None) -> None:
        """Add one encoding. Re-adding an existing id replaces the old entry."""
        if encoded.params_id != self.params.params_id:
            raise ValueError("encoding made with other parameters than the index's")
        if record_id in self._row_of:
            self.remove(record_id)
        self._row_of[record_id] = len(self._ids)
        self._ids.append(record_id)
        self._payloads.append(payload)
        self._pending.append(encoded)
        if len(self._pending) >= self._chunk_size:
            self._flush()

    def add_many(
        self,
        items: Iterable[tuple[Hashable, EncodedRecord, object]],
        *,
        total: int | None = None,
        progress: bool = False,
    ) -> int:
        """Add (id, encoding, payload) triples; shows a progress bar on stderr if asked."""
        count = 0
        from tqdm import tqdm  # only here: importing it costs the CLI's start-up

        bar = tqdm(items, total=total, disable=not progress, unit="rec", desc="indexing")
        for record_id, encoded, payload in bar:
            self.add(record_id, encoded, payload)
            count += 1
        self.optimise()
        return count

    def add_batch(
        self,
        ids: Sequence[Hashable],
        batch: EncodedBatch,
        payloads: Sequence[object] | None = None,
    ) -> None:
        """Add many encodings at once, e.g. ``EncodedBatch.from_serialised`` of stored rows.

        This is the bulk-load path (no Python object per record); ids must be new.
        """
        if batch.params_id != self.params.params_id:
            raise ValueError("encodings made with other parameters than the index's")
        if len(ids) != len(batch) or (payloads is not None and len(payloads) != len(batch)):
            raise ValueError("ids, payloads and batch must have the same length")
        self._flush()
        start = len(self._ids)
        for offset, record_id in enumerate(ids):
            if record_id in self._row_of:
                raise ValueError(f"id {record_id!r} is already in the index")
            self._row_of[record_id] = start + offset
        self._ids.extend(ids)
        self._payloads.extend(payloads if payloads is not None else [None] * len(batch))
        self._append(batch)

    def optimise(self) -> None:
        """Sort all blocking keys now (otherwise done lazily when the unsorted tail grows)."""
        self._flush()
        self._reindex(force=True)

    def remove(self, record_id: Hashable) -> bool:
        """Forget a record (retention, correction). Returns False if the id is unknown."""
        row = self._row_of.pop(record_id, None)
        if row is None:
            return False
        self._flush()
        self._alive[row] = False
        self._payloads[row] = None
        return True

    def payload(self, record_id: Hashable) -> object:
        return self._payloads[self._row_of[record_id]]

    def _flush(self) -> None:
        if not self._pending:
            return
        batch = EncodedBatch.from_records(self._pending, self.params)
        self._pending = []
        self._append(batch)

    def _append(self, batch: EncodedBatch) -> None:
        needed = self._size + len(batch)
        if not self._arrays:
            for name in _FIELDS:
                column = getattr(batch, name)
                capacity = max(needed, self._chunk_size)
                self._arrays[name] = np.zeros((capacity, *column.shape[1:]), dtype=column.dtype)
        capacity = self._arrays["flags"].shape[0]
        if needed > capacity:
            capacity = max(needed, capacity * 2)
            for name, column in self._arrays.items():
                grown = np.zeros((capacity, *column.shape[1:]), dtype=column.dtype)
                grown[: self._size] = column[: self._size]
                self._arrays[name] = grown
        for name in _FIELDS:
            self._arrays[name][self._size : needed] = getattr(batch, name)
        alive = np.ones(needed, dtype=np.bool_)
        alive[: self._size] = self._alive
        # Rows of records removed before they were flushed stay dead.
        for row in range(self._size, needed):
            if self._row_of.get(self._ids[row]) != row:
                alive[row] = False
        self._alive = alive
        self._size = needed

    def _view(self) -> EncodedBatch:
        a = self._arrays
        n = self._size
        return EncodedBatch(
            self.params.params_id,
            a["given"][:n],
            a["surname"][:n],
            a["street"][:n],
            a["city"][:n],
            a["popcount"][:n],
            a["keys"][:n],
            a["flags"][:n],
        )

    def _reindex(self, *, force: bool = False) -> None:
        tail = self._size - self._sorted_upto
        if tail and (force or tail > max(50_000, self._size // 20)):
            keys = self._arrays["keys"][: self._size][:, BLOCK_COLUMNS]
            self._sorted = SortedKeys(np.ascontiguousarray(keys))
            self._sorted_upto = self._size

    # --- lookup --------------------------------------------------------------------------

    def candidates(self, encoded: EncodedRecord) -> Index:
        """Rows sharing at least one blocking key with ``encoded`` (alive rows only)."""
        self._flush()
        self._reindex()
        query = np.array([encoded.keys[c] for c in BLOCK_COLUMNS], dtype=np.uint64)
        query = query[query != 0]
        if not query.size or not self._size:
            return np.zeros(0, dtype=np.intp)
        found = []
        if self._sorted is not None:
            found.append(self._sorted.rows_for(query, self.max_block))
        if self._sorted_upto < self._size:
            tail = self._arrays["keys"][self._sorted_upto : self._size][:, BLOCK_COLUMNS]
            hits = np.flatnonzero(np.isin(tail, query).any(axis=1))
            found.append(hits.astype(np.intp) + self._sorted_upto)
        rows = np.unique(np.concatenate(found))
        return rows[self._alive[rows]]

    def lookup(
        self, encoded: EncodedRecord, k: int = 10, min_score: float = 0.0
    ) -> list[tuple[Hashable, float]]:
        """The ``k`` best-scoring indexed records (id, score), best first.

        Scores are match probabilities for a search among everyone in the index: above the
        calibration size they are corrected for the larger number of look-alike strangers,
        so the same pair can score lower in a large index than with ``score()``.
        """
        if encoded.params_id != self.params.params_id:
            raise ValueError("encoding made with other parameters than the index's")
        rows = self.candidates(encoded)
        if not rows.size:
            return []
        query = EncodedBatch.from_records([encoded], self.params)
        # Scores are for a search among len(self) persons: see scoring.population_shift.
        scores = score_pairs(
            query,
            np.zeros(rows.size, dtype=np.intp),
            self._view(),
            rows,
            self.params,
            population=len(self),
        )
        if rows.size > k:
            best = np.argpartition(-scores, k - 1)[:k]
            rows, scores = rows[best], scores[best]
        order = np.lexsort((rows, -scores))
        return [
            (self._ids[int(rows[i])], float(scores[i])) for i in order if scores[i] >= min_score
        ]
