"""Batch dedupe and link, encoded or plaintext: encode, block, score, keep pairs >= threshold.

These are the building blocks of the CLI, the calibration and the benchmarks. Scoring runs in
chunks so that memory stays flat however many candidate pairs the blocking produces.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import numpy as np
import numpy.typing as npt

from .blocking import BLOCK_COLUMNS, DEFAULT_MAX_BLOCK, pairs_between, pairs_within
from .encoding import (
    DEFAULT_PARAMS,
    HEADER_SIZE,
    KEY_FIELDS,
    EncodingParams,
    _encoder,
    encode_columns,
    record_size,
    serialise_rows,
)
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


def _shared(shape: tuple[int, ...], dtype: type[Any]) -> npt.NDArray[Any]:
    """A zeroed array in anonymous shared memory: forked children write into the parent's."""
    count = int(np.prod(shape))
    buffer = mmap.mmap(-1, max(1, count * np.dtype(dtype).itemsize))
    return np.frombuffer(buffer, dtype=dtype, count=count).reshape(shape)


def _split_work(count: int, processes: int, work: Callable[[int, int], None]) -> None:
    """``work(start, stop)`` on ``processes`` contiguous parts of ``range(count)`` at once: the
    first part in this process, the others in forked children (which see this process's
    memory as it was and write their results into ``_shared`` arrays)."""
    bounds = [count * part // processes for part in range(processes + 1)]
    context = get_context("fork")
    children = [
        context.Process(target=work, args=(bounds[part], bounds[part + 1]), daemon=True)
        for part in range(1, processes)
    ]
    for child in children:
        child.start()
    try:
        work(bounds[0], bounds[1])
    finally:
        for child in children:
            child.join()
    if any(child.exitcode != 0 for child in children):
        raise RuntimeError("a worker process failed")


def encode_batch(
    records: Sequence[PersonRecord] | PersonColumns,
    key: bytes,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    workers: int = 1,
    progress: bool = False,
) -> EncodedBatch:
    """Encode many records into one ``EncodedBatch`` (optionally in worker processes).

    The records are encoded in large chunks, each per distinct value (see
    ``_Encoder.encode_columns``); with workers, each process takes an equal share of the
    records. The rows are identical to ``encode(r)`` of each record, however they are split.
    """
    columns = records if isinstance(records, PersonColumns) else PersonColumns.from_records(records)
    n = len(columns)
    processes = max(1, min(workers, n // _MIN_RECORDS_PER_PROCESS))
    bar = _progress(progress, total=n, unit="rec", desc="encoding")
    if processes > 1 and not _FORK:
        step = min(_ENCODE_CHUNK, -(-n // processes))
        chunks = [(columns.slice(i, i + step), key, params) for i in range(0, n, step)]
        parts: list[bytes] = []
        with get_context("spawn").Pool(processes) as pool:
            for chunk, part in zip(chunks, pool.imap(_encode_chunk, chunks), strict=True):
                parts.append(part)
                bar.update(len(chunk[0]))
        bar.close()
        return EncodedBatch.from_serialised(b"".join(parts), n, params)
    width = record_size(params) - HEADER_SIZE - 8 * len(KEY_FIELDS)
    shape = ((n, width), (n, len(KEY_FIELDS)), (n,))
    if processes > 1:
        filters, keys, flags = (
            _shared(shape[0], np.uint8),
            _shared(shape[1], np.uint64),
            _shared(shape[2], np.uint8),
        )
    else:
        filters, keys, flags = (
            np.empty(shape[0], np.uint8),
            np.empty(shape[1], np.uint64),
            np.empty(shape[2], np.uint8),
        )

    def work(start: int, stop: int) -> None:
        for begin in range(start, stop, _ENCODE_CHUNK):
            end = min(begin + _ENCODE_CHUNK, stop)
            chunk_flags, chunk_filters, chunk_keys = encode_columns(
                columns.slice(begin, end), key, params
            )
            flags[begin:end] = chunk_flags
            filters[begin:end] = chunk_filters
            keys[begin:end] = chunk_keys
            if processes == 1:
                bar.update(end - begin)

    _run_split(n, processes, bar, work)
    sizes = (params.name_bits // 8, params.name_bits // 8, params.street_bits // 8)
    o1, o2, o3 = sizes[0], sizes[0] + sizes[1], sum(sizes)
    return EncodedBatch.from_arrays(
        params.params_id,
        _words(filters, 0, sizes[0]),
        _words(filters, o1, sizes[1]),
        _words(filters, o2, sizes[2]),
        _words(filters, o3, params.city_bits // 8),
        # Out of shared memory (which lives as long as the arrays) when it was used.
        np.array(keys) if processes > 1 else keys,
        np.array(flags) if processes > 1 else flags,
    )


def _run_split(total: int, processes: int, bar: Any, work: Callable[[int, int], None]) -> None:
    """Run ``work(start, stop)`` over ``[0, total)``: split over forked workers, or here (where
    ``work`` advances the progress bar itself)."""
    if processes > 1:
        _split_work(total, processes, work)
        bar.update(total)
    else:
        work(0, total)
    bar.close()


def _score_in_chunks(
    left: Index,
    right: Index,
    scorer: Callable[[Index, Index], FloatArray],
    threshold: float,
    progress: bool,
    workers: int = 1,
) -> ScoredPairs:
    total = left.shape[0]
    bar = _progress(progress, total=total, unit="pair", desc="scoring")
    processes = max(1, min(workers, total // _MIN_PAIRS_PER_PROCESS)) if _FORK else 1
    scores = _shared((total,), np.float64) if processes > 1 else np.zeros(total, np.float64)

    def work(start: int, stop: int) -> None:
        for begin in range(start, stop, _CHUNK):
            end = min(begin + _CHUNK, stop)
            scores[begin:end] = scorer(left[begin:end], right[begin:end])
            if processes == 1:
                bar.update(end - begin)

    _run_split(total, processes, bar, work)
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
