# SPDX-License-Identifier: EUPL-1.2
"""Plain labels for the case-history lines this app writes (``CaseEvent.action``), for the case
page to show instead of the code names. Details hold ids, sections and the receiver's name only.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HISTORY_LABELS: dict[str, Promise] = {
    "consent_recorded": _("Consent recorded"),
    "consent_withdrawn": _("Consent withdrawn"),
    "legal_ground_recorded": _("Legal ground recorded"),
    "legal_ground_withdrawn": _("Legal ground withdrawn"),
    "referral_requested": _("Referral requested"),
    "referral_approved": _("Referral approved and sent"),
    "referral_rejected": _("Referral not approved"),
    "referral_cancelled": _("Referral request cancelled"),
    "referral_accepted": _("Referral accepted by the receiver"),
    "referral_declined": _("Referral declined by the receiver"),
    "referral_withdrawn": _("Referral withdrawn"),
    "police_forwarding_requested": _("Forwarding to the police requested"),
    "police_forwarding_approved": _("Forwarded to the police"),
    "police_forwarding_rejected": _("Forwarding to the police not approved"),
    "police_forwarding_cancelled": _("Forwarding to the police cancelled"),
}
