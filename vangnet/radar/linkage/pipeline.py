"""Batch dedupe and link, encoded or plaintext: encode, block, score, keep pairs >= threshold.

These are the building blocks of the CLI, the calibration and the benchmarks. Scoring runs in
chunks so that memory stays flat however many candidate pairs the blocking produces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import numpy as np
import numpy.typing as npt

from .blocking import BLOCK_COLUMNS, DEFAULT_MAX_BLOCK, pairs_between, pairs_within
from .encoding import DEFAULT_PARAMS, EncodingParams, _encoder, encode_columns, serialise_rows
from .normalise import NormalisedPerson, PersonColumns, PersonRecord
from .scoring import EncodedBatch, score_pairs, score_plain_pairs

__all__ = [
    "ScoredPairs",
    "dedupe_encoded",
    "dedupe_plain",
    "encode_batch",
    "link_encoded",
    "link_plain",
    "plain_block_keys",
]

Index = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]
_CHUNK = 100_000
#: Below these sizes a second process costs more than it saves.
_MIN_RECORDS_PER_PROCESS = 5_000
_MIN_PAIRS_PER_PROCESS = 50_000
_FORK = os.name == "posix"
#: Records per encoding chunk (bounds the transient BLIP arrays: about 1 kB per record).
_ENCODE_CHUNK = 50_000


class _NoProgress:
    def update(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(enabled: bool, **kwargs: Any) -> Any:
    """A tqdm bar when asked for, else a no-op (tqdm is only imported when it is used)."""
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(**kwargs)


@dataclass(slots=True)
class ScoredPairs:
    """Row indices into the left/right input and the match probability of each pair."""

    left: Index
    right: Index
    score: FloatArray

    def above(self, threshold: float) -> ScoredPairs:
        keep = self.score >= threshold
        return ScoredPairs(self.left[keep], self.right[keep], self.score[keep])


def _encode_chunk(args: tuple[PersonColumns, bytes, EncodingParams]) -> bytes:
    """Encode a chunk; the result travels as one bytes object (cheap to pass between processes)."""
    columns, key, params = args
    return serialise_rows(*encode_columns(columns, key, params), params)


def _words(filters: npt.NDArray[np.uint8], start: int, width: int) -> U64:
    words = np.ascontiguousarray(filters[:, start : start + width]).view("<u8")
    return words.astype(np.uint64, copy=False)


def _pool(processes: int) -> Any:
    """A process pool; forked where possible, so workers start at once and share memory."""
    return get_context("fork" if _FORK else "spawn").Pool(processes)


def encode_batch(
    records: Sequence[PersonRecord] | PersonColumns,
    key: bytes,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    workers: int = 1,
    progress: bool = False,
) -> EncodedBatch:
    """Encode many records into one ``EncodedBatch`` (optionally in worker processes).

    Each chunk is encoded per distinct value (see ``_Encoder.encode_columns``), so chunks are
    large; with workers the records are split evenly between them. The rows are identical to
    ``encode(r)`` of each record, however they are split.
    """
    columns = records if isinstance(records, PersonColumns) else PersonColumns.from_records(records)
    n = len(columns)
    processes = max(1, min(workers, n // _MIN_RECORDS_PER_PROCESS))
    step = min(_ENCODE_CHUNK, -(-n // processes)) if n else _ENCODE_CHUNK
    chunks = [(columns.slice(i, i + step), key, params) for i in range(0, n, step)]
    bar = _progress(progress, total=n, unit="rec", desc="encoding")
    if processes > 1:
        parts: list[bytes] = []
        with _pool(processes) as pool:
            for chunk, part in zip(chunks, pool.imap(_encode_chunk, chunks), strict=True):
                parts.append(part)
                bar.update(len(chunk[0]))
        bar.close()
        return EncodedBatch.from_serialised(b"".join(parts), n, params)
    flags, filters, keys = [], [], []
    for chunk in chunks:
        chunk_flags, chunk_filters, chunk_keys = encode_columns(chunk[0], key, params)
        flags.append(chunk_flags)
        filters.append(chunk_filters)
        keys.append(chunk_keys)
        bar.update(len(chunk[0]))
    bar.close()
    if not chunks:
        return EncodedBatch.from_serialised(b"", 0, params)
    all_filters = np.concatenate(filters)
    sizes = (params.name_bits // 8, params.name_bits // 8, params.street_bits // 8)
    o1, o2, o3 = sizes[0], sizes[0] + sizes[1], sum(sizes)
    return EncodedBatch.from_arrays(
        params.params_id,
        _words(all_filters, 0, sizes[0]),
        _words(all_filters, o1, sizes[1]),
        _words(all_filters, o2, sizes[2]),
        _words(all_filters, o3, params.city_bits // 8),
        np.concatenate(keys).astype(np.uint64, copy=False),
        np.concatenate(flags),
    )


#: What forked scoring workers inherit from the parent: (left, right, scorer).
_INHERITED: list[tuple[Index, Index, Callable[[Index, Index], FloatArray]]] = []


def _score_range(task: tuple[int, int]) -> FloatArray:
    left, right, scorer = _INHERITED[-1]
    start, stop = task
    return scorer(left[start:stop], right[start:stop])


def _score_in_chunks(
    left: Index,
    right: Index,
    scorer: Callable[[Index, Index], FloatArray],
    threshold: float,
    progress: bool,
    workers: int = 1,
) -> ScoredPairs:
    total = left.shape[0]
    scores = np.zeros(total, dtype=np.float64)
    bar = _progress(progress, total=total, unit="pair", desc="scoring")
    processes = max(1, min(workers, total // _MIN_PAIRS_PER_PROCESS)) if _FORK else 1
    # Several chunks per process, so that the processes finish at about the same time.
    step = min(_CHUNK, -(-total // (4 * processes))) if processes > 1 else _CHUNK
    tasks = [(start, min(start + step, total)) for start in range(0, total, step)]
    if processes > 1:
        # Forked workers inherit the batches and candidate pairs; only ranges and scores are
        # sent between the processes.
        _INHERITED.append((left, right, scorer))
        try:
            with _pool(processes) as pool:
                for (start, stop), part in zip(tasks, pool.imap(_score_range, tasks), strict=True):
                    scores[start:stop] = part
                    bar.update(stop - start)
        finally:
            _INHERITED.pop()
    else:
        for start, stop in tasks:
            scores[start:stop] = scorer(left[start:stop], right[start:stop])
            bar.update(stop - start)
    bar.close()
    return ScoredPairs(left, right, scores).above(threshold)


def dedupe_encoded(
    batch: EncodedBatch,
    threshold: float,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    progress: bool = False,
    workers: int = 1,
) -> ScoredPairs:
    left, right = pairs_within(np.ascontiguousarray(batch.keys[:, BLOCK_COLUMNS]), max_block)
    return _score_in_chunks(
        left,
        right,
        lambda i, j: score_pairs(batch, i, batch, j, params, population=len(batch)),
        threshold,
        progress,
        workers,
    )


def link_encoded(
    batch_left: EncodedBatch,
    batch_right: EncodedBatch,
    threshold: float,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    progress: bool = False,
    workers: int = 1,
) -> ScoredPairs:
    left, right = pairs_between(
        np.ascontiguousarray(batch_left.keys[:, BLOCK_COLUMNS]),
        np.ascontiguousarray(batch_right.keys[:, BLOCK_COLUMNS]),
        max_block,
    )
    return _score_in_chunks(
        left,
        right,
        lambda i, j: score_pairs(
            batch_left, i, batch_right, j, params, population=max(len(batch_left), len(batch_right))
        ),
        threshold,
        progress,
        workers,
    )


# --- plaintext ------------------------------------------------------------------------------

# Plaintext mode uses the same blocking passes as the encoded mode, hashed under a throw-away
# key that lives only in this process: the hashes are just fast dictionary keys here.
_EPHEMERAL_KEY = os.urandom(32)


def plain_block_keys(people: Sequence[NormalisedPerson]) -> U64:
    encoder = _encoder(_EPHEMERAL_KEY, DEFAULT_PARAMS)
    rows = [encoder.keys_for(person) for person in people]
    keys = np.array(rows, dtype=np.uint64).reshape(len(people), -1)
    return np.ascontiguousarray(keys[:, BLOCK_COLUMNS])


def dedupe_plain(
    people: Sequence[NormalisedPerson],
    threshold: float,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    progress: bool = False,
) -> ScoredPairs:
    left, right = pairs_within(plain_block_keys(people), max_block)
    return _score_in_chunks(
        left,
        right,
        lambda i, j: score_plain_pairs(
            [people[x] for x in i], [people[x] for x in j], population=len(people)
        ),
        threshold,
        progress,
    )


def link_plain(
    left_people: Sequence[NormalisedPerson],
    right_people: Sequence[NormalisedPerson],
    threshold: float,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    progress: bool = False,
) -> ScoredPairs:
    left, right = pairs_between(
        plain_block_keys(left_people), plain_block_keys(right_people), max_block
    )
    return _score_in_chunks(
        left,
        right,
        lambda i, j: score_plain_pairs(
            [left_people[x] for x in i],
            [right_people[x] for x in j],
            population=max(len(left_people), len(right_people)),
        ),
        threshold,
        progress,
    )
