# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from vangnet.accounts.auth import SESSION_LOGIN_AT


class StaffSessionMiddleware:
    """Ends a staff session after its absolute maximum, whatever the activity.

    The idle timeout is Django's own sliding session expiry (SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(SESSION_LOGIN_AT)
            if login_at is None or time.time() - float(login_at) > settings.SESSION_MAX_SECONDS:
                logout(request)
        return self.get_response(request)
