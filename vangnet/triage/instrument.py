# SPDX-License-Identifier: EUPL-1.2
"""The safety assessment instrument (veiligheidsbeoordeling) as versioned data, and its rules.

An instrument version is a frozen tree of dataclasses in ``vangnet/triage/instruments/``: the
screening sections with their indicators, the follow-up routes, the hand-over targets and the
criteria for an own investigation. Every item names its source; items whose wording could not be
checked against the primary document carry ``verify=True`` and are shown as such (ADR 0031).

An assessment stores the version it was made with and the ids of the indicators that were
checked, so an old assessment can always be shown as it was decided. Versions are never edited
after release: a change is a new version module.

This module has no Django models and touches no database: the case app stores the answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.functional import Promise


class Route(StrEnum):
    """The decision after the assessment (domain rules §1.2, items a–e)."""

    HANDOVER = "handover"
    CONDITIONS_AND_FOLLOW_UP = "conditions_and_follow_up"
    INVESTIGATION = "investigation"
    CHILD_PROTECTION_BOARD_REQUEST = "child_protection_board_request"
    CLOSE = "close"


class HandoverTarget(StrEnum):
    LOCAL_TEAM = "local_team"
    HELP_INVOLVED = "help_involved"
    MULTIDISCIPLINARY_TEAM = "multidisciplinary_team"
    FAMILY = "family"


class SectionKind(StrEnum):
    ACUTE = "acute"
    DISCLOSURE = "disclosure"
    STRUCTURAL = "structural"
    MULTI_PROBLEM = "multi_problem"


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    kind: str  # LAW, PROT, 2nd (domain-rules legend)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: Promise | str
    source: str
    verify: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    kind: SectionKind
    title: Promise | str
    help: Promise | str
    indicators: tuple[Indicator, ...]
    source: str
    verify: bool = False


@dataclass(frozen=True)
class Choice:
    id: str
    label: Promise | str
    source: str
    help: Promise | str = ""
    verify: bool = False


@dataclass(frozen=True)
class Instrument:
    version: str
    title: Promise | str
    released: date
    sections: tuple[Section, ...]
    routes: tuple[Choice, ...]
    handover_targets: tuple[Choice, ...]
    investigation_criteria: tuple[Choice, ...]
    sources: tuple[Source, ...]
    project_rules: tuple[Choice, ...] = field(default=())

    def indicator_ids(self) -> set[str]:
        return {i.id for s in self.sections for i in s.indicators}

    def section_of(self, indicator_id: str) -> Section:
        for section in self.sections:
            if any(i.id == indicator_id for i in section.indicators):
                return section
        raise KeyError(indicator_id)

    def indicator(self, indicator_id: str) -> Indicator:
        for section in self.sections:
            for item in section.indicators:
                if item.id == indicator_id:
                    return item
        raise KeyError(indicator_id)

    def route(self, route_id: str) -> Choice:
        return _find(self.routes, route_id)

    def handover_target(self, target_id: str) -> Choice:
        return _find(self.handover_targets, target_id)

    def criterion(self, criterion_id: str) -> Choice:
        return _find(self.investigation_criteria, criterion_id)

    def source(self, key: str) -> Source:
        for source in self.sources:
            if source.key == key:
                return source
        raise KeyError(key)


def _find(choices: tuple[Choice, ...], choice_id: str) -> Choice:
    for choice in choices:
        if choice.id == choice_id:
            return choice
    raise KeyError(choice_id)


@dataclass(frozen=True)
class Appraisal:
    """The veiligheidstaxatie derived from the checked indicators."""

    acute_unsafety: bool
    structural_unsafety: bool
    disclosure: bool
    multi_problem: bool

    @property
    def unsafe(self) -> bool:
        return self.acute_unsafety or self.structural_unsafety


def appraise(instrument: Instrument, checked: set[str] | list[str]) -> Appraisal:
    """Disclosure counts as acute unsafety (afwegingskader, domain rules §1.3)."""
    unknown = set(checked) - instrument.indicator_ids()
    if unknown:
        raise ValueError(f"unknown indicators for {instrument.version}: {sorted(unknown)}")
    kinds = {instrument.section_of(i).kind for i in checked}
    disclosure = SectionKind.DISCLOSURE in kinds
    return Appraisal(
        acute_unsafety=SectionKind.ACUTE in kinds or disclosure,
        structural_unsafety=SectionKind.STRUCTURAL in kinds,
        disclosure=disclosure,
        multi_problem=SectionKind.MULTI_PROBLEM in kinds,
    )


@dataclass(frozen=True)
class Decision:
    route: str
    handover_target: str = ""
    handover_party: str = ""
    mdt_can_take_responsibility: bool = False
    investigation_criteria: tuple[str, ...] = ()
    rationale: str = ""


# Rule ids: each refusal names the rule it applies, so a test and the ADR can point at it.
RULE_RATIONALE = "rationale_required"
RULE_HANDOVER_TARGET = "handover_needs_target"
RULE_HANDOVER_PARTY = "handover_needs_party"
RULE_MDT_RESPONSIBILITY = "mdt_must_take_responsibility"
RULE_INVESTIGATION_CRITERIA = "investigation_needs_criterion"
RULE_NO_CLOSE_WHEN_UNSAFE = "no_close_when_unsafe"
RULE_NO_FAMILY_HANDOVER_WHEN_ACUTE = "no_family_handover_when_acute"
RULE_UNKNOWN_CHOICE = "unknown_choice"


def check_decision(instrument: Instrument, appraisal: Appraisal, decision: Decision) -> list[str]:
    """The rule ids a decision breaks (empty: the decision may be recorded)."""
    broken: list[str] = []
    route_ids = {r.id for r in instrument.routes}
    if decision.route not in route_ids:
        return [RULE_UNKNOWN_CHOICE]
    if not decision.rationale.strip():
        broken.append(RULE_RATIONALE)
    if decision.route == Route.HANDOVER:
        targets = {t.id for t in instrument.handover_targets}
        if decision.handover_target not in targets:
            broken.append(RULE_HANDOVER_TARGET)
        elif decision.handover_target != HandoverTarget.FAMILY and not decision.handover_party:
            broken.append(RULE_HANDOVER_PARTY)
        if (
            decision.handover_target == HandoverTarget.MULTIDISCIPLINARY_TEAM
            and not decision.mdt_can_take_responsibility
        ):
            broken.append(RULE_MDT_RESPONSIBILITY)
        if decision.handover_target == HandoverTarget.FAMILY and appraisal.acute_unsafety:
            broken.append(RULE_NO_FAMILY_HANDOVER_WHEN_ACUTE)
    if decision.route == Route.INVESTIGATION:
        criteria = {c.id for c in instrument.investigation_criteria}
        chosen = set(decision.investigation_criteria)
        if not chosen:
            broken.append(RULE_INVESTIGATION_CRITERIA)
        elif chosen - criteria:
            broken.append(RULE_UNKNOWN_CHOICE)
    if decision.route == Route.CLOSE and appraisal.unsafe:
        broken.append(RULE_NO_CLOSE_WHEN_UNSAFE)
    return broken


_REGISTRY: dict[str, Instrument] = {}
CURRENT_VERSION = "vb-2026.1"


def register(instrument: Instrument) -> Instrument:
    if instrument.version in _REGISTRY:
        raise ValueError(f"instrument {instrument.version} registered twice")
    _REGISTRY[instrument.version] = instrument
    return instrument


def get(version: str = CURRENT_VERSION) -> Instrument:
    _load()
    try:
        return _REGISTRY[version]
    except KeyError:
        raise KeyError(f"unknown instrument version {version!r}") from None


def versions() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def current() -> Instrument:
    return get(CURRENT_VERSION)


def _load() -> None:
    if not _REGISTRY:
        from vangnet.triage.instruments import vb_2026_1  # noqa: F401  (registers itself)
