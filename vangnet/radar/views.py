# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.accounts.access import Perm
from vangnet.accounts.decorators import staff_required
from vangnet.accounts.nav import staff_nav
from vangnet.cases.access import case_for
from vangnet.radar import actions
from vangnet.radar.forms import AnswerForm, DetailRequestForm
from vangnet.radar.models import DetailRequest, RequestStatus


def _score(request: HttpRequest) -> float:
    try:
        return max(0.0, min(1.0, float(request.POST.get("score", "0"))))
    except ValueError:
        return 0.0


@staff_required(Perm.RADAR_LOOKUP)
def case_radar(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    results = actions.lookup_case(request.user, case)
    return render(
        request,
        "radar/case.html",
        {
            "case": case,
            "results": results,
            "form": DetailRequestForm(),
            "staff_nav": staff_nav(request),
        },
    )


@staff_required(Perm.RADAR_LOOKUP)
@require_POST
def feedback(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    try:
        own, other = int(request.POST["entry"]), int(request.POST["other"])
    except (KeyError, ValueError):
        raise Http404 from None
    actions.give_feedback(
        request.user, own, other, request.POST.get("verdict", ""), _score(request)
    )
    messages.success(request, _("Your judgement has been saved."))
    return redirect("radar:case", case_id=case.pk)


@staff_required(Perm.RADAR_LOOKUP)
@require_POST
def ask_details(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    form = DetailRequestForm(request.POST)
    try:
        own, other = int(request.POST["entry"]), int(request.POST["other"])
    except (KeyError, ValueError):
        raise Http404 from None
    if form.is_valid():
        actions.request_details(
            request.user, own, other, form.cleaned_data["reason"], _score(request)
        )
        messages.success(request, _("Your request has been sent to the other organisation."))
    else:
        messages.error(request, _("Give the reason for your request."))
    return redirect("radar:case", case_id=case.pk)


@staff_required(Perm.RADAR_LOOKUP)
def requests_list(request: HttpRequest) -> HttpResponse:
    org = request.user.organisation_id  # type: ignore[union-attr]
    items = (
        DetailRequest.objects.filter(
            Q(entry__organisation_id=org) | Q(requesting_organisation_id=org)
        )
        .select_related("entry__organisation", "requesting_organisation", "about")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "radar/requests.html",
        {"items": items, "org": org, "form": AnswerForm(), "staff_nav": staff_nav(request)},
    )


@staff_required(Perm.RADAR_LOOKUP)
@require_http_methods(["POST"])
def answer(request: HttpRequest, request_id: int) -> HttpResponse:
    form = AnswerForm(request.POST)
    if form.is_valid():
        decline = "decline" in request.POST
        if not decline and not form.cleaned_data["answer"]:
            messages.error(request, _("Write an answer, or decline the request."))
        else:
            done = actions.answer_request(
                request.user, request_id, answer=form.cleaned_data["answer"], decline=decline
            )
            if done.status == RequestStatus.DECLINED:
                messages.success(request, _("The request has been declined."))
            else:
                messages.success(request, _("Your answer has been sent."))
    return redirect("radar:requests")
