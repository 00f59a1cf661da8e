# SPDX-License-Identifier: EUPL-1.2
"""Incoming contacts (web form, chat, phone, professional), their return codes and messages,
and the two outcomes of a contact: an advice request (advies) or a report (melding).

Narratives, persons and contact details are encrypted at rest. Anything that statistics need
(kinds of violence, duration, reporter type, municipality) is kept as coded, non-identifying
values beside them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedJSONField, EncryptedTextField


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    CHAT = "chat", _("Chat")
    PHONE = "phone", _("Phone")
    PROFESSIONAL_FORM = "professional_form", _("Professional's form")
    POLICE = "police", _("Police report")


class ReporterType(models.TextChoices):
    VICTIM = "victim", _("The person it happens to")
    BYSTANDER = "bystander", _("Someone who is worried")
    PROFESSIONAL = "professional", _("A professional")
    POLICE = "police", _("Police")


class RequestKind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    REPORT = "report", _("Report")


class ViolenceKind(models.TextChoices):
    """CBS kinds of violence (84850NED) plus the additional information the meldpunt needs."""

    CHILD_ABUSE = "child_abuse", _("Child abuse")
    PARTNER_VIOLENCE = "partner_violence", _("(Ex-)partner violence")
    VIOLENCE_AGAINST_PARENTS = "violence_against_parents", _("Violence against parents")
    ELDER_ABUSE = "elder_abuse", _("Elder abuse")
    OTHER_DOMESTIC = "other_domestic", _("Other domestic violence")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    EXPLOITATION = "exploitation", _("Exploitation (loverboy, forced work or crime)")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    HONOUR_VIOLENCE = "honour_violence", _("Honour-related violence")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage or abandonment abroad")
    ONLINE_ABUSE = "online_abuse", _("Online abuse")
    UNKNOWN = "unknown", _("Unknown")


class ViolenceDuration(models.TextChoices):
    """CBS 'duur van het geweld volgens melder/adviesvrager'."""

    ONCE = "once", _("Once")
    UNDER_6_MONTHS = "under_6_months", _("Less than 6 months")
    SIX_TO_12_MONTHS = "6_to_12_months", _("6 to 12 months")
    OVER_1_YEAR = "over_1_year", _("More than a year")
    UNKNOWN = "unknown", _("Unknown")


class ContactStatus(models.TextChoices):
    NEW = "new", _("Received")
    IN_PROGRESS = "in_progress", _("Being looked at")
    HANDED_OVER = "handed_over", _("Handed over")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    NONE = "", _("Not yet decided")
    ADVICE = "advice", _("Advice")
    REPORT = "report", _("Report")
    NO_FOLLOW_UP = "no_follow_up", _("No follow-up")


class AgeGroup(models.TextChoices):
    UNDER_12 = "under_12", _("Younger than 12")
    AGE_12_15 = "12_15", _("12 to 15")
    AGE_16_17 = "16_17", _("16 or 17")
    AGE_18_24 = "18_24", _("18 to 24")
    ADULT = "25_plus", _("25 or older")
    UNKNOWN = "", _("I'd rather not say")


class Contact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="contacts"
    )
    municipality = models.ForeignKey(
        "accounts.Municipality", null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField(max_length=24, choices=Channel.choices)
    requested_kind = models.CharField(max_length=12, choices=RequestKind.choices)
    reporter_type = models.CharField(max_length=16, choices=ReporterType.choices)
    language = models.CharField(max_length=8, default="nl")
    age_group = models.CharField(max_length=12, choices=AgeGroup.choices, blank=True)
    anonymous = models.BooleanField(default=True)
    acute = models.BooleanField(default=False)
    violence_kinds = models.JSONField(default=list, blank=True)
    violence_duration = models.CharField(
        max_length=20, choices=ViolenceDuration.choices, default=ViolenceDuration.UNKNOWN
    )
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    # Encrypted at rest: what happened, who is involved, how to reach the reporter.
    narrative = EncryptedTextField(blank=True)
    persons = EncryptedJSONField(null=True, blank=True)
    reporter_details = EncryptedJSONField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default="new")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    handed_over_to = models.CharField(max_length=200, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_contacts",
    )
    received_at = models.DateTimeField(db_index=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # HMAC of the form's idempotency key: a retried submit finds the first contact.
    idempotency_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status", "acute", "received_at"]),
            models.Index(fields=["outcome", "last_activity_at"]),
        ]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.public_id}"

    @property
    def short_ref(self) -> str:
        return str(self.public_id)[:8]


class Receipt(models.Model):
    """A return code: the locator finds the row; only a hash of the secret is stored."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="receipt")
    locator = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"receipt {self.locator}"


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "from_reporter", _("From the reporter")
    FROM_STAFF = "from_staff", _("From a professional")
    SYSTEM = "system", _("System")


class Message(models.Model):
    """One message in a contact's thread: chat lines, replies and added information alike."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Client-chosen id (chat): a resent message is stored once.
    client_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "client_id"],
                condition=~models.Q(client_id=""),
                name="message_client_id_once",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.direction})"


class AdviceRequest(models.Model):
    """Advies: the caller keeps responsibility; no family data is recorded (Wmo; §5)."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="advice")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reporter_type = models.CharField(max_length=16, choices=ReporterType.choices)
    violence_kinds = models.JSONField(default=list, blank=True)
    violence_duration = models.CharField(max_length=20, choices=ViolenceDuration.choices)
    summary = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"advice {self.pk}"


class Report(models.Model):
    """Melding: responsibility for safety passes to the organisation. Opens or joins a case."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="report")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    municipality = models.ForeignKey(
        "accounts.Municipality", null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    received_at = models.DateTimeField(db_index=True)
    registered_at = models.DateTimeField()
    reporter_type = models.CharField(max_length=16, choices=ReporterType.choices)
    reporter_organisation_kind = models.CharField(max_length=40, blank=True)
    acute = models.BooleanField(default=False)
    violence_kinds = models.JSONField(default=list, blank=True)
    violence_duration = models.CharField(max_length=20, choices=ViolenceDuration.choices)
    summary = EncryptedTextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "received_at"])]

    def __str__(self) -> str:
        return f"report {self.pk}"
