# SPDX-License-Identifier: EUPL-1.2
"""The public figures pages in a real browser: axe-clean (WCAG 2.1 AA), usable without
JavaScript, and the statisticians' page for the demo statistician."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, new_context, staff_login
from vangnet.stats.periods import half_year_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def period(live_server_process) -> str:
    """Publish the running half-year (the demo data) and the one before (almost empty)."""
    current = half_year_of(timezone.now())
    for item in (current.previous(), current):
        live_server_process.manage("stats", "publish", "--period", item.code)
    return current.code


@pytest.mark.parametrize("path", ["/figures", "/figures/vt20", "/figures/vt20/GM0344"])
def test_public_figures_pages_have_no_axe_violations(live_server_process, period, page, path):
    response = page.goto(f"{live_server_process.url}{path}?period={period}")
    assert response.status == 200
    assert page.locator("svg[role=img]").count() > 0
    assert_accessible(page)


def test_the_figures_work_without_javascript(live_server_process, period, browser):
    context = new_context(browser, javascript=False)
    page = context.new_page()
    page.goto(live_server_process.url + "/figures")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cijfers voor Nederland")
    previous = half_year_of(timezone.now()).previous().code
    page.select_option("#period", previous)
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    assert f"period={previous}" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Veilig Thuis Utrecht").first.click()
    assert "/figures/vt20" in page.url
    assert "Er is in dit halfjaar niets vastgelegd." in page.content()
    assert page.get_by_role("table").count() == 1  # the municipalities, all "."
    assert_accessible(page)
    context.close()


def test_the_statisticians_page_has_no_axe_violations(live_server_process, period, page):
    staff_login(page, live_server_process, "statistician.utrecht")
    page.goto(f"{live_server_process.url}/staff/stats/?period={period}")
    assert "Vertrouwelijk" in page.content()
    assert_accessible(page)
