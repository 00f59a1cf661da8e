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

import bisect
import hashlib
import hmac
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from .normalise import (
    NormalisedPerson,
    PersonColumns,
    PersonRecord,
    _house_number,
    _names,
    _normalise_city,
    _normalise_postcode,
    _normalise_street,
    dutch_phonetic,
    normalise,
    normalise_bsn,
)

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
    "encode_columns",
    "encode_many_bytes",
    "encode_normalised",
    "record_size",
    "serialise_rows",
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
    "dob_md_y5a",
    "dob_md_y5b",
    "dob_md_ydigits",
    "bsn",
    "address",
    "address_street",
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
    "dob_md_y5a",
    "dob_md_y5b",
    "dob_md_ydigits",
    "block_dob",
)
_DATE_INDEX = tuple(KEY_FIELDS.index(name) for name in _DATE_FIELDS)
_I_SURNAME_YEAR = KEY_FIELDS.index("block_surname_year")
_I_BSN = KEY_FIELDS.index("bsn")
_I_ADDRESS_STREET = KEY_FIELDS.index("address_street")
_I_ADDRESS = KEY_FIELDS.index("address")
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
    # The serialisation layout (magic, key fields) is part of the fingerprint, so encodings
    # stored under an older layout are recognised as incompatible instead of failing to parse.
    text = repr(
        (
            MAGIC,
            KEY_FIELDS,
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


_UINT16X32 = struct.Struct("<32H")


def _binomial_cdf_thresholds(n: int, p: float) -> list[int]:
    """floor(65536 * P(K <= j)) for K ~ Binomial(n, p), j = 0, 1, ... (for inverse-CDF draws)."""
    if p <= 0.0:
        return [65536]
    out = []
    term = (1.0 - p) ** n
    total = 0.0
    for j in range(n + 1):
        total += term
        out.append(int(total * 65536))
        if out[-1] >= 65536:
            break
        term *= (n - j) / (j + 1) * p / (1.0 - p)
    return out


class _Hmac:
    """HMAC-SHA256 with the key schedule done once (RFC 2104: the padded key's two hash
    states are precomputed and copied per message). Same output as ``hmac.digest``, about
    three times faster for the many short messages the encoder hashes."""

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


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
        self._name_hmac = _Hmac(derive("bloom/name"))
        self._street_hmac = _Hmac(derive("bloom/street"))
        self._city_hmac = _Hmac(derive("bloom/city"))
        self._exact_hmac = _Hmac(derive("exact"))
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
        self._filter_bytes = sum(self._widths)
        bits = [width * 8 for width in self._widths]
        self._offsets = (bits[0], bits[0] + bits[1], bits[0] + bits[1] + bits[2])
        self._field_masks = tuple(
            ((1 << b) - 1) << offset for b, offset in zip(bits, (0, *self._offsets), strict=True)
        )
        self._flip_cdf = _binomial_cdf_thresholds(sum(bits), params.flip_probability)

    def _mask(self, space: int, gram: str) -> int:
        """Bit mask of one bigram: HMAC-SHA256 double hashing, k positions in m bits."""
        cached = self._masks.get((space, gram))
        if cached is not None:
            return cached
        params = self.params
        keyed_hash, bits, hashes = (
            (self._name_hmac, params.name_bits, params.name_hashes),
            (self._street_hmac, params.street_bits, params.street_hashes),
            (self._city_hmac, params.city_bits, params.city_hashes),
        )[space]
        digest = keyed_hash(gram.encode())
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
        digest = self._exact_hmac(label.encode())
        value = int.from_bytes(digest[:8], "little") or 1
        if len(self._exact_cache) < 200_000:
            # Keys of dates and places repeat a lot.
            self._exact_cache[label] = value
        return value

    def _given_filter(
        self, given: str, given_original: str, initial: str, initials_only: bool
    ) -> int:
        """First-name filter bits (before noise)."""
        if initials_only:
            return self._mask(0, f"_{initial}")
        if not given:
            return 0
        value = self._word(0, given)
        if given_original and given_original != given:
            # A nickname keeps its own initial so that "K." still matches "Kees".
            value |= self._mask(0, f"_{initial}")
        return value

    def _surname_filter(self, parts: tuple[str, ...]) -> int:
        """Surname filter bits (before noise): the union of its parts."""
        value = 0
        for part in parts:
            value |= self._word(0, part)
        return value

    def _parts(self, person: NormalisedPerson) -> tuple[int, int, tuple[int, ...]]:
        """Flags, the four (hardened) filters as one integer, and the keys of one person.

        The filters are concatenated little-endian (given, surname, street, city), so the
        integer's bytes are exactly the filter part of the serialisation.
        """
        flags = FLAG_INITIALS_ONLY if person.initials_only else 0
        given = self._given_filter(
            person.given, person.given_original, person.initial, person.initials_only
        )
        surname = self._surname_filter(person.surname_parts)
        street = self._word(1, person.street) if person.street else 0
        city = self._word(2, person.city) if person.city else 0
        o1, o2, o3 = self._offsets
        filters = given | surname << o1 | street << o2 | city << o3
        keys = self.keys_for(person)
        if self.params.blip_rounds and filters:
            present = 0
            for value, mask in zip((given, surname, street, city), self._field_masks, strict=True):
                if value:
                    present |= mask
            # Empty (missing) fields stay empty: absence is recorded, not hidden.
            filters ^= self._noise(filters, flags, keys) & present
        return flags, filters, keys

    def encode(self, person: NormalisedPerson) -> EncodedRecord:
        flags, filters, keys = self._parts(person)
        data = filters.to_bytes(self._filter_bytes, "little")
        w0, w1, w2, _ = self._widths
        return EncodedRecord(
            params_id=self.params.params_id,
            flags=flags,
            given=data[:w0],
            surname=data[w0 : w0 + w1],
            street=data[w0 + w1 : w0 + w1 + w2],
            city=data[w0 + w1 + w2 :],
            keys=keys,
        )

    def exact_many(self, labels: Sequence[str]) -> npt.NDArray[np.uint64]:
        """``exact(label)`` of many labels at once (each distinct label is hashed once)."""
        distinct = list(dict.fromkeys(labels))
        # HMAC-SHA256 exactly as ``_Hmac.__call__``, inlined for the loop.
        inner, outer = self._exact_hmac._inner.copy, self._exact_hmac._outer.copy
        digests: list[bytes] = []
        append = digests.append
        for label in distinct:
            first = inner()
            first.update(label.encode())
            second = outer()
            second.update(first.digest())
            append(second.digest())
        # The first 8 bytes of each 32-byte digest, little-endian; 0 is "absent", so 0 -> 1.
        values = np.frombuffer(b"".join(digests), dtype="<u8").reshape(-1, 4)[:, 0]
        values = np.where(values == 0, 1, values).astype(np.uint64)
        if len(distinct) == len(labels):
            return values
        position = {label: i for i, label in enumerate(distinct)}
        return np.take(values, np.fromiter(map(position.__getitem__, labels), np.intp, len(labels)))

    def _date_keys_many(self, dates: Sequence[tuple[int, int, int]]) -> npt.NDArray[np.uint64]:
        """``_date_keys`` of many distinct dates: an array (len(dates), len(_DATE_FIELDS))."""
        ymd = [f"{year:04d}{month:02d}{day:02d}" for year, month, day in dates]
        md = [text[4:] for text in ymd]
        has_swap = np.array([day <= 12 and day != month for _, month, day in dates], dtype=bool)
        exact = self.exact_many([f"dob:{text}" for text in ymd])
        swapped = np.zeros(len(dates), dtype=np.uint64)
        swapped[has_swap] = self.exact_many(
            [
                f"dob:{text[:4]}{text[6:]}{text[4:6]}"
                for text, swap in zip(ymd, has_swap, strict=True)
                if swap
            ]
        )
        out = np.empty((len(dates), len(_DATE_FIELDS)), dtype=np.uint64)
        out[:, 0] = exact
        out[:, 1] = swapped
        out[:, 2] = self.exact_many([f"ym:{text[:6]}" for text in ymd])
        out[:, 3] = self.exact_many([f"yd:{text[:4]}{text[6:]}" for text in ymd])
        out[:, 4] = self.exact_many([f"md:{text}" for text in md])
        out[:, 5] = self.exact_many(
            [f"my5a:{m}:{year // 5}" for m, (year, _, _) in zip(md, dates, strict=True)]
        )
        out[:, 6] = self.exact_many(
            [f"my5b:{m}:{(year + 2) // 5}" for m, (year, _, _) in zip(md, dates, strict=True)]
        )
        out[:, 7] = self.exact_many(
            [
                f"mydg:{m}:{year // 100}{''.join(sorted(text[2:4]))}"
                for m, text, (year, _, _) in zip(md, ymd, dates, strict=True)
            ]
        )
        out[:, 8] = np.where(has_swap, np.minimum(exact, swapped), exact)
        return out

    def encode_columns(
        self, columns: PersonColumns
    ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], npt.NDArray[np.uint64]]:
        """Bulk ``_parts``: (flags, filter bytes (n, F), keys (n, K)), bit-identical to it.

        Works per distinct value: a batch repeats names, streets, cities and dates many times,
        and the key is fixed within a run, so each distinct (first name, surname) pair, street,
        city, birth date, BSN and address is normalised, hashed and turned into filter bits
        once; the rows are then gathered with NumPy. The BLIP noise of all records is drawn at
        once from the same per-record keyed streams as ``_noise``.
        """
        n = len(columns)
        widths = self._widths

        # Names: filters, flags and the two name-based blocking keys per distinct pair.
        first_of, first_names = _distinct(columns.first_name)
        last_of, last_names = _distinct(columns.last_name)
        name_ids, name_of = _combinations(first_of, last_of, len(last_names))
        name_pairs = [(first_names[i], last_names[j]) for i, j in name_ids]
        # A name pair splits into a first-name part and a surname part, each computed once.
        given_ids: dict[tuple[str, str, str, bool], int] = {}
        surname_ids: dict[tuple[str, ...], int] = {}
        given_codes: list[tuple[str, str]] = []  # (phonetic code, initial for the year key)
        surname_codes: list[str] = []
        pair_given: list[int] = []
        pair_surname: list[int] = []
        names_labels: list[str] = []  # "" = no key
        year_prefix: list[str] = []  # "b-sy:<surname code>:<initial>:" or "" (no key)
        for first, last in name_pairs:
            fields = _names(first, last)
            given_key, parts = fields[:4], fields[4]
            g = given_ids.get(given_key)
            if g is None:
                g = given_ids[given_key] = len(given_ids)
                given, _, initial, _ = given_key
                given_codes.append((dutch_phonetic(given), given[:1] or initial))
            s = surname_ids.get(parts)
            if s is None:
                s = surname_ids[parts] = len(surname_ids)
                surname_codes.append(dutch_phonetic(parts[0]) if parts else "")
            pair_given.append(g)
            pair_surname.append(s)
            given_code, initial = given_codes[g]
            surname_code = surname_codes[s]
            if given_code and surname_code:
                first_code, second_code = sorted((given_code, surname_code))
                names_labels.append(f"b-nm:{first_code}:{second_code}")
            else:
                names_labels.append("")
            year_prefix.append(f"b-sy:{surname_code}:{initial}:" if surname_code else "")
        given_bits = [self._given_filter(*key) for key in given_ids]
        surname_bits = [self._surname_filter(parts) for parts in surname_ids]
        given_flags = [FLAG_INITIALS_ONLY if key[3] else 0 for key in given_ids]
        given_of = np.take(np.array(pair_given, dtype=np.intp), name_of)
        surname_of = np.take(np.array(pair_surname, dtype=np.intp), name_of)

        # Birth dates: the nine date keys (and the year) per distinct date.
        date_of, days = _distinct(columns.birth_date)
        known = [(d.year, d.month, d.day) for d in days if d is not None]
        date_keys = np.zeros((len(days), len(_DATE_FIELDS)), dtype=np.uint64)
        if known:
            date_keys[[d is not None for d in days]] = self._date_keys_many(known)
        years = [-1 if d is None else d.year for d in days]

        street_of, streets = _distinct(columns.street)
        street_norm = [_normalise_street(text) for text in streets]
        street_bits = [self._word(1, street) if street else 0 for street in street_norm]
        city_of, cities = _distinct(columns.city)
        city_bits = [self._word(2, city) if city else 0 for city in map(_normalise_city, cities)]
        bsn_of, bsn_texts = _distinct(columns.bsn)
        bsns = [normalise_bsn(text) if text else "" for text in bsn_texts]
        number_of, number_texts = _distinct(columns.house_number)
        numbers = [_house_number(text) for text in number_texts]
        postcode_of, postcode_texts = _distinct(columns.postcode)
        postcodes = [_normalise_postcode(text) for text in postcode_texts]

        keys = np.zeros((n, len(KEY_FIELDS)), dtype=np.uint64)
        if n:
            keys[:, _DATE_INDEX] = np.take(date_keys, date_of, axis=0)
            keys[:, _I_NAMES] = np.take(self._labelled(names_labels), name_of)
            bsn_labels = [f"bsn:{b}" if b else "" for b in bsns]
            keys[:, _I_BSN] = np.take(self._labelled(bsn_labels), bsn_of)
            # Surname code + initial + birth year, per distinct (name, date) combination.
            pairs, inverse = _combinations(name_of, date_of, len(days))
            labels = []
            for name, day in pairs:
                prefix, year = year_prefix[name], years[day]
                labels.append(f"{prefix}{year}" if prefix and year >= 0 else "")
            keys[:, _I_SURNAME_YEAR] = np.take(self._labelled(labels), inverse)
            # Postcode + house number and street + house number, per distinct combination.
            pairs, inverse = _combinations(postcode_of, number_of, len(numbers))
            labels = []
            for postcode_id, number_id in pairs:
                postcode, number = postcodes[postcode_id], numbers[number_id]
                labels.append(f"addr:{postcode}:{number}" if number and len(postcode) == 6 else "")
            keys[:, _I_ADDRESS] = np.take(self._labelled(labels), inverse)
            pairs, inverse = _combinations(street_of, number_of, len(numbers))
            labels = []
            for street_id, number_id in pairs:
                street, number = street_norm[street_id], numbers[number_id]
                labels.append(f"ast:{street}:{number}" if number and street else "")
            keys[:, _I_ADDRESS_STREET] = np.take(self._labelled(labels), inverse)

        filters = np.empty((n, self._filter_bytes), dtype=np.uint8)
        present = np.empty((n, 4), dtype=np.bool_)
        start = 0
        for column, (bits, index) in enumerate(
            (
                (given_bits, given_of),
                (surname_bits, surname_of),
                (street_bits, street_of),
                (city_bits, city_of),
            )
        ):
            width = widths[column]
            data = b"".join([value.to_bytes(width, "little") for value in bits])
            table = np.frombuffer(data, dtype=np.uint8).reshape(len(bits), width)
            filters[:, start : start + width] = np.take(table, index, axis=0)
            present[:, column] = np.take(
                np.array([value != 0 for value in bits], dtype=bool), index
            )
            start += width
        flags = np.take(np.array(given_flags, dtype=np.uint8), given_of)
        if self.params.blip_rounds and n:
            noise = self._bulk_noise(filters, keys, flags)
            byte_present = np.repeat(present, widths, axis=1)
            filters ^= noise & np.where(byte_present, 0xFF, 0).astype(np.uint8)
        return flags, filters, keys

    def _labelled(self, labels: list[str]) -> npt.NDArray[np.uint64]:
        """``exact`` of each label, 0 where the label is empty (no such key)."""
        present = [i for i, label in enumerate(labels) if label]
        out = np.zeros(len(labels), dtype=np.uint64)
        if present:
            out[present] = self.exact_many([labels[i] for i in present])
        return out

    def _bulk_noise(
        self, filters: npt.NDArray[np.uint8], keys: npt.NDArray[Any], flags: npt.NDArray[np.uint8]
    ) -> npt.NDArray[np.uint8]:
        """``_noise`` for many records: the same keyed streams, the same positions."""
        n, width = filters.shape
        material = np.concatenate(
            [filters, keys.view(np.uint8).reshape(n, -1), flags[:, None]], axis=1
        )
        row_bytes = material.shape[1]
        view = memoryview(np.ascontiguousarray(material).tobytes())
        # Keyed BLAKE2b as in ``_noise``; the keyed initial state is built once and copied.
        keyed = hashlib.blake2b(key=self._blip_key, digest_size=64).copy
        digests: list[bytes] = []
        for i in range(n):
            stream = keyed()
            stream.update(view[i * row_bytes : (i + 1) * row_bytes])
            digests.append(stream.digest())
        blocks = b"".join(digests)
        values = np.frombuffer(blocks, dtype="<u2").reshape(n, 32).astype(np.int64)
        counts = np.searchsorted(np.asarray(self._flip_cdf), values[:, 0], side="right")
        total = width * 8
        limit = 65536 - 65536 % total
        draws = values[:, 1:].T.copy()  # (draw, row): each step below reads one draw of all rows
        valid = draws < limit
        positions = draws % total
        # The first `count` distinct valid draws of each row, in order: draw j is taken when it
        # is valid, its bit is not set yet and fewer than `count` bits are set. (A repeat of a
        # draw that was valid but not taken can never be taken either: by then the row is full.)
        flat = np.zeros(n * width, dtype=np.uint8)
        taken = np.zeros(n, dtype=np.int64)
        byte_of = (positions >> 3) + np.arange(n, dtype=np.int64) * width
        bit_of = (1 << (positions & 7)).astype(np.uint8)
        for index, bit, ok in zip(byte_of, bit_of, valid, strict=True):
            take = ok & (taken < counts) & ((np.take(flat, index) & bit) == 0)
            # Each row appears once per draw, so the fancy-index update is safe.
            flat[index[take]] |= bit[take]
            taken += take
        noise = flat.reshape(n, width)
        # Rare rows that need more than one block of draws: the scalar path.
        for row in np.flatnonzero(taken < counts):
            value = self._noise(
                int.from_bytes(filters[row].tobytes(), "little"),
                int(flags[row]),
                tuple(int(k) for k in keys[row]),
            )
            noise[row] = np.frombuffer(value.to_bytes(width, "little"), dtype=np.uint8)
        return noise

    def _noise(self, filters: int, flags: int, keys: tuple[int, ...]) -> int:
        """BLIP noise: every filter bit is set with probability p = 2**-blip_rounds.

        Sampled exactly: the number of flips K ~ Binomial(m, p) by inverse CDF, then K
        distinct uniform positions, all drawn from a keyed BLAKE2b stream whose seed is the
        whole record's encoding before noise. Re-encoding a record is reproducible, while the
        same name in different records gets different noise (no identical filters to count).
        """
        material = filters.to_bytes(self._filter_bytes, "little") + _KEYS.pack(*keys)
        block = hashlib.blake2b(
            material + bytes((flags,)), key=self._blip_key, digest_size=64
        ).digest()
        values = _UINT16X32.unpack(block)
        count = bisect.bisect_right(self._flip_cdf, values[0])
        total = self._filter_bytes * 8
        limit = 65536 - 65536 % total  # reject the top values: no modulo bias
        positions = {v % total for v in values[1 : count + 1] if v < limit}
        index = count + 1
        while len(positions) < count:  # rare: a rejected or repeated draw
            if index >= 32:
                block = hashlib.blake2b(block, key=self._blip_key, digest_size=64).digest()
                values = _UINT16X32.unpack(block)
                index = 0
            value = values[index]
            index += 1
            if value < limit:
                positions.add(value % total)
        return sum(1 << position for position in positions)  # distinct, so sum == OR

    def _date_keys(self, year: int, month: int, day: int) -> tuple[int, ...]:
        """Keys of one birth date, in _DATE_FIELDS order (cached: dates repeat)."""
        cached = self._dates.get((year, month, day))
        if cached is not None:
            return cached
        ymd = f"{year:04d}{month:02d}{day:02d}"
        exact = self.exact(f"dob:{ymd}")
        swapped = (
            self.exact(f"dob:{year:04d}{day:02d}{month:02d}") if day <= 12 and day != month else 0
        )
        keys = (
            exact,
            swapped,
            # Any two of the three parts equal = a typo in one of them.
            self.exact(f"ym:{ymd[:6]}"),
            self.exact(f"yd:{ymd[:4]}{ymd[6:]}"),
            self.exact(f"md:{ymd[4:]}"),
            # Birthday (month and day) with the year within 4 (two overlapping 5-year buckets)
            # or with the year's last two digits swapped: the year was mistyped. Birthday with
            # a year further off: another generation (grandfather and grandson named alike).
            # Always combined with the birthday, never stored alone, so that these keys do not
            # partition the records into a few age bands an attacker could count.
            self.exact(f"my5a:{ymd[4:]}:{year // 5}"),
            self.exact(f"my5b:{ymd[4:]}:{(year + 2) // 5}"),
            self.exact(f"mydg:{ymd[4:]}:{year // 100}{''.join(sorted(ymd[2:4]))}"),
            # Blocking on the date regardless of day/month order: the smaller of the two keys.
            min(exact, swapped) if swapped else exact,
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
                # With the first initial: surname + year alone makes huge blocks for common
                # names and found almost nothing the other passes miss.
                keys[_I_SURNAME_YEAR] = self.exact(
                    f"b-sy:{surname_code}:{person.given[:1] or person.initial}:{person.birth[0]}"
                )
        if person.bsn:
            keys[_I_BSN] = self.exact(f"bsn:{person.bsn}")
        number = person.house_number
        if number:
            # The house number only ever in combination: alone it has a few hundred values
            # whose frequencies are the same everywhere, so it could be read off by counting.
            if len(person.postcode) == 6:
                keys[_I_ADDRESS] = self.exact(f"addr:{person.postcode}:{number}")
            if person.street:
                keys[_I_ADDRESS_STREET] = self.exact(f"ast:{person.street}:{number}")
        given_code = dutch_phonetic(person.given)
        if given_code and surname_code:
            first, second = sorted((given_code, surname_code))
            keys[_I_NAMES] = self.exact(f"b-nm:{first}:{second}")
        return tuple(keys)


def _distinct(values: Sequence[Any]) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """(index of each value in the distinct values, the distinct values in first-seen order)."""
    ids = {value: i for i, value in enumerate(dict.fromkeys(values))}
    index = np.fromiter(map(ids.__getitem__, values), dtype=np.intp, count=len(values))
    return index, list(ids)


def _combinations(
    a: npt.NDArray[np.intp], b: npt.NDArray[np.intp], b_count: int
) -> tuple[list[tuple[int, int]], npt.NDArray[np.intp]]:
    """Distinct (a[i], b[i]) combinations, and for each row the index of its combination."""
    width = max(b_count, 1)
    unique, inverse = np.unique(a.astype(np.int64) * width + b, return_inverse=True)
    pairs = [divmod(code, width) for code in unique.tolist()]
    return pairs, inverse.reshape(-1).astype(np.intp)


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


def encode_columns(
    columns: PersonColumns, key: bytes, params: EncodingParams = DEFAULT_PARAMS
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], npt.NDArray[np.uint64]]:
    """Encode many records given column-wise: (flags (n,), filter bytes (n, F), keys (n, K)).

    The rows are exactly those of ``encode(r)`` (see ``encode_many_bytes`` for the bytes).
    """
    _check_key(key)
    return _encoder(key, params).encode_columns(columns)


def serialise_rows(
    flags: npt.NDArray[np.uint8],
    filters: npt.NDArray[np.uint8],
    keys: npt.NDArray[np.uint64],
    params: EncodingParams = DEFAULT_PARAMS,
) -> bytes:
    """Concatenated ``EncodedRecord.to_bytes()`` of rows from ``encode_columns``."""
    n = flags.shape[0]
    header = np.frombuffer(
        _HEADER.pack(
            MAGIC,
            params.params_id,
            0,
            params.name_bits // 64,
            params.street_bits // 64,
            params.city_bits // 64,
        ),
        dtype=np.uint8,
    )
    headers = np.repeat(header[None, :], n, axis=0)
    headers[:, 5] = flags  # the flags field (uint16, little-endian) at offset 5
    rows = np.concatenate(
        [headers, filters, keys.astype("<u8").view(np.uint8).reshape(n, -1)], axis=1
    )
    return rows.tobytes()


def encode_many_bytes(
    records: Sequence[PersonRecord] | PersonColumns,
    key: bytes,
    params: EncodingParams = DEFAULT_PARAMS,
) -> bytes:
    """Concatenated ``encode(r).to_bytes()`` of many records (the fast bulk path)."""
    columns = records if isinstance(records, PersonColumns) else PersonColumns.from_records(records)
    return serialise_rows(*encode_columns(columns, key, params), params)


def blocking_keys(encoded: EncodedRecord) -> list[bytes]:
    """The keyed blocking keys of an encoding (8 bytes each; no plaintext, no key needed).

    Passes: birth date (day/month order-free), phonetic surname + first initial + birth
    year, phonetic first name + surname (order-free, so swapped names block together),
    postcode + house number, and BSN. Two encodings become candidates when they share any key.
    """
    out = []
    for name in BLOCK_FIELDS:
        value = encoded.key(name)
        if value:
            out.append(value.to_bytes(8, "little"))
    return out
