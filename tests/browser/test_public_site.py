import pytest

from tests.browser.conftest import NEUTRAL_URL, assert_accessible, new_context, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PUBLIC_PAGES = ["/", "/hide-your-visit", "/accessibility", "/privacy"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_axe_violations(live_server_process, page, path):
    page.goto(live_server_process.url + path)
    assert_accessible(page)


def test_start_page_is_dutch_and_switches_to_english(live_server_process, page):
    page.goto(live_server_process.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Praat met iemand")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Talk to someone")
    assert_accessible(page)


def test_quick_exit_with_escape_leaves_and_back_does_not_return(live_server_process, page):
    page.goto(live_server_process.url + "/")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_URL)
    page.go_back()
    assert not page.url.startswith(live_server_process.url)


def test_quick_exit_with_three_shifts(live_server_process, page):
    page.goto(live_server_process.url + "/privacy")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL_URL)


def test_quick_exit_button_without_javascript_is_a_plain_link(live_server_process, browser):
    context = new_context(browser, javascript=False)
    page = context.new_page()
    page.goto(live_server_process.url + "/")
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url(NEUTRAL_URL)
    context.close()


def test_staff_login_with_totp_lands_on_the_dashboard(live_server_process, page):
    staff_login(page, live_server_process, "caseworker.utrecht")
    assert "Overzicht" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)


def test_the_server_log_holds_no_ip_address_or_user_agent(live_server_process, page):
    page.set_extra_http_headers({"User-Agent": "SecretPhone/1.0", "X-Forwarded-For": "192.0.2.99"})
    for path in PUBLIC_PAGES:
        page.goto(live_server_process.url + path)
    log = live_server_process.log()
    assert "127.0.0.1:" not in log.replace(live_server_process.url, "")
    assert "SecretPhone" not in log
    assert "192.0.2.99" not in log
