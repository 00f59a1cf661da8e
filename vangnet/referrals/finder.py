# SPDX-License-Identifier: EUPL-1.2
"""The help finder's questions and how answers select places to go. Pure logic, no requests.

The questions are data (what a visitor can answer and which directory topics each answer
means); :func:`find` applies them to directory entries. The order of the result is the order a
person in trouble needs: the emergency number first when there is danger now, then places for
exactly this problem, then places for any problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.referrals.models import HelpEntry

FINDER_URL_NAME = "referrals:help_finder"


@dataclass(frozen=True)
class Option:
    key: str
    label: Promise
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgeGroup:
    key: str
    label: Promise
    low: int | None = None
    high: int | None = None


WHO = [
    Option("victim", _("It is happening to me")),
    Option("bystander", _("I am worried about someone else")),
    Option("professional", _("I am asking as a professional")),
]

WHAT = [
    Option(
        "domestic_violence",
        _("Violence, threats or control at home or in a relationship"),
        ("domestic_violence",),
    ),
    Option("child_abuse", _("A child is being hurt or neglected"), ("child_abuse",)),
    Option(
        "sexual_violence",
        _("Rape, sexual assault or other sexual violence"),
        ("sexual_violence",),
    ),
    Option(
        "exploitation",
        _("Someone is forced into sex work, crime or other work"),
        ("exploitation", "human_trafficking"),
    ),
    Option(
        "honour",
        _("Pressure about honour, or a forced marriage"),
        ("honour_violence", "forced_marriage"),
    ),
    Option(
        "online_abuse",
        _("Nude photos, blackmail or sexual abuse online"),
        ("online_abuse",),
    ),
    Option("elder_abuse", _("An older person is hurt, neglected or robbed"), ("elder_abuse",)),
    Option("suicidal_thoughts", _("Thoughts about ending your life"), ("suicidal_thoughts",)),
    Option(
        "not_sure",
        _("Something else, or I am not sure"),
        ("domestic_violence", "child_abuse"),
    ),
]

URGENCY = [
    Option("now", _("Yes, there is danger right now")),
    Option("soon", _("No, but it cannot wait long")),
    Option("later", _("No, I want to know what I can do")),
]

AGE_GROUPS = [
    AgeGroup("under_12", _("Younger than 12"), 0, 11),
    AgeGroup("12_15", _("12 to 15"), 12, 15),
    AgeGroup("16_17", _("16 or 17"), 16, 17),
    AgeGroup("18_24", _("18 to 24"), 18, 24),
    AgeGroup("25_plus", _("25 or older"), 25, None),
]


def _by_key(options: Iterable[Option]) -> dict[str, Option]:
    return {o.key: o for o in options}


WHO_BY_KEY = _by_key(WHO)
WHAT_BY_KEY = _by_key(WHAT)
URGENCY_BY_KEY = _by_key(URGENCY)
AGE_BY_KEY = {a.key: a for a in AGE_GROUPS}


@dataclass(frozen=True)
class Answers:
    who: str
    what: str
    urgency: str
    age: str = ""

    def __post_init__(self) -> None:
        if self.who not in WHO_BY_KEY or self.what not in WHAT_BY_KEY:
            raise ValueError("unknown answer")
        if self.urgency not in URGENCY_BY_KEY or (self.age and self.age not in AGE_BY_KEY):
            raise ValueError("unknown answer")


@dataclass
class Match:
    entry: HelpEntry
    url: str | None = None
    specific: bool = False
    reasons: list[str] = field(default_factory=list)


def _ages_overlap(entry: HelpEntry, group: AgeGroup) -> bool:
    low = group.low if group.low is not None else 0
    high = group.high if group.high is not None else 200
    entry_low = entry.age_min if entry.age_min is not None else 0
    entry_high = entry.age_max if entry.age_max is not None else 200
    return entry_low <= high and low <= entry_high


def find(
    entries: Iterable[HelpEntry],
    answers: Answers,
    resolve: Callable[[str], str | None],
) -> list[Match]:
    """The entries that fit the answers, best first.

    ``resolve`` turns an internal entry's URL name into a path (``None``: the page does not
    exist, so the entry is left out). Age only filters when the visitor is the person it
    happens to: the age limits in the directory are those of the caller (De Kindertelefoon
    takes calls from 8 to 18), and a bystander's own age is not asked.
    """
    topics = set(WHAT_BY_KEY[answers.what].topics)
    group = AGE_BY_KEY.get(answers.age)
    found: list[Match] = []
    for entry in entries:
        if not entry.active or entry.url_name == FINDER_URL_NAME:
            continue
        if entry.emergency:
            if answers.urgency == "now":
                found.append(Match(entry, specific=True, reasons=["emergency"]))
            continue
        if answers.who not in entry.audiences or answers.urgency not in entry.urgency:
            continue
        specific = bool(topics & set(entry.topics))
        if not specific and "any" not in entry.topics:
            continue
        if answers.who == "victim" and group is not None and not _ages_overlap(entry, group):
            continue
        url = None
        if entry.internal:
            url = resolve(entry.url_name)
            if url is None:
                continue
        found.append(Match(entry, url=url, specific=specific))
    found.sort(key=lambda m: (not m.entry.emergency, not m.specific, m.entry.position))
    return found
