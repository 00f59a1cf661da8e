# SPDX-License-Identifier: EUPL-1.2
"""Disclosures: a referral to a partner organisation and a forwarding to the police.

Both are requested with exactly the data sections and persons to share and one basis (a consent
or a legal ground). What was shared is frozen in ``snapshot`` when the request is made, so the
approver approves exactly what will leave and the receiver sees exactly that, nothing more; the
SHA-256 of the released package is stored here and in the audit event.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedJSONField, EncryptedTextField
from vangnet.referrals.workflow import ReferralKind, State


class Disclosure(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    #: The person whose consent (or whose legal ground) is the basis: usually the victim.
    subject = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    sections = models.JSONField(default=list)
    person_ids = models.JSONField(default=list)
    consent = models.ForeignKey(
        "referrals.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_ground = models.ForeignKey(
        "referrals.LegalGround", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("why"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = EncryptedTextField(blank=True)
    snapshot = EncryptedJSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]

    @property
    def basis_kind(self) -> str:
        return "consent" if self.consent_id else "legal_ground"


class Referral(Disclosure):
    kind = models.CharField(max_length=12, choices=ReferralKind.choices)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_reason = EncryptedTextField(blank=True)

    class Meta(Disclosure.Meta):
        verbose_name = _("referral")
        indexes = [
            models.Index(fields=["receiver", "state"], name="referral_receiver_state"),
            models.Index(fields=["sender", "state"], name="referral_sender_state"),
        ]

    def __str__(self) -> str:
        return f"referral {self.reference}"

    @property
    def reference(self) -> str:
        return f"DV-{self.requested_at:%Y}-{self.pk:06d}" if self.pk else "DV-new"


class PoliceForwarding(Disclosure):
    pdf_sha256 = models.CharField(max_length=64, blank=True, default="")
    json_sha256 = models.CharField(max_length=64, blank=True, default="")

    class Meta(Disclosure.Meta):
        verbose_name = _("police forwarding")
        indexes = [models.Index(fields=["sender", "state"], name="police_sender_state")]

    def __str__(self) -> str:
        return f"police forwarding {self.reference}"

    @property
    def reference(self) -> str:
        return f"PZ-{self.requested_at:%Y}-{self.pk:06d}" if self.pk else "PZ-new"
