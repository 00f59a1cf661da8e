# SPDX-License-Identifier: EUPL-1.2
"""The case page, opening a case from a report, and staff registration of a police report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vangnet.accounts.access import Perm, has_perm
from vangnet.accounts.decorators import staff_required
from vangnet.cases import access, actions, charts, keys, queries
from vangnet.cases.forms import EmptyForm, OpenCaseForm, PoliceReportForm
from vangnet.cases.models import Case
from vangnet.cases.views.common import page


@staff_required(Perm.VIEW_CASE)
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id)
    data = queries.case_page(case)
    points = [(s.scored_on, s.score) for s in data.scores]
    chart = charts.trend_svg(
        points,
        title=_("Safety scores over time"),
        description=_("Safety scores from %(first)s to %(last)s: %(values)s.")
        % {
            "first": points[0][0].strftime("%d-%m-%Y") if points else "",
            "last": points[-1][0].strftime("%d-%m-%Y") if points else "",
            "values": ", ".join(str(p[1]) for p in points),
        },
    )
    user = request.user
    return page(
        request,
        "cases/detail.html",
        {
            "data": data,
            "chart": chart,
            "step_form": EmptyForm(initial={"version": case.version}),
            "can_edit": has_perm(user, Perm.EDIT_CASE) and case.is_open,
            "can_assess": has_perm(user, Perm.ASSESS_SAFETY) and case.is_open,
            "can_approve": has_perm(user, Perm.APPROVE_CLOSURE),
            "can_radar": has_perm(user, Perm.RADAR_LOOKUP),
        },
        case=case,
    )


def _address_from_report(report: object) -> dict[str, str]:
    """Best effort: the household address from the report's persons, if intake recorded it."""
    persons = getattr(report.contact, "persons", None) or []  # type: ignore[attr-defined]
    if isinstance(persons, dict):
        persons = [persons]
    for person in persons if isinstance(persons, list) else []:
        if isinstance(person, dict) and person.get("postcode"):
            return {
                "postcode": str(person.get("postcode", "")),
                "house_number": str(person.get("house_number", "")),
                "street": str(person.get("street", "")),
                "city": str(person.get("city", "")),
            }
    return {}


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def open_from_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """After "register as report": open a new case, or join an open case of the same family."""
    user = request.user
    report = access.report_for(user, report_id)
    existing = getattr(report, "case_link", None)
    if existing is not None:
        messages.info(request, _("This report is already part of a case."))
        return redirect("cases:detail", case_id=existing.case_id)
    if request.method == "POST" and request.POST.get("join"):
        target = access.case_for(user, int(request.POST["join"]), Perm.EDIT_CASE)
        try:
            link = actions.join_case(user, report, target)
        except actions.Refused as refused:
            messages.error(request, str(refused.message))
            return redirect("cases:open_from_report", report_id=report_id)
        messages.success(
            request,
            _("The report was added to case %(ref)s as: %(kind)s.")
            % {"ref": target.reference, "kind": link.get_involvement_display()},
        )
        return redirect("cases:detail", case_id=target.pk)
    initial = _address_from_report(report)
    form = OpenCaseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        previous = None
        if request.POST.get("previous"):
            previous = access.case_for(user, int(request.POST["previous"]))
        try:
            case = actions.open_case_from_report(
                user,
                report,
                household_label=data["household_label"],
                postcode=data["postcode"],
                house_number=data["house_number"],
                street=data["street"],
                city=data["city"],
                assign_to_self=data["assign_to_self"],
                previous_case=previous,
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("Case %(ref)s was opened.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    searched = bool(request.GET.get("postcode") or request.GET.get("reference"))
    postcode = request.GET.get("postcode", "") if searched else initial.get("postcode", "")
    number = request.GET.get("house_number", "") if searched else initial.get("house_number", "")
    matches: list[Case] = queries.possible_matches(
        user, report, keys.household_key(postcode, number)
    )
    if request.GET.get("reference"):
        matches += [
            c
            for c in queries.search(user, reference=request.GET["reference"], include_closed=True)
            if c not in matches
        ]
    return page(
        request,
        "cases/open_from_report.html",
        {
            "report": report,
            "form": form,
            "matches": matches,
            "search": {"postcode": postcode, "house_number": number},
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register a report that came in outside the public side, such as a police report."""
    user: Any = request.user
    form = PoliceReportForm(
        request.POST if request.method == "POST" else None, organisation=user.organisation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = actions.register_police_report(
                user,
                received_at=data["received_at"],
                municipality=data["municipality"],
                acute=data["acute"],
                violence_kinds=data["violence_kinds"],
                children_in_household=data["children_in_household"],
                narrative=data["narrative"],
                police_unit=data["police_unit"],
                police_reference=data["police_reference"],
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("The police report was registered."))
            return redirect("cases:open_from_report", report_id=report.pk)
    return page(
        request,
        "cases/register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
