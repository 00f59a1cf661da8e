# SPDX-License-Identifier: EUPL-1.2
"""The purposes for which data may leave the system (consent is given per purpose)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("Referral or handover to a partner organisation")
    POLICE = "police_forwarding", _("Forwarding to the police")
