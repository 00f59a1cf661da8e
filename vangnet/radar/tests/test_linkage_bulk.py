"""The fast bulk paths give exactly what the simple one-record-at-a-time paths give.

The batch CLI encodes per distinct value, reads clean CSV files without a Python loop per
row, and scores with fused NumPy operations. Each of these is checked here against the plain
reference it replaced: ``encode(record)`` one by one, ``split_name`` on both name fields, the
row-by-row CSV reader, a straightforward re-implementation of the similarity computation, and
brute-force blocking.
"""

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from vangnet.radar.linkage import (
    DEFAULT_PARAMS,
    EncodingParams,
    PersonRecord,
    blocking_keys,
    csvio,
    encode,
    pipeline,
    score,
)
from vangnet.radar.linkage.blocking import BLOCK_COLUMNS, pairs_within
from vangnet.radar.linkage.calibrate import to_person
from vangnet.radar.linkage.encoding import FLAG_INITIALS_ONLY, KEY_FIELDS, encode_many_bytes
from vangnet.radar.linkage.levels import comparison_levels
from vangnet.radar.linkage.normalise import PersonColumns, _names, names_from_split
from vangnet.radar.linkage.scoring import EncodedBatch, encoded_similarities, score_pairs
from vangnet.radar.linkage.synth import generate

KEY = bytes(range(7, 39))

#: Records that take the unusual branches of normalisation and encoding.
EDGE_CASES = [
    PersonRecord(),
    PersonRecord(first_name="J.", last_name="Jansen"),
    PersonRecord(first_name="J.P.", last_name="de Vries", birth_date=date(1980, 5, 5)),
    PersonRecord(first_name="JP", last_name="Bakker", birth_date=date(1980, 3, 12)),
    PersonRecord(first_name="Kees", last_name="van der Berg", birth_date=date(1971, 12, 3)),
    PersonRecord(first_name="", last_name="Berg, Jan van der", birth_date=date(1971, 1, 13)),
    PersonRecord(first_name="Berg, Jan", last_name="", birth_date=date(2001, 2, 28)),
    PersonRecord(first_name="Jan van der", last_name="Berg"),
    PersonRecord(first_name="van Dam", last_name="Max"),
    PersonRecord(first_name="", last_name="Jan van der Berg"),
    PersonRecord(first_name="Mien", last_name="Vanderberg", bsn="11122233"),
    PersonRecord(first_name="dhr.", last_name="Smit jr.", bsn="111 222 333"),
    PersonRecord(first_name="Jansen", last_name="Piet", bsn="123456789"),
    PersonRecord(first_name="Zoë", last_name="Dijkstra-Öztürk", postcode="1234", house_number="12"),
    PersonRecord(
        street="Van der Helststr.", house_number="5a", postcode="1234 ab", city="'s-Gravenhage"
    ),
    PersonRecord(street="Dorpsstraat", house_number="", postcode="9999ZZ", city="Den Haag"),
    PersonRecord(first_name="Ali", last_name="Yilmaz", birth_date=date(1990, 7, 7)),
    PersonRecord(first_name="Ali", last_name="Yilmaz", birth_date=date(1990, 7, 7)),
]


def _people(count: int, seed: int) -> list[PersonRecord]:
    return [to_person(r) for r in generate(count, seed=seed).records] + EDGE_CASES


@pytest.mark.parametrize("rounds", [0, 5, 6])
def test_bulk_encoding_equals_one_by_one_on_varied_data(rounds):
    # rounds=5 draws about 28 flips of the 31 a keyed block holds: both the vectorised draw
    # and its scalar fallback run.
    params = EncodingParams(blip_rounds=rounds)
    people = _people(1500, seed=21)
    one_by_one = b"".join(encode(p, KEY, params).to_bytes() for p in people)
    assert encode_many_bytes(people, KEY, params) == one_by_one
    assert encode_many_bytes(PersonColumns.from_records(people), KEY, params) == one_by_one


@pytest.mark.parametrize("workers", [1, 2])
def test_encode_batch_in_chunks_equals_one_by_one(monkeypatch, workers):
    monkeypatch.setattr(pipeline, "_ENCODE_CHUNK", 400)
    people = _people(1000, seed=22)
    expected = EncodedBatch.from_records([encode(p, KEY) for p in people])
    batch = pipeline.encode_batch(people, KEY, workers=workers)
    for field in ("given", "surname", "street", "city", "popcount", "keys", "flags"):
        assert np.array_equal(getattr(batch, field), getattr(expected, field)), field
    assert pipeline.encode_batch([], KEY).keys.shape == (0, len(KEY_FIELDS))


