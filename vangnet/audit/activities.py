# SPDX-License-Identifier: EUPL-1.2
"""The register of processing activities (verwerkingsregister), versioned with the code.

Every audit event points to one of these by id, as the Logboek Dataverwerkingen standard asks:
purpose and legal ground belong to the activity, not to each log line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProcessingActivity:
    id: str
    name: str
    purpose: str
    legal_ground: str
    version: int = 1


REGISTER: dict[str, ProcessingActivity] = {
    a.id: a
    for a in [
        ProcessingActivity(
            "vg-001-intake",
            "Ontvangen van meldingen en adviesvragen",
            "Meldpunt zijn voor (vermoedens van) huiselijk geweld en kindermishandeling",
            "Wmo 2015 art. 4.1.1 lid 2 sub a en lid 3; art. 5.1.6",
        ),
        ProcessingActivity(
            "vg-002-anonymous-conversation",
            "Anoniem gesprek (chat) en terugkeercode",
            "Gesprek dat niet direct herleidbaar is, advies en ondersteuning",
            "Wmo 2015 art. 3a.1.2 sub a; art. 5.1.7",
        ),
        ProcessingActivity(
            "vg-003-safety-assessment",
            "Veiligheidsbeoordeling en besluit vervolgroute",
            "Beoordelen welke stappen een melding vraagt",
            "Wmo 2015 art. 4.1.1 lid 2 sub b en c",
        ),
        ProcessingActivity(
            "vg-004-case-work",
            "Dossier, veiligheidsplan en monitoring",
            "Zicht op veiligheid houden",
            "Wmo 2015 art. 4.1.1 lid 2; art. 5.1.6",
        ),
        ProcessingActivity(
            "vg-005-radar",
            "Radarfunctie: eerdere betrokkenheid opzoeken",
            "Signalen combineren over regio's en tijd",
            "Wmo 2015 art. 4.1.1 lid 2 sub a-c; art. 5.1.6",
        ),
        ProcessingActivity(
            "vg-006-disclosure",
            "Verstrekking aan politie of partner",
            "Informeren van politie, hulpverlening of partner",
            "Wmo 2015 art. 4.1.1 lid 2 sub d-e; art. 5.3.3; toestemming",
        ),
        ProcessingActivity(
            "vg-007-feedback",
            "Terugkoppeling aan de melder",
            "De melder informeren over de gezette stappen",
            "Wmo 2015 art. 4.1.1 lid 2 sub g",
        ),
        ProcessingActivity(
            "vg-008-statistics",
            "Beleidsinformatie en statistiek",
            "Landelijke cijfers zonder persoonsgegevens",
            "Wmo 2015 art. 4.2.12; art. 5.3.6",
        ),
        ProcessingActivity(
            "vg-009-retention",
            "Bewaren en vernietigen",
            "Bewaartermijnen uitvoeren",
            "Wmo 2015 art. 5.3.4 en 5.3.5",
        ),
        ProcessingActivity(
            "vg-010-security",
            "Toegangsbeveiliging medewerkers",
            "Inloggen, autorisatie en beveiliging",
            "AVG art. 32; NEN 7513",
        ),
    ]
}


def get(activity_id: str) -> ProcessingActivity:
    try:
        return REGISTER[activity_id]
    except KeyError:
        raise ValueError(f"Unknown processing activity {activity_id!r}") from None
