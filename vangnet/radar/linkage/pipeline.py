"""Batch dedupe and link, encoded or plaintext: encode, block, score, keep pairs >= threshold.

These are the building blocks of the CLI, the calibration and the benchmarks. Scoring runs in
chunks so that memory stays flat however many candidate pairs the blocking produces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from .blocking import BLOCK_COLUMNS, DEFAULT_MAX_BLOCK, pairs_between, pairs_within
from .encoding import DEFAULT_PARAMS, EncodingParams, _encoder, encode_many_bytes
from .normalise import NormalisedPerson, PersonRecord
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


@dataclass(slots=True)
class ScoredPairs:
    """Row indices into the left/right input and the match probability of each pair."""

    left: Index
    right: Index
    score: FloatArray

    def above(self, threshold: float) -> ScoredPairs:
        keep = self.score >= threshold
        return ScoredPairs(self.left[keep], self.right[keep], self.score[keep])


def _encode_chunk(args: tuple[list[PersonRecord], bytes, EncodingParams]) -> bytes:
    """Encode a chunk; the result travels as one bytes object (cheap to pass between processes)."""
    records, key, params = args
    return encode_many_bytes(records, key, params)


def encode_batch(
    records: Sequence[PersonRecord],
    key: bytes,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    workers: int = 1,
    progress: bool = False,
) -> EncodedBatch:
    """Encode many records into one ``EncodedBatch`` (optionally in worker processes)."""
    step = 2000
    chunks = [(list(records[i : i + step]), key, params) for i in range(0, len(records), step)]
    bar = tqdm(total=len(records), disable=not progress, unit="rec", desc="encoding")
    parts: list[bytes] = []
    if workers > 1 and len(chunks) > 1:
        with get_context("fork" if os.name == "posix" else "spawn").Pool(workers) as pool:
            for chunk, part in zip(chunks, pool.imap(_encode_chunk, chunks), strict=True):
                parts.append(part)
                bar.update(len(chunk[0]))
    else:
        for chunk in chunks:
            parts.append(_encode_chunk(chunk))
            bar.update(len(chunk[0]))
    bar.close()
    return EncodedBatch.from_serialised(b"".join(parts), len(records), params)


def _score_in_chunks(
    left: Index,
    right: Index,
    scorer: Callable[[Index, Index], FloatArray],
    threshold: float,
    progress: bool,
) -> ScoredPairs:
    scores = np.zeros(left.shape[0], dtype=np.float64)
    bar = tqdm(total=left.shape[0], disable=not progress, unit="pair", desc="scoring")
    for start in range(0, left.shape[0], _CHUNK):
        stop = start + _CHUNK
        scores[start:stop] = scorer(left[start:stop], right[start:stop])
        bar.update(min(stop, left.shape[0]) - start)
    bar.close()
    return ScoredPairs(left, right, scores).above(threshold)


def dedupe_encoded(
    batch: EncodedBatch,
    threshold: float,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    progress: bool = False,
) -> ScoredPairs:
    left, right = pairs_within(np.ascontiguousarray(batch.keys[:, BLOCK_COLUMNS]), max_block)
    return _score_in_chunks(
        left,
        right,
        lambda i, j: score_pairs(batch, i, batch, j, params, population=len(batch)),
        threshold,
        progress,
    )


def link_encoded(
    batch_left: EncodedBatch,
    batch_right: EncodedBatch,
    threshold: float,
    params: EncodingParams = DEFAULT_PARAMS,
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    progress: bool = False,
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
