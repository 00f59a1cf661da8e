# SPDX-License-Identifier: EUPL-1.2
"""Tests for the anonymous reporter's return code: format, typo detection and hashing."""

import re
from collections import Counter
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import VerifyMismatchError
from hypothesis import given, settings
from hypothesis import strategies as st

from vangnet.lib import codes
from vangnet.lib.codes import (
    ALPHABET,
    ARGON2_PARAMETERS,
    CODE_LENGTH,
    LOCATOR_LENGTH,
    SECRET_LENGTH,
    InvalidCodeFormat,
    ParsedCode,
    dummy_verify,
    from_parts,
    generate,
    hash_secret,
    needs_rehash,
    parse,
    verify_secret,
)

PEPPER = b"p" * 32
OTHER_PEPPER = b"q" * 32
DISPLAY = re.compile(r"^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$")

symbols = st.sampled_from(ALPHABET)
locators = st.text(symbols, min_size=LOCATOR_LENGTH, max_size=LOCATOR_LENGTH)
secrets_ = st.text(symbols, min_size=SECRET_LENGTH, max_size=SECRET_LENGTH)
PROPERTY = settings(deadline=None, max_examples=300)


def canonical(display: str) -> str:
    return display.replace("-", "")


def ungroup(text: str) -> str:
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


# --- Size and entropy ----------------------------------------------------------------------


def test_alphabet_is_crockford_without_ambiguous_letters() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert ALPHABET == ALPHABET.upper()


def test_secret_carries_at_least_128_bits_and_beats_globaleaks_and_securedrop() -> None:
    assert len(ALPHABET) ** SECRET_LENGTH >= 2**128
    assert len(ALPHABET) ** SECRET_LENGTH > 10**16  # GlobaLeaks: 16 digits, ~53 bits
    assert len(ALPHABET) ** SECRET_LENGTH > 7776**7  # SecureDrop: 7 diceware words, ~90 bits
    assert len(ALPHABET) ** LOCATOR_LENGTH == 2**40
    assert CODE_LENGTH == 36


def test_generated_code_has_the_documented_shape() -> None:
    code = generate()
    assert DISPLAY.match(code.display)
    assert len(code.locator) == LOCATOR_LENGTH
    assert len(code.secret) == SECRET_LENGTH
    assert canonical(code.display).startswith(code.locator + code.secret)


def test_ten_thousand_codes_are_unique_and_evenly_spread() -> None:
    batch = [generate() for _ in range(10_000)]
    assert len({code.secret for code in batch}) == 10_000
    # 40-bit locators: a clash among 10,000 has probability ~5e-5; the database retries.
    assert len({code.locator for code in batch}) >= 9_999
    counts = Counter("".join(code.secret for code in batch))
    expected = 10_000 * SECRET_LENGTH / 32
    assert set(counts) == set(ALPHABET)
    assert all(abs(n - expected) < 0.1 * expected for n in counts.values())


def test_repr_never_shows_the_secret() -> None:
    code = generate()
    parsed = parse(code.display)
    for text in (repr(code), str(code), repr(parsed), str(parsed)):
        assert code.secret not in text
        assert code.locator in text


# --- Parsing -------------------------------------------------------------------------------


def test_parse_round_trips_the_display_form() -> None:
    code = generate()
    assert parse(code.display) == ParsedCode(code.locator, code.secret)


@pytest.mark.parametrize(
    "mangle",
    [
        str.lower,
        lambda s: s.replace("-", " "),
        lambda s: s.replace("-", ""),
        lambda s: f"  {s}\n",
        lambda s: f"\t{s}\r\n",
        lambda s: s.replace("-", "\n"),
        lambda s: " ".join(s.replace("-", "")),
        lambda s: s.replace("-", " - "),
    ],
)
def test_parse_tolerates_case_spaces_dashes_and_newlines(mangle: Callable[[str], str]) -> None:
    code = from_parts("K7QM2XHD", "8F3V9QRTXW2BPNDMJ4KE7RGS01")
    assert parse(mangle(code.display)) == ParsedCode(code.locator, code.secret)


