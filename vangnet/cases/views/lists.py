# SPDX-License-Identifier: EUPL-1.2
"""The worklist, the waiting list and case search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from vangnet.accounts.access import Perm, has_perm
from vangnet.accounts.decorators import staff_required
from vangnet.cases import access, queries
from vangnet.cases.forms import MatchSearchForm
from vangnet.cases.views.common import page


@staff_required(Perm.VIEW_CASE)
def worklist(request: HttpRequest) -> HttpResponse:
    access.cases_for(request.user)
    can_team = has_perm(request.user, Perm.APPROVE_CLOSURE)
    team = can_team and request.GET.get("view", "team") == "team"
    data = queries.worklist(request.user, team=team)
    return page(request, "cases/worklist.html", {"worklist": data, "can_team": can_team})


@staff_required(Perm.VIEW_CASE)
def waiting_list(request: HttpRequest) -> HttpResponse:
    access.cases_for(request.user)
    rows, total = queries.waiting_list(request.user)
    return page(request, "cases/waiting_list.html", {"rows": rows, "total": total})


@staff_required(Perm.VIEW_CASE)
def case_list(request: HttpRequest) -> HttpResponse:
    access.cases_for(request.user)
    form = MatchSearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        results = queries.search(
            request.user,
            reference=data["reference"],
            postcode=data["postcode"],
            house_number=data["house_number"],
            include_closed=request.GET.get("closed") == "1",
        )
    return page(request, "cases/case_list.html", {"form": form, "results": results})
