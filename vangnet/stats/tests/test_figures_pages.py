# SPDX-License-Identifier: EUPL-1.2
"""The public figures pages: no login, Dutch, accessible SVG next to tables, CSV download, a
fixed number of queries, and nothing unpublished or unprotected."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from vangnet.accounts.reference import load_regions
from vangnet.stats.models import Publication
from vangnet.stats.periods import half_year_of
from vangnet.stats.tests.conftest import SECRETS

COUNT_CELL = re.compile(r'data-kind="count">([^<]*)<')


@pytest.fixture
def published(history):
    call_command("stats", "publish", "--period", "2026H1")
    return Publication.objects.get(period="2026H1")


def test_before_anything_is_published_the_figures_page_says_so(db, visitor):
    response = visitor.get("/figures")
    assert response.status_code == 200
    assert "Er zijn nog geen cijfers gepubliceerd." in response.content.decode()
    assert visitor.get("/figures/vt20").status_code == 404


def test_the_national_page_is_public_dutch_and_shows_protected_figures(published, visitor):
    response = visitor.get("/figures")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert "Cijfers voor Nederland, eerste halfjaar 2026" in html
    assert "Voorlopige cijfers" not in html  # the half-year had ended when it was built
    # 8 reports and 4 advice requests nationally: each too few to show, together 12 -> 10.
    assert '<span class="vg-stats-key-value" data-kind="count">.</span> Ontvangen meldingen' in html
    assert re.search(r'Totaal contacten</th><td class="vg-num" data-kind="count">10<', html)
    cells = COUNT_CELL.findall(html)
    assert cells and set(cells) <= {".", "–", "10"}
    assert "Veilig Thuis Utrecht" in html and 'href="/figures/vt20?period=2026H1"' in html


def test_figures_of_the_running_half_year_are_marked_provisional(build, visitor):
    build.report(timezone.now() - timedelta(minutes=5))
    current = half_year_of(timezone.now())
    call_command("stats", "publish", "--period", current.code)
    html = visitor.get("/figures").content.decode()
    assert "Voorlopige cijfers" in html
    assert f'<option value="{current.code}" selected>{current.code} (voorlopig)</option>' in html


def test_charts_are_accessible_svg_images_with_the_numbers_in_a_table_beside_them(
    published, visitor
):
    html = visitor.get("/figures/vt20").content.decode()
    charts = re.findall(r"<svg [^>]*>", html)
    assert charts
    for chart in charts:
        assert 'role="img"' in chart
        ident = re.search(r'aria-labelledby="([^ ]+)-title \1-desc"', chart)
        assert ident, chart
        assert f'<title id="{ident.group(1)}-title">' in html
        assert f'<desc id="{ident.group(1)}-desc">' in html
    assert html.count('<table class="utrecht-table vg-stats-table"') >= len(charts)


def test_the_pages_need_no_javascript_and_no_inline_code(published, visitor):
    response = visitor.get("/figures/vt20")
    html = response.content.decode()
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert re.search(r"\son[a-z]+=", html) is None
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_region_and_municipality_pages_have_stable_urls(published, visitor):
    assert visitor.get("/figures/vt20").status_code == 200
    assert visitor.get("/figures/vt20?period=2026H1").status_code == 200
    assert visitor.get("/figures/vt20/GM0344").status_code == 200
    assert visitor.get("/figures/vt01/GM0363").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/figures/vt99",  # no such region
        "/figures/vt01/GM0344",  # a municipality of another region
        "/figures/vt20/vt20-x",  # "municipality unknown" has no page
        "/figures/vt-x",  # nor has "region unknown"
        "/figures?period=2025H2",  # not published
        "/figures?period=2026Q1",  # not a half-year
        "/figures?period=nonsense",
        "/figures/vt99.csv",
    ],
)
def test_anything_not_published_is_not_found(published, visitor, path):
    assert visitor.get(path).status_code == 404


def test_the_csv_download_has_the_published_figures_of_the_area_and_its_parts(published, visitor):
    response = visitor.get("/figures/vt20.csv?period=2026H1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    assert {r["area_code"] for r in rows} == {"vt20", "GM0307", "GM0344"}
    assert {r["value"] for r in rows} == {"."}  # every count of this tiny history is small


def test_no_personal_data_reaches_pages_or_downloads(published, visitor):
    bodies = [
        visitor.get(path).content.decode()
        for path in (
            "/figures",
            "/figures/vt20",
            "/figures/vt20/GM0344",
            "/figures.csv",
            "/figures/vt20.csv",
            "/figures/vt20/GM0344.csv",
        )
    ]
    for body in bodies:
        for secret in SECRETS:
            assert secret not in body


def test_the_pages_use_a_fixed_number_of_queries_whatever_the_number_of_areas(
    history, visitor, django_assert_max_num_queries
):
    load_regions()  # all 25 regions and 342 municipalities
    call_command("stats", "publish", "--period", "2026H1")
    for path in ("/figures", "/figures/vt20", "/figures/vt20/GM0344", "/figures/vt20.csv"):
        with django_assert_max_num_queries(3):
            assert visitor.get(path).status_code == 200


def test_the_english_version_is_available(published, visitor):
    visitor.cookies.load({"django_language": "en"})
    html = visitor.get("/figures").content.decode()
    assert "Figures for The Netherlands, first half of 2026" in html
