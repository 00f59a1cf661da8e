# SPDX-License-Identifier: EUPL-1.2
"""Persons involved (directbetrokkenen) in a case, with their role."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vangnet.lib.fields import EncryptedJSONField, EncryptedTextField


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    ALLEGED_PERPETRATOR = "alleged_perpetrator", _("Alleged perpetrator")
    CHILD = "child", _("Child in the household")
    OTHER = "other", _("Other person involved")


class TraumaScreening(models.TextChoices):
    NOT_YET = "", _("Not yet considered")
    NOT_NEEDED = "not_needed", _("Considered, not needed")
    OFFERED = "offered", _("Offered")
    DECLINED = "declined", _("Offered, declined")
    DONE = "done", _("Done")


class Person(models.Model):
    """Identifying fields are encrypted at rest; ``person_key`` is a keyed hash for matching."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="persons")
    role = models.CharField(_("role"), max_length=24, choices=PersonRole.choices)
    in_household = models.BooleanField(_("lives in the household"), default=True)
    given_names = EncryptedTextField(blank=True)
    surname = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True)  # ISO date
    bsn = EncryptedTextField(blank=True)
    address = EncryptedJSONField(null=True, blank=True)
    person_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # Seeds 002/003: was the child spoken to; was trauma screening offered and done.
    spoken_to_on = models.DateField(null=True, blank=True)
    not_spoken_to_reason = EncryptedTextField(blank=True)
    trauma_screening = models.CharField(
        max_length=12, choices=TraumaScreening.choices, blank=True, default=""
    )
    trauma_screening_offered_on = models.DateField(null=True, blank=True)
    trauma_screening_done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("person involved")

    def __str__(self) -> str:
        return f"person {self.pk} ({self.role})"

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname) if p) or "—"

    @property
    def birth_date(self) -> date | None:
        if not self.date_of_birth:
            return None
        try:
            return date.fromisoformat(self.date_of_birth)
        except ValueError:
            return None

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        return self.age_on(timezone.localdate())

    def age_on(self, day: date) -> int | None:
        born = self.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
