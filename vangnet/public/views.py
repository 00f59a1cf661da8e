# SPDX-License-Identifier: EUPL-1.2
"""The public start page and the pages every visitor may need (hiding a visit, accessibility)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class Choice:
    url_name: str
    title: Promise
    text: Promise


# What a visitor can do here, in the order a person in trouble needs it.
CHOICES: list[Choice] = []


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    choices = [{"url": reverse(c.url_name), "title": c.title, "text": c.text} for c in CHOICES]
    return render(
        request,
        "public/start.html",
        {"choices": choices, "hide_url": reverse("public:hide_visit"), "return_url": ""},
    )


@require_safe
def hide_visit(request: HttpRequest) -> HttpResponse:
    return render(request, "public/hide_visit.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibility.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or expired form token: explain in plain words, keep nothing, log nothing."""
    return HttpResponseForbidden(render_to_string("public/csrf_failure.html", request=request))


_ = _  # choices are added as the channels (report, chat, help finder) land
