# SPDX-License-Identifier: EUPL-1.2
"""What can be shared from a case, as data: named sections, each with how to extract it.

A disclosure names the sections and the persons it shares; :func:`build_snapshot` takes exactly
those and nothing else. Names appear only when the basis covers them: adults' names with
``identity``, children's with ``child_identity``; otherwise a person appears by a stable keyed
pseudonym (children by their *kindnummer*). Free text (report summaries, conditions, fact notes)
has the names of the case's persons replaced by their pseudonym when names are not shared. That
replacement is a safety net, not a guarantee: the approver reads the preview before it leaves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.referrals import pseudonyms

FORMAT = "vangnet-disclosure/1"


@dataclass
class Context:
    case: Any
    persons: list[Any]
    on: date
    names: bool
    child_names: bool
    replacements: list[tuple[re.Pattern[str], str]]

    def is_child(self, person: Any) -> bool:
        age = person.age_on(self.on)
        return person.role == "child" or (age is not None and age < 18)

    def label(self, person: Any) -> str:
        if self.is_child(person):
            return pseudonyms.kindnummer(person)
        return pseudonyms.person_number(person)

    def text(self, value: str) -> str:
        for pattern, label in self.replacements:
            value = pattern.sub(label, value)
        return value


@dataclass(frozen=True)
class Section:
    key: str
    label: Promise
    help_text: Promise
    extract: Callable[[Context], Any]


def _case_summary(ctx: Context) -> dict[str, Any]:
    case = ctx.case
    return {
        "case_reference": case.reference,
        "status": case.status,
        "acute": case.acute,
        "violence_kinds": list(case.violence_kinds or []),
        "municipality": case.municipality.name if case.municipality_id else "",
        "received_on": timezone.localtime(case.received_at).date().isoformat(),
        "children_in_household": case.children_in_household,
        "children_count": case.children_count,
        "children_ages": list(case.children_ages or []),
    }


def _persons(ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "pseudonym": ctx.label(p),
            "kind": "child" if ctx.is_child(p) else "adult",
            "role": p.role,
            "age": p.age_on(ctx.on),
            "in_household": p.in_household,
        }
        for p in ctx.persons
    ]


def _identity(ctx: Context, children: bool) -> list[dict[str, Any]]:
    return [
        {
            "pseudonym": ctx.label(p),
            "given_names": p.given_names,
            "surname": p.surname,
            "date_of_birth": p.date_of_birth,
            **({} if children else {"address": p.address or {}}),
        }
        for p in ctx.persons
        if ctx.is_child(p) == children
    ]


def _assessment(ctx: Context) -> dict[str, Any] | None:
    latest = ctx.case.assessments.order_by("-decided_at", "-id").first()
    if latest is None:
        return None
    return {
        "decided_on": timezone.localtime(latest.decided_at).date().isoformat(),
        "acute_unsafety": latest.acute_unsafety,
        "structural_unsafety": latest.structural_unsafety,
        "disclosure": latest.disclosure,
        "route": latest.route,
    }


def _conditions(ctx: Context) -> list[dict[str, Any]]:
    return [
        {"text": ctx.text(c.text), "agreed_on": c.agreed_on.isoformat(), "status": c.status}
        for c in ctx.case.conditions.order_by("agreed_on", "id")
    ]


def _reports(ctx: Context) -> list[dict[str, Any]]:
    links = ctx.case.report_links.select_related("report").order_by("linked_at", "id")
    return [
        {
            "received_on": timezone.localtime(link.report.received_at).date().isoformat(),
            "reporter_type": link.report.reporter_type,
            "summary": ctx.text(link.report.summary or ""),
        }
        for link in links
    ]


def _fact_notes(ctx: Context) -> list[dict[str, Any]]:
    notes = ctx.case.notes.filter(kind="fact").order_by("created_at", "id")
    return [
        {
            "written_on": timezone.localtime(n.created_at).date().isoformat(),
            "text": ctx.text(n.body),
        }
        for n in notes
    ]


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section(
            "case_summary",
            _("Case summary"),
            _("Case number, kinds of violence, acute or not, municipality, children (numbers)."),
            _case_summary,
        ),
        Section(
            "persons",
            _("Persons involved"),
            _("Role and age of each chosen person, by pseudonym (children by kindnummer)."),
            _persons,
        ),
        Section(
            "identity",
            _("Names and addresses of adults"),
            _("Names, date of birth and address of the chosen adults."),
            lambda ctx: _identity(ctx, children=False),
        ),
        Section(
            "child_identity",
            _("Names of children"),
            _("Names and dates of birth of the chosen children. Without it: kindnummer only."),
            lambda ctx: _identity(ctx, children=True),
        ),
        Section(
            "safety_assessment",
            _("Safety assessment"),
            _("The latest appraisal: acute or structural unsafety, disclosure, route."),
            _assessment,
        ),
        Section(
            "safety_conditions",
            _("Safety conditions"),
            _("The agreed safety conditions and their status."),
            _conditions,
        ),
        Section(
            "reports",
            _("Report summaries"),
            _("Date, kind of reporter and summary of each report in the case."),
            _reports,
        ),
        Section(
            "fact_notes",
            _("Facts"),
            _("Notes recorded as facts (not opinions, not the client's own view)."),
            _fact_notes,
        ),
    ]
}

SECTION_CHOICES = [(s.key, s.label) for s in SECTIONS.values()]


def _name_patterns(ctx: Context) -> list[tuple[re.Pattern[str], str]]:
    found: list[tuple[re.Pattern[str], str]] = []
    for person in ctx.case.persons.all():  # every person of the case, chosen or not
        shared = ctx.child_names if ctx.is_child(person) else ctx.names
        if shared:
            continue
        parts = {w for w in f"{person.given_names} {person.surname}".split() if len(w) >= 2}
        for part in sorted(parts, key=len, reverse=True):
            pattern = re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.IGNORECASE)
            found.append((pattern, ctx.label(person)))
    return found


def build_snapshot(
    case: Any, persons: list[Any], sections: list[str], on: date | None = None
) -> dict[str, Any]:
    """Exactly the chosen sections about exactly the chosen persons, as plain JSON data."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections: {sorted(unknown)}")
    ctx = Context(
        case=case,
        persons=sorted(persons, key=lambda p: p.pk),
        on=on or timezone.localdate(),
        names="identity" in sections,
        child_names="child_identity" in sections,
        replacements=[],
    )
    ctx.replacements = _name_patterns(ctx)
    content = {key: SECTIONS[key].extract(ctx) for key in SECTIONS if key in sections}
    return {"format": FORMAT, "on": ctx.on.isoformat(), "sections": content}
