"""Command line core of the radar linker: ``dedupe`` one file or ``link`` two.

    python -m vangnet.radar.linkage.cli dedupe IN.csv --out PAIRS.csv [--threshold T]
        [--plaintext] [--strict] [--clusters CLUSTERS.csv]
    python -m vangnet.radar.linkage.cli link A.csv B.csv --out PAIRS.csv [...]

Without ``--plaintext`` every record is first encoded under the linkage key (hex in the
environment variable ``VANGNET_LINKAGE_KEY``, or passed to ``main`` by the caller) and only the
encodings are compared. There is deliberately no default key: a key everyone knows would make
the encodings open to a dictionary attack. Plaintext mode needs no key.

Exit codes: 0 success; 1 stopped at a malformed row in ``--strict`` mode; 2 unusable input
(missing or unreadable file, wrong header, missing or invalid key, bad arguments).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .csvio import BadRow, InputFileError, PersonTable, StrictStop, read_persons, write_pairs
from .encoding import DEFAULT_PARAMS, MIN_KEY_BYTES, EncodingParams
from .normalise import normalise
from .pipeline import (
    ScoredPairs,
    dedupe_encoded,
    dedupe_plain,
    encode_batch,
    link_encoded,
    link_plain,
)
from .scoring import DEFAULT_THRESHOLD

__all__ = ["KEY_ENV", "main"]

KEY_ENV = "VANGNET_LINKAGE_KEY"
PROG = "python -m vangnet.radar.linkage.cli"


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("the threshold must be between 0 and 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Radar record linkage on encoded identities.")
    commands = parser.add_subparsers(dest="command", required=True)
    common = _Parser(add_help=False)
    common.add_argument("--out", required=True, type=Path, help="output CSV: id_l,id_r,score")
    common.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"minimum match probability to report (default {DEFAULT_THRESHOLD})",
    )
    common.add_argument(
        "--plaintext", action="store_true", help="compare plaintext (no encoding, no key)"
    )
    common.add_argument(
        "--strict", action="store_true", help="stop with exit code 1 at the first bad row"
    )
    common.add_argument("--workers", type=int, default=1, help="processes for encoding and scoring")
    common.add_argument(
        "--blip-rounds",
        type=int,
        default=DEFAULT_PARAMS.blip_rounds,
        help="hardening: flip bits with probability 2**-R; 0 = off (measurement only)",
    )
    common.add_argument("--quiet", action="store_true", help="no progress bars")
    dedupe = commands.add_parser("dedupe", parents=[common], help="find duplicates in a file")
    dedupe.add_argument("input", type=Path)
    dedupe.add_argument(
        "--clusters", type=Path, help="also write id,cluster (transitive, coherence-checked)"
    )
    link = commands.add_parser("link", parents=[common], help="link two files")
    link.add_argument("left", type=Path)
    link.add_argument("right", type=Path)
    return parser


def _resolve_key(key: bytes | None) -> bytes:
    if key is None:
        text = os.environ.get(KEY_ENV, "").strip()
        if not text:
            raise _UsageError(
                f"no linkage key: set {KEY_ENV} to the key in hex (at least "
                f"{MIN_KEY_BYTES} bytes), or use --plaintext"
            )
        try:
            key = bytes.fromhex(text)
        except ValueError:
            raise _UsageError(f"{KEY_ENV} is not valid hexadecimal") from None
    if len(key) < MIN_KEY_BYTES:
        raise _UsageError(f"the linkage key must be at least {MIN_KEY_BYTES} bytes")
    return key


def _read(path: Path, strict: bool) -> PersonTable:
    def report(bad: BadRow) -> None:
        _say(f"warning: {bad}")

    return read_persons(path, strict=strict, on_bad_row=report)


def _pairs_out(
    pairs: ScoredPairs, ids_left: Sequence[str], ids_right: Sequence[str]
) -> list[tuple[str, str, float]]:
    order = np.lexsort((pairs.right, pairs.left))
    return [
        (ids_left[int(pairs.left[i])], ids_right[int(pairs.right[i])], float(pairs.score[i]))
        for i in order
    ]


def _run(args: argparse.Namespace, key: bytes | None) -> int:
    progress = not args.quiet
    params = EncodingParams(blip_rounds=args.blip_rounds)
    if not args.plaintext:
        key = _resolve_key(key)
    if args.command == "dedupe":
        table = _read(args.input, args.strict)
        if args.plaintext:
            people = [normalise(r) for r in table.records]
            scored = dedupe_plain(people, 0.0, progress=progress)
        else:
            assert key is not None
            batch = encode_batch(
                table.columns, key, params, workers=args.workers, progress=progress
            )
            scored = dedupe_encoded(batch, 0.0, params, progress=progress, workers=args.workers)
        kept = scored.above(args.threshold)
        count = write_pairs(args.out, _pairs_out(kept, table.ids, table.ids))
        if args.clusters is not None:
            from .cluster import cluster_pairs

            labels = cluster_pairs(
                len(table.ids), scored.left, scored.right, scored.score, args.threshold
            )
            with open(args.clusters, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(("id", "cluster"))
                writer.writerows(
                    (rid, table.ids[int(label)])
                    for rid, label in zip(table.ids, labels, strict=True)
                )
        read_summary = f"{len(table.ids)} records read, {len(table.bad_rows)} rows skipped"
    else:
        left = _read(args.left, args.strict)
        right = _read(args.right, args.strict)
        if args.plaintext:
            kept = link_plain(
                [normalise(r) for r in left.records],
                [normalise(r) for r in right.records],
                args.threshold,
                progress=progress,
            )
        else:
            assert key is not None
            batch_left = encode_batch(
                left.columns, key, params, workers=args.workers, progress=progress
            )
            batch_right = encode_batch(
                right.columns, key, params, workers=args.workers, progress=progress
            )
            kept = link_encoded(
                batch_left,
                batch_right,
                args.threshold,
                params,
                progress=progress,
                workers=args.workers,
            )
        count = write_pairs(args.out, _pairs_out(kept, left.ids, right.ids))
        read_summary = (
            f"{len(left.ids)} + {len(right.ids)} records read, "
            f"{len(left.bad_rows) + len(right.bad_rows)} rows skipped"
        )
    mode = "plaintext" if args.plaintext else "encoded"
    _say(
        f"{read_summary}; {count} pairs with score >= {args.threshold} ({mode}) "
        f"written to {args.out}"
    )
    return 0


def main(argv: list[str], key: bytes | None = None) -> int:
    """Run the CLI with ``argv`` (without the program name); returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        _say(f"{PROG}: error: {exc}")
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    # A batch run allocates millions of small objects (rows, strings) and frees them all at the
    # end; none form reference cycles, so the cyclic collector only costs time here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args, key)
    except _UsageError as exc:
        _say(f"error: {exc}")
        return 2
    except InputFileError as exc:
        _say(f"error: {exc}")
        return 2
    except StrictStop as exc:
        _say(f"error: {exc.bad.path}: line {exc.bad.line}: {exc.bad.reason}")
        _say("stopped (--strict); no output written")
        return 1
    except OSError as exc:
        _say(f"error: {exc}")
        return 2
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