def test_parse_reads_confusable_letters_as_digits() -> None:
    code = from_parts("10101010", "0" * 13 + "1" * 13)
    typed = code.display.replace("1", "I", 2).replace("1", "l", 2).replace("0", "O", 2)
    typed = typed.replace("0", "o", 2).replace("1", "L", 1).replace("1", "i", 1)
    assert parse(typed) == ParsedCode(code.locator, code.secret)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n ", "empty"),
        ("- -", "empty"),
        ("K7QM-2XHD-8F3V", "wrong_length"),
        ("K7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-01ABC", "wrong_length"),
        ("K7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-01AU", "invalid_character"),
        ("K7QM_2XHD_8F3V_9QRT_XW2B_PNDM_J4KE_7RGS_01AB", "invalid_character"),
        ("K7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-01A*", "invalid_character"),
        ("K7QM\u00a02XHD", "non_ascii"),  # no-break space from a PDF
        ("К7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-01AB", "non_ascii"),  # Cyrillic К
        ("K7QM–2XHD", "non_ascii"),  # en dash
        ("Ｋ7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-01AB", "non_ascii"),  # full width
    ],
)
def test_parse_refuses_what_cannot_be_a_code(text: str, reason: str) -> None:
    with pytest.raises(InvalidCodeFormat) as excinfo:
        parse(text)
    assert excinfo.value.reason == reason
    assert str(excinfo.value)


def test_a_typo_asks_the_reporter_to_check() -> None:
    code = canonical(generate().display)
    typo = code[:10] + ALPHABET[(ALPHABET.index(code[10]) + 1) % 32] + code[11:]
    with pytest.raises(InvalidCodeFormat, match="typo") as excinfo:
        parse(typo)
    assert excinfo.value.reason == "checksum"


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse(b"K7QM")  # type: ignore[arg-type]


def test_every_single_substitution_and_adjacent_swap_is_detected_exhaustively() -> None:
    for code in [generate() for _ in range(3)] + [from_parts("0" * 8, "0" * 26)]:
        text = canonical(code.display)
        for position in range(CODE_LENGTH):
            for replacement in ALPHABET:
                if replacement != text[position]:
                    typo = text[:position] + replacement + text[position + 1 :]
                    with pytest.raises(InvalidCodeFormat):
                        parse(typo)
        for position in range(CODE_LENGTH - 1):
            a, b = text[position], text[position + 1]
            if a != b:
                with pytest.raises(InvalidCodeFormat):
                    parse(text[:position] + b + a + text[position + 2 :])


@PROPERTY
@given(locators, secrets_, st.integers(0, CODE_LENGTH - 1), symbols)
def test_any_single_character_substitution_is_detected(
    locator: str, secret: str, position: int, replacement: str
) -> None:
    text = canonical(from_parts(locator, secret).display)
    typo = text[:position] + replacement + text[position + 1 :]
    if typo == text:
        assert parse(typo) == ParsedCode(locator, secret)
    else:
        with pytest.raises(InvalidCodeFormat) as excinfo:
            parse(ungroup(typo))
        assert excinfo.value.reason == "checksum"


@PROPERTY
@given(locators, secrets_, st.data())
def test_two_substitutions_are_detected_unless_31_apart(
    locator: str, secret: str, data: st.DataObject
) -> None:
    text = canonical(from_parts(locator, secret).display)
    first = data.draw(st.integers(0, CODE_LENGTH - 1))
    second = data.draw(st.integers(0, CODE_LENGTH - 1).filter(lambda p: p != first))
    chars = list(text)
    chars[first] = data.draw(symbols.filter(lambda c: c != text[first]))
    chars[second] = data.draw(symbols.filter(lambda c: c != text[second]))
    if abs(first - second) != 31:
        with pytest.raises(InvalidCodeFormat):
            parse("".join(chars))


@PROPERTY
@given(locators, secrets_)
def test_from_parts_then_parse_round_trips(locator: str, secret: str) -> None:
    code = from_parts(locator, secret)
    assert DISPLAY.match(code.display)
    assert parse(code.display) == ParsedCode(locator, secret)
    assert parse(code.display.lower().replace("-", " ")) == ParsedCode(locator, secret)


def test_from_parts_refuses_non_canonical_parts() -> None:
    with pytest.raises(ValueError, match="locator"):
        from_parts("k7qm2xhd", "0" * 26)
    with pytest.raises(ValueError, match="secret"):
        from_parts("K7QM2XHD", "0" * 25)
    with pytest.raises(ValueError, match="secret"):
        from_parts("K7QM2XHD", "U" * 26)


