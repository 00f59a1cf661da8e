"""Keyed encoding of a person into field-level Bloom filters and keyed exact keys.

Why field-level Bloom filters (FBF) and not one record-level filter (CLK): the radar's hard
cases are household members who agree on surname and address and differ on one field (first
name, birth year). A record-level filter blurs exactly that one field into the rest; separate
filters keep it visible to the scorer, allow swapped first/last names (both name filters live
in one hash namespace so they can be cross-compared) and let each field have its own weight.
The privacy price of FBFs (a frequent name yields a frequent filter) is paid back by:

* keyed hashing: bigram positions come from HMAC-SHA256 under a secret linkage key, so an
  attacker without the key cannot build filters for candidate names (no dictionary attack);
* BLIP hardening: every bit of every filter is flipped with probability ``2**-blip_rounds``,
  seeded by a keyed hash of the whole record. Identical records still encode identically,
  but two different people called "Jan" get different first-name filters, which breaks the
  "count identical filters" frequency attack. The scorer de-biases Dice for the known flip
  rate (``scoring``), so the accuracy cost is small and measured in the benchmark.

Strong identifiers (BSN, birth date, postcode + house number) are not Bloom-encoded: they are
compared for equality only, so a truncated HMAC (64 bits) is enough and leaks no n-grams.
See docs/adr/0010-radar-encoding.md for the threat model and key management.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .normalise import NormalisedPerson, PersonRecord, dutch_phonetic, normalise

__all__ = [
    "BLOCK_FIELDS",
    "DEFAULT_PARAMS",
    "FLAG_INITIALS_ONLY",
    "HEADER_SIZE",
    "KEY_FIELDS",
    "MAGIC",
    "MIN_KEY_BYTES",
    "EncodedRecord",
    "EncodingParams",
    "blocking_keys",
    "encode",
    "encode_many_bytes",
    "encode_normalised",
    "record_size",
]

MIN_KEY_BYTES = 16
FLAG_INITIALS_ONLY = 1

MAGIC = b"VR1"
_HEADER = struct.Struct("<3sHHBBB")
HEADER_SIZE = _HEADER.size

#: The keyed exact keys, in serialisation order (each a 64-bit integer, 0 = absent).
KEY_FIELDS: tuple[str, ...] = (
    "dob",
    "dob_swapped",
    "dob_ym",
    "dob_yd",
    "dob_md",
    "dob_y5a",
    "dob_y5b",
    "dob_ydigits",
    "bsn",
    "address",
    "house_number",
    "postcode4",
    "block_dob",
    "block_surname_year",
    "block_names",
)
_DATE_FIELDS = (
    "dob",
    "dob_swapped",
    "dob_ym",
    "dob_yd",
    "dob_md",
    "dob_y5a",
    "dob_y5b",
    "dob_ydigits",
    "block_dob",
)
_DATE_INDEX = tuple(KEY_FIELDS.index(name) for name in _DATE_FIELDS)
_I_SURNAME_YEAR = KEY_FIELDS.index("block_surname_year")
_I_BSN = KEY_FIELDS.index("bsn")
_I_HOUSE_NUMBER = KEY_FIELDS.index("house_number")
_I_ADDRESS = KEY_FIELDS.index("address")
_I_POSTCODE4 = KEY_FIELDS.index("postcode4")
_I_NAMES = KEY_FIELDS.index("block_names")
_KEYS = struct.Struct(f"<{len(KEY_FIELDS)}Q")
BLOCK_FIELDS: tuple[str, ...] = ("block_dob", "block_surname_year", "block_names", "address", "bsn")


@dataclass(frozen=True, slots=True)
class EncodingParams:
    """Bloom filter geometry and hardening. Both sides of a comparison must use the same."""

    name_bits: int = 256
    name_hashes: int = 10
    street_bits: int = 256
    street_hashes: int = 8
    city_bits: int = 128
    city_hashes: int = 8
    #: BLIP hardening: flip each filter bit with probability 2**-blip_rounds; 0 disables it.
    blip_rounds: int = 6

    def __post_init__(self) -> None:
        for bits in (self.name_bits, self.street_bits, self.city_bits):
            if bits <= 0 or bits % 64 or bits > 64 * 255:
                raise ValueError("filter sizes must be positive multiples of 64 bits")
        if not 0 <= self.blip_rounds <= 16:
            raise ValueError("blip_rounds must be between 0 (off) and 16")

    @property
    def flip_probability(self) -> float:
        return 0.0 if self.blip_rounds == 0 else 2.0**-self.blip_rounds

    @property
    def params_id(self) -> int:
        """A 16-bit fingerprint, stored with each encoding so mismatches are detected."""
        return _params_id(self)


@lru_cache(maxsize=64)
def _params_id(params: EncodingParams) -> int:
    text = repr(
        (
            params.name_bits,
            params.name_hashes,
            params.street_bits,
            params.street_hashes,
            params.city_bits,
            params.city_hashes,
            params.blip_rounds,
        )
    )
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:2], "little")


DEFAULT_PARAMS = EncodingParams()


def record_size(params: EncodingParams = DEFAULT_PARAMS) -> int:
    """Length of ``EncodedRecord.to_bytes()`` for these parameters."""
    filters = (2 * params.name_bits + params.street_bits + params.city_bits) // 8
    return _HEADER.size + filters + _KEYS.size


@dataclass(frozen=True, slots=True)
class EncodedRecord:
    """A person as the radar sees it: Bloom filters (bytes) and keyed hashes (ints) only.

    Nothing in here is plaintext; without the linkage key neither the filters nor the keys can
    be recomputed for a guessed name or date.
    """

    params_id: int
    flags: int
    given: bytes
    surname: bytes
    street: bytes
    city: bytes
    keys: tuple[int, ...] = field(default=(0,) * len(KEY_FIELDS))

    def key(self, name: str) -> int:
        return self.keys[KEY_FIELDS.index(name)]

    def to_bytes(self) -> bytes:
        """Compact, versioned serialisation (about 230 bytes with the default parameters)."""
        header = _HEADER.pack(
            MAGIC,
            self.params_id,
            self.flags,
            len(self.given) // 8,
            len(self.street) // 8,
            len(self.city) // 8,
        )
        return b"".join(
            (header, self.given, self.surname, self.street, self.city, _KEYS.pack(*self.keys))
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> EncodedRecord:
        if len(data) < _HEADER.size:
            raise ValueError("encoded record too short")
        magic, params_id, flags, name_words, street_words, city_words = _HEADER.unpack_from(data)
        if magic != MAGIC:
            raise ValueError("not a radar encoding (bad magic)")
        sizes = (name_words * 8, name_words * 8, street_words * 8, city_words * 8)
        if len(data) != _HEADER.size + sum(sizes) + _KEYS.size:
            raise ValueError("encoded record has the wrong length")
        parts = []
        pos = _HEADER.size
        for size in sizes:
            parts.append(bytes(data[pos : pos + size]))
            pos += size
        keys = _KEYS.unpack_from(data, pos)
        return cls(params_id, flags, parts[0], parts[1], parts[2], parts[3], tuple(keys))

    def __repr__(self) -> str:  # never print filter contents into logs
        return f"EncodedRecord(params_id={self.params_id:#06x}, flags={self.flags})"


# --- the keyed encoder ---------------------------------------------------------------------


def _bigrams(word: str) -> list[str]:
    padded = f"_{word}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


class _Encoder:
    """Holds the derived sub-keys and a cache of bigram → bit mask for one key and params."""

    def __init__(self, key: bytes, params: EncodingParams) -> None:
        self.params = params

        def derive(label: str) -> bytes:
            return hmac.digest(key, b"vangnet-radar/v1/" + label.encode(), "sha256")

        # Given names and surnames share one namespace so that swapped names can be compared.
        self._name_key = derive("bloom/name")
        self._street_key = derive("bloom/street")
        self._city_key = derive("bloom/city")
        self._exact_key = derive("exact")
        self._blip_key = derive("blip")
        self._masks: dict[tuple[int, str], int] = {}
        self._exact_cache: dict[str, int] = {}
        self._words: dict[tuple[int, str], int] = {}
        self._dates: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self._widths = (
            params.name_bits // 8,
            params.name_bits // 8,
            params.street_bits // 8,
            params.city_bits // 8,
        )

    def _mask(self, space: int, gram: str) -> int:
        """Bit mask of one bigram: HMAC-SHA256 double hashing, k positions in m bits."""
        cached = self._masks.get((space, gram))
        if cached is not None:
            return cached
        params = self.params
        sub_key, bits, hashes = (
            (self._name_key, params.name_bits, params.name_hashes),
            (self._street_key, params.street_bits, params.street_hashes),
            (self._city_key, params.city_bits, params.city_hashes),
        )[space]
        digest = hmac.digest(sub_key, gram.encode(), "sha256")
        h1 = int.from_bytes(digest[:8], "little")
        h2 = int.from_bytes(digest[8:16], "little") | 1
        mask = 0
        for i in range(hashes):
            mask |= 1 << ((h1 + i * h2) % bits)
        if len(self._masks) < 500_000:
            self._masks[(space, gram)] = mask
        return mask

    def _word(self, space: int, word: str) -> int:
        """Filter bits of one padded word (cached: names and places repeat a lot)."""
        cached = self._words.get((space, word))
        if cached is not None:
            return cached
        value = 0
        for gram in _bigrams(word):
            value |= self._mask(space, gram)
        if len(self._words) < 500_000:
            self._words[(space, word)] = value
        return value

    def exact(self, label: str) -> int:
        cached = self._exact_cache.get(label)
        if cached is not None:
            return cached
        digest = hmac.digest(self._exact_key, label.encode(), "sha256")
        value = int.from_bytes(digest[:8], "little") or 1
        if len(self._exact_cache) < 200_000:
            # Low-cardinality keys (year buckets, month/day, postcode area) repeat a lot.
            self._exact_cache[label] = value
        return value

    def _parts(self, person: NormalisedPerson) -> tuple[int, list[int], tuple[int, ...]]:
        """Flags, (hardened) filters as integers, and keys of one person."""
        flags = FLAG_INITIALS_ONLY if person.initials_only else 0
        if person.initials_only:
            given = self._mask(0, f"_{person.initial}")
        elif person.given:
            given = self._word(0, person.given)
            if person.given_original and person.given_original != person.given:
                # A nickname keeps its own initial so that "K." still matches "Kees".
                given |= self._mask(0, f"_{person.initial}")
        else:
            given = 0
        surname = 0
        for part in person.surname_parts:
            surname |= self._word(0, part)
        filters = [
            given,
            surname,
            self._word(1, person.street) if person.street else 0,
            self._word(2, person.city) if person.city else 0,
        ]
        keys = self.keys_for(person)
        if self.params.blip_rounds:
            filters = self._blip(flags, filters, keys)
        return flags, filters, keys

    def encode(self, person: NormalisedPerson) -> EncodedRecord:
        flags, filters, keys = self._parts(person)
        return EncodedRecord(
            params_id=self.params.params_id,
            flags=flags,
            given=filters[0].to_bytes(self._widths[0], "little"),
            surname=filters[1].to_bytes(self._widths[1], "little"),
            street=filters[2].to_bytes(self._widths[2], "little"),
            city=filters[3].to_bytes(self._widths[3], "little"),
            keys=keys,
        )

    def encode_bytes(self, person: NormalisedPerson) -> bytes:
        """``encode(person).to_bytes()`` without building the intermediate object."""
        flags, filters, keys = self._parts(person)
        widths = self._widths
        return b"".join(
            (
                _HEADER.pack(
                    MAGIC,
                    self.params.params_id,
                    flags,
                    widths[0] // 8,
                    widths[2] // 8,
                    widths[3] // 8,
                ),
                filters[0].to_bytes(widths[0], "little"),
                filters[1].to_bytes(widths[1], "little"),
                filters[2].to_bytes(widths[2], "little"),
                filters[3].to_bytes(widths[3], "little"),
                _KEYS.pack(*keys),
            )
        )

    def _blip(self, flags: int, filters: list[int], keys: tuple[int, ...]) -> list[int]:
        """Flip each bit with probability 2**-r: AND of r keyed pseudo-random masks.

        The seed is a keyed hash (BLAKE2b in keyed mode) of the whole record's encoding
        before noise, so re-encoding the same record is reproducible while equal names in
        different records get different noise.
        """
        rounds = self.params.blip_rounds
        widths = self._widths
        material = b"".join(
            [value.to_bytes(width, "little") for value, width in zip(filters, widths, strict=True)]
        )
        material += _KEYS.pack(*keys) + bytes((flags,))
        seed = hashlib.blake2b(material, key=self._blip_key, digest_size=32).digest()
        width = sum(widths)
        stream = hashlib.shake_256(seed).digest(width * rounds)
        noise = int.from_bytes(stream[:width], "little")
        for r in range(1, rounds):
            noise &= int.from_bytes(stream[r * width : (r + 1) * width], "little")
        out = []
        for value, bytes_wide in zip(filters, widths, strict=True):
            bits = bytes_wide * 8
            # Empty (missing) fields stay empty: absence is recorded, not hidden.
            out.append(value ^ (noise & ((1 << bits) - 1)) if value else 0)
            noise >>= bits
        return out

    def _date_keys(self, year: int, month: int, day: int) -> tuple[int, ...]:
        """Keys of one birth date, in _DATE_FIELDS order (cached: dates repeat)."""
        cached = self._dates.get((year, month, day))
        if cached is not None:
            return cached
        ymd = f"{year:04d}{month:02d}{day:02d}"
        low, high = sorted((month, day))
        keys = (
            self.exact(f"dob:{ymd}"),
            self.exact(f"dob:{year:04d}{day:02d}{month:02d}") if day <= 12 and day != month else 0,
            # Any two of the three parts equal = a typo in one of them.
            self.exact(f"ym:{ymd[:6]}"),
            self.exact(f"yd:{ymd[:4]}{ymd[6:]}"),
            self.exact(f"md:{ymd[4:]}"),
            # Two overlapping 5-year buckets: sharing one means the years are at most 4 apart,
            # which tells a keying error in the year from another generation's birthday (a
            # grandfather and grandson with the same name and birthday) ...
            self.exact(f"y5a:{year // 5}"),
            self.exact(f"y5b:{(year + 2) // 5}"),
            # ... and so does the commonest keying error in a year: its last digits swapped.
            self.exact(f"ydg:{year // 100}{''.join(sorted(ymd[2:4]))}"),
            self.exact(f"b-dob:{year:04d}{low:02d}{high:02d}"),
        )
        if len(self._dates) < 100_000:
            self._dates[(year, month, day)] = keys
        return keys

    def keys_for(self, person: NormalisedPerson) -> tuple[int, ...]:
        """All keyed exact and blocking keys of a person, in KEY_FIELDS order."""
        keys = [0] * len(KEY_FIELDS)
        surname_code = dutch_phonetic(person.surname_parts[0]) if person.surname_parts else ""
        if person.birth is not None:
            for index, value in zip(_DATE_INDEX, self._date_keys(*person.birth), strict=True):
                keys[index] = value
            if surname_code:
                keys[_I_SURNAME_YEAR] = self.exact(f"b-sy:{surname_code}:{person.birth[0]}")
        if person.bsn:
            keys[_I_BSN] = self.exact(f"bsn:{person.bsn}")
        if person.house_number:
            keys[_I_HOUSE_NUMBER] = self.exact(f"hn:{person.house_number}")
            if len(person.postcode) == 6:
                keys[_I_ADDRESS] = self.exact(f"addr:{person.postcode}:{person.house_number}")
        if person.postcode:
            keys[_I_POSTCODE4] = self.exact(f"pc4:{person.postcode[:4]}")
        given_code = dutch_phonetic(person.given)
        if given_code and surname_code:
            first, second = sorted((given_code, surname_code))
            keys[_I_NAMES] = self.exact(f"b-nm:{first}:{second}")
        return tuple(keys)


@lru_cache(maxsize=8)
def _encoder(key: bytes, params: EncodingParams) -> _Encoder:
    return _Encoder(key, params)


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the linkage key must be at least {MIN_KEY_BYTES} random bytes")


def encode_normalised(
    person: NormalisedPerson, key: bytes, params: EncodingParams = DEFAULT_PARAMS
) -> EncodedRecord:
    """Encode an already normalised person (see ``normalise.normalise``)."""
    _check_key(key)
    return _encoder(key, params).encode(person)


def encode(
    record: PersonRecord, key: bytes, params: EncodingParams = DEFAULT_PARAMS
) -> EncodedRecord:
    """Normalise and encode one reported person under the linkage key."""
    return encode_normalised(normalise(record), key, params)


def encode_many_bytes(
    records: Iterable[PersonRecord], key: bytes, params: EncodingParams = DEFAULT_PARAMS
) -> bytes:
    """Concatenated ``encode(r).to_bytes()`` of many records (the fast bulk path)."""
    _check_key(key)
    encoder = _encoder(key, params)
    return b"".join([encoder.encode_bytes(normalise(record)) for record in records])


def blocking_keys(encoded: EncodedRecord) -> list[bytes]:
    """The keyed blocking keys of an encoding (8 bytes each; no plaintext, no key needed).

    Passes: birth date (day/month order-free), phonetic surname + birth year, phonetic
    first name + surname (order-free, so swapped names block together), postcode + house
    number, and BSN. Two encodings become candidates when they share any key.
    """
    out = []
    for name in BLOCK_FIELDS:
        value = encoded.key(name)
        if value:
            out.append(value.to_bytes(8, "little"))
    return out
