# SPDX-License-Identifier: EUPL-1.2
"""Staff authentication: password + TOTP, throttled, and step-up for sensitive actions."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import match_token

from vangnet.accounts.models import User
from vangnet.audit.log import Actor, record
from vangnet.lib import throttle

SESSION_LOGIN_AT = "vg_login_at"
SESSION_OTP_AT = "vg_otp_at"


def _limit() -> throttle.Limit:
    return throttle.Limit(
        "login", settings.LOGIN_MAX_FAILURES, settings.LOGIN_FAILURE_WINDOW_SECONDS
    )


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_seconds: int = 0


def _throttle_keys(request: HttpRequest, username: str) -> list[tuple[str, ...]]:
    # Per account (stops guessing one password) and per client (stops spraying many accounts).
    return [("user", username.strip().lower()), ("client", getattr(request, "client_key", ""))]


def attempt_login(request: HttpRequest, username: str, password: str, token: str) -> LoginResult:
    keys = _throttle_keys(request, username)
    locked = max(throttle.locked_for("login", *k) for k in keys)
    if locked:
        return LoginResult(None, locked)
    user = authenticate(request, username=username, password=password)
    device = match_token(user, token.strip()) if isinstance(user, User) else None
    if not isinstance(user, User) or device is None or user.organisation_id is None:
        limit = _limit()
        for k in keys:
            if throttle.hit(limit, *k) >= limit.max_hits:
                throttle.lock("login", limit.window_seconds, *k)
        record(
            actor=Actor.system("login"),
            action="login_failed",
            activity="vg-010-security",
            status="error",
            details={"known_user": isinstance(user, User)},
        )
        return LoginResult(None, 0)
    for k in keys:
        throttle.reset(_limit(), *k)
    login(request, user)
    otp_login(request, device)
    now = time.time()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_OTP_AT] = now
    record(actor=Actor.staff(user), action="login", activity="vg-010-security", obj=user)
    return LoginResult(user)


def step_up(request: HttpRequest, token: str) -> bool:
    """Check a fresh second factor for a sensitive action (OWASP ASVS 7.5.3)."""
    user: Any = request.user
    device = match_token(user, token.strip())
    ok = device is not None
    record(
        actor=Actor.staff(user),
        action="step_up" if ok else "step_up_failed",
        activity="vg-010-security",
        status="ok" if ok else "error",
        obj=user,
    )
    if ok:
        request.session[SESSION_OTP_AT] = time.time()
    return ok


def has_fresh_second_factor(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_OTP_AT)
    return at is not None and time.time() - float(at) <= settings.STEP_UP_MAX_AGE_SECONDS
