# SPDX-License-Identifier: EUPL-1.2
"""Feedback to the reporter at the two fixed moments (Wmo art. 4.1.1 lid 2 sub g)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedTextField


class FeedbackMoment(models.TextChoices):
    AFTER_ASSESSMENT = "after_assessment", _("After the safety assessment")
    AFTER_INVESTIGATION = "after_investigation", _("After the investigation")


class FeedbackChannel(models.TextChoices):
    RETURN_CODE = "return_code", _("Message thread, read with the return code")
    PROFESSIONAL_THREAD = "professional_thread", _("Message thread of the professional report")
    NOT_GIVEN = "not_given", _("Not given (reason recorded)")


class Feedback(models.Model):
    """What the reporter was told, and how. The text itself lives in the contact's thread."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="feedback")
    case_report = models.ForeignKey(
        "cases.CaseReport", on_delete=models.PROTECT, related_name="feedback"
    )
    moment = models.CharField(max_length=24, choices=FeedbackMoment.choices)
    channel = models.CharField(max_length=24, choices=FeedbackChannel.choices)
    #: For a professional: the channel they asked for (as given in the report).
    reporter_channel = models.CharField(max_length=100, blank=True, default="")
    message = models.ForeignKey(
        "intake.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_not_given = EncryptedTextField(blank=True)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_report", "moment"], name="feedback_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"feedback {self.moment} for {self.case_report_id}"