def test_names_cached_per_field_equal_split_on_both_fields():
    firsts = [
        "Jan",
        "J.",
        "J.P.",
        "JP",
        "jp",
        "Kees",
        "",
        "dhr.",
        "van",
        "van Dam",
        "Jan van der",
        "Berg, Jan",
        "Anna Maria",
        "Zoë",
        "de",
        "t",
        "Mr",
        "Jan-Willem",
        "  ",
    ]
    lasts = [
        "Jansen",
        "van der Berg",
        "",
        "Berg, Jan van der",
        "Jan van der Berg",
        "Vanderberg",
        "jr.",
        "Piet",
        "de Vries-Jansen",
        "van",
        "'t Hart",
        "O'Neil",
        "v.d. Berg",
        "s",
    ]
    for first, last in itertools.product(firsts, lasts):
        assert _names(first, last) == names_from_split(first, last), (first, last)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_fast_csv_reading_equals_the_row_reader(tmp_path, newline):
    data = generate(400, seed=23)
    data.write_csv(tmp_path / "synth.csv")  # quoted fields ("Berg, Jan van der"), \r\n
    text = (tmp_path / "synth.csv").read_text(encoding="utf-8").replace("\r\n", newline)
    assert '"' in text
    path = _write(tmp_path / "in.csv", text)
    fast = csvio._read_clean(path.read_bytes())
    rows = csvio._read_rows(str(path), path.read_bytes(), False, None)
    assert fast is not None
    assert (fast.ids, fast.columns, fast.bad_rows) == (rows.ids, rows.columns, [])
    assert fast.records == [to_person(r) for r in data.records]


@pytest.mark.parametrize(
    "body",
    [
        'a,"Jan\nPiet",Jansen,1980-01-02,,,,,\n',  # a quoted field spanning two lines
        'a,"Jan,Jansen,1980-01-02,,,,,\nb,Piet,Smit,,,,,,\n',  # an unclosed quote
        "a,Jan,Jansen,1980-01-02,,,,,\n\nb,Piet,Smit,,,,,,\n",  # a blank line
        "a,Jan,Jansen,1980-01-02,,,,,\rb,Piet,Smit,,,,,,\r",  # old Mac line ends
        "a,Jan,Jansen,02-01-1980,,,,,\n",  # a bad date
        "a,Jan,Jansen,,,,,,\na,Piet,Smit,,,,,,\n",  # a repeated id
        "a,Jan,Jansen,,,,,\n",  # a column short
        'a,Jo"hn,Jansen,,,,,,\n',  # a stray quote inside a field
        "\ufeffa,Jan,Jansen,,,,,,\n",  # not a BOM at the start of the file: part of the id
    ],
)
def test_unusual_files_read_the_same_either_way(tmp_path, body):
    header = ",".join(csvio.INPUT_COLUMNS) + "\n"
    path = _write(tmp_path / "in.csv", "\ufeff" + header + body)
    reported: list[csvio.BadRow] = []
    table = csvio.read_persons(path, on_bad_row=reported.append)
    rows = csvio._read_rows(str(path), path.read_bytes(), False, None)
    assert (table.ids, table.columns, table.bad_rows) == (rows.ids, rows.columns, rows.bad_rows)
    assert reported == rows.bad_rows


# --- scoring -------------------------------------------------------------------------------


