import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from conftest import PASSWORD, current_code, login_client
from vangnet.accounts.auth import SESSION_LOGIN_AT
from vangnet.audit.models import AuditEvent


def stored_cache_keys() -> list[str]:
    """The keys as the cache backend stores them (LocMem in one process, Redis with REDIS_URL)."""
    backend = cache._cache  # type: ignore[attr-defined]
    if isinstance(backend, dict):
        return [str(k) for k in backend]
    client = backend.get_client(None, write=False)
    return [k.decode() if isinstance(k, bytes) else str(k) for k in client.keys("*")]


def _login(client, user, *, password=PASSWORD, code=None):
    return client.post(
        "/staff/login",
        {"username": user.username, "password": password, "otp_token": code or current_code(user)},
    )


def test_staff_logs_in_with_password_and_totp_and_lands_on_the_dashboard(counsellor):
    client = Client()
    response = _login(client, counsellor)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Veilig Thuis Utrecht" in page.content.decode()
    assert AuditEvent.objects.filter(action="login", actor_id=str(counsellor.pk)).exists()


def test_a_wrong_totp_code_is_refused_with_the_same_message_as_a_wrong_password(counsellor):
    wrong_code = _login(
        Client(), counsellor, code="000000" if current_code(counsellor) != "000000" else "111111"
    )
    wrong_password = _login(Client(), counsellor, password="not-the-password")
    assert wrong_code.status_code == wrong_password.status_code == 400
    for response in (wrong_code, wrong_password):
        assert "klopt niet" in response.content.decode()


def test_password_alone_never_gives_access(counsellor):
    client = Client()
    client.post(
        "/staff/login", {"username": counsellor.username, "password": PASSWORD, "otp_token": ""}
    )
    assert client.get("/staff/").status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_account_even_with_the_right_code_and_keys_hold_no_raw_identity(
    counsellor,
):
    client = Client(REMOTE_ADDR="198.51.100.23")
    for _ in range(3):
        assert _login(client, counsellor, password="wrong-password-x").status_code == 400
    locked = _login(client, counsellor)
    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.content.decode()
    keys = stored_cache_keys()
    assert keys, "throttle state should be in the cache"
    joined = " ".join(keys)
    assert "198.51.100.23" not in joined
    assert counsellor.username not in joined


def test_sessions_end_after_the_absolute_maximum(counsellor, settings):
    client = login_client(counsellor)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - settings.SESSION_MAX_SECONDS - 1
    session.save()
    assert client.get("/staff/").status_code == 302


def test_idle_timeout_is_the_session_cookie_age(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_user_without_organisation_cannot_log_in(make_staff, region_utrecht):
    user = make_staff("loose.user", region_utrecht, "counsellor")
    user.organisation = None
    user.save()
    assert _login(Client(), user).status_code == 400


def test_step_up_asks_for_a_fresh_code(counsellor):
    client = login_client(counsellor, otp_age=3600)
    response = client.post("/staff/step-up?next=/staff/", {"otp_token": current_code(counsellor)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="step_up").exists()


def test_login_redirect_refuses_foreign_next_urls(counsellor):
    client = Client()
    response = client.post(
        "/staff/login?next=https://evil.example/",
        {
            "username": counsellor.username,
            "password": PASSWORD,
            "otp_token": current_code(counsellor),
        },
    )
    assert response["Location"] == "/staff/"


@pytest.mark.parametrize("path", ["/staff/", "/staff/step-up"])
def test_staff_pages_send_anonymous_visitors_to_login(visitor, path, db):
    response = visitor.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login")


def test_staff_pages_need_the_second_factor_not_only_a_password_session(counsellor):
    client = Client()
    client.force_login(counsellor)  # password session without OTP verification
    assert client.get("/staff/").status_code == 302
