# SPDX-License-Identifier: EUPL-1.2
"""The figures pages (public, no login) and the statisticians' page (staff).

Thin views: the read models in :mod:`figures` and :mod:`staff` do the work; the public views
only ever read the protected publication.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.access import Perm
from vangnet.accounts.decorators import staff_required
from vangnet.audit.log import Actor, record
from vangnet.stats import actions, figures, staff
from vangnet.stats.access import statistics_scope
from vangnet.stats.cbs import SEPARATOR
from vangnet.stats.figures import Page
from vangnet.stats.periods import PeriodError, half_year_of, parse
from vangnet.stats.publish import ACTIVITY


def _period(request: HttpRequest) -> str | None:
    value = request.GET.get("period", "").strip()
    if not value:
        return None
    try:
        return parse(value, kinds="H").code
    except PeriodError:
        raise Http404 from None


def _page(request: HttpRequest, region: str = "", municipality: str = "") -> Page | None:
    period = _period(request)
    published = figures.publications()
    if period is None and not region and not published:
        return None  # nothing published yet: the start page says so
    return figures.load_page(period, region, municipality, published)


def _render(request: HttpRequest, page: Page | None) -> HttpResponse:
    context: dict[str, Any] = {"page": page, "child_headers": figures.child_headers()}
    if page is not None:
        context["csv_url"] = _csv_url(page)
        context["parent_url"] = (
            figures.page_url(page.parent.code, page.parent.parent_code, page.publication.period)
            if page.parent
            else ""
        )
    return render(request, "stats/figures.html", context)


def _csv_url(page: Page) -> str:
    query = "?" + urlencode({"period": page.publication.period})
    area = page.area
    if area.level == "country":
        return reverse("stats:figures_csv") + query
    if area.level == "region":
        return reverse("stats:region_csv", args=[area.code]) + query
    return reverse("stats:municipality_csv", args=[area.parent_code, area.code]) + query


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _render(request, _page(request))


@require_GET
def region(request: HttpRequest, region: str) -> HttpResponse:
    return _render(request, _page(request, region))


@require_GET
def municipality(request: HttpRequest, region: str, municipality: str) -> HttpResponse:
    return _render(request, _page(request, region, municipality))


@require_GET
def download(request: HttpRequest, region: str = "", municipality: str = "") -> HttpResponse:
    page = figures.load_page(_period(request), region, municipality)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"vangnet-figures-{page.area.code}-{page.publication.period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, delimiter=SEPARATOR, lineterminator="\n")
    writer.writerows(figures.csv_rows(page))
    return response


@staff_required(Perm.VIEW_STATISTICS)
@require_GET
def staff_overview(request: HttpRequest) -> HttpResponse:
    scope = statistics_scope(request.user)
    period = _period(request)
    data = staff.overview(scope, period, request.GET.get("area") or None)
    current = half_year_of(timezone.now())
    choices = [current.code]
    for _i in range(3):
        current = current.previous()
        choices.append(current.code)
    return render(request, "stats/staff.html", {"data": data, "publish_choices": choices})


@staff_required(Perm.VIEW_STATISTICS)
@require_POST
def staff_publish(request: HttpRequest) -> HttpResponse:
    statistics_scope(request.user)
    try:
        period = parse(request.POST.get("period", ""), kinds="H")
    except PeriodError:
        messages.error(request, _("Choose a half-year."))
        return redirect("stats:staff")
    publication = actions.republish(request.user, period)
    messages.success(
        request,
        _("The figures of %(period)s were refreshed and published.") % {"period": period.code},
    )
    return redirect(reverse("stats:staff") + "?" + urlencode({"period": publication.period}))


@staff_required(Perm.VIEW_STATISTICS)
@require_GET
def staff_raw_csv(request: HttpRequest) -> HttpResponse:
    scope = statistics_scope(request.user)
    data = staff.overview(scope, _period(request), request.GET.get("area") or None)
    record(
        actor=Actor.staff(request.user),
        action="raw_figures_downloaded",
        activity=ACTIVITY,
        details={"period": data.period, "area": data.area},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"vangnet-raw-{data.area}-{data.period or 'none'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, delimiter=SEPARATOR, lineterminator="\n")
    writer.writerow(["period", "area_code", "table", "category", "value"])
    for table in data.tables:
        for (_label, value), category in zip(table.rows, table.table.category_codes, strict=True):
            writer.writerow([data.period, data.area, table.table.id, category, value])
        writer.writerow([data.period, data.area, table.table.id, "total", table.total])
    return response
