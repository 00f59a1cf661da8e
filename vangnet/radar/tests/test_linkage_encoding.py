"""Encodings: no plaintext inside, keyed, compact and stable serialisation."""

import dataclasses
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from vangnet.radar.linkage import (
    DEFAULT_PARAMS,
    EncodedRecord,
    EncodingParams,
    PersonRecord,
    blocking_keys,
    encode,
    score,
)
from vangnet.radar.linkage.encoding import encode_many_bytes, record_size
from vangnet.radar.linkage.scoring import EncodedBatch, encoded_similarities

KEY = bytes(range(32))
OTHER_KEY = bytes(range(100, 132))

PERSON = PersonRecord(
    first_name="Wilhelmina",
    last_name="van der Heijden",
    birth_date=date(1979, 11, 23),
    street="Oudegracht",
    house_number="154",
    postcode="3511 AZ",
    city="Utrecht",
    bsn="111222333",
)


def _plaintext_fragments(record: PersonRecord) -> list[bytes]:
    texts = [
        record.first_name,
        "wilhelmina",
        "mien",
        record.last_name,
        "heijden",
        "heyden",
        "HEIJDEN",
        record.street,
        "oudegracht",
        record.postcode,
        "3511AZ",
        "3511",
        record.city,
        "utrecht",
        record.bsn,
        "1979-11-23",
        "19791123",
        "231179",
        "1979",
    ]
    out = []
    for text in texts:
        out += [text.encode("utf-8"), text.encode("utf-16-le")]
    # Also binary forms of the numbers.
    out.append(int(record.bsn).to_bytes(4, "little"))
    out.append(int(record.bsn).to_bytes(4, "big"))
    return out


def test_an_encoding_holds_only_bytes_and_ints():
    encoded = encode(PERSON, KEY)
    for field in dataclasses.fields(encoded):
        value = getattr(encoded, field.name)
        if isinstance(value, tuple):
            assert all(isinstance(v, int) for v in value)
        else:
            assert isinstance(value, (bytes, int))


def test_no_plaintext_in_the_encoding_or_its_serialisation():
    for params in (DEFAULT_PARAMS, EncodingParams(blip_rounds=0)):
        encoded = encode(PERSON, KEY, params)
        blobs = [encoded.to_bytes(), repr(encoded).encode(), *blocking_keys(encoded)]
        blobs += [encoded.given, encoded.surname, encoded.street, encoded.city]
        blobs.append(b"".join(k.to_bytes(8, "little") for k in encoded.keys))
        for blob in blobs:
            for fragment in _plaintext_fragments(PERSON):
                assert fragment not in blob


def test_serialisation_round_trips_and_is_compact():
    encoded = encode(PERSON, KEY)
    data = encoded.to_bytes()
    assert len(data) < 300
    assert EncodedRecord.from_bytes(data) == encoded
    assert score(EncodedRecord.from_bytes(data), encoded) == 1.0
    # Sparse records serialise to the same fixed size.
    assert len(encode(PersonRecord(last_name="Bakker"), KEY).to_bytes()) == len(data)


@pytest.mark.parametrize("damage", [b"", b"XX", b"\x00" * 10])
def test_damaged_serialisations_are_refused(damage):
    data = encode(PERSON, KEY).to_bytes()
    with pytest.raises(ValueError, match=r"too short|magic|length"):
        EncodedRecord.from_bytes(damage)
    with pytest.raises(ValueError, match="wrong length"):
        EncodedRecord.from_bytes(data[:-1])
    with pytest.raises(ValueError, match="bad magic"):
        EncodedRecord.from_bytes(b"XYZ" + data[3:])


def test_encoding_is_deterministic():
    assert encode(PERSON, KEY) == encode(PERSON, KEY)
    assert blocking_keys(encode(PERSON, KEY)) == blocking_keys(encode(PERSON, KEY))


