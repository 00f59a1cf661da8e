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

    def _parts(self, person: NormalisedPerson) -> tuple[int, int, tuple[int, ...]]:
        """Flags, the four (hardened) filters as one integer, and the keys of one person.

        The filters are concatenated little-endian (given, surname, street, city), so the
        integer's bytes are exactly the filter part of the serialisation.
        """
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

    def encode_rows(
        self, people: Sequence[NormalisedPerson]
    ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], npt.NDArray[np.uint64]]:
        """Bulk ``_parts``: (flags, filter bytes (n, F), keys (n, K)), bit-identical to it.

        The Python loop only builds the noise-free filters and the keys; the BLIP noise of
        all records is drawn at once with NumPy from the same per-record keyed streams.
        """
        n = len(people)
        width = self._filter_bytes
        o1, o2, o3 = self._offsets
        flags = np.zeros(n, dtype=np.uint8)
        present = np.zeros((n, 4), dtype=np.bool_)
        chunks: list[bytes] = []
        key_rows: list[tuple[int, ...]] = []
        for row, person in enumerate(people):
            if person.initials_only:
                flags[row] = FLAG_INITIALS_ONLY
                given = self._mask(0, f"_{person.initial}")
            elif person.given:
                given = self._word(0, person.given)
                if person.given_original and person.given_original != person.given:
                    given |= self._mask(0, f"_{person.initial}")
            else:
                given = 0
            surname = 0
            for part in person.surname_parts:
                surname |= self._word(0, part)
            street = self._word(1, person.street) if person.street else 0
            city = self._word(2, person.city) if person.city else 0
            present[row] = (given != 0, surname != 0, street != 0, city != 0)
            chunks.append(
                (given | surname << o1 | street << o2 | city << o3).to_bytes(width, "little")
            )
            key_rows.append(self.keys_for(person))
        filters = np.frombuffer(b"".join(chunks), dtype=np.uint8).reshape(n, width).copy()
        keys = np.array(key_rows, dtype="<u8").reshape(n, len(KEY_FIELDS))
        if self.params.blip_rounds and n:
            noise = self._bulk_noise(filters, keys, flags)
            byte_present = np.repeat(present, self._widths, axis=1)
            filters ^= noise & np.where(byte_present, 0xFF, 0).astype(np.uint8)
        return flags, filters, keys.astype(np.uint64)

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
        blip_key = self._blip_key
        blake2b = hashlib.blake2b
        blocks = b"".join(
            [
                blake2b(
                    view[i * row_bytes : (i + 1) * row_bytes], key=blip_key, digest_size=64
                ).digest()
                for i in range(n)
            ]
        )
        values = np.frombuffer(blocks, dtype="<u2").reshape(n, 32).astype(np.int64)
        counts = np.searchsorted(np.asarray(self._flip_cdf), values[:, 0], side="right")
        total = width * 8
        limit = 65536 - 65536 % total
        draws = values[:, 1:]
        valid = draws < limit
        positions = draws % total
        # The first `count` distinct valid draws of each row, in order.
        keep = valid.copy()
        for j in range(1, draws.shape[1]):
            seen = ((positions[:, :j] == positions[:, j : j + 1]) & valid[:, :j]).any(axis=1)
            keep[:, j] &= ~seen
        rank = np.cumsum(keep, axis=1)
        chosen = keep & (rank <= counts[:, None])
        bits = np.zeros((n, total), dtype=np.bool_)
        rows, cols = np.nonzero(chosen)
        bits[rows, positions[rows, cols]] = True
        noise = np.packbits(bits, axis=1, bitorder="little")
        # Rare rows that need more than one block of draws: the scalar path.
        for row in np.flatnonzero(rank[:, -1] < counts):
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
    records: Sequence[PersonRecord], key: bytes, params: EncodingParams = DEFAULT_PARAMS
) -> bytes:
    """Concatenated ``encode(r).to_bytes()`` of many records (the fast bulk path)."""
    _check_key(key)
    encoder = _encoder(key, params)
    flags, filters, keys = encoder.encode_rows([normalise(record) for record in records])
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
