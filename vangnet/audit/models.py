# SPDX-License-Identifier: EUPL-1.2
"""Append-only, hash-chained audit events (ADR 0004).

Each row carries the hash of the previous row in its chain. Chains are sharded (one per
organisation, eight for the public side) so that audit writes from different organisations do
not queue behind each other; ``(chain, seq)`` is unique, so a fork is impossible and a removed row
leaves a gap. The database refuses UPDATE and DELETE through triggers (see the migration).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only.")


class ActorType(models.TextChoices):
    STAFF = "staff", _("staff member")
    PUBLIC = "public", _("anonymous visitor")
    SYSTEM = "system", _("system")


class Status(models.TextChoices):
    OK = "ok", "Ok"
    ERROR = "error", "Error"
    UNSET = "unset", "Unset"


class AuditEvent(models.Model):
    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    # Logboek Dataverwerkingen: W3C trace context, action, status, processing activity.
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    action = models.CharField(max_length=80)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OK)
    processing_activity = models.CharField(max_length=60)
    # Who: a staff user id, or a pseudonym for public actors (never an IP or user agent).
    actor_type = models.CharField(max_length=8, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    # What: the object read or changed, and the pseudonymised data subject where there is one.
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data_subject_id = models.CharField(max_length=64, blank=True)
    data_subject_type = models.CharField(max_length=32, blank=True)
    receiver = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    system_version = models.CharField(max_length=20)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_type", "actor_id"]),
            models.Index(fields=["occurred_at"]),
        ]
        ordering = ["chain", "seq"]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only.")

    HASHED_FIELDS = (
        "chain", "seq", "occurred_at", "ended_at", "trace_id", "span_id", "action", "status",
        "processing_activity", "actor_type", "actor_id", "actor_role", "organisation_id",
        "object_type", "object_id", "data_subject_id", "data_subject_type", "receiver", "reason",
        "details", "system_version", "prev_hash",
    )  # fmt: skip

    def compute_hash(self) -> str:
        payload: dict[str, Any] = {}
        for name in self.HASHED_FIELDS:
            value = getattr(self, name)
            if hasattr(value, "isoformat"):
                value = value.isoformat(timespec="microseconds")
            payload[name] = value
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()
