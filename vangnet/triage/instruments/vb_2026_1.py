# SPDX-License-Identifier: EUPL-1.2
"""Veiligheidsbeoordeling, instrument version vb-2026.1 (first Vangnet release).

Sources are the ones in ``docs/domain-rules.md`` §1 and §3 (keys below). The item list of the
Triage-instrument 0.6 could not be read (domain rules §1.3, VERIFY); sections A and B are
therefore filled with the *published* examples of acute unsafety (KNMG Bijlage 5) and the
afwegingskader definitions, and section C (harmful multi-problem living situation) carries only
indicators marked ``verify``. Never edit a released version: copy this module to a new one.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from vangnet.triage.instrument import (
    Choice,
    HandoverTarget,
    Indicator,
    Instrument,
    Route,
    Section,
    SectionKind,
    Source,
    register,
)

SOURCES = (
    Source(
        "wmo-4.1.1",
        "Wmo 2015 art. 4.1.1 lid 2 (consolidated text 2026-01-01, wetten.overheid.nl BWBR0035362)",
        "LAW",
    ),
    Source(
        "hp-2019",
        "Handelingsprotocol Veilig Thuis 2019 (LNVT), via Bescherming in beweging Utrecht-West "
        "pp. 88-89 and meldcode.nu/triage; VT Midden-Brabant 'Diensten Veilig Thuis'",
        "PROT via 2nd",
    ),
    Source(
        "knmg-b5",
        "KNMG-meldcode Bijlage 5 'Voorbeelden van acute onveiligheid' (knmg-meldcode.maglr.com)",
        "PROT",
    ),
    Source(
        "afweging-2",
        "Afwegingskader meldcode, afweging 2 (VWS basisdocument 2017), as quoted by "
        "handelingsprotocol.nl Utrecht 'stap 5' and interventieacademie.nl 'Afweging 2'",
        "2nd quoting PROT",
    ),
    Source(
        "triage-0.6",
        "Triage-instrument Veilig Thuis, landelijk prototype 0.6 (maart 2015), screening "
        "sections A/B/C (ggdghor.nl; huiselijkgeweld.nl). Item list not read: VERIFY",
        "PROT",
    ),
    Source(
        "cbs-84852",
        "CBS StatLine 84852NED: veiligheidstaxatie x veiligheidsbeoordeling",
        "PROT",
    ),
    Source(
        "cbs-84853",
        "CBS StatLine 84853NED: uitkomsten onderzoeken Veilig Thuis (bevestigd, niet "
        "bevestigd, weerlegd, voortijdig afgesloten)",
        "PROT",
    ),
    Source(
        "vangnet",
        "Vangnet project rule (no published source; agreed in ADR 0031, to be checked with "
        "a Veilig Thuis quality officer)",
        "project",
    ),
)

ACUTE = Section(
    id="A",
    kind=SectionKind.ACUTE,
    title=_("A. Acute unsafety"),
    help=_(
        "The person is in direct physical danger: safety is not guaranteed in the coming hours "
        "or days and immediate protection is needed."
    ),
    source="afweging-2",
    indicators=(
        Indicator(
            "A01",
            _("Serious (inflicted) injury, including any injury that needs medical treatment"),
            "knmg-b5",
        ),
        Indicator("A02", _("Attempted strangulation"), "knmg-b5"),
        Indicator("A03", _("Use of weapons"), "knmg-b5"),
        Indicator(
            "A04",
            _(
                "(Suspected) sexual abuse or exploitation within the household or a relation "
                "of dependence, with a real chance of repetition"
            ),
            "knmg-b5",
        ),
        Indicator("A05", _("Medical child abuse by falsification"), "knmg-b5"),
        Indicator(
            "A06",
            _(
                "(Threatened) suicide, acute psychiatric state or intoxication of a carer that "
                "puts a child or dependant at acute risk"
            ),
            "knmg-b5",
        ),
        Indicator("A07", _("Forced flight from home"), "knmg-b5"),
        Indicator(
            "A08", _("Alcohol or drug use by, or violence against, a pregnant woman"), "knmg-b5"
        ),
        Indicator("A09", _("A child is being taken to a war zone"), "knmg-b5"),
        Indicator("A10", _("Human trafficking"), "afweging-2"),
        Indicator(
            "A11",
            _(
                "Acute threat to kill, seriously injure or deprive of liberty (family drama, "
                "honour-related violence, forced marriage, female genital mutilation)"
            ),
            "afweging-2",
        ),
        Indicator(
            "A12",
            _(
                "Absence of basic care (food, drink, clothing, shelter), unnecessary medication "
                "or medical care withheld"
            ),
            "afweging-2",
        ),
        Indicator(
            "A13",
            _("Violence or neglect that leads to mutilation, disability or death"),
            "afweging-2",
        ),
    ),
)

DISCLOSURE = Section(
    id="D",
    kind=SectionKind.DISCLOSURE,
    title=_("Disclosure"),
    help=_("A victim tells about the abuse. Disclosure counts as acute unsafety."),
    source="afweging-2",
    indicators=(
        Indicator(
            "D01",
            _("Disclosure, or a request for help, about serious abuse by the victim"),
            "knmg-b5",
        ),
    ),
)

STRUCTURAL = Section(
    id="B",
    kind=SectionKind.STRUCTURAL,
    title=_("B. Structural unsafety"),
    help=_(
        "Repetition or continuation of an unsafe situation or of violence; patterns of "
        "recurring violence or neglect."
    ),
    source="afweging-2",
    indicators=(
        Indicator(
            "B01",
            _("The unsafe situation or the violence is repeated or continues"),
            "afweging-2",
        ),
        Indicator("B02", _("A pattern of recurring violence or neglect"), "afweging-2"),
        Indicator(
            "B03",
            _("Harm from repetition, constant threat and (emotional) unsafety"),
            "afweging-2",
        ),
        Indicator(
            "B04",
            _("Earlier reports about this family system (earlier involvement)"),
            "hp-2019",
            verify=True,
        ),
    ),
)

MULTI_PROBLEM = Section(
    id="C",
    kind=SectionKind.MULTI_PROBLEM,
    title=_("C. Harmful multi-problem living situation"),
    help=_(
        "Screening C of the Triage-instrument 0.6. It may be skipped when B is positive. "
        "The item list is still to be verified against the Werkdocument."
    ),
    source="triage-0.6",
    verify=True,
    indicators=(
        Indicator(
            "C01",
            _("Problems in several areas at once (e.g. debts, housing, health, addiction)"),
            "triage-0.6",
            verify=True,
        ),
        Indicator(
            "C02",
            _("The problems harm the development of a child or the safety of a dependant"),
            "triage-0.6",
            verify=True,
        ),
    ),
)

ROUTES = (
    Choice(
        Route.HANDOVER,
        _("Hand over"),
        "hp-2019",
        _(
            "Another party takes over responsibility: the local team, help already involved, "
            "a multidisciplinary team, or the persons involved themselves."
        ),
    ),
    Choice(
        Route.CONDITIONS_AND_FOLLOW_UP,
        _("Conditions and follow-up"),
        "hp-2019",
        _(
            "Veilig Thuis agrees safety conditions with the household, hands over to partners "
            "for the safety and care plans, and monitors."
        ),
    ),
    Choice(
        Route.INVESTIGATION,
        _("Own investigation"),
        "hp-2019",
        _("Veilig Thuis investigates itself. At least one criterion below must apply."),
    ),
    Choice(
        Route.CHILD_PROTECTION_BOARD_REQUEST,
        _("Request an investigation by the Child Protection Board"),
        "hp-2019",
        _("The municipal executive is informed as well (Wmo art. 4.1.1 lid 2 sub f)."),
    ),
    Choice(Route.CLOSE, _("End of involvement"), "hp-2019"),
)

HANDOVER_TARGETS = (
    Choice(HandoverTarget.LOCAL_TEAM, _("Local team"), "hp-2019"),
    Choice(HandoverTarget.HELP_INVOLVED, _("Help already involved"), "hp-2019"),
    Choice(
        HandoverTarget.MULTIDISCIPLINARY_TEAM,
        _("Multidisciplinary team"),
        "hp-2019",
        _("Only when the team can legally take over responsibility."),
    ),
    Choice(HandoverTarget.FAMILY, _("The persons involved themselves"), "hp-2019"),
)

INVESTIGATION_CRITERIA = (
    Choice("direct_intervention", _("The threat needs direct intervention"), "hp-2019"),
    Choice(
        "unclear",
        _("It is not yet sufficiently clear whether violence or abuse is taking place"),
        "hp-2019",
    ),
    Choice(
        "denial",
        _("The persons involved deny or play down the problems, or refuse help"),
        "hp-2019",
    ),
    Choice(
        "insufficient_information",
        _("There is not enough information to choose a route"),
        "hp-2019",
    ),
    Choice(
        "anonymity_promised",
        _("Veilig Thuis promised the reporter anonymity towards the family"),
        "hp-2019",
    ),
)

PROJECT_RULES = (
    Choice(
        "no_close_when_unsafe",
        _("A report with acute or structural unsafety is not closed without a follow-up route"),
        "vangnet",
        verify=True,
    ),
    Choice(
        "no_family_handover_when_acute",
        _("Under acute unsafety the case is not handed over to the persons involved themselves"),
        "vangnet",
        verify=True,
    ),
)

INSTRUMENT = register(
    Instrument(
        version="vb-2026.1",
        title=_("Safety assessment (Vangnet 2026.1)"),
        released=date(2026, 1, 1),
        sections=(ACUTE, DISCLOSURE, STRUCTURAL, MULTI_PROBLEM),
        routes=ROUTES,
        handover_targets=HANDOVER_TARGETS,
        investigation_criteria=INVESTIGATION_CRITERIA,
        sources=SOURCES,
        project_rules=PROJECT_RULES,
    )
)
