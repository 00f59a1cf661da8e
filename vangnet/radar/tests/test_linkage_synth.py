"""The synthetic data generator, and the accuracy floor measured on it."""

import csv
from collections import Counter

import pytest

from vangnet.radar.linkage.calibrate import to_person
from vangnet.radar.linkage.csvio import INPUT_COLUMNS, read_persons
from vangnet.radar.linkage.normalise import bsn_is_valid, normalise
from vangnet.radar.linkage.pipeline import dedupe_encoded, dedupe_plain, encode_batch
from vangnet.radar.linkage.synth import generate, iter_records

KEY = b"accuracy floor test key 32 bytes"


def test_generation_is_deterministic_for_a_seed():
    assert generate(500, seed=3).records == generate(500, seed=3).records
    assert generate(500, seed=3).records != generate(500, seed=4).records
    assert len(generate(777, seed=3).records) == 777


def test_households_contain_the_hard_cases_with_labels():
    records = generate(6000, seed=5).records
    roles = Counter(r.role for r in records)
    for role in ("father", "mother", "child", "twin", "son_named_after_father", "grandfather"):
        assert roles[role] > 0, role
    errors = Counter(e for r in records for e in r.errors)
    for label in (
        "typo_first",
        "missing_birth_date",
        "initials_only",
        "nickname",
        "swapped_names",
        "dob_day_month_swapped",
        "moved",
        "other_region",
        "diacritics",
        "double_surname",
    ):
        assert errors[label] > 0, label
    assert any(e.startswith("tussenvoegsel_") for e in errors)
    assert any(e.startswith("transposition_") for e in errors)
    # Twins share a birth date and household but are different entities.
    twins = [r for r in records if r.role == "twin" and not r.errors]
    by_household: dict[tuple[str, str], set[str]] = {}
    for r in twins:
        by_household.setdefault((r.household_id, r.birth_date), set()).add(r.entity_id)
    assert any(len(entities) == 2 for entities in by_household.values())
    assert len({r.region for r in records}) > 20


def test_bsns_are_valid_and_unique_per_person():
    records = generate(3000, seed=6).records
    owner: dict[str, str] = {}
    for r in records:
        if r.bsn:
            assert bsn_is_valid(r.bsn)
            assert owner.setdefault(r.bsn, r.entity_id) == r.entity_id


def test_csv_and_truth_files(tmp_path):
    data = generate(300, seed=8)
    data.write_csv(tmp_path / "in.csv")
    data.write_truth(tmp_path / "truth.csv")
    table = read_persons(tmp_path / "in.csv", strict=True)
    assert len(table.ids) == 300
    with open(tmp_path / "in.csv", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(INPUT_COLUMNS)
    with open(tmp_path / "truth.csv", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    entity = {row["id"]: row["entity_id"] for row in truth}
    assert data.true_pairs() == {
        (a, b) for a in entity for b in entity if a < b and entity[a] == entity[b]
    }


def test_streaming_matches_in_order_generation():
    streamed = list(iter_records(200, seed=9))
    assert sorted(r.id for r in streamed) == sorted(r.id for r in generate(200, seed=9).records)


def _f1(data, pairs) -> float:
    ids = [r.id for r in data.records]
    found = {tuple(sorted((ids[i], ids[j]))) for i, j in zip(pairs.left, pairs.right, strict=True)}
    truth = data.true_pairs()
    return 2 * len(found & truth) / (len(found) + len(truth))


@pytest.fixture(scope="module")
def floor_data():
    # A seed that neither the calibration (1001) nor the benchmark (2024) uses.
    return generate(2000, seed=4242)


def test_accuracy_floor_encoded(floor_data):
    people = [to_person(r) for r in floor_data.records]
    # Measured 0.97-0.98 on 2,000-record sets (seeds 20-29 and 4242); a drop below 0.95 is a
    # real regression, not noise.
    assert _f1(floor_data, dedupe_encoded(encode_batch(people, KEY), 0.5)) >= 0.95


def test_accuracy_floor_plaintext(floor_data):
    people = [normalise(to_person(r)) for r in floor_data.records]
    assert _f1(floor_data, dedupe_plain(people, 0.5)) >= 0.96
