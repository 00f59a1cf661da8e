"""Calibrated model constants. GENERATED, do not edit; to regenerate run

    python -m vangnet.radar.linkage.calibrate --records 40000 --seed 1001 --duplicate-rate 0.3

Logistic-regression weights per comparison level (level 0, missing, is the baseline),
fitted on 268746 blocked candidate pairs (13323 true matches) of synthetic
data. Re-run the calibration whenever levels.py or the encoding changes.
"""

# fmt: off
ENCODED_WEIGHTS = (
    2.2524, -2.6364, 3.4786, 2.5630, 1.3688, -4.4671,  # given
    3.7458, 3.1314, 3.2581, 2.0066, -3.0741,  # surname
    7.8614, 5.5475, 1.7610, -2.5828, -8.1035,  # birth_date
    8.4993, -7.2691,  # bsn
    4.0091, 1.1348, -2.1144, -1.2167,  # address
    0.6134,  # names_swapped
    -0.3250, -2.4164, 0.1617, 1.1236, -0.0649, -0.1982,  # given_in_household
    -3.6227, 0.3527, -0.3668, -3.4576, -1.5642,  # birth_date_in_household
)
ENCODED_BIAS = -8.4711

PLAIN_WEIGHTS = (
    2.6371, -2.3022, 3.5090, 2.2430, -1.1146, -4.8953,  # given
    4.1978, 3.7329, 3.4535, 0.9800, -3.7008,  # surname
    7.9810, 5.7334, 1.7238, -2.5556, -8.0311,  # birth_date
    8.4144, -6.8951,  # bsn
    3.6816, 1.3282, -2.0424, -0.9977,  # address
    0.6509,  # names_swapped
    0.0982, -2.8967, 0.7164, 0.9105, 0.2133, -0.3402,  # given_in_household
    -3.1796, 0.5408, 0.2473, -3.3758, -1.5212,  # birth_date_in_household
)
PLAIN_BIAS = -9.2994
# fmt: on
