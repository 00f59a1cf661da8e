# SPDX-License-Identifier: EUPL-1.2
"""Record audit events. Call `record()` inside the transaction of the action it describes.

Reads of case data are recorded too (principle 3): `record_read()` is the short form.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from vangnet.audit import activities
from vangnet.audit.models import ActorType, AuditEvent, Status
from vangnet.audit.trace import get_trace, new_span_id

GENESIS = "0" * 64
PUBLIC_SHARDS = 8
ORGANISATION_SHARDS = 8
MAX_RETRIES = 20
LOCK_CLASS = 0x5647A0D1  # PostgreSQL advisory-lock namespace of the audit chains (int4)


@dataclass(frozen=True)
class Actor:
    type: str
    id: str = ""
    role: str = ""
    organisation_id: int | None = None

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(ActorType.STAFF, str(user.pk), user.role or "", user.organisation_id)

    @classmethod
    def public(cls, pseudonym: str = "") -> Actor:
        return cls(ActorType.PUBLIC, pseudonym)

    @classmethod
    def system(cls, name: str = "vangnet") -> Actor:
        return cls(ActorType.SYSTEM, name)


def _shard(base: str, shards: int) -> str:
    """A random shard of a chain, the same one for every event of ``base`` in one transaction.

    Writers queue on the chain they append to (``_lock_chain``). One chain per organisation made
    every counsellor of the organisation queue behind one lock held until commit (fsync
    included): 1,000 counsellor sockets coming back after a crashed process each write a read
    event, and each chat line a write event, so they passed one at a time. Shards are separate
    hash chains (``audit.verify`` checks every chain it finds).

    A transaction that took two shards of one chain in one order could deadlock with one that
    took them in the other, so a transaction keeps its shard. The outermost atomic block marks
    the transaction (a decorator's block is reused across calls, which only makes those calls
    share a shard)."""
    conn = transaction.get_connection()
    marker = conn.atomic_blocks[0] if conn.atomic_blocks else None
    held: dict[str, str] | None = None
    state = getattr(conn, "_vangnet_shards", None)
    if marker is not None and state is not None and state[0] is marker:
        held = state[1]
    else:
        held = {}
        conn._vangnet_shards = (marker, held)
    if base not in held:
        held[base] = f"{base}:{secrets.randbelow(shards)}"
    return held[base]


def _chain_for(actor: Actor, organisation_id: int | None) -> str:
    if actor.type == ActorType.PUBLIC:
        return _shard("public", PUBLIC_SHARDS)
    org = organisation_id if organisation_id is not None else actor.organisation_id
    if org is not None:
        return _shard(f"org:{org}", ORGANISATION_SHARDS)
    return "system"


def _lock_chain(chain: str) -> bool:
    """On PostgreSQL, writers of a chain queue for it — a transaction-level advisory lock, held
    until the caller's transaction ends — instead of racing for the next seq: under load (one
    organisation's chain written by many threads and processes at once, e.g. counsellors' chat
    lines; 50 concurrent anonymous submissions over the eight public shards) racing writers ran
    out of retries and the action failed. Returns whether the lock is held. SQLite keeps the
    optimistic insert-and-retry below (it serialises writers itself).

    A transaction that appends to two organisation chains could deadlock with one appending to
    them in the other order; PostgreSQL then aborts one of the two, which rolls back whole."""
    conn = transaction.get_connection()
    if conn.vendor != "postgresql":
        return False
    key = int.from_bytes(
        hashlib.blake2b(chain.encode(), digest_size=4).digest(), "big", signed=True
    )
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::int4, %s::int4)", [LOCK_CLASS, key])
    return True


def _head(chain: str) -> tuple[int, str] | None:
    """(seq, hash) of the newest event of a chain. Every audited action reads it; written out
    rather than composed by the ORM each time (a chat line is audited; ADR 0021)."""
    conn = transaction.get_connection()
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    with conn.cursor() as cursor:
        cursor.execute(  # the table name comes from the model; the value is a parameter
            f"SELECT seq, hash FROM {table} WHERE chain = %s ORDER BY seq DESC LIMIT 1",  # noqa: S608
            [chain],
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def record(
    *,
    actor: Actor,
    action: str,
    activity: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organisation_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    data_subject_id: str = "",
    data_subject_type: str = "",
    receiver: str = "",
    status: str = Status.OK,
    started_at: datetime | None = None,
) -> AuditEvent:
    """Append one event to its chain. Details must never hold personal data or content."""
    activities.get(activity)  # fails loudly on an unknown activity id
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    now = timezone.now()
    trace = get_trace()
    org = organisation_id if organisation_id is not None else actor.organisation_id
    # savepoint=False: inside the caller's transaction this adds no statements; called on its
    # own, the lock, the head read and the insert become one transaction.
    with transaction.atomic(savepoint=False):
        chain = _chain_for(actor, organisation_id)
        locked = _lock_chain(chain)
        for _attempt in range(MAX_RETRIES):
            last = _head(chain)
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            event = AuditEvent(
                chain=chain,
                seq=seq,
                occurred_at=started_at or now,
                ended_at=now,
                trace_id=trace.trace_id,
                span_id=new_span_id(),
                action=action,
                status=status,
                processing_activity=activity,
                actor_type=actor.type,
                actor_id=actor.id,
                actor_role=actor.role,
                organisation_id=org,
                object_type=object_type,
                object_id=object_id,
                data_subject_id=data_subject_id,
                data_subject_type=data_subject_type,
                receiver=receiver,
                reason=reason[:500],
                details=details or {},
                system_version=settings.VANGNET_VERSION,
                prev_hash=prev,
            )
            event.hash = event.compute_hash()
            if locked:
                # Nobody else appends to this chain before this transaction ends: no savepoint,
                # no retry. (A unique-seq violation here would be a bug; it fails the action.)
                event.save(force_insert=True)
                return event
            try:
                with transaction.atomic():
                    event.save(force_insert=True)
            except IntegrityError:
                continue  # another writer took this seq; read the new head and try again
            return event
        raise RuntimeError(f"Could not append to audit chain {chain!r}")


def record_read(user: Any, obj: models.Model, activity: str, reason: str = "") -> AuditEvent:
    return record(actor=Actor.staff(user), action="read", activity=activity, obj=obj, reason=reason)
