"""The consent rules for minors and adults, withdrawal, expiry and coverage: pure logic, as a
table. Each row names the law or practice it encodes (see consent_rules.AGE_RULES)."""

from datetime import UTC, datetime, timedelta

import pytest

from vangnet.referrals import legal_grounds
from vangnet.referrals.consent_rules import (
    AGE_RULES,
    Giver,
    Givers,
    Problem,
    Status,
    Terms,
    check_givers,
    rule_for,
    status,
)
from vangnet.referrals.purposes import Purpose

CHILD = Givers(subject=True, representative=False)
PARENT = Givers(subject=False, representative=True)
BOTH = Givers(subject=True, representative=True)
NOBODY = Givers(subject=False, representative=False)


@pytest.mark.parametrize(
    ("age", "capable", "givers", "ok", "rule"),
    [
        # Under 12: the legal representative (Wmo 5.3.3 lid 2 sub a; BW 7:465 lid 1).
        (0, True, PARENT, True, "under_12"),
        (11, True, PARENT, True, "under_12"),
        (11, True, BOTH, True, "under_12"),
        (11, True, CHILD, False, "under_12"),
        # 12-15: both (Jeugdwet 7.3.4 lid 2; BW 7:450 lid 2; NVO practice).
        (12, True, BOTH, True, "12_15"),
        (15, True, BOTH, True, "12_15"),
        (12, True, CHILD, False, "12_15"),
        (15, True, PARENT, False, "12_15"),
        # 16-17: the young person alone (Jeugdwet 7.3.5 lid 1; BW 7:447).
        (16, True, CHILD, True, "16_17"),
        (17, True, CHILD, True, "16_17"),
        (17, True, PARENT, False, "16_17"),
        (17, True, BOTH, True, "16_17"),
        # Adults: the person (Wmo 5.3.3 lid 1).
        (18, True, CHILD, True, "adult"),
        (45, True, PARENT, False, "adult"),
        # 12+ and not able to judge their interests: the representative instead (lid 2 sub b).
        (14, False, PARENT, True, "not_capable"),
        (14, False, CHILD, False, "not_capable"),
        (30, False, PARENT, True, "not_capable"),
        (10, False, PARENT, True, "under_12"),
        # Nobody agreed: never valid.
        (8, True, NOBODY, False, "under_12"),
        (13, True, NOBODY, False, "12_15"),
        (40, True, NOBODY, False, "adult"),
    ],
)
def test_who_must_consent_by_age_and_capability(age, capable, givers, ok, rule):
    check = check_givers(age, capable, givers)
    assert check.ok is ok, check.problems
    assert check.rule.key == rule


def test_the_age_rules_cover_every_age_once_and_cite_sources():
    for age in range(0, 121):
        matching = [
            r for r in AGE_RULES if r.min_age <= age and (r.max_age is None or age <= r.max_age)
        ]
        assert len(matching) == 1, age
    for rule in AGE_RULES:
        assert rule.sources and all(s.citation and s.says for s in rule.sources)


def test_the_rules_are_the_dutch_ones():
    assert rule_for(11).givers == {Giver.REPRESENTATIVE}
    assert rule_for(12).givers == {Giver.SUBJECT, Giver.REPRESENTATIVE}
    assert rule_for(15).givers == {Giver.SUBJECT, Giver.REPRESENTATIVE}
    assert rule_for(16).givers == {Giver.SUBJECT}
    assert rule_for(18).givers == {Giver.SUBJECT}


def test_a_representative_suspected_of_the_violence_cannot_consent():
    suspect = Givers(subject=True, representative=True, representative_is_suspect=True)
    assert check_givers(13, True, suspect).problems == (Problem.REPRESENTATIVE_IS_SUSPECT,)
    assert not check_givers(9, True, suspect).ok
    # At 16 the young person decides alone: the representative's role does not matter.
    assert check_givers(16, True, suspect).ok


def test_the_representative_must_be_named_when_their_consent_counts():
    unnamed = Givers(subject=False, representative=True, representative_named=False)
    assert Problem.REPRESENTATIVE_UNNAMED in check_givers(5, True, unnamed).problems


def test_a_negative_age_is_refused():
    with pytest.raises(ValueError, match="negative"):
        rule_for(-1)


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICE_ORG = 7


def terms(**changes):
    values: dict = {
        "purpose": Purpose.POLICE,
        "recipient_id": POLICE_ORG,
        "sections": frozenset({"case_summary", "persons"}),
        "valid_from": NOW - timedelta(days=1),
        "valid_until": NOW + timedelta(days=30),
        "withdrawn_at": None,
        "givers_ok": True,
    }
    values.update(changes)
    return Terms(**values)


def use(t, *, at=NOW, purpose=Purpose.POLICE, recipient=POLICE_ORG, sections=("persons",)):
    return status(t, at=at, purpose=purpose, recipient_id=recipient, sections=frozenset(sections))


@pytest.mark.parametrize(
    ("changes", "use_kwargs", "expected"),
    [
        ({}, {}, Status.VALID),
        ({}, {"sections": ("case_summary", "persons")}, Status.VALID),
        ({"withdrawn_at": NOW - timedelta(minutes=1)}, {}, Status.WITHDRAWN),
        ({"withdrawn_at": NOW}, {}, Status.WITHDRAWN),
        ({"withdrawn_at": NOW + timedelta(days=1)}, {}, Status.VALID),
        ({"valid_until": NOW}, {}, Status.EXPIRED),
        ({"valid_until": NOW - timedelta(seconds=1)}, {}, Status.EXPIRED),
        ({"valid_from": NOW + timedelta(hours=1)}, {}, Status.NOT_YET_VALID),
        ({}, {"purpose": Purpose.REFERRAL}, Status.OTHER_PURPOSE),
        ({}, {"recipient": 8}, Status.OTHER_RECIPIENT),
        ({}, {"sections": ("persons", "child_identity")}, Status.NOT_COVERED),
        ({"givers_ok": False}, {}, Status.GIVERS_INCOMPLETE),
        ({"givers_ok": None}, {}, Status.VALID),  # a legal ground has no givers
        (
            {"withdrawn_at": NOW - timedelta(days=1), "valid_until": NOW - timedelta(days=2)},
            {},
            Status.WITHDRAWN,
        ),
    ],
)
def test_when_a_consent_may_be_used(changes, use_kwargs, expected):
    assert use(terms(**changes), **use_kwargs) is expected


def test_every_legal_ground_names_its_article_and_purpose():
    assert legal_grounds.GROUNDS
    for ground in legal_grounds.GROUNDS.values():
        assert ground.article.startswith("Wmo 2015 art. 4.1.1 lid 2")
        assert ground.purposes <= set(Purpose.values)
        assert ground.text_nl
    police = {k for k, _ in legal_grounds.choices_for(Purpose.POLICE)}
    referral = {k for k, _ in legal_grounds.choices_for(Purpose.REFERRAL)}
    assert police and referral and not police & referral
