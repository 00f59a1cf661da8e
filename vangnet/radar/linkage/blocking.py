"""Candidate pair generation from keyed blocking keys, fully vectorised.

Every record carries a few 64-bit keyed blocking keys (see ``encoding.blocking_keys``); two
records are compared only when they share one. Keys are handled as one sorted array, so a
lookup is a binary search and pair generation is a run-length expansion, with no Python loop
over records. Very large blocks (a placeholder birth date, a very common name) say little
about identity and would cost quadratic work, so blocks above ``max_block`` are skipped; the
other passes still find the pair.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .encoding import BLOCK_FIELDS, KEY_FIELDS

__all__ = ["BLOCK_COLUMNS", "DEFAULT_MAX_BLOCK", "SortedKeys", "pairs_between", "pairs_within"]

U64 = npt.NDArray[np.uint64]
Index = npt.NDArray[np.intp]

#: Columns of ``EncodedBatch.keys`` that are blocking keys.
BLOCK_COLUMNS: tuple[int, ...] = tuple(KEY_FIELDS.index(name) for name in BLOCK_FIELDS)
DEFAULT_MAX_BLOCK = 1000


def _ranges(starts: Index, counts: Index) -> Index:
    """Concatenate arange(starts[i], starts[i] + counts[i]) for all i."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.intp)
    offsets = np.arange(total, dtype=np.intp) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets


class SortedKeys:
    """Blocking keys of many rows, sorted once for binary search."""

    def __init__(self, block_keys: U64, row_offset: int = 0) -> None:
        n, passes = block_keys.shape
        flat = block_keys.ravel()
        rows = np.repeat(np.arange(row_offset, row_offset + n, dtype=np.intp), passes)
        present = flat != 0
        flat, rows = flat[present], rows[present]
        order = np.argsort(flat, kind="stable")
        self.keys: U64 = flat[order]
        self.rows: Index = rows[order]

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def ranges(self, query: U64, max_block: int) -> tuple[Index, Index]:
        """(start, count) of each query key's block; oversized blocks get count 0."""
        lo = np.searchsorted(self.keys, query, side="left").astype(np.intp)
        hi = np.searchsorted(self.keys, query, side="right").astype(np.intp)
        counts = hi - lo
        counts[(counts > max_block) | (query == 0)] = 0
        return lo, counts

    def rows_for(self, query: U64, max_block: int) -> Index:
        lo, counts = self.ranges(query, max_block)
        return self.rows[_ranges(lo, counts)]


def _unique_pairs(left: Index, right: Index, n_right: int) -> tuple[Index, Index]:
    code = np.sort(left.astype(np.int64) * n_right + right.astype(np.int64))
    if code.size:
        code = code[np.concatenate(([True], code[1:] != code[:-1]))]
    return (code // n_right).astype(np.intp), (code % n_right).astype(np.intp)


def pairs_within(block_keys: U64, max_block: int = DEFAULT_MAX_BLOCK) -> tuple[Index, Index]:
    """All (i, j), i < j, of rows sharing at least one blocking key (deduplicated)."""
    n = block_keys.shape[0]
    index = SortedKeys(block_keys)
    keys, rows = index.keys, index.rows
    if len(keys) == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    # For the entry at sorted position q in a run [start, end): partners q+1 .. end-1.
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(keys)]))
    run_end = np.repeat(ends, ends - starts)
    run_len = np.repeat(ends - starts, ends - starts)
    position = np.arange(len(keys), dtype=np.intp)
    counts = np.where(run_len <= max_block, run_end - position - 1, 0).astype(np.intp)
    left = np.repeat(rows, counts)
    right = rows[_ranges(position + 1, counts)]
    low, high = np.minimum(left, right), np.maximum(left, right)
    keep = low != high
    return _unique_pairs(low[keep], high[keep], max(n, 1))


def pairs_between(
    keys_left: U64, keys_right: U64, max_block: int = DEFAULT_MAX_BLOCK
) -> tuple[Index, Index]:
    """All (i, j) with left row i and right row j sharing a blocking key (deduplicated)."""
    index = SortedKeys(keys_right)
    n_left, passes = keys_left.shape
    query = keys_left.ravel()
    query_rows = np.repeat(np.arange(n_left, dtype=np.intp), passes)
    lo, counts = index.ranges(query, max_block)
    left = np.repeat(query_rows, counts)
    right = index.rows[_ranges(lo, counts)]
    return _unique_pairs(left, right, max(keys_right.shape[0], 1))
