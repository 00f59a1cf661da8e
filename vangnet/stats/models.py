# SPDX-License-Identifier: EUPL-1.2
"""Statistics models (ADR 0050).

Three layers, each built from the one before it, so that every output tells the same story:

1. The **source records** of the other apps (contacts, advice requests, reports, cases...).
2. :class:`PeriodCount`: the raw counts of one half-year per region, municipality, table and
   category: the confidential pre-aggregation ("cube") that the CBS delivery and the
   statisticians' pages read. Rebuilt per period by :func:`vangnet.stats.refresh.refresh`.
3. :class:`Publication` and :class:`PublishedArea`: the protected figures (rounded to 5, small
   cells suppressed, jointly over all linked tables) that the public figures pages and CSV
   downloads read. Nothing public reads layer 1 or 2.

:class:`CareActivity` is source data: care delivered in a case, with its funding stream, so a
provider registers once and every funder gets its report from the same records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodCount(models.Model):
    """One raw count: ``value`` records of ``table``/``category`` in one area and half-year.

    Areas are codes, not foreign keys: a count must survive a municipality that merges or a
    region that is renamed, exactly as it was delivered. ``region_code`` is empty for records
    that cannot be attributed to a Veilig Thuis region, ``municipality_code`` for records
    without a (valid) municipality; both are counted, and listed in the validation report.
    """

    period = models.CharField(max_length=8)
    table = models.CharField(max_length=40)
    region_code = models.CharField(max_length=8, blank=True, default="")
    municipality_code = models.CharField(max_length=8, blank=True, default="")
    category = models.CharField(max_length=80)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "table", "region_code", "municipality_code", "category"],
                name="period_count_once",
            )
        ]
        indexes = [models.Index(fields=["period", "region_code"], name="period_count_region")]

    def __str__(self) -> str:
        return f"{self.period} {self.table} {self.region_code}/{self.municipality_code}"


class PeriodRefresh(models.Model):
    """When the counts of a period were last rebuilt, and what the validation found.

    ``summary`` holds only counts: records per type, findings per check, completeness per
    field. The findings themselves (which record) are written to the export directory.
    """

    period = models.CharField(max_length=8, unique=True)
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"refresh {self.period}"


class Publication(models.Model):
    """The protected figures of one half-year, as published on the figures pages."""

    period = models.CharField(max_length=8, unique=True)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_refreshed_at = models.DateTimeField()
    threshold = models.PositiveSmallIntegerField()
    base = models.PositiveSmallIntegerField()
    #: The period had not ended when the figures were built: they will still change.
    provisional = models.BooleanField(default=True)
    passes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"publication {self.period}"


class AreaLevel(models.TextChoices):
    COUNTRY = "country", _("The Netherlands")
    REGION = "region", _("Veilig Thuis region")
    MUNICIPALITY = "municipality", _("Municipality")


class PublishedArea(models.Model):
    """All protected figures of one area in one publication, as one JSON document.

    ``data`` is ``{table: {category: value or null}}`` with ``"total"`` for the table total;
    ``null`` is a suppressed cell (shown as "."). Values are multiples of the base, never below
    the threshold: :mod:`vangnet.stats.publish` guarantees it and the tests check it.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="areas")
    level = models.CharField(max_length=12, choices=AreaLevel.choices)
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=120)
    parent_code = models.CharField(max_length=8, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "code"], name="published_area_once")
        ]
        indexes = [
            models.Index(fields=["publication", "parent_code"], name="published_area_parent")
        ]

    def __str__(self) -> str:
        return f"{self.code} in {self.publication_id}"


class FundingStream(models.TextChoices):
    """The funding streams of care in the Netherlands (seed 001: "Jeugdzorg, Wmo, GGZ, Wlz")."""

    JEUGDWET = "jeugdwet", _("Youth Act (Jeugdwet)")
    WMO = "wmo", _("Social Support Act (Wmo 2015)")
    ZVW = "zvw", _("Health Insurance Act (Zvw)")
    WLZ = "wlz", _("Long-term Care Act (Wlz)")
    OTHER = "other", _("Other funding")


class CareActivityKind(models.TextChoices):
    SAFETY_SUPPORT = "safety_support", _("Support with the safety plan")
    FAMILY_SUPPORT = "family_support", _("Family support")
    TRAUMA_TREATMENT = "trauma_treatment", _("Trauma treatment")
    CHILD_SUPPORT = "child_support", _("Support for the child")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Programme for the perpetrator")
    SHELTER = "shelter", _("Shelter")
    SPECIALIST_CARE = "specialist_care", _("Specialist care (sexual exploitation, trafficking)")
    OTHER = "other", _("Other care")


class CareUnit(models.TextChoices):
    HOURS = "hours", _("Hours")
    SESSIONS = "sessions", _("Sessions")
    DAYS = "days", _("Days")


class CareActivity(models.Model):
    """Care delivered in a case, registered once with its funding stream (seeds 000/001).

    ``funder_code`` names the paying body within the stream: the municipality (GMxxxx) for
    Jeugdwet and Wmo, the insurer's UZOVI code for Zvw, the care office for Wlz. When empty, a
    municipal stream falls back to the case's municipality.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="care_activities")
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of care"), max_length=32, choices=CareActivityKind.choices)
    funding_stream = models.CharField(
        _("funding stream"), max_length=12, choices=FundingStream.choices
    )
    funder_code = models.CharField(_("funder"), max_length=12, blank=True, default="")
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    performed_on = models.DateField(_("date"))
    units = models.DecimalField(_("amount"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, choices=CareUnit.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["performed_on", "id"]
        indexes = [models.Index(fields=["funding_stream", "performed_on"], name="care_stream_date")]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="care_units_positive"),
        ]
        verbose_name = _("care activity")
        verbose_name_plural = _("care activities")

    def __str__(self) -> str:
        return f"{self.kind} ({self.funding_stream}) on {self.performed_on}"
