"""Transitive clustering of scored pairs, with a coherence check against household chaining.

Plain union-find over pairs above the threshold chains: if a sloppy record of one twin matches
both twins, the twins end up in one cluster. So edges are merged strongest first, and two
clusters are not merged when any pair between them was scored and came out clearly as a
non-match (below ``cannot_link``): the blocking already compared those records, and the
scorer said "different people".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .scoring import DEFAULT_THRESHOLD

__all__ = ["DEFAULT_CANNOT_LINK", "cluster_pairs"]

DEFAULT_CANNOT_LINK = 0.05

Index = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


def cluster_pairs(
    n: int,
    left: Index,
    right: Index,
    score: FloatArray,
    threshold: float = DEFAULT_THRESHOLD,
    cannot_link: float | None = DEFAULT_CANNOT_LINK,
) -> npt.NDArray[np.int64]:
    """Cluster label (the smallest member row) for each of ``n`` rows.

    ``left``/``right``/``score`` are all scored pairs, including those below the threshold
    (they provide the cannot-link evidence). ``cannot_link=None`` gives plain union-find.
    """
    parent = np.arange(n, dtype=np.int64)
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    strong = np.flatnonzero(score >= threshold)
    involved = set(left[strong].tolist()) | set(right[strong].tolist())
    weak: set[tuple[int, int]] = set()
    if cannot_link is not None:
        for i in np.flatnonzero(score < cannot_link):
            a, b = int(left[i]), int(right[i])
            if a in involved and b in involved:
                weak.add((min(a, b), max(a, b)))

    for i in strong[np.argsort(-score[strong], kind="stable")]:
        ra, rb = find(int(left[i])), find(int(right[i]))
        if ra == rb:
            continue
        group_a = members.get(ra, [ra])
        group_b = members.get(rb, [rb])
        if weak and any((min(a, b), max(a, b)) in weak for a in group_a for b in group_b):
            continue
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        parent[rb] = ra
        members[ra] = group_a + group_b
        members.pop(rb, None)

    labels = np.array([find(x) for x in range(n)], dtype=np.int64)
    # Name each cluster by its smallest row, for stable output.
    smallest: dict[int, int] = {}
    for row, root in enumerate(labels.tolist()):
        smallest.setdefault(root, row)
    return np.array([smallest[root] for root in labels.tolist()], dtype=np.int64)
