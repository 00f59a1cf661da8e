"""Browser tests for issue 7: the help finder, a referral accepted by its receiver, and a
police forwarding blocked without consent, then done with consent, four eyes and step-up."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.conftest import (
    assert_accessible,
    demo_totp,
    new_context,
    staff_login,
    start_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def scenario(server):
    """A fresh demo case: an anonymous victim's report (with return code), her son of 9 and
    the alleged perpetrator."""
    return json.loads(server.manage("referrals_demo_case").strip().splitlines()[-1])


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_victim_finds_the_right_help_in_three_clicks(live_server_process, browser, javascript):
    context = new_context(browser, javascript=javascript)
    page = context.new_page()
    page.goto(live_server_process.url + "/")
    page.get_by_role("link", name="Vind de juiste hulp").click()
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name="Het overkomt mij").click()
    page.get_by_role("button", name="Geweld, bedreiging of controle thuis").click()
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name="Nee, ik wil weten wat ik kan doen").click()
    # Three clicks in the finder: the right places, with how to reach them.
    assert page.get_by_role("heading", level=1).inner_text() == "Plekken die je kunnen helpen"
    first = page.locator(".vg-help").first
    assert "Veilig Thuis" in first.inner_text() and "0800 2000" in first.inner_text()
    assert page.url.endswith("/help")  # the answers are not in the address bar
    if javascript:
        assert_accessible(page)
    # Where do you live: the visitor's own Veilig Thuis region.
    page.select_option("#id_municipality", label="Utrecht")
    page.get_by_role("button", name="Laat hulp zien").click()
    assert "Jouw regio: Veilig Thuis Utrecht" in page.locator(".vg-help").first.inner_text()
    if javascript:
        assert_accessible(page)
    context.close()


def test_danger_now_shows_112_first(live_server_process, page):
    page.goto(live_server_process.url + "/help")
    page.get_by_role("button", name="Het overkomt mij").click()
    page.get_by_role("button", name="Verkrachting, aanranding").click()
    page.get_by_role("button", name="Ja, er is nu gevaar").click()
    assert "112" in page.locator(".vg-help").first.inner_text()
    assert_accessible(page)


def test_the_whole_directory_is_one_list_linked_from_the_start_page(live_server_process, page):
    page.goto(live_server_process.url + "/")
    page.get_by_role("link", name="Alle plekken voor hulp op een rij").click()
    assert page.locator(".vg-help").count() >= 17
    assert "De Kindertelefoon" in page.content()
    assert_accessible(page)


def record_consent(page, server, case, purpose, recipient):
    page.goto(f"{server.url}/staff/sharing/cases/{case['case_id']}")
    page.get_by_role("link", name="Toestemming vastleggen").click()
    page.check(f"input[name=subject][value='{case['persons']['victim']}']")
    page.select_option("#id_purpose", purpose)
    page.select_option("#id_recipient", label=recipient)
    for section in ("case_summary", "persons"):
        page.check(f"input[name=sections][value={section}]")
    page.check("#id_given_by_subject")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    assert "De toestemming is vastgelegd." in page.content()


def ask_to_share(page, case, receiver, button_text="Goedkeuring vragen"):
    page.select_option("#id_receiver", label=receiver)
    page.check(f"input[name=subject][value='{case['persons']['victim']}']")
    for section in ("case_summary", "persons"):
        page.check(f"input[name=sections][value={section}]")
    page.locator("input[name=basis]").first.check()
    page.fill("#id_reason", "Sanne wil hulp van het buurtteam.")
    page.get_by_role("button", name=button_text).click()


def test_a_referral_accepted_by_the_receiver_who_sees_only_the_shared_part(
    live_server_process, browser
):
    server = live_server_process
    case = scenario(server)
    worker = new_context(browser)
    page = worker.new_page()
    staff_login(page, server, "caseworker.utrecht")
    record_consent(page, server, case, "referral", "Buurtteam Utrecht")
    assert_accessible(page)
    page.get_by_role("link", name="Doorverwijzen naar een partner").click()
    page.check("input[name=kind][value=handover]")
    ask_to_share(page, case, "Buurtteam Utrecht")
    assert page.locator("#state").inner_text() == "Wacht op goedkeuring"
    referral_url = page.url
    assert_accessible(page)
    worker.close()

    boss = new_context(browser)
    page = boss.new_page()
    staff_login(page, server, "supervisor.utrecht")
    page.goto(referral_url)
    page.get_by_role("link", name="Goedkeuren en versturen").click()
    assert_accessible(page)
    page.click("#approve")
    assert page.locator("#state").inner_text() == "Verstuurd, wacht op de ontvanger"
    boss.close()

    team = new_context(browser)
    page = team.new_page()
    staff_login(page, server, "caseworker.buurtteam")
    page.goto(server.url + "/staff/sharing/incoming")
    page.locator("table a").first.click()
    shared = page.locator("#shared").inner_text()
    assert case["case_reference"] in shared and "K-" in shared
    assert "Sanne" not in page.content() and "Daan" not in page.content()
    assert "Demostraat" not in page.content()
    assert page.locator("#responsible").inner_text() == "Veilig Thuis Utrecht"
    assert_accessible(page)
    page.get_by_role("button", name="Aannemen").click()
    assert page.locator("#state").inner_text() == "Aangenomen door de ontvanger"
    assert page.locator("#responsible").inner_text() == "Buurtteam Utrecht"
    # The receiver cannot open the sending organisation's case.
    response = page.goto(f"{server.url}/staff/sharing/cases/{case['case_id']}")
    assert response.status == 404
    team.close()


@pytest.fixture(scope="module")
def short_step_up_server(tmp_path_factory):
    """A server where a second factor is fresh for only 30 seconds, to see the step-up."""
    proc, server = start_server(
        tmp_path_factory.mktemp("stepup"), {"VANGNET_STEP_UP_MAX_AGE_SECONDS": "30"}
    )
    yield server
    proc.terminate()
    proc.wait(timeout=10)


def test_a_police_forwarding_blocked_without_consent_then_done_with_four_eyes_and_step_up(
    short_step_up_server, browser
):
    server = short_step_up_server
    case = scenario(server)
    worker = new_context(browser)
    page = worker.new_page()
    staff_login(page, server, "caseworker.utrecht")
    page.goto(f"{server.url}/staff/sharing/cases/{case['case_id']}/police")
    assert page.locator("#blocked").is_visible()  # no consent: nothing can even be asked
    assert_accessible(page)
    record_consent(page, server, case, "police_forwarding", "Politie eenheid Midden-Nederland")
    page.get_by_role("link", name="Doorzetten naar de politie").click()
    ask_to_share(page, case, "Politie eenheid Midden-Nederland")
    assert page.locator("#state").inner_text() == "Wacht op goedkeuring"
    forwarding_url = page.url
    # The requester cannot approve their own request: there is no approve button for them.
    assert page.get_by_role("link", name="Goedkeuren en doorzetten").count() == 0
    worker.close()

    boss = new_context(browser)
    page = boss.new_page()
    staff_login(page, server, "supervisor.utrecht")
    logged_in = time.time()
    page.goto(forwarding_url)
    time.sleep(max(0.0, 31 - (time.time() - logged_in)))  # the login's code is now stale
    page.get_by_role("link", name="Goedkeuren en doorzetten").click()
    page.wait_for_url("**/staff/step-up**")
    assert_accessible(page)
    page.fill("#id_otp_token", demo_totp("supervisor.utrecht"))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/approve")
    page.click("#approve")
    assert page.locator("#state").inner_text() == "Doorgezet naar de politie"
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (voor mensen)").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert_accessible(page)
    boss.close()

    # The anonymous victim sees with her return code that and when it happened.
    victim = new_context(browser, javascript=False)
    page = victim.new_page()
    page.goto(server.url + "/return")
    page.fill("#id_code", case["return_code"])
    page.get_by_role("button", name="Mijn berichten openen").click()
    assert "doorgegeven aan de politie" in page.content()
    victim.close()
