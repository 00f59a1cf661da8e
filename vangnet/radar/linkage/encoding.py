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
    "KEY_FIELDS",
    "MIN_KEY_BYTES",
    "EncodedRecord",
    "EncodingParams",
    "blocking_keys",
    "encode",
    "encode_normalised",
]

MIN_KEY_BYTES = 16
FLAG_INITIALS_ONLY = 1

_MAGIC = b"VR1"
_HEADER = struct.Struct("<3sHHBBB")

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
        text = repr(
            (
                self.name_bits,
                self.name_hashes,
                self.street_bits,
                self.street_hashes,
                self.city_bits,
                self.city_hashes,
                self.blip_rounds,
            )
        )
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:2], "little")


DEFAULT_PARAMS = EncodingParams()


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
            _MAGIC,
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
        if magic != _MAGIC:
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
            return hmac.new(key, b"vangnet-radar/v1/" + label.encode(), hashlib.sha256).digest()

        # Given names and surnames share one namespace so that swapped names can be compared.
        self._name_key = derive("bloom/name")
        self._street_key = derive("bloom/street")
        self._city_key = derive("bloom/city")
        self._exact_key = derive("exact")
        self._blip_key = derive("blip")
        self._masks: dict[tuple[int, str], int] = {}

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
        digest = hmac.new(sub_key, gram.encode(), hashlib.sha256).digest()
        h1 = int.from_bytes(digest[:8], "little")
        h2 = int.from_bytes(digest[8:16], "little") | 1
        mask = 0
        for i in range(hashes):
            mask |= 1 << ((h1 + i * h2) % bits)
        if len(self._masks) < 500_000:
            self._masks[(space, gram)] = mask
        return mask

    def _filter(self, space: int, grams: Iterable[str]) -> int:
        value = 0
        for gram in grams:
            value |= self._mask(space, gram)
        return value

    def exact(self, label: str) -> int:
        digest = hmac.new(self._exact_key, label.encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "little") or 1

    def encode(self, person: NormalisedPerson) -> EncodedRecord:
        params = self.params
        flags = FLAG_INITIALS_ONLY if person.initials_only else 0
        if person.initials_only:
            given_grams = [f"_{person.initial}"]
        elif person.given:
            given_grams = _bigrams(person.given)
            if person.given_original and person.given_original != person.given:
                # A nickname keeps its own initial so that "K." still matches "Kees".
                given_grams.append(f"_{person.initial}")
        else:
            given_grams = []
        surname_grams = [gram for part in person.surname_parts for gram in _bigrams(part)]
        filters = [
            self._filter(0, given_grams),
            self._filter(0, surname_grams),
            self._filter(1, _bigrams(person.street) if person.street else ()),
            self._filter(2, _bigrams(person.city) if person.city else ()),
        ]
        sizes = (params.name_bits, params.name_bits, params.street_bits, params.city_bits)
        if params.blip_rounds:
            filters = self._blip(person, filters, sizes)
        return EncodedRecord(
            params_id=params.params_id,
            flags=flags,
            given=filters[0].to_bytes(sizes[0] // 8, "little"),
            surname=filters[1].to_bytes(sizes[1] // 8, "little"),
            street=filters[2].to_bytes(sizes[2] // 8, "little"),
            city=filters[3].to_bytes(sizes[3] // 8, "little"),
            keys=self.keys_for(person),
        )

    def _blip(
        self, person: NormalisedPerson, filters: list[int], sizes: tuple[int, ...]
    ) -> list[int]:
        """Flip each bit with probability 2**-r: AND of r keyed pseudo-random masks.

        The seed is a keyed hash of the whole normalised record, so re-encoding the same
        record is reproducible while equal names in different records get different noise.
        """
        rounds = self.params.blip_rounds
        seed = hmac.new(self._blip_key, repr(person).encode(), hashlib.sha256).digest()
        stream = hashlib.shake_256(seed).digest(sum(sizes) // 8 * rounds)
        out = []
        pos = 0
        for value, bits in zip(filters, sizes, strict=True):
            width = bits // 8
            noise = (1 << bits) - 1
            for _ in range(rounds):
                noise &= int.from_bytes(stream[pos : pos + width], "little")
                pos += width
            # Empty (missing) fields stay empty: absence is recorded, not hidden.
            out.append(value ^ noise if value else 0)
        return out

    def keys_for(self, person: NormalisedPerson) -> tuple[int, ...]:
        keys = dict.fromkeys(KEY_FIELDS, 0)
        surname_code = dutch_phonetic(person.surname_parts[0]) if person.surname_parts else ""
        if person.birth is not None:
            year, month, day = person.birth
            keys["dob"] = self.exact(f"dob:{year:04d}{month:02d}{day:02d}")
            if day <= 12 and day != month:
                keys["dob_swapped"] = self.exact(f"dob:{year:04d}{day:02d}{month:02d}")
            # Any two of the three parts equal = a typo in one of them.
            keys["dob_ym"] = self.exact(f"ym:{year:04d}{month:02d}")
            keys["dob_yd"] = self.exact(f"yd:{year:04d}{day:02d}")
            keys["dob_md"] = self.exact(f"md:{month:02d}{day:02d}")
            # Two overlapping 5-year buckets: sharing one means the years are at most 4 apart,
            # which tells a keying error in the year from another generation's birthday
            # (a grandfather and grandson with the same name and birthday).
            keys["dob_y5a"] = self.exact(f"y5a:{year // 5}")
            keys["dob_y5b"] = self.exact(f"y5b:{(year + 2) // 5}")
            # The same for the commonest keying error in a year: its last two digits swapped.
            low_digits = "".join(sorted(f"{year % 100:02d}"))
            keys["dob_ydigits"] = self.exact(f"ydg:{year // 100}{low_digits}")
            low, high = sorted((month, day))
            keys["block_dob"] = self.exact(f"b-dob:{year:04d}{low:02d}{high:02d}")
            if surname_code:
                keys["block_surname_year"] = self.exact(f"b-sy:{surname_code}:{year:04d}")
        if person.bsn:
            keys["bsn"] = self.exact(f"bsn:{person.bsn}")
        if person.house_number:
            keys["house_number"] = self.exact(f"hn:{person.house_number}")
            if len(person.postcode) == 6:
                keys["address"] = self.exact(f"addr:{person.postcode}:{person.house_number}")
        if person.postcode:
            keys["postcode4"] = self.exact(f"pc4:{person.postcode[:4]}")
        given_code = dutch_phonetic(person.given)
        if given_code and surname_code:
            first, second = sorted((given_code, surname_code))
            keys["block_names"] = self.exact(f"b-nm:{first}:{second}")
        return tuple(keys[name] for name in KEY_FIELDS)


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
