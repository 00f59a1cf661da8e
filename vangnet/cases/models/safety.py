# SPDX-License-Identifier: EUPL-1.2
"""Safety assessment, investigation, conditions, plans, scores and monitoring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vangnet.cases.models.append_only import AppendOnlyModel, AppendOnlyQuerySet
from vangnet.lib.fields import EncryptedTextField

SCORE_MIN, SCORE_MAX = 1, 10


class SafetyAssessment(models.Model):
    """Veiligheidsbeoordeling: the appraisal (taxatie) and the route decision (besluit).

    ``instrument_version`` and ``answers`` (checked indicator ids) reproduce what the worker
    saw; the three appraisal booleans are stored as well for statistics (CBS 84852NED).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    instrument_version = models.CharField(max_length=20)
    answers = models.JSONField(default=list)
    acute_unsafety = models.BooleanField(default=False)
    structural_unsafety = models.BooleanField(default=False)
    disclosure = models.BooleanField(default=False)
    multi_problem = models.BooleanField(default=False)
    route = models.CharField(max_length=40)
    handover_target = models.CharField(max_length=32, blank=True, default="")
    handover_party = models.CharField(max_length=200, blank=True, default="")
    investigation_criteria = models.JSONField(default=list, blank=True)
    rationale = EncryptedTextField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"assessment {self.pk} ({self.route})"


class Outcome(models.TextChoices):
    """Outcome of an investigation per kind of violence (CBS 84853NED)."""

    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    REFUTED = "refuted", _("Refuted")
    CLOSED_EARLY = "closed_early", _("Closed early")


class Investigation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="investigations")
    assessment = models.OneToOneField(
        SafetyAssessment, on_delete=models.PROTECT, related_name="investigation"
    )
    decided_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conclusion = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"investigation {self.pk}"


class InvestigationOutcome(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="outcomes"
    )
    violence_kind = models.CharField(max_length=40)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "violence_kind"], name="one_outcome_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.violence_kind}: {self.outcome}"


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("Agreed, not yet met")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class SafetyCondition(models.Model):
    """Veiligheidsvoorwaarde: the minimum needed for immediate safety (V&V)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="conditions")
    text = EncryptedTextField()
    agreed_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=ConditionStatus.choices, default=ConditionStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"condition {self.pk} ({self.status})"


class PlanKind(models.TextChoices):
    SAFETY = "safety", _("Safety plan")
    CARE = "care", _("Care plan")


class PlanRevisionQuerySet(AppendOnlyQuerySet["PlanRevision"]):
    pass


class PlanRevision(AppendOnlyModel):
    """One family, one plan: each save adds a revision; the newest is the plan.

    ``(case, kind, number)`` is unique, so two workers saving on the same base revision cannot
    both win: the second gets a clear conflict instead of overwriting (ADR 0030).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=8, choices=PlanKind.choices)
    number = models.PositiveIntegerField()
    body = EncryptedTextField()
    responsible_party = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "number"], name="plan_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} plan r{self.number}"


class SafetyScoreQuerySet(AppendOnlyQuerySet["SafetyScore"]):
    pass


class SafetyScore(AppendOnlyModel):
    """Veiligheidscijfer: 1-10, set together by the professionals involved (seed 003)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    scored_on = models.DateField()
    participants = models.CharField(max_length=300)
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SafetyScoreQuerySet.as_manager()

    class Meta:
        ordering = ["scored_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="safety_score_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"score {self.score} on {self.scored_on}"


class MonitoringMoment(models.Model):
    """A planned monitoring check; open moments feed the worklist (the reminder)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="monitoring_moments"
    )
    due_on = models.DateField()
    purpose = models.CharField(max_length=200, blank=True, default="")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"monitoring {self.due_on}"
