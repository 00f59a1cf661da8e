"""RadarIndex lookups, blocking pair generation and clustering."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from vangnet.radar.linkage import (
    DEFAULT_THRESHOLD,
    PersonRecord,
    RadarIndex,
    cluster_pairs,
    encode,
)
from vangnet.radar.linkage.blocking import pairs_between, pairs_within
from vangnet.radar.linkage.calibrate import to_person
from vangnet.radar.linkage.scoring import EncodedBatch
from vangnet.radar.linkage.synth import generate

KEY = b"an index test key, 32 bytes long"

HOME = {"street": "Lindelaan", "house_number": "7", "postcode": "3512 JK", "city": "Utrecht"}
FAMILY = {
    "father": PersonRecord("Jan", "de Jong", date(1962, 5, 17), **HOME),
    "son": PersonRecord("Jan", "de Jong", date(1991, 9, 2), **HOME),
    "twin_a": PersonRecord("Daan", "de Jong", date(2012, 7, 8), **HOME),
    "twin_b": PersonRecord("Sem", "de Jong", date(2012, 7, 8), **HOME),
    "mother": PersonRecord("Maria", "de Jong-Visser", date(1964, 11, 30), **HOME),
}


def _index_with_background(n: int = 3000) -> RadarIndex:
    index = RadarIndex()
    data = generate(n, seed=77)
    index.add_many(
        ((r.id, encode(to_person(r), KEY), {"region": r.region}) for r in data.records),
        total=n,
    )
    for name, person in FAMILY.items():
        index.add(name, encode(person, KEY), {"role": name})
    return index


def test_lookup_finds_the_person_and_not_the_household():
    index = _index_with_background()
    query = encode(replace(FAMILY["twin_b"], first_name="SEM", postcode="3512JK"), KEY)
    hits = index.lookup(query, k=5)
    assert hits[0][0] == "twin_b"
    assert hits[0][1] >= DEFAULT_THRESHOLD
    assert all(score < DEFAULT_THRESHOLD for rid, score in hits[1:])
    assert index.payload("twin_b") == {"role": "twin_b"}

    sr = index.lookup(encode(replace(FAMILY["father"], first_name="Johannes"), KEY), k=3)
    assert sr[0][0] == "father"
    assert dict(sr).get("son", 0.0) < DEFAULT_THRESHOLD


def test_lookup_after_incremental_adds_and_removal():
    index = _index_with_background(500)
    moved = replace(FAMILY["mother"], street="Kerkweg", house_number="1", postcode="1000 AA")
    index.add("mother-later", encode(moved, KEY))
    hits = dict(index.lookup(encode(FAMILY["mother"], KEY), k=10))
    assert hits["mother"] == 1.0
    assert hits["mother-later"] >= DEFAULT_THRESHOLD
    assert index.remove("mother")
    assert not index.remove("mother")
    assert "mother" not in dict(index.lookup(encode(FAMILY["mother"], KEY)))
    assert "mother" not in index
    assert len(index) == 500 + len(FAMILY)


def test_lookup_returns_at_most_k_sorted_and_handles_empty_queries():
    index = _index_with_background(800)
    hits = index.lookup(encode(FAMILY["son"], KEY), k=3)
    assert len(hits) <= 3
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.lookup(encode(PersonRecord(), KEY)) == []
    assert RadarIndex().lookup(encode(FAMILY["son"], KEY)) == []


def test_blocking_pairs_are_unique_ordered_and_skip_huge_blocks():
    keys = np.array([[1, 5], [1, 6], [2, 5], [0, 7], [1, 0]], dtype=np.uint64)
    left, right = pairs_within(keys)
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [
        (0, 1),
        (0, 2),
        (0, 4),
        (1, 4),
    ]
    left, right = pairs_within(keys, max_block=2)
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 2)]
    left, right = pairs_between(keys[:2], keys[2:])
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 0), (0, 2), (1, 2)]


def test_clustering_does_not_chain_twins_through_a_sloppy_record():
    # 0 = twin A, 1 = twin B, 2 = "D. de Jong" that matches A well and B barely.
    left = np.array([0, 1, 0])
    right = np.array([2, 2, 1])
    scores = np.array([0.9, 0.6, 0.01])
    assert cluster_pairs(3, left, right, scores).tolist() == [0, 1, 0]
    # Without the coherence check union-find chains all three together.
    assert cluster_pairs(3, left, right, scores, cannot_link=None).tolist() == [0, 0, 0]


def test_clustering_is_transitive_for_consistent_records():
    left = np.array([0, 1, 3])
    right = np.array([1, 2, 4])
    scores = np.array([0.95, 0.9, 0.2])
    assert cluster_pairs(5, left, right, scores).tolist() == [0, 0, 0, 3, 4]


def test_bulk_load_from_stored_bytes_matches_one_by_one_adds():
    data = generate(400, seed=78)
    encoded = [encode(to_person(r), KEY) for r in data.records]
    ids = [r.id for r in data.records]
    one_by_one = RadarIndex()
    for rid, enc in zip(ids, encoded, strict=True):
        one_by_one.add(rid, enc)
    # What the Django side does: read the BinaryField values and load them in one go.
    blob = b"".join(enc.to_bytes() for enc in encoded)
    bulk = RadarIndex()
    bulk.add_batch(ids, EncodedBatch.from_serialised(blob, len(ids)), payloads=ids)
    bulk.optimise()
    for query in encoded[:50]:
        assert bulk.lookup(query) == one_by_one.lookup(query)
    assert bulk.payload(ids[3]) == ids[3]
    with pytest.raises(ValueError, match="already in the index"):
        bulk.add_batch(ids[:1], EncodedBatch.from_serialised(blob[: len(blob) // 400], 1))
    with pytest.raises(ValueError, match="wrong length"):
        EncodedBatch.from_serialised(blob[:-1], len(ids))


def test_scores_are_corrected_for_a_large_population():
    from vangnet.radar.linkage.scoring import population_shift, score_pairs
    from vangnet.radar.linkage.weights import CALIBRATION_RECORDS

    assert population_shift(None) == population_shift(CALIBRATION_RECORDS) == 0.0
    assert population_shift(CALIBRATION_RECORDS * 25) > 3.2
    father = encode(FAMILY["father"], KEY)
    sloppy = encode(replace(FAMILY["father"], first_name="J.", street="Elders", postcode=""), KEY)
    batch = EncodedBatch.from_records([father, sloppy, father])
    first, second = np.array([0, 0]), np.array([1, 2])
    small = score_pairs(batch, first, batch, second)
    large = score_pairs(batch, first, batch, second, population=1_000_000)
    assert large[0] < small[0]  # more strangers look like this in a million
    assert large[1] == small[1] == 1.0  # identical stays identical
