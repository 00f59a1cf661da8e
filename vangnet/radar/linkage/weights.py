"""Calibrated model constants. GENERATED, do not edit; to regenerate run

    python -m vangnet.radar.linkage.calibrate --records 40000 --seed 1001 --duplicate-rate 0.3

Logistic-regression weights per comparison level (level 0, missing, is the baseline),
fitted on 494544 blocked candidate pairs (13325 true matches) of synthetic
data. Re-run the calibration whenever levels.py or the encoding changes.
"""

# fmt: off
ENCODED_WEIGHTS = (
    2.4898, -2.2179, 3.5998, 2.3594, 1.4293, -4.4665,  # given
    3.7963, 3.2551, 3.2790, 1.9872, -3.1504,  # surname
    7.9781, 5.6162, 1.6187, -2.5907, -8.1315,  # birth_date
    8.4440, -7.3578,  # bsn
    3.9769, -1.2340, -2.0826, -1.1459,  # address
    0.6187,  # names_swapped
    -0.1290, -1.1874, 0.2459, 0.7036, 0.5547, -0.0371,  # given_in_household
    -3.7061, 0.1476, -0.2378, -3.4669, -1.5504,  # birth_date_in_household
)
ENCODED_BIAS = -8.6608

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
