import re

import pytest

PUBLIC_PAGES = ["/", "/hide-your-visit", "/accessibility", "/privacy"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_dutch_by_default_with_quick_exit_and_112(visitor, path, db):
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Snel weg" in html
    assert "data-quick-exit" in html and 'href="https://' in html
    assert 'href="tel:112"' in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_set_a_strict_policy_and_load_nothing_from_elsewhere(visitor, path, db):
    response = visitor.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    # Only the quick-exit link points elsewhere; no script, style, image or frame does.
    for tag in re.findall(r"<(?:script|link|img|iframe|source)[^>]*>", html):
        assert "http://" not in tag and "https://" not in tag, tag
    assert "<script>" not in html and " style=" not in html.split("<main")[0]


def test_the_language_switch_gives_english_without_javascript(visitor, db):
    response = visitor.post("/i18n/set-language", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Leave now" in html
    assert "Talk to someone" in html


def test_the_start_page_speaks_plain_dutch_to_the_visitor(visitor, db):
    html = visitor.get("/").content.decode()
    assert "Praat met iemand" in html
    assert "Je hoeft je naam niet te geven" in html


def test_a_forged_csrf_token_gets_a_plain_explanation(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/set-language", {"language": "en"})
    assert response.status_code == 403
    assert "verlopen" in response.content.decode()


def test_no_cookie_outlives_the_browser_session(visitor, db):
    visitor.get("/report/new")
    visitor.post("/i18n/set-language", {"language": "en", "next": "/"})
    assert visitor.cookies, "the form page should set its CSRF cookie"
    for morsel in visitor.cookies.values():
        assert not morsel["expires"] and not morsel["max-age"], morsel.key


def test_no_template_uses_inline_styles_or_scripts_that_the_csp_would_block():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if ' style="' in path.read_text(encoding="utf-8")
        or "<script>" in path.read_text(encoding="utf-8")
        or " onclick=" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
