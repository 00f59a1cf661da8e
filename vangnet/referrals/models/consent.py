# SPDX-License-Identifier: EUPL-1.2
"""Consent as a record, and the legal ground that replaces it where the law allows.

Both say exactly what they allow: one purpose, one recipient, a set of data sections and a
period. Both can be withdrawn; neither is ever deleted or edited (a change is a new record).
Who gave the consent is checked against the age rules in ``consent_rules`` when it is recorded
and again when it is used. Identifying details (the representative's name, notes,
justifications) are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedTextField
from vangnet.referrals import consent_rules
from vangnet.referrals.purposes import Purpose


class RepresentativeRelation(models.TextChoices):
    PARENT = "parent", _("Parent with parental authority")
    GUARDIAN = "guardian", _("Guardian (voogd)")
    CURATOR_OR_MENTOR = "curator_or_mentor", _("Curator, mentor or authorised person")
    FAMILY = "family", _("Partner or family member (for an adult who is not capable)")


class HowGiven(models.TextChoices):
    IN_PERSON = "in_person", _("In a conversation")
    PHONE = "phone", _("By phone")
    WRITING = "writing", _("In writing")
    CHAT = "chat", _("In the chat or message thread")


class Consent(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents")
    subject = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sections = models.JSONField(_("data covered"), default=list)
    given_at = models.DateTimeField(_("given on"))
    valid_until = models.DateTimeField(_("valid until"))
    how = models.CharField(_("how it was given"), max_length=12, choices=HowGiven.choices)
    #: Age in whole years when consent was given, and whether the person could judge their
    #: interests (Wmo art. 5.3.3 lid 2 sub b); together they select the age rule.
    subject_age = models.PositiveSmallIntegerField(_("age when consent was given"))
    subject_capable = models.BooleanField(_("able to judge their own interests"), default=True)
    rule = models.CharField(max_length=16, editable=False)
    given_by_subject = models.BooleanField(_("the person consents"), default=False)
    given_by_representative = models.BooleanField(
        _("the legal representative consents"), default=False
    )
    representative_name = EncryptedTextField(_("name of the representative"), blank=True)
    representative_relation = models.CharField(
        _("representative is"),
        max_length=20,
        choices=RepresentativeRelation.choices,
        blank=True,
        default="",
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        indexes = [models.Index(fields=["case", "purpose", "recipient"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"consent {self.pk} ({self.purpose})"

    def givers_check(self) -> consent_rules.GiverCheck:
        return consent_rules.check_givers(
            self.subject_age,
            self.subject_capable,
            consent_rules.Givers(
                subject=self.given_by_subject,
                representative=self.given_by_representative,
                representative_named=bool(self.representative_name.strip()),
            ),
        )

    def terms(self) -> consent_rules.Terms:
        return consent_rules.Terms(
            purpose=self.purpose,
            recipient_id=self.recipient_id,
            sections=frozenset(self.sections),
            valid_from=self.given_at,
            valid_until=self.valid_until,
            withdrawn_at=self.withdrawn_at,
            givers_ok=self.givers_check().ok,
        )


class LegalGround(models.Model):
    """Sharing without consent where the law allows it, with the professional's reasons."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_grounds")
    subject = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="legal_grounds"
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sections = models.JSONField(_("data covered"), default=list)
    ground = models.CharField(_("legal ground"), max_length=40)
    justification = EncryptedTextField(_("why consent is not asked or not needed"))
    recorded_at = models.DateTimeField()
    valid_until = models.DateTimeField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("legal ground")

    def __str__(self) -> str:
        return f"legal ground {self.pk} ({self.ground})"

    def terms(self) -> consent_rules.Terms:
        return consent_rules.Terms(
            purpose=self.purpose,
            recipient_id=self.recipient_id,
            sections=frozenset(self.sections),
            valid_from=self.recorded_at,
            valid_until=self.valid_until,
            withdrawn_at=self.withdrawn_at,
            givers_ok=None,
        )
