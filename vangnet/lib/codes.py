# SPDX-License-Identifier: EUPL-1.2
"""The anonymous reporter's return code (terugkeercode); see docs/adr/0011-return-codes.md.

A return code is one string of 36 Crockford base32 characters in 9 groups of 4::

    K7QM-2XHD-8F3V-9QRT-XW2B-PNDM-J4KE-7RGS-Z1TW
    └locator┘ └──────────── secret (26) ─────────┘└┘ check (2)

* The **locator** (8 characters, 40 random bits) finds the record. It is not secret: the
  database stores it in clear and looks it up by index.
* The **secret** (26 characters, 130 random bits) proves possession. Only an Argon2id hash of
  HMAC-SHA256(pepper, secret) is stored, with a per-record salt (OWASP ASVS 6.5.2, 11.5.1).
* Two **check characters** catch typos before any lookup or hash, so the reporter sees
  "check for a typo" instead of "unknown code" and a slip costs us no Argon2 work.

The check is a linear code over GF(32) (the field of the alphabet's 5-bit symbols): the XOR of
all 36 symbols is zero and so is their sum weighted by powers of a primitive element. It
detects every single-character error, every swap of two neighbouring characters and every
two-character error except an identical error in two places exactly 31 apart. Crockford's own
mod-37 check symbol was rejected because five of its symbols are ``*~$=U``, which are hard to
read aloud and to find on a phone keyboard.

No Django here: the intake app stores ``locator`` and ``hash_secret(...)`` and calls
:func:`verify_secret` or :func:`dummy_verify`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Literal

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "ALPHABET",
    "ARGON2_PARAMETERS",
    "CODE_LENGTH",
    "LOCATOR_LENGTH",
    "MIN_PEPPER_BYTES",
    "SECRET_BITS",
    "SECRET_LENGTH",
    "InvalidCodeFormat",
    "InvalidReason",
    "ParsedCode",
    "ReturnCode",
    "dummy_verify",
    "from_parts",
    "generate",
    "hash_secret",
    "needs_rehash",
    "parse",
    "verify_secret",
]

#: Crockford base32: digits and upper-case letters without I, L, O and U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
# Typed look-alikes are read as what the reporter meant (Crockford's decoding rules).
_CONFUSABLES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = frozenset(" \t\n\r\f\v-")

LOCATOR_LENGTH = 8
SECRET_LENGTH = 26
CHECK_LENGTH = 2
CODE_LENGTH = LOCATOR_LENGTH + SECRET_LENGTH + CHECK_LENGTH  # 36 = 9 groups of 4
GROUP_SIZE = 4
SECRET_BITS = 5 * SECRET_LENGTH  # 130
LOCATOR_BITS = 5 * LOCATOR_LENGTH  # 40

#: An HMAC key shorter than the SHA-256 output adds less than it could.
MIN_PEPPER_BYTES = 32

#: Argon2id with light cost parameters (ADR 0011, revised twice): the secret is 130 random bits,
#: so the cost of one guess is irrelevant (2**130 guesses stay out of reach at any speed) and
#: the work factors, which protect low-entropy passwords, would only cap intake throughput.
#: Measured on the 2-core machine, one hash: 0.5 ms at m=1 MiB, 2.0 ms at m=4 MiB (the previous
#: setting), ~32 ms at m=24 MiB, t=2 (the first). Hashes made under older parameters keep
#: verifying. The salt (per record) and the pepper (HMAC before hashing) stay.
ARGON2_PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)
_HASHER = PasswordHasher.from_parameters(ARGON2_PARAMETERS)

InvalidReason = Literal["empty", "non_ascii", "invalid_character", "wrong_length", "checksum"]

_MESSAGES: dict[InvalidReason, str] = {
    "empty": "Enter your return code.",
    "non_ascii": "The code contains characters that are not letters or digits.",
    "invalid_character": "The code contains characters that are not letters or digits.",
    "wrong_length": f"A return code has {CODE_LENGTH} letters and digits.",
    "checksum": "This code is not valid. Check for a typo.",
}


class InvalidCodeFormat(ValueError):
    """The input cannot be a return code; ``reason`` tells the form which hint to show."""

    def __init__(self, reason: InvalidReason) -> None:
        super().__init__(_MESSAGES[reason])
        self.reason: InvalidReason = reason


@dataclass(frozen=True, slots=True)
class ReturnCode:
    """A freshly issued code. ``repr`` hides the secret so a stray log line cannot leak it."""

    locator: str
    secret: str = field(repr=False)
    display: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A syntactically valid code typed by a reporter, in canonical upper-case form."""

    locator: str
    secret: str = field(repr=False)


# --- GF(32) check characters ---------------------------------------------------------------

_PRIMITIVE_POLY = 0b100101  # x^5 + x^2 + 1, primitive, so x generates all 31 non-zero elements


def _times_x(value: int) -> int:
    value <<= 1
    return value ^ _PRIMITIVE_POLY if value & 0b100000 else value


