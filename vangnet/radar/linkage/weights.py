"""Calibrated model constants. GENERATED, do not edit; to regenerate run

    python -m vangnet.radar.linkage.calibrate --records 40000 --seed 1001 --duplicate-rate 0.3

Logistic-regression weights per comparison level (level 0, missing, is the baseline),
fitted on 494544 blocked candidate pairs (13325 true matches) of synthetic
data. Re-run the calibration whenever levels.py or the encoding changes.
"""

# fmt: off
ENCODED_WEIGHTS = (
    2.3840, -2.4387, 3.6186, 2.4533, 1.4326, -4.3203,  # given
    3.8676, 3.2708, 3.1837, 1.8218, -3.0424,  # surname
    8.0230, 5.7267, 1.6219, -2.5712, -8.1207,  # birth_date
    8.4448, -7.3245,  # bsn
    4.2017, -1.1327, -2.1056, -1.0545,  # address
    0.5689,  # names_swapped
    0.1350, -0.6250, 0.1585, 0.8537, 0.3134, -0.3084,  # given_in_household
    -3.7597, 0.0578, -0.3613, -3.5134, -1.6097,  # birth_date_in_household
)
ENCODED_BIAS = -8.8474

PLAIN_WEIGHTS = (
    2.9050, -2.3295, 3.7272, 2.3217, -1.1097, -4.8874,  # given
    4.2663, 3.7918, 3.5263, 1.0071, -3.7839,  # surname
    8.1508, 5.8491, 1.6416, -2.5089, -8.0295,  # birth_date
    8.5006, -6.9731,  # bsn
    3.8501, -1.3336, -2.0378, -0.9810,  # address
    0.6686,  # names_swapped
    -0.1161, -2.8532, 0.5492, 0.8821, 0.2345, -0.3338,  # given_in_household
    -3.3059, 0.4703, 0.3631, -3.4060, -1.5233,  # birth_date_in_household
)
PLAIN_BIAS = -9.5943
# fmt: on
