# SPDX-License-Identifier: EUPL-1.2
"""View guards for staff pages: logged in with two factors, role permission, fresh 2FA."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from vangnet.accounts import access
from vangnet.accounts.auth import has_fresh_second_factor

View = Callable[..., HttpResponse]


def _to_login(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}))


def staff_required(perm: access.Perm) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated or not user.is_verified():
                return _to_login(request)
            access.require(user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def fresh_second_factor_required(view: View) -> View:
    """Sensitive actions ask for the authenticator code again when the last one is not fresh."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_fresh_second_factor(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(reverse("accounts:step_up") + "?" + query)
        return view(request, *args, **kwargs)

    return wrapped
