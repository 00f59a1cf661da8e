"""Case work in the real browser, the whole journey:

anonymous report → case → safety assessment (structural unsafety) → Voorwaarden & Vervolg →
two safety scores → feedback read by the reporter with the return code → closure approved by a
supervisor. Every main page passes axe-core.
"""

from datetime import date, timedelta

import pytest

from tests.browser.conftest import assert_accessible, new_context, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STORY = "Casusreis: de buren horen al maanden elke week ruzie en een kind dat huilt."
FEEDBACK = "Veilig Thuis heeft afspraken gemaakt met het gezin en houdt een tijd zicht."


def _anonymous_report(page, server) -> str:
    page.goto(server.url + "/report/new?kind=report")
    page.get_by_label("Ik maak me zorgen om iemand anders").check()
    page.get_by_label("Een kind wordt geslagen").check()
    page.get_by_label("Langer dan een jaar").check()
    page.get_by_label("Vertel wat er aan de hand is").fill(STORY)
    page.get_by_label("In welke gemeente gebeurt het?").select_option(label="Utrecht")
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert "We hebben je bericht ontvangen" in page.content()
    return page.locator("#return-code").inner_text().strip()


def _submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def _open_case_from_inbox(page, server) -> str:
    page.get_by_role("link", name="Binnengekomen").first.click()
    page.locator("tr", has_text="melding").last.get_by_role("link").first.click()
    assert STORY in page.content()
    page.get_by_label("Melding (de verantwoordelijkheid voor veiligheid gaat naar ons)").check()
    _submit(page, "Registreren")
    page.wait_for_url(server.url + "/staff/cases/from-report/**")
    assert_accessible(page)
    page.get_by_label("Naam van het huishouden").fill("Familie Casusreis")
    page.get_by_label("Postcode").last.fill("3512 JE")
    page.get_by_label("Huisnummer").last.fill("21")
    _submit(page, "Nieuwe casus openen")
    assert "is geopend" in page.content()
    return page.url


def _record_household(page, case_url: str) -> None:
    page.get_by_role("link", name="kindcheck vastleggen").click()
    page.get_by_label("Ja").first.check()
    page.get_by_label("Aantal kinderen").fill("1")
    page.get_by_label("Leeftijden van de kinderen").fill("7")
    page.locator("input[name=pregnancy][value=no]").check()
    _submit(page, "Opslaan")
    page.get_by_role("link", name="Directbetrokkene toevoegen").click()
    page.get_by_label("Kind in het gezin").check()
    page.get_by_label("Voornamen").fill("Sam")
    page.get_by_label("Achternaam").fill("Casusreis")
    _submit(page, "Opslaan")
    page.get_by_role("link", name="Wijzig Sam Casusreis").click()
    page.get_by_label("Met het kind gesproken op").fill(date.today().isoformat())
    _submit(page, "Opslaan")
    page.get_by_role("link", name="Vastleggen dat de directbetrokkenen zijn geïnformeerd").click()
    page.get_by_label("Geïnformeerd op").fill(date.today().isoformat())
    page.get_by_label("Hoe").fill("Brief")
    _submit(page, "Opslaan")
    assert page.url.startswith(case_url)


def _assess(page) -> None:
    page.get_by_role("link", name="Veiligheidsbeoordeling en vervolgroute vastleggen").click()
    assert_accessible(page)
    page.get_by_label("De onveilige situatie of het geweld herhaalt zich of duurt voort").check()
    page.get_by_label("Een patroon van terugkerend geweld of verwaarlozing").check()
    page.get_by_label("Voorwaarden en vervolg").check()
    page.get_by_label("Toelichting op het besluit").fill("Herhaald geweld; afspraken nodig.")
    _submit(page, "Besluit vastleggen")
    assert "Structurele onveiligheid" in page.content()
    assert "Voorwaarden en vervolg" in page.content()


