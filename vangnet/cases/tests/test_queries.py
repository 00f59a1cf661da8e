"""Query counts are bounded: the worklist and the case page do not grow with the data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login_client
from vangnet.cases import actions
from vangnet.cases.tests.conftest import decide

# Session, user, OTP device, access, audited read (two queries) and the page's own queries.
CASE_PAGE_MAX = 28
WORKLIST_MAX = 12


def _fill(user, case, n):
    today = timezone.localdate()
    for i in range(n):
        actions.add_person(user, case, role="child", given_names=f"Kind{i}", surname="Jansen")
        actions.add_note(user, case, kind="fact", body=f"Aantekening {i}")
        actions.add_condition(user, case, text=f"Voorwaarde {i}", agreed_on=today)
        actions.add_score(
            user, case, score=5, scored_on=today - timedelta(days=i), participants="VT"
        )
        actions.schedule_monitoring(user, case, due_on=today + timedelta(days=i + 1))


@pytest.mark.parametrize("n", [1, 15])
def test_the_case_page_runs_a_bounded_number_of_queries(
    case, case_worker, n, django_assert_max_num_queries
):
    decide(case_worker, case)
    _fill(case_worker, case, n)
    client = login_client(case_worker)
    with django_assert_max_num_queries(CASE_PAGE_MAX):
        response = client.get(f"/staff/cases/{case.pk}")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 25])
def test_the_worklist_runs_a_bounded_number_of_queries(
    open_case, case_worker, supervisor, n, django_assert_max_num_queries
):
    for i in range(n):
        open_case(case_worker, household={"house_number": str(i + 1)}, acute=i % 3 == 0)
    for user, path in ((case_worker, "/staff/cases/"), (supervisor, "/staff/cases/?view=team")):
        client = login_client(user)
        with django_assert_max_num_queries(WORKLIST_MAX):
            response = client.get(path)
        assert response.status_code == 200


def test_the_waiting_list_runs_a_bounded_number_of_queries(
    open_case, case_worker, django_assert_max_num_queries
):
    for i in range(20):
        open_case(case_worker, household={"house_number": str(i + 1)})
    client = login_client(case_worker)
    with django_assert_max_num_queries(WORKLIST_MAX):
        response = client.get("/staff/cases/waiting")
    assert response.status_code == 200
