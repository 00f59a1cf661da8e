"""Scoring: identical, symmetric, Dutch variants join, household look-alikes stay apart.

Every case is checked on encodings (the radar's normal path) and on plaintext (``--plaintext``).
"""

from dataclasses import replace
from datetime import date

import pytest

from vangnet.radar.linkage import (
    DEFAULT_THRESHOLD,
    EncodingParams,
    PersonRecord,
    encode,
    score,
    score_plain,
)

KEY = bytes.fromhex("5f1c0a9e3b7d2c4e6a8b0c1d2e3f405162738495a6b7c8d9eaf0011223344556")

JAN = PersonRecord(
    first_name="Jan",
    last_name="van der Berg",
    birth_date=date(1985, 3, 4),
    street="Dorpsstraat",
    house_number="12",
    postcode="1234 AB",
    city="Utrecht",
)


def both_scores(a: PersonRecord, b: PersonRecord) -> tuple[float, float]:
    return score(encode(a, KEY), encode(b, KEY)), score_plain(a, b)


def test_identical_records_score_one():
    assert score(encode(JAN, KEY), encode(JAN, KEY)) == 1.0
    assert score_plain(JAN, JAN) == 1.0


def test_scores_are_probabilities_and_symmetric():
    others = [
        replace(JAN, first_name="J."),
        replace(JAN, first_name="Piet", birth_date=date(2010, 6, 1)),
        replace(JAN, last_name="Jansen", street="Kerkweg"),
        PersonRecord(last_name="Bakker"),
    ]
    a = encode(JAN, KEY)
    for other in others:
        b = encode(other, KEY)
        assert 0.0 <= score(a, b) <= 1.0
        assert score(a, b) == score(b, a)
        assert score_plain(JAN, other) == score_plain(other, JAN)


VARIANTS = {
    "initials and abbreviated tussenvoegsel": replace(JAN, first_name="J.", last_name="v.d. Berg"),
    "register order with comma": replace(JAN, first_name="", last_name="Berg, Jan van der"),
    "tussenvoegsel after the first name": replace(JAN, first_name="Jan van der", last_name="Berg"),
    "capitals": replace(JAN, first_name="JAN", last_name="VAN DER BERG"),
    "nickname of the formal name": replace(JAN, first_name="Johannes"),
    "other nickname": replace(JAN, first_name="Hans"),
    "first and last name swapped": replace(JAN, first_name="van der Berg", last_name="Jan"),
    "day and month swapped": replace(JAN, birth_date=date(1985, 4, 3)),
    "moved house": replace(
        JAN, street="Stationsweg", house_number="88", postcode="9711 AA", city="Groningen"
    ),
    "typo in the surname": replace(JAN, last_name="van der Berh"),
    "postcode without space, street abbreviated": replace(
        JAN, street="Dorpsstr.", postcode="1234AB"
    ),
    "address missing": replace(JAN, street="", house_number="", postcode="", city=""),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_same_person_written_differently_joins(variant):
    encoded, plain = both_scores(JAN, variant)
    assert encoded >= DEFAULT_THRESHOLD
    assert plain >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Daniël", "van Dijk"), ("Daniel", "van Dyk")),
        (("Anna", "de Vries"), ("Anna", "de Vries-Jansen")),
        (("Cornelis", "Bakker"), ("Kees", "Bakker")),
        (("Wilhelmina", "Smit"), ("Mien", "Smit")),
        (("Jacobus", "Visser"), ("Jaap", "Visser")),
        (("Hendrik", "Mulder"), ("Henk", "Mulder")),
        (("Petrus", "'t Hart"), ("Piet", "t Hart")),
        (("Geertruida", "IJzerman"), ("Truus", "Yzerman")),
    ],
)
def test_dutch_name_variants_join(a, b):
    base = replace(JAN, street="Kerkstraat", house_number="3", postcode="2511 CV", city="Den Haag")
    left = replace(base, first_name=a[0], last_name=a[1])
    right = replace(base, first_name=b[0], last_name=b[1], street="", postcode="")
    encoded, plain = both_scores(left, right)
    assert encoded >= DEFAULT_THRESHOLD
    assert plain >= DEFAULT_THRESHOLD


# --- the household: same surname, same address, different people -------------------------

HOME = {"street": "Lindelaan", "house_number": "7", "postcode": "3512 JK", "city": "Utrecht"}
FATHER = PersonRecord("Jan", "de Jong", date(1962, 5, 17), **HOME)
SON = PersonRecord("Jan", "de Jong", date(1991, 9, 2), **HOME)  # named after his father
MOTHER = PersonRecord("Maria", "de Jong-Visser", date(1964, 11, 30), **HOME)
TWIN_A = PersonRecord("Daan", "de Jong", date(2012, 7, 8), **HOME)
TWIN_B = PersonRecord("Sem", "de Jong", date(2012, 7, 8), **HOME)
DAUGHTER = PersonRecord("Emma", "de Jong", date(2015, 1, 20), **HOME)
GRANDFATHER = PersonRecord("Jan", "de Jong", date(1935, 5, 17), **HOME)

