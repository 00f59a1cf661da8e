"""Privacy-preserving record linkage for the radar (pure Python + NumPy, no Django).

Persons are linked across Veilig Thuis organisations on keyed encodings, never on pooled
plaintext. The public API:

* ``encode(record, key, params=DEFAULT_PARAMS) -> EncodedRecord`` and
  ``EncodedRecord.to_bytes()`` / ``EncodedRecord.from_bytes(data)`` for storage;
* ``score(a, b) -> float``: calibrated match probability of two encodings;
* ``score_plain(a, b) -> float``: the same on plaintext ``PersonRecord`` objects;
* ``blocking_keys(encoded) -> list[bytes]``: keyed candidate keys of an encoding;
* ``encode_many_bytes(records, key)`` and ``EncodedBatch.from_serialised(blob, n)``: bulk
  encoding and bulk loading of stored encodings;
* ``RadarIndex``: in-memory index with ``add``/``add_batch``/``lookup``/``remove``;
* ``cluster_pairs``: transitive clustering with a household coherence check;
* ``cli.main(argv, key=None)``: the ``dedupe`` / ``link`` command line core.

See docs/adr/0010-radar-encoding.md for the design and its measured figures.
"""

from .cluster import cluster_pairs
from .encoding import (
    DEFAULT_PARAMS,
    MIN_KEY_BYTES,
    EncodedRecord,
    EncodingParams,
    blocking_keys,
    encode,
    encode_many_bytes,
)
from .index import RadarIndex
from .normalise import PersonRecord, bsn_is_valid, normalise, parse_birth_date
from .scoring import DEFAULT_THRESHOLD, EncodedBatch, score, score_plain

__all__ = [
    "DEFAULT_PARAMS",
    "DEFAULT_THRESHOLD",
    "MIN_KEY_BYTES",
    "EncodedBatch",
    "EncodedRecord",
    "EncodingParams",
    "PersonRecord",
    "RadarIndex",
    "blocking_keys",
    "bsn_is_valid",
    "cluster_pairs",
    "encode",
    "encode_many_bytes",
    "normalise",
    "parse_birth_date",
    "score",
    "score_plain",
]
