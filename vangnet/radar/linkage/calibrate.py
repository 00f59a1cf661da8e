"""Fit the scoring model on synthetic data and regenerate ``weights.py``.

    python -m vangnet.radar.linkage.calibrate [--records 40000] [--seed 1001]

The model is a logistic regression over the one-hot comparison levels (``levels.py``), fitted
by Newton's method with a small L2 penalty, on all candidate pairs the blocking produces for a
synthetic data set. Only candidate pairs are used because that is what the model will see:
they are rich in household members, which is what teaches it that surname and address
agreement is cheap and first-name or birth-date disagreement is expensive.

The calibration data set deliberately differs from the benchmark and test data (its own seed
and a lower re-report rate), so the shipped constants are not tuned to the figures they are
judged by. The output is a match probability, so the default threshold is 0.5.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .blocking import BLOCK_COLUMNS, pairs_within
from .encoding import DEFAULT_PARAMS
from .levels import GROUPS, comparison_levels, one_hot
from .normalise import PersonRecord, normalise
from .pipeline import encode_batch, plain_block_keys
from .scoring import encoded_similarities, plain_similarities
from .synth import SynthRecord, generate

FloatArray = npt.NDArray[np.float64]

CALIBRATION_KEY = b"vangnet-radar-calibration-key-00"  # synthetic data only


def to_person(record: SynthRecord) -> PersonRecord:
    birth = date.fromisoformat(record.birth_date) if record.birth_date else None
    return PersonRecord(
        record.first_name,
        record.last_name,
        birth,
        record.street,
        record.house_number,
        record.postcode,
        record.city,
        record.bsn,
    )


def fit_logistic(
    x: FloatArray, y: FloatArray, l2: float = 0.1, iterations: int = 50
) -> tuple[FloatArray, float]:
    """L2-penalised logistic regression by Newton's method; the bias is not penalised."""
    n, d = x.shape
    design = np.column_stack([np.ones(n), x])
    beta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[1:], float(beta[0])


def _format(values: FloatArray) -> str:
    lines = []
    offset = 0
    for name, count in GROUPS:
        chunk = ", ".join(f"{v:.4f}" for v in values[offset : offset + count - 1])
        lines.append(f"    {chunk},  # {name}")
        offset += count - 1
    return "(\n" + "\n".join(lines) + "\n)"


def calibrate(records: int, seed: int, duplicate_rate: float) -> str:
    data = generate(records, seed, duplicate_rate=duplicate_rate)
    people = [to_person(r) for r in data.records]
    truth = np.array([r.entity_id for r in data.records])

    batch = encode_batch(people, CALIBRATION_KEY, DEFAULT_PARAMS)
    left, right = pairs_within(np.ascontiguousarray(batch.keys[:, BLOCK_COLUMNS]))
    y = (truth[left] == truth[right]).astype(np.float64)
    levels = comparison_levels(
        encoded_similarities(batch.take(left), batch.take(right), DEFAULT_PARAMS)
    )
    enc_w, enc_b = fit_logistic(one_hot(levels), y)

    normalised = [normalise(p) for p in people]
    plain_left, plain_right = pairs_within(plain_block_keys(normalised))
    y_plain = (truth[plain_left] == truth[plain_right]).astype(np.float64)
    plain_levels = comparison_levels(
        plain_similarities(
            [normalised[i] for i in plain_left], [normalised[i] for i in plain_right]
        )
    )
    plain_w, plain_b = fit_logistic(one_hot(plain_levels), y_plain)

    sys.stderr.write(
        f"calibrated on {records} records (seed {seed}), {len(y)} candidate pairs, "
        f"{int(y.sum())} matches\n"
    )
    return (
        '"""Calibrated model constants. GENERATED, do not edit; to regenerate run\n\n'
        "    python -m vangnet.radar.linkage.calibrate "
        f"--records {records} --seed {seed} --duplicate-rate {duplicate_rate}\n\n"
        "Logistic-regression weights per comparison level (level 0, missing, is the baseline),\n"
        f"fitted on {len(y)} blocked candidate pairs ({int(y.sum())} true matches) of synthetic\n"
        "data. Re-run the calibration whenever levels.py or the encoding changes.\n"
        '"""\n\n'
        "# fmt: off\n"
        f"ENCODED_WEIGHTS = {_format(enc_w)}\n"
        f"ENCODED_BIAS = {enc_b:.4f}\n\n"
        f"PLAIN_WEIGHTS = {_format(plain_w)}\n"
        f"PLAIN_BIAS = {plain_b:.4f}\n\n"
        "#: Size of the calibration data set: the prior the biases hold (see population_shift).\n"
        f"CALIBRATION_RECORDS = {records}\n"
        "# fmt: on\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1001)
    parser.add_argument("--duplicate-rate", type=float, default=0.3)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("weights.py"))
    args = parser.parse_args(argv)
    source = calibrate(args.records, args.seed, args.duplicate_rate)
    args.out.write_text(source, encoding="utf-8")
    sys.stderr.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
