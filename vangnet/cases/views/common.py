# SPDX-License-Identifier: EUPL-1.2
"""Shared view helpers: rendering with the staff menu, audited reads, conflict messages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vangnet.accounts.nav import staff_nav
from vangnet.audit.log import record_read
from vangnet.cases.models import Case, CaseEvent

ACTIVITY = "vg-004-case-work"


def page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    case: Case | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a staff page. A page that shows a case is an audited read of that case."""
    if case is not None:
        record_read(request.user, case, ACTIVITY)
    return render(
        request,
        template,
        {"staff_nav": staff_nav(request), "case": case, **context},
        status=status,
    )


def conflict_message(case: Case | None) -> str:
    """Who changed the case meanwhile, so the second worker knows what to look at."""
    base = _(
        "Someone else changed this case while you were working on it. Your changes have NOT "
        "been saved. Look at the case as it is now, then enter your change again."
    )
    if case is None:
        return base
    last = CaseEvent.objects.filter(case=case).select_related("actor").first()
    if last is None or last.actor is None:
        return base
    return (
        base
        + " "
        + _("Last change: %(action)s by %(who)s at %(when)s.")
        % {
            "action": last.action.replace("_", " "),
            "who": str(last.actor),
            "when": last.at.astimezone().strftime("%d-%m-%Y %H:%M"),
        }
    )