LOOK_ALIKES = {
    "twins (same birth date)": (TWIN_A, TWIN_B),
    "son named after his father (Jr/Sr)": (FATHER, SON),
    "grandfather and father, same name and birthday": (GRANDFATHER, FATHER),
    "mother and daughter": (MOTHER, DAUGHTER),
    "brother and sister": (TWIN_A, DAUGHTER),
    "father and son with the same BSN missing and the son's initials": (
        FATHER,
        replace(SON, first_name="J."),
    ),
    "twins, one written in capitals": (
        TWIN_A,
        replace(TWIN_B, first_name="SEM", last_name="DE JONG"),
    ),
}


@pytest.mark.parametrize(("a", "b"), LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_household_members_stay_apart(a, b):
    encoded, plain = both_scores(a, b)
    assert encoded < DEFAULT_THRESHOLD
    assert plain < DEFAULT_THRESHOLD


SAME_MEMBER = {
    "twin written with a typo": (TWIN_A, replace(TWIN_A, first_name="Dann")),
    "twin in capitals, postcode without space": (
        TWIN_B,
        replace(TWIN_B, first_name="SEM", last_name="DE JONG", postcode="3512JK"),
    ),
    "son with day/month swapped": (SON, replace(SON, birth_date=date(1991, 2, 9))),
    "father, register order": (FATHER, replace(FATHER, first_name="", last_name="Jong, Jan de")),
    "mother under her own name only": (MOTHER, replace(MOTHER, last_name="Visser")),
}


@pytest.mark.parametrize(("a", "b"), SAME_MEMBER.values(), ids=SAME_MEMBER.keys())
def test_a_household_member_written_differently_still_joins(a, b):
    encoded, plain = both_scores(a, b)
    assert encoded >= DEFAULT_THRESHOLD
    assert plain >= DEFAULT_THRESHOLD


def test_swapped_birth_date_is_weaker_than_exact_but_stronger_than_different():
    sparse = PersonRecord("Jan", "de Jong", date(1985, 3, 4))
    exact = score(encode(sparse, KEY), encode(replace(sparse, city="Zwolle"), KEY))
    swapped = score(encode(sparse, KEY), encode(replace(sparse, birth_date=date(1985, 4, 3)), KEY))
    different = score(
        encode(sparse, KEY), encode(replace(sparse, birth_date=date(1985, 8, 21)), KEY)
    )
    assert exact >= swapped > different
    assert swapped >= DEFAULT_THRESHOLD > different


def test_bsn_agreement_and_conflict():
    with_bsn = replace(JAN, bsn="111222333")
    sloppy = replace(
        JAN,
        first_name="J.",
        street="Markt",
        house_number="1",
        postcode="6211 CK",
        city="Maastricht",
    )
    # A shared BSN carries a weak record (initials only, moved house) over the threshold ...
    assert min(both_scores(with_bsn, replace(sloppy, bsn="111222333"))) >= DEFAULT_THRESHOLD
    # ... and a different valid BSN keeps it below, and lowers even a perfect match.
    assert max(both_scores(with_bsn, replace(sloppy, bsn="123456782"))) < DEFAULT_THRESHOLD
    conflict = both_scores(with_bsn, replace(JAN, bsn="123456782"))
    unknown = both_scores(with_bsn, JAN)
    assert conflict[0] < unknown[0]
    assert conflict[1] < unknown[1]
    # An invalid BSN (fails the 11-proef) is ignored rather than counted as a conflict.
    invalid = replace(JAN, bsn="123456789")
    assert both_scores(with_bsn, invalid) == unknown


def test_hardening_off_scores_the_same_cases_alike():
    params = EncodingParams(blip_rounds=0)
    variant = VARIANTS["initials and abbreviated tussenvoegsel"]
    assert (
        score(encode(JAN, KEY, params), encode(variant, KEY, params), params) >= DEFAULT_THRESHOLD
    )
    assert (
        score(encode(TWIN_A, KEY, params), encode(TWIN_B, KEY, params), params) < DEFAULT_THRESHOLD
    )


def test_encodings_with_other_params_are_refused():
    with pytest.raises(ValueError, match="parameters"):
        score(encode(JAN, KEY, EncodingParams(blip_rounds=0)), encode(JAN, KEY))


def test_strangers_sharing_only_a_birth_date_stay_apart():
    # Found in the 1M lookup benchmark: with one first name missing, a surname that looks like
    # the other record's first name ("Kok" ~ "Koen") must not be read as swapped names.
    koen = PersonRecord(
        "Koen", "van den Heuvel", date(2024, 5, 1), "Dinalaan", "3", "", "Coevorden"
    )
    kok = PersonRecord("", "Kok", date(2024, 5, 1), "Dinahof", "8", "", "Taarlo", "160799326")
    assert max(both_scores(koen, kok)) < DEFAULT_THRESHOLD
