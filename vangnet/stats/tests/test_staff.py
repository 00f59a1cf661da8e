# SPDX-License-Identifier: EUPL-1.2
"""The statisticians' page: raw counts and validation for their own scope only."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from conftest import login_client
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditEvent
from vangnet.stats.models import Publication


@pytest.fixture
def counted(history):
    call_command("stats", "refresh", "--period", "2026H1")


def test_a_statistician_sees_the_raw_counts_and_validation_of_their_region(counted, statistician):
    response = login_client(statistician).get("/staff/stats/?period=2026H1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vertrouwelijk" in html
    # Utrecht region, raw: 5 reports (4 in Utrecht, 1 in Amersfoort); not rounded.
    assert 'Totaal ontvangen meldingen</th><td class="vg-num">5<' in html
    assert "R08" in html  # the Amersfoort professional without organisation
    assert "Amsterdam" not in html


def test_a_statistician_can_look_at_one_municipality_of_their_region(counted, statistician):
    client = login_client(statistician)
    html = client.get("/staff/stats/?period=2026H1&area=GM0344").content.decode()
    assert 'Totaal ontvangen meldingen</th><td class="vg-num">4<' in html
    assert client.get("/staff/stats/?period=2026H1&area=GM0363").status_code == 404


def test_the_national_statistician_sees_every_region(counted, national_statistician):
    client = login_client(national_statistician)
    html = client.get("/staff/stats/?period=2026H1").content.decode()
    assert 'Totaal ontvangen meldingen</th><td class="vg-num">8<' in html
    html = client.get("/staff/stats/?period=2026H1&area=vt01").content.decode()
    assert 'Totaal ontvangen meldingen</th><td class="vg-num">2<' in html


def test_people_without_the_statistics_permission_cannot_see_raw_counts(
    counted, case_worker, supervisor, outsider, visitor
):
    for user in (case_worker, supervisor, outsider):
        assert login_client(user).get("/staff/stats/").status_code == 403
        assert login_client(user).get("/staff/stats/raw.csv").status_code == 403
    response = visitor.get("/staff/stats/")
    assert response.status_code == 302 and "/staff/login" in response["Location"]


def test_a_statistician_of_a_partner_organisation_has_no_statistics_scope(
    counted, region_utrecht, make_staff
):
    from vangnet.accounts.models import Organisation

    police = Organisation.objects.create(code="pol-utr", name="Politie Utrecht", type="police")
    user = make_staff("pol.statistician", police, Role.STATISTICIAN)
    assert login_client(user).get("/staff/stats/").status_code == 404


def test_publishing_from_the_page_refreshes_publishes_and_is_audited(history, statistician):
    client = login_client(statistician)
    response = client.post("/staff/stats/publish", {"period": "2026H1"})
    assert response.status_code == 302
    publication = Publication.objects.get(period="2026H1")
    assert publication.built_by == statistician
    event = AuditEvent.objects.get(action="statistics_published")
    assert event.processing_activity == "vg-008-statistics"
    assert event.actor_id == str(statistician.pk)
    assert client.get("/figures?period=2026H1").status_code == 200


def test_publishing_needs_a_half_year(counted, statistician):
    client = login_client(statistician)
    response = client.post("/staff/stats/publish", {"period": "2026Q1"}, follow=True)
    assert "Kies een halfjaar." in response.content.decode()
    assert not Publication.objects.exists()


def test_downloading_raw_counts_is_audited(counted, statistician):
    login_client(statistician).get("/staff/stats/raw.csv?period=2026H1&area=GM0307")
    event = AuditEvent.objects.get(action="raw_figures_downloaded")
    assert event.details == {"period": "2026H1", "area": "GM0307"}


def test_the_menu_shows_statistics_to_statisticians_only(counted, statistician, case_worker):
    assert 'href="/staff/stats/"' in login_client(statistician).get("/staff/").content.decode()
    assert 'href="/staff/stats/"' not in login_client(case_worker).get("/staff/").content.decode()


def test_the_statistics_page_uses_a_fixed_number_of_queries(
    counted, statistician, django_assert_max_num_queries
):
    client = login_client(statistician)
    client.get("/staff/stats/?period=2026H1")  # warm the session
    with django_assert_max_num_queries(14):
        assert client.get("/staff/stats/?period=2026H1").status_code == 200
