"""Comparison levels shared by the encoded and the plaintext linker, and the calibrated model.

Both linkers reduce a pair of persons to the same similarity vector (``Similarities``), which
is cut into a small number of levels per field, Splink/Fellegi–Sunter style. A logistic model
over the one-hot levels turns them into a match probability. The weights are fitted jointly
(``calibrate.py``) on synthetic blocked pairs that include household members, so the model
learns what a fitted-per-field Fellegi–Sunter model cannot: in this domain agreement on surname
and address is weak evidence (the whole household shares it) while disagreement on first name
or birth date is strong evidence against a match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "GROUPS",
    "N_FEATURES",
    "Similarities",
    "comparison_levels",
    "one_hot",
    "probability",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int8]

#: (group name, number of levels); level 0 of every group is "missing" and is the baseline.
GROUPS: tuple[tuple[str, int], ...] = (
    ("given", 7),  # missing, initial agrees, initial differs, >=.88, >=.72, >=.55, else
    ("surname", 6),  # missing, >=.88, >=.72, one part of a double name, >=.5, else
    # missing, exact, day/month swapped, one part differs (years <= 4 apart), only the
    # birthday agrees (years further apart), else
    ("birth_date", 6),
    ("bsn", 3),  # missing, equal, different
    ("address", 5),  # missing, same address, same street, same city, else
    ("names_swapped", 2),  # no, yes
    # Interactions: the same levels again, but only for pairs that share surname and address.
    # Inside a household a different first name or birth date means a different person far
    # more surely than between strangers, where it is more often a typo.
    ("given_in_household", 7),
    ("birth_date_in_household", 6),
)
N_FEATURES = sum(levels - 1 for _, levels in GROUPS)

# Dice levels: chosen on the (de-biased) bigram Dice scale; a single typo in a 6-letter name
# gives about 0.75, a nickname mapped to its formal name 1.0, unrelated names about 0.1-0.3.
_HIGH, _MID, _LOW = 0.88, 0.72, 0.55
_SWAP_MARGIN = 0.4


@dataclass(slots=True)
class Similarities:
    """Per-pair similarities; NaN marks a field missing on either side."""

    given: FloatArray
    surname: FloatArray
    given_cross: FloatArray  # left given name vs right surname
    surname_cross: FloatArray  # left surname vs right given name
    surname_contained: FloatArray  # shorter surname contained in the longer (double names)
    initials_pair: BoolArray  # at least one side wrote initials only
    initial_agrees: BoolArray
    dob_exact: BoolArray
    dob_swapped: BoolArray
    dob_partial: BoolArray  # two of year, month, day agree
    dob_partial_near: BoolArray  # ... and the years are at most 4 apart or digit-swapped
    dob_missing: BoolArray
    bsn_equal: BoolArray
    bsn_missing: BoolArray
    address_equal: BoolArray  # house number and (postcode or street) equal
    street: FloatArray
    city: FloatArray
    address_missing: BoolArray


def _cut(sim: FloatArray, base: int) -> IntArray:
    """Map a similarity to base (>=HIGH), base+1 (>=MID), base+2 (>=LOW), base+3 (else)."""
    out = np.full(sim.shape, base + 3, dtype=np.int8)
    out[sim >= _LOW] = base + 2
    out[sim >= _MID] = base + 1
    out[sim >= _HIGH] = base
    return out


def comparison_levels(sim: Similarities) -> IntArray:
    """The (n, len(GROUPS)) level matrix of n pairs."""
    n = sim.given.shape[0]
    levels = np.zeros((n, len(GROUPS)), dtype=np.int8)

    # Names: compare straight, or crossed when that is clearly better (first/last swapped).
    straight = np.nan_to_num(sim.given) + np.nan_to_num(sim.surname)
    crossed = np.nan_to_num(sim.given_cross) + np.nan_to_num(sim.surname_cross)
    # Only when both records have both names: otherwise "swapping" would let a missing name
    # hide a disagreeing one.
    complete = ~(
        np.isnan(sim.given)
        | np.isnan(sim.surname)
        | np.isnan(sim.given_cross)
        | np.isnan(sim.surname_cross)
    )
    swapped = (crossed > straight + _SWAP_MARGIN) & ~sim.initials_pair & complete
    given = np.where(swapped, sim.given_cross, sim.given)
    surname = np.where(swapped, sim.surname_cross, sim.surname)

    g = _cut(np.nan_to_num(given, nan=0.0), 3)
    g[np.isnan(given)] = 0
    g[sim.initials_pair] = np.where(sim.initial_agrees[sim.initials_pair], 1, 2)
    levels[:, 0] = g

    surname_value = np.nan_to_num(surname, nan=0.0)
    # A double name ("de Vries-Jansen") against one of its parts.
    contained = (np.nan_to_num(sim.surname_contained) >= _HIGH) & ~swapped
    s = np.full(n, 5, dtype=np.int8)
    s[surname_value >= _LOW] = 4
    s[contained] = 3
    s[surname_value >= _MID] = 2
    s[surname_value >= _HIGH] = 1
    s[np.isnan(surname)] = 0
    levels[:, 1] = s

    d = np.full(n, 5, dtype=np.int8)
    d[sim.dob_partial] = 4
    d[sim.dob_partial_near] = 3
    d[sim.dob_swapped] = 2
    d[sim.dob_exact] = 1
    d[sim.dob_missing] = 0
    levels[:, 2] = d

    b = np.where(sim.bsn_equal, 1, 2).astype(np.int8)
    b[sim.bsn_missing] = 0
    levels[:, 3] = b

    street = np.nan_to_num(sim.street)
    a = np.full(n, 4, dtype=np.int8)
    a[np.nan_to_num(sim.city) >= _HIGH] = 3
    a[street >= _HIGH] = 2
    a[sim.address_equal] = 1
    a[sim.address_missing] = 0
    levels[:, 4] = a

    levels[:, 5] = swapped
    household = (s >= 1) & (s <= 3) & (a == 1)
    levels[:, 6] = np.where(household, g, 0)
    levels[:, 7] = np.where(household, d, 0)
    return levels


def one_hot(levels: IntArray) -> FloatArray:
    """Design matrix: one column per non-baseline level of every group."""
    cols = []
    for index, (_, count) in enumerate(GROUPS):
        for level in range(1, count):
            cols.append(levels[:, index] == level)
    return np.column_stack(cols).astype(np.float64)


def probability(levels: IntArray, weights: FloatArray, bias: float) -> FloatArray:
    """Calibrated match probability of each pair (logistic model over one-hot levels)."""
    logit = np.full(levels.shape[0], bias, dtype=np.float64)
    offset = 0
    for index, (_, count) in enumerate(GROUPS):
        table = np.concatenate(([0.0], weights[offset : offset + count - 1]))
        logit += table[levels[:, index]]
        offset += count - 1
    return 1.0 / (1.0 + np.exp(-logit))