def _gf_mul(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        a, b = _times_x(a), b >> 1
    return product


_INV_X_PLUS_1 = next(v for v in range(1, 32) if _gf_mul(0b11, v) == 1)


def _syndromes(values: list[int]) -> tuple[int, int]:
    """(XOR of all symbols, sum of symbol * x^(distance from the end)) by Horner's rule."""
    plain = weighted = 0
    for value in values:
        plain ^= value
        weighted = _times_x(weighted) ^ value
    return plain, weighted


def _check_symbols(values: list[int]) -> tuple[int, int]:
    # Appending c1, c2 must zero both syndromes: c1 + c2 = s0 and x^2*w + x*c1 + c2 = 0, so
    # (x + 1) * c1 = x^2*w + s0 (addition is XOR in GF(32)).
    plain, weighted = _syndromes(values)
    first = _gf_mul(_gf_mul(0b100, weighted) ^ plain, _INV_X_PLUS_1)
    return first, plain ^ first


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _is_canonical(text: str, length: int) -> bool:
    return len(text) == length and all(char in _VALUE for char in text)


def _display(canonical: str) -> str:
    return "-".join(canonical[i : i + GROUP_SIZE] for i in range(0, len(canonical), GROUP_SIZE))


def from_parts(locator: str, secret: str) -> ReturnCode:
    """Build the code (with check characters and display form) from canonical parts."""
    if not _is_canonical(locator, LOCATOR_LENGTH):
        raise ValueError(f"locator must be {LOCATOR_LENGTH} characters of the code alphabet")
    if not _is_canonical(secret, SECRET_LENGTH):
        raise ValueError(f"secret must be {SECRET_LENGTH} characters of the code alphabet")
    body = locator + secret
    first, second = _check_symbols([_VALUE[char] for char in body])
    return ReturnCode(
        locator=locator,
        secret=secret,
        display=_display(body + ALPHABET[first] + ALPHABET[second]),
    )


def generate() -> ReturnCode:
    """A new random code from the OS CSPRNG (``secrets``).

    The locator is random too, so it says nothing about when or where a report was made.
    With 40 bits a collision becomes plausible after about a million codes: the caller stores
    the locator under a unique constraint and calls ``generate()`` again on a clash.
    """
    return from_parts(
        _encode(secrets.randbits(LOCATOR_BITS), LOCATOR_LENGTH),
        _encode(secrets.randbits(SECRET_BITS), SECRET_LENGTH),
    )


def parse(user_input: str) -> ParsedCode:
    """Read a code as a reporter types or pastes it; raise :class:`InvalidCodeFormat` if it
    cannot be one.

    Tolerates upper/lower case, spaces, tabs, dashes and pasted line breaks anywhere, and reads
    I and L as 1 and O as 0. Refuses anything non-ASCII rather than guessing at homoglyphs
    (a Cyrillic "А" looks like "A" but is another character).
    """
    if not isinstance(user_input, str):
        raise TypeError(f"user_input must be a str, got {type(user_input).__name__}")
    if not user_input.isascii():
        raise InvalidCodeFormat("non_ascii")
    compact = "".join(char for char in user_input if char not in _SEPARATORS)
    if not compact:
        raise InvalidCodeFormat("empty")
    canonical = compact.upper().translate(_CONFUSABLES)
    if any(char not in _VALUE for char in canonical):
        raise InvalidCodeFormat("invalid_character")
    if len(canonical) != CODE_LENGTH:
        raise InvalidCodeFormat("wrong_length")
    if _syndromes([_VALUE[char] for char in canonical]) != (0, 0):
        raise InvalidCodeFormat("checksum")
    return ParsedCode(
        locator=canonical[:LOCATOR_LENGTH],
        secret=canonical[LOCATOR_LENGTH : LOCATOR_LENGTH + SECRET_LENGTH],
    )


# --- Hashing -------------------------------------------------------------------------------


def _peppered(secret: str, pepper: bytes) -> bytes:
    """HMAC-SHA256(pepper, secret): a database dump alone, without the pepper, is useless."""
    if not isinstance(pepper, bytes) or len(pepper) < MIN_PEPPER_BYTES:
        raise ValueError(f"the pepper must be at least {MIN_PEPPER_BYTES} bytes")
    return hmac.new(pepper, secret.encode("utf-8"), hashlib.sha256).digest()


def _argon2_verify(stored_hash: str, peppered: bytes) -> bool:
    """The single place that runs Argon2 verification (a seam for tests to count calls)."""
    return _HASHER.verify(stored_hash, peppered)


def hash_secret(secret: str, pepper: bytes) -> str:
    """The Argon2id PHC string to store for ``secret`` (a fresh random salt every call)."""
    if not _is_canonical(secret, SECRET_LENGTH):
        raise ValueError("hash the canonical secret from generate() or parse(), not a display form")
    return _HASHER.hash(_peppered(secret, pepper))


def verify_secret(stored_hash: str, secret: str, pepper: bytes) -> bool:
    """Whether ``secret`` matches ``stored_hash``; False (never an exception) on any mismatch or
    a malformed hash. Argon2 compares digests in constant time."""
    peppered = _peppered(secret, pepper)
    try:
        return _argon2_verify(stored_hash, peppered)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters (rehash after the next good verify).

    A malformed hash also answers True: it can never verify, so it is never rehashed, and
    "not current" is the honest answer.
    """
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # A hash of a random secret under a random pepper: nothing a caller passes can match it.
    return _HASHER.hash(secrets.token_bytes(32))


def dummy_verify(pepper: bytes) -> bool:
    """Spend one real Argon2 verification and answer False, for a locator that does not exist.

    A wrong secret and an unknown locator then cost the same time and give the same answer, so
    the timing does not reveal which locators are in use. The dummy hash is made on first use
    (one extra hash per process).
    """
    verify_secret(_dummy_hash(), "0" * SECRET_LENGTH, pepper)
    return False
