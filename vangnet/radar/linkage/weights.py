"""Calibrated model constants. GENERATED, do not edit; to regenerate run

    python -m vangnet.radar.linkage.calibrate --records 40000 --seed 1001 --duplicate-rate 0.3

Logistic-regression weights per comparison level (level 0, missing, is the baseline),
fitted on 494544 blocked candidate pairs (13325 true matches) of synthetic
data. Re-run the calibration whenever levels.py or the encoding changes.
"""

# fmt: off
ENCODED_WEIGHTS = (
    2.4520, -2.4392, 3.5604, 2.6322, 1.3205, -4.5185,  # given
    3.8168, 3.3324, 3.2396, 1.9286, -3.1175,  # surname
    7.9436, 5.6210, 1.5962, -2.6315, -8.1465,  # birth_date
    8.6700, -7.2857,  # bsn
    3.8316, 1.1648, -2.0237, -1.1410,  # address
    0.7268,  # names_swapped
    -0.1067, -1.0449, 0.3730, 1.5916, 0.1849, 0.0492,  # given_in_household
    -3.5978, 0.2153, -0.1602, -3.4120, -1.5590,  # birth_date_in_household
)
ENCODED_BIAS = -8.6542

PLAIN_WEIGHTS = (
    2.9098, -2.3363, 3.7303, 2.3216, -1.1129, -4.8909,  # given
    4.2685, 3.7938, 3.5283, 1.0061, -3.7868,  # surname
    8.1551, 5.8531, 1.6450, -2.5552, -8.0374,  # birth_date
    8.5049, -6.9777,  # bsn
    3.8297, 1.2442, -2.0636, -1.0049,  # address
    0.6689,  # names_swapped
    -0.1211, -2.8443, 0.5457, 0.8816, 0.2393, -0.3279,  # given_in_household
    -3.3130, 0.4639, 0.3582, -3.3705, -1.5162,  # birth_date_in_household
)
PLAIN_BIAS = -9.5759
# fmt: on