def _reference_dice(a, b, pa, pb, flip):
    """Per pair, straight from the definition: de-biased Dice and containment."""
    bits = a.shape[1] * 64
    observed = np.array(
        [
            sum(int(x & y).bit_count() for x, y in zip(ra, rb, strict=True))
            for ra, rb in zip(a, b, strict=True)
        ]
    )
    size_a, size_b = pa.astype(float), pb.astype(float)
    observed = observed.astype(float)
    if flip:
        scale = 1 - 2 * flip
        size_a = np.maximum((size_a - bits * flip) / scale, 1.0)
        size_b = np.maximum((size_b - bits * flip) / scale, 1.0)
        noise = flip * (1 - flip) * (size_a + size_b) + flip * flip * (bits - size_a - size_b)
        observed = (observed - noise) / (scale * scale)
    smaller = np.minimum(size_a, size_b)
    observed = np.clip(observed, 0.0, smaller)
    missing = (pa == 0) | (pb == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (
            np.where(missing, np.nan, 2 * observed / (size_a + size_b)),
            np.where(missing, np.nan, observed / smaller),
        )


def _batch_and_pairs(count: int, seed: int):
    people = _people(count, seed)
    batch = pipeline.encode_batch(people, KEY)
    left, right = pairs_within(np.ascontiguousarray(batch.keys[:, BLOCK_COLUMNS]))
    return people, batch, left, right


def test_similarities_equal_a_per_pair_reference():
    _, batch, left, right = _batch_and_pairs(800, seed=24)
    assert len(left) > 1000
    a, b = batch.take(left), batch.take(right)
    sims = encoded_similarities(a, b)
    flip = DEFAULT_PARAMS.flip_probability
    pa, pb = a.popcount, b.popcount
    given, contained = _reference_dice(a.given, b.given, pa[:, 0], pb[:, 0], flip)
    surname, surname_contained = _reference_dice(a.surname, b.surname, pa[:, 1], pb[:, 1], flip)
    given_cross, _ = _reference_dice(a.given, b.surname, pa[:, 0], pb[:, 1], flip)
    surname_cross, _ = _reference_dice(a.surname, b.given, pa[:, 1], pb[:, 0], flip)
    street, _ = _reference_dice(a.street, b.street, pa[:, 2], pb[:, 2], flip)
    city, _ = _reference_dice(a.city, b.city, pa[:, 3], pb[:, 3], flip)
    for name, expected in [
        ("given", given),
        ("surname", surname),
        ("surname_contained", surname_contained),
        ("given_cross", given_cross),
        ("surname_cross", surname_cross),
        ("street", street),
        ("city", city),
    ]:
        assert np.array_equal(getattr(sims, name), expected, equal_nan=True), name
    assert np.array_equal(sims.initial_agrees, np.nan_to_num(contained) >= 0.6)

    def same(name):
        column = KEY_FIELDS.index(name)
        return np.array(
            [x[column] != 0 and x[column] == y[column] for x, y in zip(a.keys, b.keys, strict=True)]
        )

    assert np.array_equal(sims.dob_exact, same("dob"))
    assert np.array_equal(sims.bsn_equal, same("bsn"))
    assert np.array_equal(sims.address_equal, same("address") | same("address_street"))
    assert np.array_equal(sims.dob_partial, same("dob_ym") | same("dob_yd") | same("dob_md"))
    initials = (
        np.array(
            [bool((x | y) & FLAG_INITIALS_ONLY) for x, y in zip(a.flags, b.flags, strict=True)]
        )
        & (pa[:, 0] > 0)
        & (pb[:, 0] > 0)
    )
    assert np.array_equal(sims.initials_pair, initials)


def test_scores_are_symmetric_and_identical_records_score_one():
    people, batch, left, right = _batch_and_pairs(600, seed=25)
    forward = score_pairs(batch, left, batch, right)
    backward = score_pairs(batch, right, batch, left)
    # Symmetric except where the names are read as swapped: that level takes the crossed
    # comparison of one side (as before these speed-ups; see the ADR's known weaknesses).
    swapped = (
        comparison_levels(encoded_similarities(batch.take(left), batch.take(right)))[:, 5]
        | comparison_levels(encoded_similarities(batch.take(right), batch.take(left)))[:, 5]
    ).astype(bool)
    assert swapped.sum() < 0.1 * len(left)
    assert np.allclose(forward[~swapped], backward[~swapped], rtol=0, atol=1e-12)
    identical = [
        i
        for i, (x, y) in enumerate(zip(left, right, strict=True))
        if people[x] == people[y] and people[x] != PersonRecord()
    ]
    assert identical  # the two "Ali Yilmaz" edge cases at least
    assert (forward[identical] == 1.0).all()
    differing = np.array([people[x] != people[y] for x, y in zip(left, right, strict=True)])
    # Different records are never taken for identical encodings.
    assert (forward[differing] < 1.0).sum() > 0.5 * differing.sum()
    sample = np.random.default_rng(0).choice(len(left), 40, replace=False)
    single = [score(encode(people[left[i]], KEY), encode(people[right[i]], KEY)) for i in sample]
    assert np.allclose(forward[sample], single, rtol=0, atol=1e-12)


def test_dedupe_finds_exactly_the_brute_force_candidates():
    people, batch, left, right = _batch_and_pairs(700, seed=26)
    keys = [set(blocking_keys(encode(p, KEY))) for p in people]
    block_sizes: dict[bytes, int] = {}
    for record_keys in keys:
        for key in record_keys:
            block_sizes[key] = block_sizes.get(key, 0) + 1
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(people)), 2)
        if any(block_sizes[k] <= 1000 for k in keys[i] & keys[j])
    }
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == expected
    scored = pipeline.dedupe_encoded(batch, 0.0)
    assert set(zip(scored.left.tolist(), scored.right.tolist(), strict=True)) == expected
    assert np.array_equal(
        scored.score, score_pairs(batch, scored.left, batch, scored.right, population=len(batch))
    )


def test_edge_cases_differ_where_they_should():
    a, b = replace(EDGE_CASES[1], first_name="K."), EDGE_CASES[1]
    assert score(encode(a, KEY), encode(b, KEY)) < 1.0


def test_scoring_in_worker_processes_gives_the_same_pairs(monkeypatch):
    monkeypatch.setattr(pipeline, "_MIN_PAIRS_PER_PROCESS", 100)
    _, batch, _, _ = _batch_and_pairs(700, seed=27)
    alone = pipeline.dedupe_encoded(batch, 0.0)
    together = pipeline.dedupe_encoded(batch, 0.0, workers=2)
    assert len(alone.left) > 400
    for field in ("left", "right", "score"):
        assert np.array_equal(getattr(alone, field), getattr(together, field)), field
