# SPDX-License-Identifier: EUPL-1.2
"""The public start page and the pages every visitor may need (hiding a visit, accessibility)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class Choice:
    url_name: str
    title: Promise
    text: Promise
    query: str = ""

    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


# What a visitor can do here, in the order a person in trouble needs it. Each channel app
# declares its entry in ``vangnet/<app>/public_links.py`` as ``CHOICES: list[Choice]``.
CHOICE_APPS = ["chat", "intake", "referrals"]


@cache
def all_choices() -> list[Choice]:
    found: list[Choice] = []
    for app in CHOICE_APPS:
        try:
            module = import_module(f"vangnet.{app}.public_links")
        except ModuleNotFoundError as exc:
            if exc.name != f"vangnet.{app}.public_links":
                raise
            continue
        found.extend(module.CHOICES)
    return found


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    choices = [{"url": c.url(), "title": c.title, "text": c.text} for c in all_choices()]
    return render(
        request,
        "public/start.html",
        {
            "choices": choices,
            "hide_url": reverse("public:hide_visit"),
            "return_url": reverse("intake:return"),
        },
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
