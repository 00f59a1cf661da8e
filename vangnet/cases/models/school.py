# SPDX-License-Identifier: EUPL-1.2
"""Handle with Care: a task to signal the school attendance office (domain rules §4).

Only the *fact* of the signal is stored: who, when, to which office, or why not. The message
itself (the child's name, date of birth and the code word) is composed on screen from the
encrypted person record and never stored, because the school-facing message is ephemeral.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedTextField

CODE_WORD = "Handle with Care"


class SchoolSignalStatus(models.TextChoices):
    OPEN = "open", _("To do")
    SENT = "sent", _("Signal given")
    NOT_SENT = "not_sent", _("Not given (reason recorded)")


class SchoolSignal(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="school_signals")
    person = models.OneToOneField(
        "cases.Person", on_delete=models.PROTECT, related_name="school_signal"
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=SchoolSignalStatus.choices, default=SchoolSignalStatus.OPEN
    )
    recipient = models.CharField(max_length=200, blank=True, default="")
    reason = EncryptedTextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"school signal {self.pk} ({self.status})"
