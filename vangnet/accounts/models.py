# SPDX-License-Identifier: EUPL-1.2
"""Organisations, municipalities and staff users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    VT_REGION = "vt_region", _("Veilig Thuis region")
    NATIONAL_MELDPUNT = "national_meldpunt", _("National reporting point")
    POLICE = "police", _("Police")
    LOCAL_TEAM = "local_team", _("Local team")
    SPECIALIST = "specialist", _("Specialist help")
    SHELTER = "shelter", _("Shelter")
    MENTAL_HEALTH = "mental_health", _("Mental health care")
    FORENSIC = "forensic", _("Forensic medical expertise")
    SCHOOL_OFFICE = "school_office", _("School attendance office")
    OTHER = "other", _("Other organisation")


class Organisation(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    # Partners work in a region; a VT region is its own region. The meldpunt has none.
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="partners"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_vt_region(self) -> bool:
        return self.type == OrganisationType.VT_REGION


class Municipality(models.Model):
    """A Dutch municipality (CBS code GMxxxx) and the Veilig Thuis region it belongs to."""

    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    vt_region = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="municipalities",
        limit_choices_to={"type": OrganisationType.VT_REGION},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor (chat and phone)")
    TRIAGE_WORKER = "triage_worker", _("Triage worker")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    STATISTICIAN = "statistician", _("Statistician")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A staff member. Belongs to exactly one organisation and has one role."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    max_concurrent_chats = models.PositiveSmallIntegerField(_("maximum number of chats"), default=3)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
