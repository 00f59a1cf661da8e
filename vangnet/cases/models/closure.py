# SPDX-License-Identifier: EUPL-1.2
"""Closing a case takes two people: one asks, a supervisor decides (four eyes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedTextField


class ClosureDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn: a new report came in")


class ClosureRequest(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="closure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    reason = EncryptedTextField()
    #: The closure criteria as they stood when asked: {criterion id: met}.
    criteria = models.JSONField(default=dict)
    decision = models.CharField(
        max_length=10, choices=ClosureDecision.choices, default=ClosureDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="closure_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision="pending"),
                name="one_pending_closure_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"closure request {self.pk} ({self.decision})"
