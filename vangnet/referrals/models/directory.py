# SPDX-License-Identifier: EUPL-1.2
"""The help directory (wegwijzer): places to go for help, maintained by administrators.

Seeded from ``referrals/data/help_directory.json`` (schema and sources in docs/data-sources.md).
An entry that staff edited is never overwritten by a later seed (see ``directory.apply_seed``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Anonymity(models.TextChoices):
    YES = "yes", _("Yes: they do not ask who you are")
    OPTIONAL = "optional", _("You may stay anonymous")
    NO = "no", _("No, or not confirmed")


class HelpEntry(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    purpose_nl = models.TextField(_("what they do (Dutch)"))
    purpose_en = models.TextField(_("what they do (English)"))
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    phone_display = models.CharField(_("phone number as shown"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    chat = models.BooleanField(_("offers a chat"), default=False)
    anonymous = models.CharField(
        _("anonymous"), max_length=10, choices=Anonymity.choices, default=Anonymity.NO
    )
    hours_nl = models.CharField(_("opening hours (Dutch)"), max_length=300)
    hours_en = models.CharField(_("opening hours (English)"), max_length=300)
    always_open = models.BooleanField(_("always open (24/7)"), default=False)
    free = models.BooleanField(_("free to call or chat"), null=True, blank=True)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    audiences = models.JSONField(_("for whom"), default=list)
    topics = models.JSONField(_("topics"), default=list)
    urgency = models.JSONField(_("urgency"), default=list)
    emergency = models.BooleanField(_("emergency number"), default=False)
    internal = models.BooleanField(_("a channel of this website"), default=False)
    url_name = models.CharField(_("page of this website"), max_length=80, blank=True)
    verified = models.BooleanField(_("checked"), default=False)
    verification_note = models.TextField(_("what was checked, where"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    active = models.BooleanField(_("shown to the public"), default=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    #: Version of the seed file this entry was last loaded from; null when staff created it.
    seed_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("help directory entry")
        verbose_name_plural = _("help directory")

    def __str__(self) -> str:
        return self.name

    def _localised(self, dutch: str, english: str) -> str:
        return english if (get_language() or "nl").startswith("en") and english else dutch

    @property
    def display_name(self) -> str:
        return self._localised(self.name, self.name_en)

    @property
    def purpose(self) -> str:
        return self._localised(self.purpose_nl, self.purpose_en)

    @property
    def hours(self) -> str:
        return self._localised(self.hours_nl, self.hours_en)
