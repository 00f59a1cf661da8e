# SPDX-License-Identifier: EUPL-1.2
"""Public pages: the help finder (wegwijzer) and the whole directory as one list.

No JavaScript is needed. Answers travel in POST bodies, not in the URL, so they do not end up in
the browser history of a shared or checked phone; nothing the visitor answers is stored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from vangnet.referrals import directory, finder
from vangnet.referrals.forms import FinderForm
from vangnet.referrals.models import HelpEntry

STEPS = [
    ("who", finder.WHO),
    ("what", finder.WHAT),
    ("urgency", finder.URGENCY),
]


@require_http_methods(["GET", "POST"])
def help_finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        form.is_valid()  # invalid answers drop out of cleaned_data and are asked again
    data: dict[str, Any] = getattr(form, "cleaned_data", {})
    for number, (name, options) in enumerate(STEPS, start=1):
        if not data.get(name):
            carried = [(n, data[n]) for n, _o in STEPS if data.get(n)]
            return render(
                request,
                "referrals/finder_step.html",
                {"step": name, "number": number, "total": len(STEPS), "options": options,
                 "carried": carried},
            )  # fmt: skip
    answers = form.answers()
    assert answers is not None
    entries = HelpEntry.objects.filter(active=True)
    matches = finder.find(entries, answers, directory.internal_url)
    municipality = data.get("municipality")
    region = municipality.vt_region if municipality is not None else None
    return render(
        request,
        "referrals/finder_results.html",
        {
            "matches": matches,
            "answers": answers,
            "who": finder.WHO_BY_KEY[answers.who],
            "what": finder.WHAT_BY_KEY[answers.what],
            "urgency": finder.URGENCY_BY_KEY[answers.urgency],
            "municipality": municipality,
            "region": region,
            "form": form,
        },
    )


@require_safe
def directory_list(request: HttpRequest) -> HttpResponse:
    entries = []
    for entry in HelpEntry.objects.filter(active=True):
        url = None
        if entry.internal:
            url = directory.internal_url(entry.url_name)
            if url is None or entry.url_name == finder.FINDER_URL_NAME:
                continue
        entries.append(finder.Match(entry, url=url))
    return render(request, "referrals/directory_list.html", {"matches": entries})
