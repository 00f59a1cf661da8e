"""Calibrated model constants. GENERATED, do not edit; to regenerate run

    python -m vangnet.radar.linkage.calibrate --records 40000 --seed 1001 --duplicate-rate 0.3

Logistic-regression weights per comparison level (level 0, missing, is the baseline),
fitted on 268746 blocked candidate pairs (13323 true matches) of synthetic
data. Re-run the calibration whenever levels.py or the encoding changes.
"""

# fmt: off
ENCODED_WEIGHTS = (
    2.1869, -2.7000, 3.4277, 2.5022, 1.3022, -4.5271,  # given
    1.9196, 1.3013, 1.4828, 0.1677, -4.8713,  # surname
    7.8792, 5.5513, 1.7715, -2.5744, -8.0947,  # birth_date
    8.4866, -7.2735,  # bsn
    4.0559, 1.1381, -2.1208, -1.2116,  # address
    0.6338,  # names_swapped
    -0.3276, -2.3977, 0.1462, 1.1158, -0.0583, -0.1790,  # given_in_household
    -3.6842, 0.3080, -0.4196, -3.4761, -1.5873,  # birth_date_in_household
)
ENCODED_BIAS = -6.6097

PLAIN_WEIGHTS = (
    2.4516, -2.4440, 3.3462, 2.0694, -1.2638, -5.0247,  # given
    2.4204, 1.9442, 1.6825, -0.7756, -5.2715,  # surname
    7.9645, 5.7077, 1.7475, -2.5378, -8.0115,  # birth_date
    8.3532, -6.8911,  # bsn
    3.7938, 1.3308, -2.0474, -0.9891,  # address
    0.6688,  # names_swapped
    0.0756, -2.8529, 0.6758, 0.8843, 0.2328, -0.3046,  # given_in_household
    -3.3162, 0.4220, 0.0836, -3.4198, -1.5734,  # birth_date_in_household
)
PLAIN_BIAS = -7.3916

#: Size of the calibration data set: the prior the biases hold (see population_shift).
CALIBRATION_RECORDS = 40000
# fmt: on
