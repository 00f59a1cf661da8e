# SPDX-License-Identifier: EUPL-1.2
"""Referrals app models: the help directory (wegwijzer), consent, legal grounds and the two kinds
of disclosure (a referral to a partner, a forwarding to the police)."""

from vangnet.referrals.models.consent import (
    Consent,
    HowGiven,
    LegalGround,
    RepresentativeRelation,
)
from vangnet.referrals.models.directory import Anonymity, HelpEntry
from vangnet.referrals.models.disclosure import PoliceForwarding, Referral

__all__ = [
    "Anonymity",
    "Consent",
    "HelpEntry",
    "HowGiven",
    "LegalGround",
    "PoliceForwarding",
    "Referral",
    "RepresentativeRelation",
]
