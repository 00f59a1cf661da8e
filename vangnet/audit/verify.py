# SPDX-License-Identifier: EUPL-1.2
"""Check every audit chain: hashes, links and sequence numbers."""

from __future__ import annotations

from dataclasses import dataclass

from vangnet.audit.log import GENESIS
from vangnet.audit.models import AuditEvent


@dataclass(frozen=True)
class Problem:
    event_id: int
    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit event id={self.event_id} chain={self.chain} seq={self.seq}: {self.reason}"


@dataclass(frozen=True)
class Report:
    chains: int
    events: int
    problem: Problem | None


def verify_all() -> Report:
    chains = list(AuditEvent.objects.values_list("chain", flat=True).distinct().order_by("chain"))
    total = 0
    for chain in chains:
        expected_seq, prev = 1, GENESIS
        for event in AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(2000):
            total += 1
            if event.seq != expected_seq:
                reason = f"sequence gap: expected seq {expected_seq} (a row was removed)"
                return Report(len(chains), total, Problem(event.pk, chain, event.seq, reason))
            if event.prev_hash != prev:
                reason = "link broken: prev_hash does not match the previous row"
                return Report(len(chains), total, Problem(event.pk, chain, event.seq, reason))
            if event.compute_hash() != event.hash:
                reason = "content changed: hash does not match the row"
                return Report(len(chains), total, Problem(event.pk, chain, event.seq, reason))
            expected_seq, prev = expected_seq + 1, event.hash
    return Report(len(chains), total, None)
