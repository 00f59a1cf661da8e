"""Normalisation of Dutch names, dates and identifiers."""

from datetime import date

import pytest

from vangnet.radar.linkage.normalise import (
    PersonRecord,
    bsn_is_valid,
    canonical_first_name,
    dutch_phonetic,
    fold,
    normalise,
    normalise_bsn,
    parse_birth_date,
    split_name,
)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Jan", "van der Berg"),
        ("Jan", "Van Der Berg"),
        ("Jan", "v.d. Berg"),
        ("Jan", "vd Berg"),
        ("Jan", "v/d Berg"),
        ("", "Berg, Jan van der"),
        ("Jan van der", "Berg"),
        ("", "Jan van der Berg"),
        ("Jan van der Berg", ""),
        ("Jan", "Vanderberg"),
        ("Jan", "Berg, van der"),
    ],
)
def test_tussenvoegsel_variants_reduce_to_the_same_tokens(first, last):
    assert split_name(first, last) == (["jan"], ["berg"], False)


@pytest.mark.parametrize(
    ("last", "core"),
    [
        ("'t Hart", ["hart"]),
        ("in 't Veld", ["veld"]),
        ("ter Horst", ["horst"]),
        ("ten Cate", ["cate"]),
    ],
)
def test_apostrophe_tussenvoegsels(last, core):
    assert split_name("Kees", last)[1] == core


def test_initials_only_are_recognised():
    assert split_name("J.", "v.d. Berg") == (["j"], ["berg"], True)
    assert split_name("J.P.", "Bakker")[2] is True
    assert split_name("JP", "Bakker")[2] is True
    # An all-caps first name is a name, not initials.
    assert split_name("JAN", "BAKKER") == (["jan"], ["bakker"], False)


def test_double_surname_keeps_both_parts_without_tussenvoegsels():
    assert split_name("Anna", "de Vries-Jansen")[1] == ["vries", "jansen"]
    assert split_name("Anna", "van Dijk-de Vries")[1] == ["dyk", "vries"]


def test_surname_typed_in_the_first_name_field_is_cleaned():
    given, surname, _ = split_name("van Dam", "Max")
    assert given == ["dam"]
    assert surname == ["max"]


def test_generational_suffixes_are_dropped():
    assert split_name("Jan", "Jansen jr.")[1] == ["jansen"]
    assert split_name("Jan", "Jansen Sr")[1] == ["jansen"]


def test_fold_removes_diacritics_and_spells_ij_as_y():
    assert fold("Daniël") == fold("Daniel") == "daniel"
    assert fold("Öztürk") == "ozturk"
    assert fold("Dijk") == fold("Dyk") == "dyk"
    assert fold("van Dijk") == "van dyk"
    assert fold("ĳzerman") == "yzerman"


@pytest.mark.parametrize(
    ("nick", "formal"),
    [
        ("jan", "johannes"),
        ("hans", "johannes"),
        ("mien", "wilhelmina"),
        ("willy", "wilhelmina"),
        ("kees", "cornelis"),
        ("koos", "jacobus"),
        ("jaap", "jacobus"),
        ("henk", "hendrik"),
        ("piet", "petrus"),
    ],
)
def test_nicknames_map_to_their_formal_name(nick, formal):
    assert canonical_first_name(nick) == formal
    assert canonical_first_name(formal) == formal


def test_bsn_eleven_test():
    assert bsn_is_valid("111222333")
    assert bsn_is_valid("123456782")
    assert not bsn_is_valid("123456789")
    assert not bsn_is_valid("000000000")
    assert not bsn_is_valid("12345678")
    # Eight-digit BSNs get their leading zero back; invalid ones are dropped.
    assert normalise_bsn("11222333") == ""
    assert normalise_bsn("1234.56.782") == "123456782"
    assert normalise_bsn("123456789") == ""


def test_birth_date_parsing():
    assert parse_birth_date("1985-03-14") == date(1985, 3, 14)
    assert parse_birth_date("") is None
    for bad in ("14-03-1985", "1985-13-01", "1985-02-30", "yesterday"):
        with pytest.raises(ValueError, match=r"YYYY-MM-DD|month|day"):
            parse_birth_date(bad)


def test_normalise_address_fields():
    person = normalise(
        PersonRecord(
            "Hans", "v.d. Berg", None, "Van der Helststr.", "12a", "1234 ab", "'s-Gravenhage"
        )
    )
    assert person.given == "johannes"
    assert person.initial == "h"
    assert person.street == "helststraat"
    assert person.house_number == "12"
    assert person.postcode == "1234AB"
    assert person.city == "denhaag"


def test_phonetic_code_merges_dutch_spelling_variants():
    assert dutch_phonetic("jansen") == dutch_phonetic("janssen")
    assert dutch_phonetic("de vries") != ""
    assert dutch_phonetic("meyer") == dutch_phonetic(fold("meijer"))
