# SPDX-License-Identifier: EUPL-1.2
"""Code lists of the statistics: the categories of every published breakdown.

Codes are stable, English and lower-case (they are what the CBS files and CSV downloads carry);
labels are gettext strings (Dutch on screen). The source values of the other apps are mapped onto
these lists in :mod:`vangnet.stats.extract`; a source value that fits no code is counted under
``unknown`` and listed in the validation report, never dropped.

Where the CBS Veilig Thuis tables (domain rules §2.3) name a category, the code follows it; where
our source data cannot yet fill a CBS category (for instance the profession of a professional
reporter), the file has the CBS category and ``unknown`` counts the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Code:
    code: str
    label: Promise | str


def codes(*pairs: tuple[str, Promise | str]) -> tuple[Code, ...]:
    return tuple(Code(code, label) for code, label in pairs)


ALL = (Code("all", _("All")),)

# --- reporters (CBS 84848NED "rol/functie, organisatie") ------------------------------------

#: The organisation a professional reporter works for (CBS 84848NED "Organisatie"). This is the
#: list that ``intake.Report.reporter_organisation_kind`` should hold.
ORGANISATION_KINDS = codes(
    ("health_care", _("Health care")),
    ("mental_health", _("Mental health care")),
    ("childcare", _("Childcare")),
    ("education", _("Education")),
    ("school_attendance", _("School attendance office")),
    ("youth_care", _("Youth care")),
    ("justice_safety", _("Justice and safety (police)")),
    ("vt_other_region", _("Veilig Thuis, another region")),
    ("other_organisation", _("Other organisation")),
)
ORGANISATION_KIND_CODES = frozenset(c.code for c in ORGANISATION_KINDS)

#: Reporter categories: the two non-professional roles, then one per organisation kind.
REPORTERS = codes(
    ("victim", _("Not professional: the person it happens to")),
    ("bystander", _("Not professional: someone who is worried")),
    *((f"professional.{c.code}", c.label) for c in ORGANISATION_KINDS),
    ("professional.unknown", _("Professional, organisation not recorded")),
    (UNKNOWN, _("Unknown")),
)

# --- duration and kinds of violence (84848NED, 84850NED) ------------------------------------

DURATIONS = codes(
    ("once", _("Once")),
    ("under_6_months", _("Less than 6 months")),
    ("6_to_12_months", _("6 to 12 months")),
    ("over_1_year", _("More than a year")),
    (UNKNOWN, _("Unknown")),
)
DURATION_CODES = frozenset(c.code for c in DURATIONS)

#: CBS "aard van het geweld": the main kinds.
KINDS = codes(
    ("child_abuse", _("Child abuse")),
    ("partner_violence", _("(Ex-)partner violence")),
    ("violence_against_parents", _("Violence against parents")),
    ("elder_abuse", _("Elder abuse")),
    ("other_domestic", _("Other domestic violence")),
    (UNKNOWN, _("Unknown")),
)
#: CBS "aanvullende informatie": additional information, such as human trafficking.
ADDITIONAL = codes(
    ("human_trafficking", _("Human trafficking")),
    ("exploitation", _("Exploitation (loverboy, forced work or crime)")),
    ("sexual_violence", _("Sexual violence")),
    ("honour_violence", _("Honour-related violence")),
    ("forced_marriage", _("Forced marriage or abandonment abroad")),
    ("online_abuse", _("Online abuse")),
)
KIND_CODES = frozenset(c.code for c in KINDS)
ADDITIONAL_CODES = frozenset(c.code for c in ADDITIONAL)
#: Every source code a record may carry in ``violence_kinds``.
VIOLENCE_CODES = KIND_CODES | ADDITIONAL_CODES

# --- safety assessment (84852NED) ------------------------------------------------------------

APPRAISALS = codes(
    ("acute_and_structural", _("Acute and structural unsafety")),
    ("acute", _("Acute unsafety only")),
    ("structural", _("Structural unsafety only")),
    ("neither", _("No acute or structural unsafety")),
)
ROUTES = codes(
    ("handover", _("Handed over")),
    ("conditions_and_follow_up", _("Conditions and follow-up")),
    ("investigation", _("Own investigation")),
    ("child_protection_board_request", _("Request to the Child Protection Board")),
    ("close", _("End of involvement")),
    (UNKNOWN, _("Unknown")),
)
ROUTE_CODES = frozenset(c.code for c in ROUTES) - {UNKNOWN}

# --- investigations (84853NED) ---------------------------------------------------------------

OUTCOMES = codes(
    ("confirmed", _("Confirmed")),
    ("not_confirmed", _("Not confirmed")),
    ("refuted", _("Refuted")),
    ("closed_early", _("Closed early")),
)
OUTCOME_CODES = frozenset(c.code for c in OUTCOMES)
#: Outcome per kind of violence, as one flat list of "kind.outcome" categories.
INVESTIGATION_OUTCOMES = codes(
    *(
        (f"{kind.code}.{outcome.code}", format_lazy("{}: {}", kind.label, outcome.label))
        for kind in (*KINDS, *ADDITIONAL)
        for outcome in OUTCOMES
    )
)

# --- involvement (85361NED) ------------------------------------------------------------------

INVOLVEMENTS = codes(
    ("first", _("First report")),
    ("during_assessment", _("Repeat report during the safety assessment")),
    ("after_assessment", _("Repeat report after the safety assessment")),
    ("during_monitoring", _("Repeat report during monitoring")),
    ("re_report", _("New report after involvement ended")),
    ("not_linked", _("Not (yet) linked to a case")),
)

# --- lead times, waiting list and the effect monitor -----------------------------------------

WITHIN_TERM = codes(("within", _("Within the term")), ("late", _("Later than the term")))
WAITING = codes(
    ("assessment_within_term", _("Waiting for the safety assessment, within the term")),
    ("assessment_overdue", _("Waiting for the safety assessment, past the term")),
    ("investigation", _("Waiting for the investigation to start")),
)
CONTACTS = codes(("advice", _("Advice requests")), ("report", _("Reports")))
SAFETY_PLAN = codes(("with_plan", _("With a safety plan")), ("without_plan", _("No safety plan")))
SCORE_TREND = codes(
    ("improved", _("Safety score went up")),
    ("same", _("Safety score stayed the same")),
    ("worse", _("Safety score went down")),
)
RECIDIVISM = codes(
    ("re_reported", _("New report within 12 months")),
    ("not_re_reported", _("No new report within 12 months (so far)")),
)
SPOKEN_TO = codes(("spoken_to", _("Child spoken to")), ("not_spoken_to", _("Not spoken to")))
TRAUMA_SCREENING = codes(
    ("offered", _("Trauma screening offered")),
    ("not_needed", _("Considered, not needed")),
    ("not_considered", _("Not (yet) considered")),
)


def label_of(options: tuple[Code, ...], code: str) -> Promise | str:
    for option in options:
        if option.code == code:
            return option.label
    return code
