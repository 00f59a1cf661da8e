"""The instrument is data: it must be complete, sourced and consistent, version by version."""

import pytest

from vangnet.triage import instrument as triage
from vangnet.triage.instrument import Decision, Route, SectionKind


@pytest.fixture(params=triage.versions())
def instrument(request):
    return triage.get(request.param)


def test_the_current_version_is_registered():
    assert triage.current().version == triage.CURRENT_VERSION == "vb-2026.1"


def test_an_unknown_version_is_an_error():
    with pytest.raises(KeyError):
        triage.get("vb-1999.9")


def test_every_item_has_a_unique_id_and_a_known_source(instrument):
    keys = {s.key for s in instrument.sources}
    ids = [i.id for s in instrument.sections for i in s.indicators]
    assert len(ids) == len(set(ids))
    items = [*instrument.sections, *instrument.routes, *instrument.handover_targets]
    items += [*instrument.investigation_criteria, *instrument.project_rules]
    items += [i for s in instrument.sections for i in s.indicators]
    assert all(item.source in keys for item in items)


def test_items_from_unread_sources_are_marked_to_verify(instrument):
    for section in instrument.sections:
        for item in section.indicators:
            if item.source == "triage-0.6":
                assert item.verify, item.id
    assert all(rule.verify for rule in instrument.project_rules)


def test_the_instrument_covers_every_route_and_the_five_investigation_criteria(instrument):
    assert {r.id for r in instrument.routes} == {r.value for r in Route}
    assert len(instrument.investigation_criteria) == 5
    assert {s.kind for s in instrument.sections} >= {
        SectionKind.ACUTE,
        SectionKind.DISCLOSURE,
        SectionKind.STRUCTURAL,
    }


def test_the_published_examples_of_acute_unsafety_are_all_there(instrument):
    acute = next(s for s in instrument.sections if s.kind == SectionKind.ACUTE)
    knmg = [i for i in acute.indicators if i.source == "knmg-b5"]
    assert len(knmg) == 9  # KNMG Bijlage 5 lists ten; disclosure is its own section


@pytest.mark.parametrize(
    ("checked", "acute", "structural", "disclosure"),
    [
        ([], False, False, False),
        (["A02"], True, False, False),
        (["D01"], True, False, True),
        (["B01"], False, True, False),
        (["A01", "B03"], True, True, False),
        (["C01"], False, False, False),
    ],
)
def test_the_appraisal_follows_the_sections(checked, acute, structural, disclosure):
    appraisal = triage.appraise(triage.current(), checked)
    assert (appraisal.acute_unsafety, appraisal.structural_unsafety, appraisal.disclosure) == (
        acute,
        structural,
        disclosure,
    )


def test_a_valid_handover_passes_every_rule():
    appraisal = triage.appraise(triage.current(), ["B01"])
    decision = Decision(
        route="handover", handover_target="local_team", handover_party="Buurtteam", rationale="x"
    )
    assert triage.check_decision(triage.current(), appraisal, decision) == []


def test_an_unknown_route_is_refused():
    appraisal = triage.appraise(triage.current(), [])
    assert triage.check_decision(
        triage.current(), appraisal, Decision(route="x", rationale="y")
    ) == [triage.RULE_UNKNOWN_CHOICE]