def test_a_different_key_gives_unrelated_encodings():
    mine, theirs = encode(PERSON, KEY), encode(PERSON, OTHER_KEY)
    assert not set(blocking_keys(mine)) & set(blocking_keys(theirs))
    assert all(a != b for a, b in zip(mine.keys, theirs.keys, strict=True) if a or b)
    batch = EncodedBatch.from_records([mine, theirs])
    sims = encoded_similarities(batch.take(np.array([0])), batch.take(np.array([1])))
    for column, name in enumerate(("given", "surname", "street", "city")):
        # Unrelated filters overlap only by chance: about their fill ratio, far from 1.0.
        fill = batch.popcount[:, column].max() / (getattr(batch, name).shape[1] * 64)
        assert getattr(sims, name)[0] < fill + 0.2, name
    assert score(mine, theirs) < 0.05


def test_the_key_must_be_long_enough():
    with pytest.raises(ValueError, match="at least 16"):
        encode(PERSON, b"short")


def test_hardening_changes_equal_names_in_different_records():
    # Two different people with the same first name get different first-name filters.
    a = encode(PersonRecord("Jan", "Jansen", date(1980, 1, 1)), KEY)
    b = encode(PersonRecord("Jan", "Bakker", date(1990, 2, 2)), KEY)
    assert a.given != b.given
    plain = EncodingParams(blip_rounds=0)
    a0 = encode(PersonRecord("Jan", "Jansen", date(1980, 1, 1)), KEY, plain)
    b0 = encode(PersonRecord("Jan", "Bakker", date(1990, 2, 2)), KEY, plain)
    assert a0.given == b0.given


def test_blocking_keys_cover_the_variants_a_lookup_must_find():
    base = encode(PERSON, KEY)
    for variant in (
        replace(PERSON, birth_date=date(1979, 11, 23), street="", postcode="", bsn=""),
        replace(PERSON, first_name="Mien", bsn="", street="Elders", postcode="1000 AA"),
        replace(PERSON, first_name="van der Heijden", last_name="Wilhelmina", bsn=""),
    ):
        assert set(blocking_keys(base)) & set(blocking_keys(encode(variant, KEY)))
    swapped = replace(PERSON, birth_date=date(1979, 11, 23))
    assert blocking_keys(encode(swapped, KEY))


def test_day_month_swapped_dates_share_a_blocking_key():
    a = PersonRecord("Anna", "Smit", date(2001, 3, 7))
    b = PersonRecord("Anna", "Smyt", date(2001, 7, 3))
    assert set(blocking_keys(encode(a, KEY))) & set(blocking_keys(encode(b, KEY)))


def test_params_are_validated():
    with pytest.raises(ValueError, match="multiples of 64"):
        EncodingParams(name_bits=100)
    with pytest.raises(ValueError, match="blip_rounds"):
        EncodingParams(blip_rounds=-1)
    assert EncodingParams().params_id != EncodingParams(blip_rounds=0).params_id


def test_bulk_encoding_equals_one_by_one_serialisation():
    people = [PERSON, replace(PERSON, first_name="Mien"), PersonRecord(), PersonRecord("J.")]
    assert encode_many_bytes(people, KEY) == b"".join(encode(p, KEY).to_bytes() for p in people)
    assert len(encode_many_bytes(people, KEY)) == 4 * record_size()


@pytest.mark.parametrize("rounds", [0, 2, 6])
def test_vectorised_noise_is_bit_identical_to_the_scalar_path(rounds):
    # blip_rounds=2 (p = 1/4) draws more flips than one block of the keyed stream holds, so
    # the scalar fallback inside the bulk path is exercised too.
    from vangnet.radar.linkage.calibrate import to_person
    from vangnet.radar.linkage.synth import generate

    params = EncodingParams(blip_rounds=rounds)
    people = [to_person(r) for r in generate(300, seed=12).records]
    one_by_one = b"".join(encode(p, KEY, params).to_bytes() for p in people)
    assert encode_many_bytes(people, KEY, params) == one_by_one
