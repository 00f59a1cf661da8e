# SPDX-License-Identifier: EUPL-1.2
"""The validation checks of the statistics, in the spirit of CBS's two reports (domain rules §2.1):

* the *spiegelrapport* (mirror report): per field, how complete the delivered records are;
* the *kwaliteitsrapport* (quality report): cross-field logic, one check per rule below.

A record that fails a check is **still counted** (under ``unknown`` where its value is unusable)
and listed by check, record type and internal id in ``internal/invalid_records.csv``, so a
registration can be corrected at the source. Nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    record_type: str
    description: Promise
    #: What happens to the record in the figures.
    treatment: Promise


_COUNTED_UNKNOWN = _("Counted under 'unknown'.")
_COUNTED = _("Counted as recorded.")

CHECKS: dict[str, Check] = {
    c.id: c
    for c in [
        Check(
            "R01",
            WARNING,
            "report",
            _("Report without a municipality."),
            _("Counted in its region under 'municipality unknown'."),
        ),
        Check(
            "R02",
            ERROR,
            "report",
            _("The report's municipality belongs to another Veilig Thuis region."),
            _("Counted in the region of the municipality."),
        ),
        Check(
            "R03",
            ERROR,
            "report",
            _(
                "Report that cannot be attributed to a Veilig Thuis region (no municipality, and "
                "not registered by a region)."
            ),
            _("Counted nationally under 'region unknown'."),
        ),
        Check(
            "R04",
            WARNING,
            "report",
            _("Report without a main kind of violence."),
            _COUNTED_UNKNOWN,
        ),
        Check(
            "R05",
            ERROR,
            "report",
            _("Report with a kind of violence outside the code list."),
            _("The unknown code is counted as 'unknown'."),
        ),
        Check("R06", ERROR, "report", _("Report with an invalid duration."), _COUNTED_UNKNOWN),
        Check("R07", ERROR, "report", _("Report with an invalid reporter type."), _COUNTED_UNKNOWN),
        Check(
            "R08",
            WARNING,
            "report",
            _("Report by a professional without the professional's organisation."),
            _("Counted under 'professional, organisation not recorded'."),
        ),
        Check(
            "R09",
            WARNING,
            "report",
            _(
                "Organisation recorded for a reporter who is not a professional, or a police "
                "report with an organisation other than justice and safety."
            ),
            _("Counted by reporter type; the organisation is ignored."),
        ),
        Check(
            "R10",
            ERROR,
            "report",
            _("Report with an organisation of the reporter outside the code list."),
            _("Counted under 'professional, organisation not recorded'."),
        ),
        Check(
            "R11",
            ERROR,
            "report",
            _("Report registered before it was received."),
            _COUNTED,
        ),
        Check(
            "R12",
            WARNING,
            "report",
            _("Report not linked to a case."),
            _("Counted under 'not (yet) linked to a case'."),
        ),
        Check(
            "A01",
            WARNING,
            "advice",
            _("Advice request without a municipality."),
            _("Counted in its region under 'municipality unknown'."),
        ),
        Check(
            "A02",
            ERROR,
            "advice",
            _("Advice request that cannot be attributed to a Veilig Thuis region."),
            _("Counted nationally under 'region unknown'."),
        ),
        Check(
            "A03",
            ERROR,
            "advice",
            _("Advice request with a kind of violence outside the code list."),
            _("The unknown code is counted as 'unknown'."),
        ),
        Check(
            "A04", ERROR, "advice", _("Advice request with an invalid duration."), _COUNTED_UNKNOWN
        ),
        Check(
            "A05",
            ERROR,
            "advice",
            _("Advice request with an invalid reporter type."),
            _COUNTED_UNKNOWN,
        ),
        Check("A06", ERROR, "advice", _("Advice request that ended before it started."), _COUNTED),
        Check(
            "A07",
            WARNING,
            "advice",
            _("Advice request without a main kind of violence."),
            _COUNTED_UNKNOWN,
        ),
        Check(
            "A08",
            ERROR,
            "advice",
            _("The advice request's municipality belongs to another Veilig Thuis region."),
            _("Counted in the region of the municipality."),
        ),
        Check(
            "C01",
            ERROR,
            "assessment",
            _("Safety assessment decided before the case was received."),
            _("Counted as within the term."),
        ),
        Check(
            "C02",
            ERROR,
            "assessment",
            _("Safety assessment with a route outside the code list."),
            _COUNTED_UNKNOWN,
        ),
        Check(
            "C03",
            ERROR,
            "assessment",
            _("End of involvement decided while the appraisal found acute or structural unsafety."),
            _COUNTED,
        ),
        Check(
            "C04",
            ERROR,
            "investigation",
            _("Investigation ended without an outcome for any kind of violence."),
            _("Counted as a completed investigation without outcome."),
        ),
        Check(
            "C05",
            ERROR,
            "investigation",
            _("Investigation outcome with a code outside the code list."),
            _(
                "The investigation is counted; an unknown kind is counted as 'unknown', an "
                "unknown outcome is listed only."
            ),
        ),
        Check(
            "C06",
            ERROR,
            "investigation",
            _("Investigation ended before it was decided."),
            _("Counted as within the term."),
        ),
        Check(
            "C07",
            WARNING,
            "investigation",
            _("Investigation outcome for a kind of violence that the case does not name."),
            _COUNTED,
        ),
        Check(
            "C08",
            ERROR,
            "case",
            _("Case closed without a closing date, or with a closing date but not closed."),
            _("Counted by its closing date when there is one."),
        ),
        Check(
            "C09",
            WARNING,
            "case",
            _("Case with more than one report marked as its first report."),
            _COUNTED,
        ),
    ]
}


@dataclass(frozen=True)
class Finding:
    """One record that failed one check. ``detail`` holds codes only, never content."""

    check: str
    record_type: str
    record_id: int
    region_code: str
    detail: str = ""
