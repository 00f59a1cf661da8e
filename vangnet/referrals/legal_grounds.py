# SPDX-License-Identifier: EUPL-1.2
"""Where the law allows sharing without consent: the grounds, as data, with their sources.

A legal ground is never assumed: a professional records which ground applies, to which
recipient and data, and why (the justification); a supervisor then approves the disclosure
(four eyes). Quoted from Wmo 2015 art. 4.1.1 lid 2 (consolidated text 2026-01-01,
wetten.overheid.nl/BWBR0035362).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.referrals.purposes import Purpose

#: A recorded legal ground is valid this long by default: the reason for urgency is current.
DEFAULT_VALIDITY = timedelta(days=14)
MAX_VALIDITY = timedelta(days=30)


@dataclass(frozen=True)
class GroundDefinition:
    key: str
    label: Promise
    purposes: frozenset[str]
    article: str
    text_nl: str


GROUNDS: dict[str, GroundDefinition] = {
    g.key: g
    for g in [
        GroundDefinition(
            "acute_danger_police",
            _("Acute danger: the police must be informed now"),
            frozenset({Purpose.POLICE}),
            "Wmo 2015 art. 4.1.1 lid 2 sub e",
            "het in kennis stellen van de politie [...] van een melding van huiselijk geweld of "
            "kindermishandeling of een vermoeden daarvan, of van informatie die op die melding "
            "betrekking heeft, indien het belang van de betrokkene dan wel de ernst van de "
            "situatie waarop de melding betrekking heeft daartoe aanleiding geeft",
        ),
        GroundDefinition(
            "interest_or_seriousness_police",
            _("The person's interest or the seriousness of the situation requires the police"),
            frozenset({Purpose.POLICE}),
            "Wmo 2015 art. 4.1.1 lid 2 sub e",
            "indien het belang van de betrokkene dan wel de ernst van de situatie waarop de "
            "melding betrekking heeft daartoe aanleiding geeft",
        ),
        GroundDefinition(
            "professional_help",
            _("Informing an agency that can give suitable professional help"),
            frozenset({Purpose.REFERRAL}),
            "Wmo 2015 art. 4.1.1 lid 2 sub d",
            "het in kennis stellen van een instantie die passende professionele hulp kan "
            "verlenen bij huiselijk geweld of kindermishandeling, van een melding [...] indien "
            "het belang van de betrokkene dan wel de ernst van de situatie waarop de melding "
            "betrekking heeft daartoe aanleiding geeft",
        ),
    ]
}


def choices_for(purpose: str | None = None) -> list[tuple[str, Promise]]:
    return [(g.key, g.label) for g in GROUNDS.values() if purpose is None or purpose in g.purposes]
