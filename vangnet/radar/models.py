# SPDX-License-Identifier: EUPL-1.2
"""Radar tables: encodings only, never plaintext identity (ADR 0010).

A ``RadarEntry`` says "organisation X was involved with someone whose keyed encoding is E,
in this period, through this kind of contact". Details stay with X: asking for them is a
``DetailRequest`` that X answers (or declines), recorded and audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedTextField


class ContactKind(models.TextChoices):
    CASE = "case", _("Case (report)")
    REPORT = "report", _("Report")


class RadarEntry(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    source_type = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    # Groups the persons of one household/case; never shown to another organisation.
    group_ref = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=ContactKind.choices)
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True)
    encoding = models.BinaryField()
    encoding_params = models.BigIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="radar_entry_source")
        ]

    def __str__(self) -> str:
        return f"radar entry {self.pk}"


class Verdict(models.TextChoices):
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different person")


class MatchFeedback(models.Model):
    """A worker's judgement on a hit; kept so the radar learns nothing silently."""

    entry = models.ForeignKey(RadarEntry, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(RadarEntry, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    score = models.FloatField()
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    given_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "other"], name="radar_feedback_once")
        ]

    def __str__(self) -> str:
        return f"feedback {self.entry_id}~{self.other_id}: {self.verdict}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class DetailRequest(models.Model):
    """A request to the organisation that holds the earlier involvement; no direct access."""

    entry = models.ForeignKey(RadarEntry, on_delete=models.PROTECT, related_name="requests")
    about = models.ForeignKey(RadarEntry, on_delete=models.PROTECT, related_name="+")
    requesting_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField()
    score = models.FloatField()
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    answer = EncryptedTextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"detail request {self.pk}"
