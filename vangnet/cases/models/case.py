# SPDX-License-Identifier: EUPL-1.2
"""The case (dossier) of one family system, its history and the reports linked to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vangnet.cases.models.append_only import AppendOnlyModel, AppendOnlyQuerySet
from vangnet.cases.workflow import State
from vangnet.lib.fields import EncryptedJSONField, EncryptedTextField


class ChildrenAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Case(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    municipality = models.ForeignKey(
        "accounts.Municipality", null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=32, choices=State.choices, default=State.AWAITING_ASSESSMENT
    )
    #: Optimistic locking: every change names the version it was based on (ADR 0030).
    version = models.PositiveIntegerField(default=1)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # Identifying household data: encrypted; matching uses the keyed hash beside it.
    household_label = EncryptedTextField(blank=True)
    household_address = EncryptedJSONField(null=True, blank=True)
    household_key = models.CharField(max_length=64, blank=True, default="")
    acute = models.BooleanField(default=False)
    violence_kinds = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    previous_case = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kindcheck (meldcode step 1): are there children, how many, how old, a pregnancy.
    kindcheck_at = models.DateTimeField(null=True, blank=True)
    children_in_household = models.CharField(
        max_length=8, choices=ChildrenAnswer.choices, blank=True, default=""
    )
    children_count = models.PositiveSmallIntegerField(null=True, blank=True)
    children_ages = models.JSONField(default=list, blank=True)
    pregnancy = models.CharField(
        max_length=8, choices=ChildrenAnswer.choices, blank=True, default=""
    )
    # Deadlines, materialised so the worklist is one indexed query (ADR 0030).
    acute_due_at = models.DateTimeField(null=True, blank=True)
    acute_handled_at = models.DateTimeField(null=True, blank=True)
    assessment_due_at = models.DateTimeField(null=True, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    investigation_due_at = models.DateTimeField(null=True, blank=True)
    notify_due_at = models.DateTimeField(null=True, blank=True)
    notify_extensions = models.PositiveSmallIntegerField(default=0)
    persons_informed_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    next_due_kind = models.CharField(max_length=24, blank=True, default="")
    # "Zicht op veiligheid" while the case waits.
    last_safety_check_at = models.DateTimeField(null=True, blank=True)
    state_before_closure = models.CharField(max_length=32, blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(
                fields=["assigned_to", "next_due_at"],
                name="case_worker_due",
                condition=~Q(status="closed"),
            ),
            models.Index(
                fields=["organisation", "next_due_at"],
                name="case_org_due",
                condition=~Q(status="closed"),
            ),
            models.Index(fields=["organisation", "status", "received_at"], name="case_org_status"),
            models.Index(fields=["organisation", "household_key"], name="case_org_household"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"VT-{self.opened_at:%Y}-{self.pk:07d}" if self.pk else "VT-new"

    @property
    def is_open(self) -> bool:
        return self.status != State.CLOSED


class Involvement(models.TextChoices):
    """How a report relates to Veilig Thuis involvement (CBS 85361NED)."""

    FIRST = "first", _("First report")
    DURING_ASSESSMENT = "during_assessment", _("Repeat report during the safety assessment")
    AFTER_ASSESSMENT = "after_assessment", _("Repeat report after the safety assessment")
    DURING_MONITORING = "during_monitoring", _("Repeat report during monitoring")
    RE_REPORT = "re_report", _("New report after involvement ended")

    @classmethod
    def repeats(cls) -> frozenset[str]:
        return frozenset({cls.DURING_ASSESSMENT, cls.AFTER_ASSESSMENT, cls.DURING_MONITORING})


class CaseReport(models.Model):
    """A report (melding) linked to a case. Linking is done from the case side only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="report_links")
    report = models.OneToOneField(
        "intake.Report", on_delete=models.PROTECT, related_name="case_link"
    )
    involvement = models.CharField(max_length=24, choices=Involvement.choices)
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["linked_at", "id"]

    def __str__(self) -> str:
        return f"report {self.report_id} in case {self.case_id}"

    @property
    def is_repeat(self) -> bool:
        return self.involvement in Involvement.repeats()


class CaseEventQuerySet(AppendOnlyQuerySet["CaseEvent"]):
    pass


class CaseEvent(AppendOnlyModel):
    """History: who did what, when and why. Append-only (model layer and database triggers)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    from_status = models.CharField(max_length=32, blank=True, default="")
    to_status = models.CharField(max_length=32, blank=True, default="")
    # Why: free text may name people, so it is encrypted like the rest of the dossier.
    reason = EncryptedTextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.action} on case {self.case_id}"
