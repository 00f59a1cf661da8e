# SPDX-License-Identifier: EUPL-1.2
"""Who must give consent, and when a consent may be used. Pure logic, rules as data.

Consent under Wmo 2015 art. 5.3.3 lid 1: Veilig Thuis gives nobody but the person concerned
(*betrokkene*) information about them, except with their consent or where the law provides.

Age rules (:data:`AGE_RULES`), each with its sources:

========  =====================================  ===========================================
age       who consents                           sources
========  =====================================  ===========================================
0–11      the legal representative               Wmo 2015 art. 5.3.3 lid 2 sub a; BW 7:465
                                                 lid 1; Jeugdwet art. 7.3.4 lid 1 (practice)
12–15     the young person AND the legal         Jeugdwet art. 7.3.4 lid 2; BW 7:450 lid 2;
          representative                         NVO (professional practice). Stricter than
                                                 Wmo art. 5.3.3, which lets a capable 12+
                                                 consent alone: see ADR 0040
16–17     the young person alone                 Jeugdwet art. 7.3.5 lid 1; BW 7:447;
                                                 Wmo 2015 art. 5.3.3 lid 1
18+       the person alone                       Wmo 2015 art. 5.3.3 lid 1
12+, not  the legal representative instead       Wmo 2015 art. 5.3.3 lid 2 sub b; for adults
capable                                          the representative of art. 1.1.1 lid 2
========  =====================================  ===========================================

"Capable" means able to reasonably appreciate their interests in the matter (*in staat tot een
redelijke waardering van zijn belangen ter zake*); the professional records that judgement.

Two safety rules on top of the law, because here the representative may be the one who harms:

- a representative who is an alleged perpetrator in the case cannot give consent (the route is
  then a recorded legal ground, Wmo art. 4.1.1 lid 2 sub d–e);
- a consent is only usable for its own purpose, recipient and data, inside its period, and not
  after withdrawal; its givers are checked again at use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: A consent is recorded for at most this long; then it must be asked again.
MAX_VALIDITY = timedelta(days=365)


class Giver(StrEnum):
    SUBJECT = "subject"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class Source:
    citation: str
    kind: str  # "law" or "practice"
    says: str


WMO_533_1 = Source(
    "Wmo 2015 art. 5.3.3 lid 1",
    "law",
    "No information about the person concerned to others without their consent, unless the "
    "law provides otherwise.",
)
WMO_533_2A = Source(
    "Wmo 2015 art. 5.3.3 lid 2 sub a",
    "law",
    "If the minor is younger than twelve, the consent of the legal representative is required "
    "instead.",
)
WMO_533_2B = Source(
    "Wmo 2015 art. 5.3.3 lid 2 sub b",
    "law",
    "The same if the minor is twelve or older and cannot reasonably appreciate their interests.",
)
WMO_111_2 = Source(
    "Wmo 2015 art. 1.1.1 lid 2",
    "law",
    "Who may act as representative of an adult who is not capable: curator, mentor or "
    "authorised person, else spouse or partner, else parent, child, sibling or grandparent.",
)
BW_7_465_1 = Source(
    "BW art. 7:465 lid 1 (WGBO)",
    "law",
    "Under twelve, the duties towards the patient are fulfilled towards the parents with "
    "authority or the guardian.",
)
JW_734_2 = Source(
    "Jeugdwet art. 7.3.4 lid 2",
    "law",
    "From twelve to sixteen, the consent of the parents with authority or the guardian is "
    "required as well (for youth care).",
)
BW_7_450_2 = Source(
    "BW art. 7:450 lid 2 (WGBO)",
    "law",
    "From twelve to sixteen, the consent of the parents with authority or the guardian is "
    "required as well (for medical treatment).",
)
NVO_PRACTICE = Source(
    "NVO, 'Hoe is het toestemmingsvereiste geregeld?' (beroepscode, veelgestelde vragen)",
    "practice",
    "Consent of the parents under 12; of the young person and the parents between 12 and 16; "
    "of the young person from 16.",
)
JW_735_1 = Source(
    "Jeugdwet art. 7.3.5 lid 1",
    "law",
    "A minor of sixteen or older can give consent for youth care alone.",
)
BW_7_447 = Source(
    "BW art. 7:447 (WGBO)",
    "law",
    "A minor of sixteen or older can enter a medical treatment agreement alone.",
)


@dataclass(frozen=True)
class AgeRule:
    key: str
    label: Promise
    min_age: int
    max_age: int | None  # inclusive; None = no upper limit
    givers: frozenset[Giver]
    sources: tuple[Source, ...]


AGE_RULES: tuple[AgeRule, ...] = (
    AgeRule(
        "under_12",
        _("Younger than 12: the legal representative consents"),
        0,
        11,
        frozenset({Giver.REPRESENTATIVE}),
        (WMO_533_2A, BW_7_465_1),
    ),
    AgeRule(
        "12_15",
        _("12 to 15: the young person and the legal representative both consent"),
        12,
        15,
        frozenset({Giver.SUBJECT, Giver.REPRESENTATIVE}),
        (JW_734_2, BW_7_450_2, NVO_PRACTICE),
    ),
    AgeRule(
        "16_17",
        _("16 or 17: the young person consents alone"),
        16,
        17,
        frozenset({Giver.SUBJECT}),
        (JW_735_1, BW_7_447, WMO_533_1),
    ),
    AgeRule(
        "adult",
        _("18 or older: the person consents alone"),
        18,
        None,
        frozenset({Giver.SUBJECT}),
        (WMO_533_1,),
    ),
)

NOT_CAPABLE_RULE = AgeRule(
    "not_capable",
    _("Not able to judge their own interests: the legal representative consents instead"),
    12,
    None,
    frozenset({Giver.REPRESENTATIVE}),
    (WMO_533_2B, WMO_111_2),
)


def rule_for(age: int, capable: bool = True) -> AgeRule:
    """The rule that says who consents for a person of ``age`` (in whole years)."""
    if age < 0:
        raise ValueError("age must not be negative")
    if not capable and age >= NOT_CAPABLE_RULE.min_age:
        return NOT_CAPABLE_RULE
    for rule in AGE_RULES:
        if age >= rule.min_age and (rule.max_age is None or age <= rule.max_age):
            return rule
    raise AssertionError("AGE_RULES cover every age")  # pragma: no cover


class Problem(StrEnum):
    SUBJECT_MISSING = "subject_missing"
    REPRESENTATIVE_MISSING = "representative_missing"
    REPRESENTATIVE_NOT_ALLOWED = "representative_not_allowed"
    REPRESENTATIVE_IS_SUSPECT = "representative_is_suspect"
    REPRESENTATIVE_UNNAMED = "representative_unnamed"


PROBLEM_TEXT: dict[Problem, Promise] = {
    Problem.SUBJECT_MISSING: _("The person themselves must consent."),
    Problem.REPRESENTATIVE_MISSING: _("The legal representative must consent."),
    Problem.REPRESENTATIVE_NOT_ALLOWED: _(
        "At this age the person decides alone; a representative cannot consent for them."
    ),
    Problem.REPRESENTATIVE_IS_SUSPECT: _(
        "A representative who is suspected of the violence cannot give consent. "
        "Record a legal ground instead."
    ),
    Problem.REPRESENTATIVE_UNNAMED: _("Say who the legal representative is."),
}


@dataclass(frozen=True)
class Givers:
    """Who agreed, as recorded."""

    subject: bool
    representative: bool
    representative_named: bool = True
    representative_is_suspect: bool = False


@dataclass(frozen=True)
class GiverCheck:
    rule: AgeRule
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_givers(age: int, capable: bool, givers: Givers) -> GiverCheck:
    """Do the people who agreed satisfy the rule for this age and capability?"""
    rule = rule_for(age, capable)
    problems: list[Problem] = []
    if Giver.SUBJECT in rule.givers and not givers.subject:
        problems.append(Problem.SUBJECT_MISSING)
    if Giver.REPRESENTATIVE in rule.givers:
        if not givers.representative:
            problems.append(Problem.REPRESENTATIVE_MISSING)
        else:
            if givers.representative_is_suspect:
                problems.append(Problem.REPRESENTATIVE_IS_SUSPECT)
            if not givers.representative_named:
                problems.append(Problem.REPRESENTATIVE_UNNAMED)
    elif givers.representative and not givers.subject:
        # 16+ and capable: the person decides; a representative's word alone is not consent.
        problems.append(Problem.REPRESENTATIVE_NOT_ALLOWED)
    return GiverCheck(rule, tuple(problems))


class Status(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    OTHER_PURPOSE = "other_purpose"
    OTHER_RECIPIENT = "other_recipient"
    NOT_COVERED = "not_covered"
    GIVERS_INCOMPLETE = "givers_incomplete"


STATUS_TEXT: dict[Status, Promise] = {
    Status.VALID: _("Valid"),
    Status.NOT_YET_VALID: _("Not valid yet"),
    Status.EXPIRED: _("Expired"),
    Status.WITHDRAWN: _("Withdrawn"),
    Status.OTHER_PURPOSE: _("Given for another purpose"),
    Status.OTHER_RECIPIENT: _("Given for another recipient"),
    Status.NOT_COVERED: _("Does not cover all chosen data"),
    Status.GIVERS_INCOMPLETE: _("Not given by the right people"),
}


@dataclass(frozen=True)
class Terms:
    """What a recorded consent or legal ground allows: the facts the gate checks."""

    purpose: str
    recipient_id: int
    sections: frozenset[str]
    valid_from: datetime
    valid_until: datetime
    withdrawn_at: datetime | None = None
    #: Only for consent: the givers check at use (``None`` for a legal ground).
    givers_ok: bool | None = None


def status(
    terms: Terms, *, at: datetime, purpose: str, recipient_id: int, sections: frozenset[str]
) -> Status:
    """May these terms be used for this disclosure at this moment? The first reason not wins."""
    if terms.withdrawn_at is not None and terms.withdrawn_at <= at:
        return Status.WITHDRAWN
    if terms.givers_ok is False:
        return Status.GIVERS_INCOMPLETE
    if at < terms.valid_from:
        return Status.NOT_YET_VALID
    if at >= terms.valid_until:
        return Status.EXPIRED
    if terms.purpose != purpose:
        return Status.OTHER_PURPOSE
    if terms.recipient_id != recipient_id:
        return Status.OTHER_RECIPIENT
    if not sections <= terms.sections:
        return Status.NOT_COVERED
    return Status.VALID
