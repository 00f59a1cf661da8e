"""Shared helpers for the radar benchmarks: data sets, pair evaluation, timing."""

from __future__ import annotations

import csv
import os
import platform
import resource
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    name: str
    precision: float
    recall: float
    f1: float
    seconds: float
    pairs: int
    cpu_seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.name:<28} P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} "
            f"pairs={self.pairs:<7} wall={self.seconds:.1f}s cpu={self.cpu_seconds:.1f}s"
        )


def evaluate(
    name: str, found: Iterable[tuple[str, str]], truth: set[tuple[str, str]], seconds: float
) -> Result:
    """Pairwise precision/recall/F1 against the true pairs (order-free)."""
    pairs = {(a, b) if a < b else (b, a) for a, b in found}
    hits = len(pairs & truth)
    precision = hits / len(pairs) if pairs else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return Result(name, precision, recall, f1, seconds, len(pairs))


def read_pairs(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [(row["id_l"], row["id_r"]) for row in csv.DictReader(handle)]


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores (shared with other work), "
        f"Python {platform.python_version()}"
    )


def _cpu() -> float:
    """CPU seconds (user + system) of this process, all its threads, and its waited-for
    children (the CLI subprocesses and their worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timer:
    """Wall and CPU time of a block."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.cpu_start = _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
        self.cpu_seconds = _cpu() - self.cpu_start
