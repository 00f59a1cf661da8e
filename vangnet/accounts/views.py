# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vangnet.accounts.access import Perm
from vangnet.accounts.auth import attempt_login, step_up
from vangnet.accounts.decorators import staff_required
from vangnet.accounts.forms import LoginForm, StepUpForm
from vangnet.accounts.nav import dashboard_summary, staff_nav


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = attempt_login(
            request,
            form.cleaned_data["username"],
            form.cleaned_data["password"],
            form.cleaned_data["otp_token"],
        )
        if result.user is not None:
            return redirect(_safe_next(request, "/staff/"))
        if result.locked_seconds:
            minutes = max(1, result.locked_seconds // 60)
            form.add_error(
                None,
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            status = 429
        else:
            form.add_error(
                None, _("This combination of user name, password and code is not right.")
            )
            status = 400
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@staff_required(Perm.VIEW_DASHBOARD)
@require_http_methods(["GET", "POST"])
def step_up_view(request: HttpRequest) -> HttpResponse:
    form = StepUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if step_up(request, form.cleaned_data["otp_token"]):
            return redirect(_safe_next(request, "/staff/"))
        form.add_error("otp_token", _("This code is not right. Try the newest code."))
    return render(
        request,
        "accounts/step_up.html",
        {"form": form, "next": _safe_next(request, ""), "staff_nav": staff_nav(request)},
    )


@staff_required(Perm.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/dashboard.html",
        {"staff_nav": staff_nav(request), "summary": dashboard_summary(request.user)},
    )
