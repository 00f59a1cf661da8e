# SPDX-License-Identifier: EUPL-1.2
"""The staff menu: each entry is shown to the roles that hold its permission."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, has_perm


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    perm: Perm


NAV: list[NavItem] = [
    NavItem("accounts:dashboard", _("Overview"), Perm.VIEW_DASHBOARD),
]
# Apps add their own entries in ``vangnet/<app>/nav.py`` as ``NAV_ITEMS: list[NavItem]``.
NAV_APPS = ["intake", "chat", "cases", "radar", "referrals", "stats", "audit"]


@cache
def all_items() -> list[NavItem]:
    items = list(NAV)
    for app in NAV_APPS:
        try:
            module = import_module(f"vangnet.{app}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"vangnet.{app}.nav":
                raise
            continue
        items.extend(module.NAV_ITEMS)
    return items


def staff_nav(request: HttpRequest) -> list[dict[str, Any]]:
    items = []
    for item in all_items():
        if has_perm(request.user, item.perm):
            url = reverse(item.url_name)
            items.append({"url": url, "label": item.label, "current": request.path == url})
    return items


@dataclass(frozen=True)
class SummaryLine:
    label: str
    value: int
    url: str
    urgent: bool = False


def dashboard_summary(user: Any) -> list[SummaryLine]:
    """Counts for the dashboard, from each app's ``nav.summary(user)`` when it has one."""
    lines: list[SummaryLine] = []
    for app in NAV_APPS:
        try:
            module = import_module(f"vangnet.{app}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"vangnet.{app}.nav":
                raise
            continue
        summary = getattr(module, "summary", None)
        if summary is not None:
            lines.extend(summary(user))
    return lines