# --- Hashing -------------------------------------------------------------------------------


def test_verify_accepts_the_right_secret_and_refuses_others() -> None:
    code = generate()
    stored = hash_secret(code.secret, PEPPER)
    assert verify_secret(stored, code.secret, PEPPER)
    assert not verify_secret(stored, generate().secret, PEPPER)
    assert not verify_secret(stored, code.display, PEPPER)


def test_the_pepper_matters() -> None:
    code = generate()
    stored = hash_secret(code.secret, PEPPER)
    assert not verify_secret(stored, code.secret, OTHER_PEPPER)
    # Without the pepper a dump holds no plain Argon2 hash of the secret.
    assert not verify_secret(stored, code.secret, code.secret.encode().ljust(32, b"\0"))
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(stored, code.secret)


def test_each_hash_has_its_own_salt_and_the_current_parameters() -> None:
    secret = generate().secret
    first, second = hash_secret(secret, PEPPER), hash_secret(secret, PEPPER)
    assert first != second
    assert first.startswith("$argon2id$")
    assert extract_parameters(first) == ARGON2_PARAMETERS
    assert verify_secret(first, secret, PEPPER)
    assert verify_secret(second, secret, PEPPER)


@pytest.mark.parametrize(
    "stored",
    ["", "garbage", "$argon2id$v=19$m=24576,t=2,p=1$", "$argon2id$v=19$m=24576,t=2,p=1$AAAA$BBBB"],
)
def test_a_malformed_hash_verifies_false_without_raising(stored: str) -> None:
    assert verify_secret(stored, generate().secret, PEPPER) is False


def test_needs_rehash() -> None:
    secret = generate().secret
    assert not needs_rehash(hash_secret(secret, PEPPER))
    weaker = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    assert needs_rehash(weaker.hash(b"anything"))
    assert needs_rehash("garbage")


def test_hash_secret_refuses_display_forms_and_weak_peppers() -> None:
    code = generate()
    with pytest.raises(ValueError, match="canonical"):
        hash_secret(code.display, PEPPER)
    with pytest.raises(ValueError, match="canonical"):
        hash_secret(code.secret.lower(), PEPPER)
    with pytest.raises(ValueError, match="pepper"):
        hash_secret(code.secret, b"short")
    with pytest.raises(ValueError, match="pepper"):
        verify_secret(hash_secret(code.secret, PEPPER), code.secret, "p" * 32)  # type: ignore[arg-type]


def test_dummy_verify_runs_one_real_argon2_verification_and_says_no(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    real = codes._argon2_verify

    def counting(stored_hash: str, peppered: bytes) -> bool:
        seen.append(stored_hash)
        return real(stored_hash, peppered)

    monkeypatch.setattr(codes, "_argon2_verify", counting)
    assert dummy_verify(PEPPER) is False
    assert dummy_verify(OTHER_PEPPER) is False
    assert len(seen) == 2
    # Same algorithm and cost as a stored hash, so the time matches a wrong code's.
    assert extract_parameters(seen[0]) == ARGON2_PARAMETERS

    stored = hash_secret(generate().secret, PEPPER)
    assert verify_secret(stored, generate().secret, PEPPER) is False
    assert len(seen) == 3


def test_the_documented_example_is_a_valid_code() -> None:
    parsed = parse("K7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-Z1TW")
    assert parsed == ParsedCode("K7QM2XHD", "8F3V9QRTXW2BPNDMJ4KE7RGSZ1")


def test_codes_hashed_under_the_previous_parameters_still_verify() -> None:
    """ADR 0011, second revision: codes issued at m=4 MiB keep working at m=1 MiB."""
    secret = generate().secret
    previous = PasswordHasher(time_cost=1, memory_cost=4 * 1024, parallelism=1)
    stored = previous.hash(codes._peppered(secret, PEPPER))
    assert extract_parameters(stored).memory_cost == 4 * 1024
    assert verify_secret(stored, secret, PEPPER)
    assert not verify_secret(stored, generate().secret, PEPPER)
    assert extract_parameters(hash_secret(secret, PEPPER)).memory_cost == 1024
