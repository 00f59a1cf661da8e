"""Radar lookup benchmark: index N synthetic persons, then look up single new reports.

    .venv/bin/python benchmarks/radar_lookup.py [--records 1000000] [--queries 1000]

Generates ``--records`` synthetic records (households with re-reports, see
``vangnet.radar.linkage.synth``) plus held-out query records: re-reports of indexed persons
(which should be found) and persons who are not in the index (which should not). Then

* build: encode every record under a random linkage key (``--workers`` processes) and load
  the encodings into a ``RadarIndex`` (bulk path, keys sorted). Generation is not included;
  encoding is.
* lookup: for each query, ``index.lookup(encoded, k=10)``, timed one by one. The query's own
  encoding time is reported separately (it happens at the reporting organisation).

Prints latency percentiles, found-rate of re-reports among the top 10 at the default
threshold, false hits for new persons, and peak memory. The last line is machine-readable.
Target (not enforced): 1,000,000 persons, lookup p95 <= 50 ms, build <= 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.radar_common import Timer, machine
from vangnet.radar.linkage import DEFAULT_THRESHOLD, PersonRecord, RadarIndex, encode
from vangnet.radar.linkage.calibrate import to_person
from vangnet.radar.linkage.pipeline import encode_batch
from vangnet.radar.linkage.synth import iter_records


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(
    records: int, queries: int, seed: int
) -> tuple[list[str], list[PersonRecord], list[str], list[tuple[PersonRecord, str | None]]]:
    """Indexed ids/records/entities, and queries (record, entity if it is indexed)."""
    rng = random.Random(seed)
    wanted_known = queries * 8 // 10
    # Re-reports make up about a third of the stream; hold out a thin, even sample of them.
    take = min(1.0, 3.0 * wanted_known / max(records, 1))
    ids: list[str] = []
    people: list[PersonRecord] = []
    entities: list[str] = []
    seen: set[str] = set()
    held: list[tuple[PersonRecord, str | None]] = []
    for record in iter_records(records + wanted_known * 2, seed):
        if len(people) >= records and len(held) >= wanted_known:
            break
        is_rereport = record.entity_id in seen
        if is_rereport and len(held) < wanted_known and rng.random() < take:
            held.append((to_person(record), record.entity_id))
            continue
        if len(people) < records:
            seen.add(record.entity_id)
            ids.append(record.id)
            people.append(to_person(record))
            entities.append(record.entity_id)
    # Persons who are not in the index at all: another seed's first records.
    for record in iter_records(queries - len(held), seed + 1_000_003, id_prefix="new"):
        held.append((to_person(record), None))
    rng.shuffle(held)
    return ids, people, entities, held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()

    print(f"machine: {machine()}")
    with Timer() as gen_timer:
        ids, people, entities, queries = generate(args.records, args.queries, args.seed)
    known = sum(1 for _, entity in queries if entity is not None)
    print(
        f"generated {len(people)} persons to index and {len(queries)} queries "
        f"({known} re-reports of indexed persons, {len(queries) - known} new persons) "
        f"in {gen_timer.seconds:.1f}s"
    )

    # Context for false hits: new persons whose name and birth date also occur in the index
    # (different people who are indistinguishable on the fields that were reported).
    def identity(p: PersonRecord) -> tuple[str, str, object]:
        return (p.first_name.lower(), p.last_name.lower(), p.birth_date)

    indexed_identities = {identity(p) for p in people}
    twins_in_index = sum(
        1 for p, entity in queries if entity is None and identity(p) in indexed_identities
    )
    del indexed_identities

    key = os.urandom(32)
    index = RadarIndex()
    with Timer() as build_timer:
        batch = encode_batch(people, key, workers=args.workers, progress=True)
        index.add_batch(ids, batch, entities)
        index.optimise()
    del batch, people
    print(
        f"build: {len(index)} persons encoded and indexed in {build_timer.seconds:.1f}s "
        f"({args.workers} encoding processes); peak RSS so far {_peak_rss_mb():.0f} MB"
    )

    encode_ms: list[float] = []
    lookup_ms: list[float] = []
    candidates: list[int] = []
    found = missed = false_hits = 0
    for person, entity in queries:
        start = time.perf_counter()
        encoded = encode(person, key)
        middle = time.perf_counter()
        hits = index.lookup(encoded, k=args.k)
        end = time.perf_counter()
        encode_ms.append((middle - start) * 1000)
        lookup_ms.append((end - middle) * 1000)
        candidates.append(int(index.candidates(encoded).size))
        matched = [index.payload(rid) for rid, score in hits if score >= DEFAULT_THRESHOLD]
        if entity is None:
            false_hits += bool(matched)
        elif entity in matched:
            found += 1
        else:
            missed += 1

    lookups = np.array(lookup_ms)
    encodes = np.array(encode_ms)
    print(
        f"lookup (k={args.k}) over {len(lookups)} queries: "
        f"p50={np.percentile(lookups, 50):.2f} ms p95={np.percentile(lookups, 95):.2f} ms "
        f"p99={np.percentile(lookups, 99):.2f} ms max={lookups.max():.2f} ms; "
        f"candidates per query p50={np.percentile(candidates, 50):.0f} "
        f"p95={np.percentile(candidates, 95):.0f}"
    )
    print(
        f"query encoding: p50={np.percentile(encodes, 50):.2f} ms "
        f"p95={np.percentile(encodes, 95):.2f} ms"
    )
    print(
        f"re-reports found in top {args.k} at threshold {DEFAULT_THRESHOLD}: "
        f"{found}/{found + missed} ({found / max(found + missed, 1):.3f}); "
        f"new persons with a false hit: {false_hits}/{len(queries) - known} "
        f"({twins_in_index} of them share first name, surname and birth date with an indexed "
        "person)"
    )
    print(f"peak RSS: {_peak_rss_mb():.0f} MB")
    print(
        f"radar indexed={len(index)} lookup_p95_ms={np.percentile(lookups, 95):.2f} "
        f"build_s={build_timer.seconds:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
