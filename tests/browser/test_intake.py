"""The anonymous reporting journey in the real browser, with and without JavaScript:
report → code → come back → staff reply → read the reply."""

import pytest

from tests.browser.conftest import assert_accessible, new_context, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _report(page, server, story: str) -> str:
    page.goto(server.url + "/")
    page.get_by_role("link", name="Ik wil iets melden").click()
    assert_accessible(page)
    page.get_by_label("Ik maak me zorgen om iemand anders").check()
    page.get_by_label("Een kind wordt geslagen").check()
    page.get_by_label("Langer dan een jaar").check()
    page.get_by_label("Vertel wat er aan de hand is").fill(story)
    page.get_by_label("In welke gemeente gebeurt het?").select_option(label="Utrecht")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert "We hebben je bericht ontvangen" in page.content()
    assert_accessible(page)
    code = page.locator("#return-code").inner_text().strip()
    assert code not in page.url
    return code


def _staff_replies(browser, server, story: str, reply: str) -> None:
    context = new_context(browser)
    page = context.new_page()
    staff_login(page, server, "triageworker.utrecht")
    page.get_by_role("link", name="Binnengekomen").first.click()
    assert_accessible(page)
    # Oldest first: the contact just sent is the last row.
    page.locator("tr", has_text="melding").last.get_by_role("link").first.click()
    assert story in page.content()
    page.get_by_label("Antwoord aan de melder").fill(reply)
    page.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_load_state()
    assert "Je antwoord is naar de melder gestuurd" in page.content()
    assert_accessible(page)
    context.close()


def _read_reply(page, server, code: str, reply: str) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name="Ik heb een code").click()
    page.get_by_label("Je code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Mijn berichten openen").click()
    page.wait_for_url(server.url + "/return/thread")
    assert reply in page.content()
    assert_accessible(page)
    page.get_by_label("Je bericht").fill("Dank jullie wel.")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert "Je bericht is verstuurd" in page.content()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_report_code_return_reply_journey(live_server_process, browser, javascript):
    story = f"Journey {'js' if javascript else 'nojs'}: het kind huilt vaak 's nachts."
    reply = f"Dank je wel voor je melding ({'js' if javascript else 'nojs'}). Wij gaan kijken."
    context = new_context(browser, javascript=javascript)
    page = context.new_page()
    code = _report(page, live_server_process, story)
    _staff_replies(browser, live_server_process, story, reply)
    _read_reply(page, live_server_process, code, reply)
    context.close()
    log = live_server_process.log()
    assert code not in log and code.replace("-", "") not in log


def test_a_validation_error_keeps_the_story_in_the_browser(live_server_process, page):
    page.goto(live_server_process.url + "/report/new?kind=advice")
    page.get_by_label("Vertel wat er aan de hand is").fill("Dit mag niet verloren gaan.")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert "nog niet verstuurd" in page.content()
    assert (
        page.get_by_label("Vertel wat er aan de hand is").input_value()
        == "Dit mag niet verloren gaan."
    )
    assert_accessible(page)
