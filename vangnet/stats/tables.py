# SPDX-License-Identifier: EUPL-1.2
"""Every statistics table, defined once: the CBS files, the protected publication, the figures
pages and the CSV downloads all read this registry, so they cannot drift apart.

A table is "records of one kind in one area, broken down by category". Its *universe* names the
total (e.g. ``reports_received``). Tables that break the same records down in different ways
share a universe, and a category can name a shared quantity (the ``advice`` column of the
contacts table *is* the total of advice requests started): disclosure control uses these names
to give a quantity the same protection wherever it appears (:mod:`vangnet.stats.linked`).

An *additive* table puts each record in exactly one category, so its categories sum to its
total. In a non-additive table (kinds of violence: one report can name several) they don't;
its total is still the universe, but protection treats the sum of its cells as a private,
unpublished quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vangnet.stats import codes
from vangnet.stats.codes import Code

#: Page sections, in page order.
GROUPS: dict[str, Promise] = {
    "contacts": _("Contacts"),
    "reports": _("Reports"),
    "assessment": _("Safety assessment and route"),
    "investigation": _("Investigations"),
    "lead_time": _("Lead times and waiting list"),
    "repeat": _("Repeat reports"),
    "effect": _("Effect monitor"),
}


@dataclass(frozen=True)
class TableDef:
    id: str
    group: str
    title: Promise
    #: What one record is, e.g. "reports received" (used in headings and CSV).
    counts: Promise
    categories: tuple[Code, ...]
    universe: str
    cbs: str = ""
    additive: bool = True
    #: In the protected publication (pages, CSV, publication files); else delivery only.
    publish: bool = True
    #: Category -> name of a quantity it is equal to (shared with other tables).
    shared: dict[str, str] = field(default_factory=dict)
    note: Promise | str = ""

    def key(self, category: str) -> str:
        """The name of the quantity a cell measures (the same name means the same number)."""
        return self.shared.get(category, f"{self.id}.{category}")

    @property
    def margin(self) -> str:
        """The name of the total the protection uses as the row margin."""
        return self.universe if self.additive else f"{self.id}.__sum"

    @property
    def category_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)


_MULTI = _("One record can name several kinds, so the kinds add up to more than the total.")
_FIRST_ASSESSMENT = _(
    "The first safety assessment of each case, counted in the half-year it was decided."
)

TABLES: tuple[TableDef, ...] = (
    TableDef(
        "contacts",
        "contacts",
        _("Unique contacts: advice requests and reports"),
        _("contacts"),
        codes.CONTACTS,
        universe="contacts",
        cbs="84848NED",
        shared={"advice": "advice_started", "report": "reports_received"},
    ),
    TableDef(
        "advice_by_reporter",
        "contacts",
        _("Advice requests started, by who asked"),
        _("advice requests started"),
        codes.REPORTERS,
        universe="advice_started",
        cbs="84848NED",
    ),
    TableDef(
        "advice_by_duration",
        "contacts",
        _("Advice requests started, by duration of the violence"),
        _("advice requests started"),
        codes.DURATIONS,
        universe="advice_started",
        cbs="84848NED",
    ),
    TableDef(
        "advice_by_kind",
        "contacts",
        _("Advice requests started, by kind of violence"),
        _("advice requests started"),
        codes.KINDS,
        universe="advice_started",
        cbs="84850NED",
        additive=False,
        note=_MULTI,
    ),
    TableDef(
        "advice_by_additional",
        "contacts",
        _("Advice requests started, additional information"),
        _("advice requests started"),
        codes.ADDITIONAL,
        universe="advice_started",
        cbs="84850NED",
        additive=False,
        publish=False,
    ),
    TableDef(
        "report_by_reporter",
        "reports",
        _("Reports received, by who reported"),
        _("reports received"),
        codes.REPORTERS,
        universe="reports_received",
        cbs="84848NED",
    ),
    TableDef(
        "report_by_duration",
        "reports",
        _("Reports received, by duration of the violence"),
        _("reports received"),
        codes.DURATIONS,
        universe="reports_received",
        cbs="84848NED",
    ),
    TableDef(
        "report_by_kind",
        "reports",
        _("Reports received, by kind of violence"),
        _("reports received"),
        codes.KINDS,
        universe="reports_received",
        cbs="84850NED",
        additive=False,
        note=_MULTI,
    ),
    TableDef(
        "report_by_additional",
        "reports",
        _("Reports received, additional information such as human trafficking"),
        _("reports received"),
        codes.ADDITIONAL,
        universe="reports_received",
        cbs="84850NED",
        additive=False,
        note=_MULTI,
    ),
    TableDef(
        "cases_with_reports",
        "reports",
        _("Cases with reports received"),
        _("cases with reports received"),
        codes.ALL,
        universe="cases_with_reports",
        cbs="84850NED",
        publish=False,
    ),
    TableDef(
        "case_by_kind",
        "reports",
        _("Cases with reports received, by kind of violence"),
        _("cases with reports received"),
        codes.KINDS,
        universe="cases_with_reports",
        cbs="84850NED",
        additive=False,
        publish=False,
    ),
    TableDef(
        "assessment_appraisal",
        "assessment",
        _("Safety assessments, by safety appraisal"),
        _("safety assessments decided"),
        codes.APPRAISALS,
        universe="assessments_decided",
        cbs="84852NED",
        note=_FIRST_ASSESSMENT,
    ),
    TableDef(
        "assessment_route",
        "assessment",
        _("Safety assessments, by route"),
        _("safety assessments decided"),
        codes.ROUTES,
        universe="assessments_decided",
        cbs="84852NED",
        note=_FIRST_ASSESSMENT,
    ),
    TableDef(
        "appraisal_route",
        "assessment",
        _("Safety assessments, by safety appraisal and route"),
        _("safety assessments decided"),
        tuple(
            Code(f"{a.code}.{r.code}", format_lazy("{} / {}", a.label, r.label))
            for a in codes.APPRAISALS
            for r in codes.ROUTES
        ),
        universe="assessments_decided",
        cbs="84852NED",
        # Not published: its route and appraisal sub-totals are the two tables above, and a
        # cross-table with published sub-totals would need three-way protection.
        publish=False,
    ),
    TableDef(
        "investigation_outcome",
        "investigation",
        _("Completed investigations, outcome per kind of violence"),
        _("kinds of violence investigated"),
        codes.INVESTIGATION_OUTCOMES,
        universe="investigations_completed",
        cbs="84853NED",
        additive=False,
        note=_("An investigation has an outcome for each kind of violence it looked at."),
    ),
    TableDef(
        "report_by_involvement",
        "repeat",
        _("Reports received, by earlier involvement of Veilig Thuis"),
        _("reports received"),
        codes.INVOLVEMENTS,
        universe="reports_received",
        cbs="85361NED",
        shared={"first": "first_reports"},
    ),
    TableDef(
        "lead_assessment",
        "lead_time",
        _("Safety assessments within 5 working days"),
        _("safety assessments decided"),
        codes.WITHIN_TERM,
        universe="assessments_decided",
        note=_FIRST_ASSESSMENT,
    ),
    TableDef(
        "lead_investigation",
        "lead_time",
        _("Investigations completed within 10 weeks"),
        _("investigations completed"),
        codes.WITHIN_TERM,
        universe="investigations_completed",
    ),
    TableDef(
        "waiting",
        "lead_time",
        _("Waiting list at the end of the half-year"),
        _("cases waiting"),
        codes.WAITING,
        universe="waiting_at_end",
    ),
    TableDef(
        "first_report_duration",
        "effect",
        _("Duration of the violence until the first report"),
        _("first reports"),
        codes.DURATIONS,
        universe="first_reports",
        note=_(
            "Reports that were the first about a family, by how long the violence had "
            "lasted according to the reporter."
        ),
    ),
    TableDef(
        "safety_plan",
        "effect",
        _("Cases with acute or structural unsafety that have a safety plan"),
        _("cases with acute or structural unsafety"),
        codes.SAFETY_PLAN,
        universe="unsafe_cases",
        note=_(
            "Cases received in the half-year whose first safety assessment found acute or "
            "structural unsafety."
        ),
    ),
    TableDef(
        "score_trend",
        "effect",
        _("Safety-score trend"),
        _("cases with two or more safety scores"),
        codes.SCORE_TREND,
        universe="scored_cases",
        note=_(
            "Cases whose latest safety score (1-10) in the half-year is compared with their first."
        ),
    ),
    TableDef(
        "recidivism",
        "effect",
        _("New report after closure"),
        _("cases closed"),
        codes.RECIDIVISM,
        universe="closed_cases",
        note=_(
            "Cases closed in the half-year, and whether the family was reported again "
            "within 12 months. For recent half-years the 12 months have not yet passed."
        ),
    ),
    TableDef(
        "child_spoken_to",
        "effect",
        _("Children spoken to"),
        _("children in cases"),
        codes.SPOKEN_TO,
        universe="children_in_cases",
        note=_("Children in the household of cases received in the half-year."),
    ),
    TableDef(
        "trauma_screening",
        "effect",
        _("Trauma screening offered to children"),
        _("children in cases"),
        codes.TRAUMA_SCREENING,
        universe="children_in_cases",
        note=_("Children in the household of cases received in the half-year."),
    ),
)

BY_ID: dict[str, TableDef] = {t.id: t for t in TABLES}
PUBLISHED: tuple[TableDef, ...] = tuple(t for t in TABLES if t.publish)

#: Sums (not counts) kept beside the counts, published only as means (never as cells).
SCORE_SUMS = "score_sums"


def universe_table(universe: str) -> TableDef:
    """An additive table whose total is ``universe`` (to read the total from)."""
    for table in TABLES:
        if table.universe == universe and table.additive:
            return table
    raise KeyError(universe)
