# SPDX-License-Identifier: EUPL-1.2
"""Staff pages for the help directory: every staff member reads it (to refer callers), with
unverified entries marked; administrators (``Perm.MANAGE_DIRECTORY``) add and change entries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vangnet.accounts.access import Perm, has_perm
from vangnet.accounts.decorators import staff_required
from vangnet.accounts.nav import staff_nav
from vangnet.referrals import access, directory
from vangnet.referrals.actions import directory as actions
from vangnet.referrals.forms import HelpEntryForm
from vangnet.referrals.models import HelpEntry


@staff_required(Perm.VIEW_DASHBOARD)
def staff_directory(request: HttpRequest) -> HttpResponse:
    rows: list[dict[str, Any]] = []
    unverified = 0
    for entry in HelpEntry.objects.all():
        unverified += not entry.verified
        url = directory.internal_url(entry.url_name) if entry.internal else None
        rows.append({"entry": entry, "url": url, "broken": entry.internal and url is None})
    return render(
        request,
        "referrals/staff_directory.html",
        {
            "rows": rows,
            "can_manage": has_perm(request.user, Perm.MANAGE_DIRECTORY),
            "unverified": unverified,
            "staff_nav": staff_nav(request),
        },
    )


@staff_required(Perm.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    entry = HelpEntry() if slug is None else access.help_entry_for_manager(request.user, slug)
    form = HelpEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_help_entry(request.user, form)
        messages.success(request, _("Saved: %(name)s.") % {"name": saved.name})
        return redirect("referrals:staff_directory")
    return render(
        request,
        "referrals/staff_directory_edit.html",
        {"form": form, "entry": entry, "staff_nav": staff_nav(request)},
        status=400 if form.errors else 200,
    )