def _conditions_and_scores(page) -> None:
    page.get_by_role("link", name="Veiligheidsvoorwaarde toevoegen").click()
    page.get_by_label("Veiligheidsvoorwaarde").fill("Er wordt thuis niet meer geslagen.")
    _submit(page, "Opslaan")
    page.get_by_role("link", name="Monitoringscontrole plannen").click()
    page.get_by_label("Wat te controleren").fill("Gesprek met ouders en school")
    _submit(page, "Opslaan")
    page.get_by_role("button", name="Monitoring starten").click()
    page.wait_for_load_state()
    assert "De monitoring is gestart" in page.content()
    for score, days_ago in ((4, 14), (7, 0)):
        page.get_by_role("link", name="Veiligheidscijfer toevoegen").click()
        page.get_by_label("Veiligheidscijfer (1-10)").fill(str(score))
        page.get_by_label("Vastgesteld op").fill(
            (date.today() - timedelta(days=days_ago)).isoformat()
        )
        page.get_by_label("Samen vastgesteld door").fill("Veilig Thuis, buurtteam")
        _submit(page, "Opslaan")
    assert page.locator("svg.vg-chart").count() == 1
    assert page.locator("table", has_text="Veiligheidscijfers (1 = zeer onveilig").count() == 1
    assert_accessible(page)


def _feedback(page) -> None:
    page.get_by_role("link", name="terugkoppelen").first.click()
    assert_accessible(page)
    page.get_by_label("Tekst van de terugkoppeling").fill(FEEDBACK)
    _submit(page, "Terugkoppeling versturen")
    assert "De terugkoppeling is vastgelegd" in page.content()


def _reporter_reads(page, server, code: str) -> None:
    page.goto(server.url + "/return")
    page.get_by_label("Je code").fill(code)
    page.get_by_role("button", name="Mijn berichten openen").click()
    page.wait_for_url(server.url + "/return/thread")
    assert FEEDBACK in page.content()


def _finish_monitoring_and_ask_closure(page) -> None:
    page.get_by_role("link", name="controle vastleggen").click()
    page.get_by_label("Wat de controle liet zien").fill("Rustig thuis, school ziet verbetering.")
    _submit(page, "Opslaan")
    page.get_by_role("link", name="bijwerken").first.click()
    page.get_by_label("Voldaan", exact=True).check()
    page.get_by_label("Hoe weet u dat?").fill("Gesprek met ouders en buurtteam")
    _submit(page, "Opslaan")
    page.get_by_role("link", name="Vragen om de casus af te sluiten").click()
    page.get_by_label("Waarom").fill("Voorwaarden nageleefd, cijfers stijgen.")
    _submit(page, "Opslaan")
    assert "Afsluiten is aangevraagd" in page.content()


def test_the_whole_case_journey_from_anonymous_report_to_approved_closure(
    live_server_process, browser
):
    server = live_server_process
    reporter = new_context(browser, javascript=False)
    reporter_page = reporter.new_page()
    code = _anonymous_report(reporter_page, server)

    worker = new_context(browser)
    page = worker.new_page()
    staff_login(page, server, "caseworker.utrecht")
    case_url = _open_case_from_inbox(page, server)
    assert_accessible(page)
    _record_household(page, case_url)
    _assess(page)
    _conditions_and_scores(page)
    _feedback(page)
    _reporter_reads(reporter_page, server, code)
    _finish_monitoring_and_ask_closure(page)
    page.goto(server.url + "/staff/cases/")
    assert_accessible(page)
    worker.close()

    boss = new_context(browser)
    page = boss.new_page()
    staff_login(page, server, "supervisor.utrecht")
    page.goto(case_url)
    assert "Afsluiten wacht op goedkeuring" in page.content()
    page.get_by_role("link", name="Beslissen over afsluiten").first.click()
    page.get_by_label("Afsluiten goedkeuren").check()
    page.get_by_label("Toelichting").fill("Akkoord, veiligheid is duurzaam.")
    _submit(page, "Opslaan")
    assert "Het besluit over afsluiten is vastgelegd" in page.content()
    assert "Afgesloten" in page.locator("h1 + p").inner_text()
    assert_accessible(page)
    boss.close()
    reporter.close()
    assert code not in server.log()
