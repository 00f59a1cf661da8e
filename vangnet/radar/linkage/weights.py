"""Calibrated model constants. GENERATED, do not edit; to regenerate run

    python -m vangnet.radar.linkage.calibrate --records 40000 --seed 1001 --duplicate-rate 0.3

Logistic-regression weights per comparison level (level 0, missing, is the baseline),
fitted on 268746 blocked candidate pairs (13323 true matches) of synthetic
data. Re-run the calibration whenever levels.py or the encoding changes.
"""

# fmt: off
ENCODED_WEIGHTS = (
    2.2542, -2.6295, 3.4665, 2.3651, 1.4232, -4.3964,  # given
    3.7820, 3.3870, 2.9235, 1.9794, -2.9876,  # surname
    7.8443, 5.5801, 1.7147, -2.6109, -8.1181,  # birth_date
    8.4997, -7.2288,  # bsn
    4.0118, 1.2647, -2.0204, -1.0634,  # address
    0.6655,  # names_swapped
    -0.2770, -2.2903, 0.2474, 1.2484, -0.0279, -0.1421,  # given_in_household
    -3.5731, 0.3083, -0.2281, -3.3942, -1.5181,  # birth_date_in_household
)
ENCODED_BIAS = -8.6250

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
