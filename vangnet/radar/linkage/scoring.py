"""Vectorised scoring of encoded pairs (NumPy) and of plaintext pairs (rapidfuzz).

Encoded similarity is the Dice coefficient of two Bloom filters, counted with
``np.bitwise_count`` over uint64 words for whole candidate sets at once. Because BLIP
hardening flips bits with a known probability p, the raw counts are de-biased first: the
expected observed overlap is ``x(1-2p)^2 + p(1-p)(|a|+|b|) + p^2 m`` for a true overlap x, so x
can be estimated back. The level cut-offs therefore mean the same with hardening on or off.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import weights
from .encoding import (
    DEFAULT_PARAMS,
    FLAG_INITIALS_ONLY,
    HEADER_SIZE,
    KEY_FIELDS,
    MAGIC,
    EncodedRecord,
    EncodingParams,
    record_size,
)
from .levels import Similarities, comparison_levels, probability
from .normalise import NormalisedPerson, PersonRecord, normalise

__all__ = [
    "DEFAULT_THRESHOLD",
    "EncodedBatch",
    "encoded_similarities",
    "plain_similarities",
    "population_shift",
    "score",
    "score_pairs",
    "score_plain",
    "score_plain_pairs",
]

#: A calibrated match probability of 0.5: the pair is more likely the same person than not.
DEFAULT_THRESHOLD = 0.5

U64 = npt.NDArray[np.uint64]
Index = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

_K = {name: i for i, name in enumerate(KEY_FIELDS)}


def _words(blobs: list[bytes], width: int) -> U64:
    data = np.frombuffer(b"".join(blobs), dtype="<u8").astype(np.uint64, copy=False)
    return data.reshape(len(blobs), width // 8)


def _column(rows: npt.NDArray[np.uint8], start: int, width: int, dtype: str) -> npt.NDArray[Any]:
    """A byte range of every row, reinterpreted as little-endian numbers (copied, aligned)."""
    return np.ascontiguousarray(rows[:, start : start + width]).view(dtype)


@dataclass(slots=True)
class EncodedBatch:
    """Many encodings in columnar NumPy form, ready for vectorised comparison."""

    params_id: int
    given: U64  # (n, name_bits/64)
    surname: U64
    street: U64
    city: U64
    popcount: npt.NDArray[np.int16]  # (n, 4): set bits of given, surname, street, city
    keys: U64  # (n, len(KEY_FIELDS)), 0 = absent
    flags: npt.NDArray[np.uint8]

    @classmethod
    def from_records(
        cls, records: Sequence[EncodedRecord], params: EncodingParams = DEFAULT_PARAMS
    ) -> EncodedBatch:
        for record in records:
            if record.params_id != params.params_id:
                raise ValueError("encoding made with other parameters than the scorer's")
        n = len(records)
        given = _words([r.given for r in records], params.name_bits // 8)
        surname = _words([r.surname for r in records], params.name_bits // 8)
        street = _words([r.street for r in records], params.street_bits // 8)
        city = _words([r.city for r in records], params.city_bits // 8)
        keys = np.array([r.keys for r in records], dtype=np.uint64).reshape(n, len(KEY_FIELDS))
        flags = np.array([r.flags for r in records], dtype=np.uint8)
        return cls.from_arrays(params.params_id, given, surname, street, city, keys, flags)

    @classmethod
    def from_serialised(
        cls, blob: bytes, count: int, params: EncodingParams = DEFAULT_PARAMS
    ) -> EncodedBatch:
        """Batch from ``count`` concatenated ``EncodedRecord.to_bytes()`` values.

        This is the fast path for loading many stored encodings (a database column, worker
        output): one ``frombuffer`` and a few column slices instead of a Python object each.
        """
        width = record_size(params)
        if len(blob) != width * count:
            raise ValueError("serialised batch has the wrong length")
        rows = np.frombuffer(blob, dtype=np.uint8).reshape(count, width)
        if count and (
            not (rows[:, :3] == np.frombuffer(MAGIC, dtype=np.uint8)).all()
            or not (_column(rows, 3, 2, "<u2") == params.params_id).all()
        ):
            raise ValueError("serialised batch is not made with the scorer's parameters")
        pos = HEADER_SIZE
        columns: list[U64] = []
        for bits in (params.name_bits, params.name_bits, params.street_bits, params.city_bits):
            columns.append(_column(rows, pos, bits // 8, "<u8").astype(np.uint64, copy=False))
            pos += bits // 8
        keys = _column(rows, pos, 8 * len(KEY_FIELDS), "<u8").astype(np.uint64, copy=False)
        flags = _column(rows, 5, 2, "<u2")[:, 0].astype(np.uint8)
        given, surname, street, city = columns
        return cls.from_arrays(params.params_id, given, surname, street, city, keys, flags)

    @classmethod
    def from_arrays(
        cls,
        params_id: int,
        given: U64,
        surname: U64,
        street: U64,
        city: U64,
        keys: U64,
        flags: npt.NDArray[np.uint8],
    ) -> EncodedBatch:
        popcount = np.column_stack(
            [
                np.bitwise_count(f).sum(axis=1, dtype=np.int16)
                for f in (given, surname, street, city)
            ]
        ).astype(np.int16)
        return cls(params_id, given, surname, street, city, popcount, keys, flags)

    def __len__(self) -> int:
        return int(self.flags.shape[0])

    def take(self, index: Index) -> EncodedBatch:
        # np.take copies whole rows (several times faster than fancy indexing for 2-D rows).
        return EncodedBatch(
            self.params_id,
            np.take(self.given, index, axis=0),
            np.take(self.surname, index, axis=0),
            np.take(self.street, index, axis=0),
            np.take(self.city, index, axis=0),
            np.take(self.popcount, index, axis=0),
            np.take(self.keys, index, axis=0),
            np.take(self.flags, index, axis=0),
        )

    @classmethod
    def concat(cls, batches: Sequence[EncodedBatch]) -> EncodedBatch:
        first = batches[0]
        return cls(
            first.params_id,
            np.concatenate([b.given for b in batches]),
            np.concatenate([b.surname for b in batches]),
            np.concatenate([b.street for b in batches]),
            np.concatenate([b.city for b in batches]),
            np.concatenate([b.popcount for b in batches]),
            np.concatenate([b.keys for b in batches]),
            np.concatenate([b.flags for b in batches]),
        )


def _common_bits(a: U64, b: U64) -> npt.NDArray[np.int32]:
    """Set bits of ``a & b`` per row (column adds: faster than a reduction over 2-4 words)."""
    counts = np.bitwise_count(a & b)
    total = counts[:, 0].astype(np.int32)
    for word in range(1, counts.shape[1]):
        total += counts[:, word]
    return total


def _overlap(
    common: npt.NDArray[np.int32],
    bits: int,
    pa: npt.NDArray[np.int16],
    pb: npt.NDArray[np.int16],
    flip: float,
) -> tuple[FloatArray, FloatArray]:
    """De-biased Dice and containment of paired filter rows; NaN where either is empty.

    ``common``: set bits of ``a & b``; ``bits``: filter size; ``pa``/``pb``: set bits of each.
    """
    observed = common.astype(np.float64)
    size_a = pa.astype(np.float64)
    size_b = pb.astype(np.float64)
    if flip > 0.0:
        scale = 1.0 - 2.0 * flip
        size_a = np.maximum((size_a - bits * flip) / scale, 1.0)
        size_b = np.maximum((size_b - bits * flip) / scale, 1.0)
        noise = flip * (1.0 - flip) * (size_a + size_b) + flip * flip * (bits - size_a - size_b)
        observed = (observed - noise) / (scale * scale)
    smaller = np.minimum(size_a, size_b)
    observed = np.clip(observed, 0.0, smaller)
    missing = (pa == 0) | (pb == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dice = np.where(missing, np.nan, 2.0 * observed / (size_a + size_b))
        contained = np.where(missing, np.nan, observed / smaller)
    return dice, contained


def _key_equal(ka: U64, kb: U64) -> npt.NDArray[np.bool_]:
    return (ka == kb) & (ka != 0)


@dataclass(slots=True)
class _PairCounts:
    """Set bits in common of the paired filters (given, surname, the two crossings, street,
    city) and which keys are present and equal; shared by the similarities and the
    identical-record test."""

    given: npt.NDArray[np.int32]
    surname: npt.NDArray[np.int32]
    given_cross: npt.NDArray[np.int32]
    surname_cross: npt.NDArray[np.int32]
    street: npt.NDArray[np.int32]
    city: npt.NDArray[np.int32]
    key_equal: npt.NDArray[np.bool_]  # (n, len(KEY_FIELDS)): present on the left and equal


def _pair_counts(left: EncodedBatch, right: EncodedBatch) -> _PairCounts:
    # One comparison of the whole key matrices instead of one per key column.
    key_equal = (left.keys == right.keys) & (left.keys != 0)
    return _PairCounts(
        _common_bits(left.given, right.given),
        _common_bits(left.surname, right.surname),
        _common_bits(left.given, right.surname),
        _common_bits(left.surname, right.given),
        _common_bits(left.street, right.street),
        _common_bits(left.city, right.city),
        key_equal,
    )


def encoded_similarities(
    left: EncodedBatch,
    right: EncodedBatch,
    params: EncodingParams = DEFAULT_PARAMS,
    counts: _PairCounts | None = None,
) -> Similarities:
    """Similarities of row i of ``left`` with row i of ``right`` (equal-length batches)."""
    if counts is None:
        counts = _pair_counts(left, right)
    flip = params.flip_probability
    name_bits, street_bits, city_bits = params.name_bits, params.street_bits, params.city_bits
    pl, pr = left.popcount, right.popcount
    given, given_contained = _overlap(counts.given, name_bits, pl[:, 0], pr[:, 0], flip)
    surname, surname_contained = _overlap(counts.surname, name_bits, pl[:, 1], pr[:, 1], flip)
    given_cross, _ = _overlap(counts.given_cross, name_bits, pl[:, 0], pr[:, 1], flip)
    surname_cross, _ = _overlap(counts.surname_cross, name_bits, pl[:, 1], pr[:, 0], flip)
    street, _ = _overlap(counts.street, street_bits, pl[:, 2], pr[:, 2], flip)
    city, _ = _overlap(counts.city, city_bits, pl[:, 3], pr[:, 3], flip)

    kl, kr = left.keys, right.keys
    equal = counts.key_equal

    def same(name: str) -> npt.NDArray[np.bool_]:
        return equal[:, _K[name]]

    dob_l, dob_r = kl[:, _K["dob"]], kr[:, _K["dob"]]
    swap_l, swap_r = kl[:, _K["dob_swapped"]], kr[:, _K["dob_swapped"]]
    partial = same("dob_ym") | same("dob_yd") | same("dob_md")
    initials = ((left.flags | right.flags) & FLAG_INITIALS_ONLY).astype(np.bool_)
    initials &= (pl[:, 0] > 0) & (pr[:, 0] > 0)
    has_address_l = (pl[:, 2] > 0) | (pl[:, 3] > 0) | (kl[:, _K["address"]] != 0)
    has_address_r = (pr[:, 2] > 0) | (pr[:, 3] > 0) | (kr[:, _K["address"]] != 0)
    bsn_l, bsn_r = kl[:, _K["bsn"]], kr[:, _K["bsn"]]
    return Similarities(
        given=given,
        surname=surname,
        given_cross=given_cross,
        surname_cross=surname_cross,
        surname_contained=surname_contained,
        initials_pair=initials,
        # 0.6: an initial agrees in ~100% of true cases despite BLIP noise, ~2% by chance.
        initial_agrees=np.nan_to_num(given_contained) >= 0.6,
        dob_exact=same("dob"),
        dob_swapped=_key_equal(swap_l, dob_r) | _key_equal(dob_l, swap_r),
        dob_partial=partial,
        dob_partial_near=(
            same("dob_ym")
            | same("dob_yd")
            | same("dob_md_y5a")
            | same("dob_md_y5b")
            | same("dob_md_ydigits")
        ),
        dob_missing=(dob_l == 0) | (dob_r == 0),
        bsn_equal=same("bsn"),
        bsn_missing=(bsn_l == 0) | (bsn_r == 0),
        address_equal=same("address") | same("address_street"),
        street=street,
        city=city,
        address_missing=~(has_address_l & has_address_r),
    )


def _identical(
    left: EncodedBatch, right: EncodedBatch, counts: _PairCounts | None = None
) -> npt.NDArray[np.bool_]:
    """Rows that are the same encoding (and not empty)."""
    if counts is None:
        counts = _pair_counts(left, right)
    pl, pr = left.popcount, right.popcount
    # Two filters are equal exactly when their common bits are all the bits of each.
    same = (left.flags == right.flags) & (pl == pr).all(axis=1)
    for column, common in enumerate((counts.given, counts.surname, counts.street, counts.city)):
        same &= common == pl[:, column]
    # The keys are compared only for the few rows whose filters are all equal.
    rows = np.flatnonzero(same)
    same[rows] = (left.keys[rows] == right.keys[rows]).all(axis=1)
    return same & ((pl.sum(axis=1) > 0) | (left.keys != 0).any(axis=1))


def population_shift(population: int | None) -> float:
    """Logit correction for searching among ``population`` records instead of the
    calibration set's size.

    The fitted bias holds the prior odds that a blocked candidate is the same person, for a
    data set of ``weights.CALIBRATION_RECORDS`` records. Among N records, about N/N_cal times
    as many strangers share a birth date and a first name with any given person, so the
    prior odds shrink by that factor (Bayes: posterior odds = prior odds x likelihood
    ratio). Never applied upwards: small data sets keep the calibrated odds.
    """
    if not population or population <= weights.CALIBRATION_RECORDS:
        return 0.0
    return math.log(population / weights.CALIBRATION_RECORDS)


def score_pairs(
    batch_left: EncodedBatch,
    index_left: Index,
    batch_right: EncodedBatch,
    index_right: Index,
    params: EncodingParams = DEFAULT_PARAMS,
    population: int | None = None,
) -> FloatArray:
    """Match probability of each pair (batch_left[index_left[i]], batch_right[index_right[i]]).

    ``population``: how many records the candidates were drawn from (see
    ``population_shift``); None scores at the calibration scale.
    """
    if batch_left.params_id != params.params_id or batch_right.params_id != params.params_id:
        raise ValueError("encodings made with other parameters than the scorer's")
    left = batch_left.take(index_left)
    right = batch_right.take(index_right)
    counts = _pair_counts(left, right)
    levels = comparison_levels(encoded_similarities(left, right, params, counts))
    bias = weights.ENCODED_BIAS - population_shift(population)
    result = probability(levels, np.asarray(weights.ENCODED_WEIGHTS), bias)
    # Identical encodings come from identical normalised records: by definition a match.
    result[_identical(left, right, counts)] = 1.0
    return result


def score(a: EncodedRecord, b: EncodedRecord, params: EncodingParams = DEFAULT_PARAMS) -> float:
    """Calibrated match probability in [0, 1] of two encodings; symmetric, identical → 1.0."""
    batch = EncodedBatch.from_records([a, b], params)
    return float(score_pairs(batch, np.array([0]), batch, np.array([1]), params)[0])


# --- plaintext ------------------------------------------------------------------------------


def _string_similarity(left: list[str], right: list[str]) -> FloatArray:
    """Element-wise rapidfuzz Indel similarity (C loop); NaN where either side is empty."""
    if not left:
        return np.zeros(0)
    # Imported here: only the plaintext path needs rapidfuzz (keeps the encoded CLI's start-up
    # short).
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    sims = process.cpdist(left, right, scorer=Indel.normalized_similarity, dtype=np.float64)
    empty = np.array([not a or not b for a, b in zip(left, right, strict=True)])
    return np.where(empty, np.nan, sims)


def plain_similarities(
    left: Sequence[NormalisedPerson], right: Sequence[NormalisedPerson]
) -> Similarities:
    """Similarities of left[i] with right[i], computed on plaintext with rapidfuzz."""
    n = len(left)
    text: dict[str, tuple[list[str], list[str]]] = {
        name: ([], []) for name in ("given", "surname", "given_cross", "surname_cross", "street")
    }
    city: tuple[list[str], list[str]] = ([], [])
    contained = np.full(n, np.nan)
    flags = {
        name: np.zeros(n, dtype=np.bool_)
        for name in (
            "initials",
            "initial_agrees",
            "dob_exact",
            "dob_swapped",
            "dob_partial",
            "dob_partial_near",
            "dob_missing",
            "bsn_equal",
            "bsn_missing",
            "address_equal",
            "address_missing",
        )
    }
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        a_surname, b_surname = a.surname, b.surname
        a_given = a.initial if a.initials_only else a.given
        b_given = b.initial if b.initials_only else b.given
        initials = a.initials_only or b.initials_only
        if initials and a_given and b_given:
            flags["initials"][i] = True
            flags["initial_agrees"][i] = bool(
                {a.initial, a.given[:1]} & {b.initial, b.given[:1]} - {""}
            )
        text["given"][0].append("" if initials else a.given)
        text["given"][1].append("" if initials else b.given)
        text["surname"][0].append(a_surname)
        text["surname"][1].append(b_surname)
        text["given_cross"][0].append(a_given)
        text["given_cross"][1].append(b_surname)
        text["surname_cross"][0].append(a_surname)
        text["surname_cross"][1].append(b_given)
        text["street"][0].append(a.street)
        text["street"][1].append(b.street)
        city[0].append(a.city)
        city[1].append(b.city)
        if a.surname_parts and b.surname_parts:
            contained[i] = 1.0 if set(a.surname_parts) & set(b.surname_parts) else 0.0
        if a.birth is None or b.birth is None:
            flags["dob_missing"][i] = True
        else:
            (ya, ma, da), (yb, mb, db) = a.birth, b.birth
            flags["dob_exact"][i] = a.birth == b.birth
            flags["dob_swapped"][i] = (ya, ma, da) == (yb, db, mb) and da <= 12 and ma != da
            flags["dob_partial"][i] = (ya == yb) + (ma == mb) + (da == db) >= 2
            years_near = (
                ya // 5 == yb // 5
                or (ya + 2) // 5 == (yb + 2) // 5
                or (ya // 100, sorted(f"{ya % 100:02d}")) == (yb // 100, sorted(f"{yb % 100:02d}"))
            )
            flags["dob_partial_near"][i] = (ya == yb and (ma == mb or da == db)) or (
                ma == mb and da == db and years_near
            )
        if a.bsn and b.bsn:
            flags["bsn_equal"][i] = a.bsn == b.bsn
        else:
            flags["bsn_missing"][i] = True
        if a.house_number and a.house_number == b.house_number:
            flags["address_equal"][i] = (len(a.postcode) == 6 and a.postcode == b.postcode) or (
                bool(a.street) and a.street == b.street
            )
        flags["address_missing"][i] = not (
            (a.street or a.city or (len(a.postcode) == 6 and a.house_number))
            and (b.street or b.city or (len(b.postcode) == 6 and b.house_number))
        )
    sims = {name: _string_similarity(*pair) for name, pair in text.items()}
    return Similarities(
        given=sims["given"],
        surname=sims["surname"],
        given_cross=sims["given_cross"],
        surname_cross=sims["surname_cross"],
        surname_contained=contained,
        initials_pair=flags["initials"],
        initial_agrees=flags["initial_agrees"],
        dob_exact=flags["dob_exact"],
        dob_swapped=flags["dob_swapped"],
        dob_partial=flags["dob_partial"],
        dob_partial_near=flags["dob_partial_near"],
        dob_missing=flags["dob_missing"],
        bsn_equal=flags["bsn_equal"],
        bsn_missing=flags["bsn_missing"],
        address_equal=flags["address_equal"],
        street=sims["street"],
        city=_string_similarity(*city),
        address_missing=flags["address_missing"],
    )


def score_plain_pairs(
    left: Sequence[NormalisedPerson],
    right: Sequence[NormalisedPerson],
    population: int | None = None,
) -> FloatArray:
    """Match probability of left[i] with right[i] on plaintext (the ``--plaintext`` path)."""
    levels = comparison_levels(plain_similarities(left, right))
    bias = weights.PLAIN_BIAS - population_shift(population)
    result = probability(levels, np.asarray(weights.PLAIN_WEIGHTS), bias)
    identical = np.array([a == b for a, b in zip(left, right, strict=True)], dtype=np.bool_)
    result[identical] = 1.0
    return result


def score_plain(a: PersonRecord, b: PersonRecord) -> float:
    """Calibrated match probability of two plaintext records; symmetric, identical → 1.0."""
    return float(score_plain_pairs([normalise(a)], [normalise(b)])[0])
