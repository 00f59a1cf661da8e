"""Case pages through the HTTP client: access per persona, the journey, conflicts, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login_client
from vangnet.audit.models import AuditEvent
from vangnet.cases import actions
from vangnet.cases.models import Case, SafetyScore
from vangnet.cases.tests.conftest import decide
from vangnet.cases.workflow import State

CASE_PAGES = [
    "/staff/cases/{id}",
    "/staff/cases/{id}/assessment",
    "/staff/cases/{id}/kindcheck",
    "/staff/cases/{id}/note",
    "/staff/cases/{id}/score",
    "/staff/cases/{id}/condition",
    "/staff/cases/{id}/monitoring",
    "/staff/cases/{id}/person",
    "/staff/cases/{id}/household",
    "/staff/cases/{id}/assign",
    "/staff/cases/{id}/plans/safety",
    "/staff/cases/{id}/persons-informed",
]
LIST_PAGES = ["/staff/cases/", "/staff/cases/waiting", "/staff/cases/all", "/staff/cases/register"]


@pytest.mark.parametrize("path", CASE_PAGES)
def test_the_owner_and_a_colleague_see_the_case_pages(case, case_worker, colleague, path):
    for user in (case_worker, colleague):
        response = login_client(user).get(path.format(id=case.pk))
        assert response.status_code == 200, (user, path)
        assert case.reference in response.content.decode()


@pytest.mark.parametrize("path", CASE_PAGES)
def test_an_outsider_gets_the_same_404_as_for_a_missing_case(case, outsider, path):
    client = login_client(outsider)
    forbidden = client.get(path.format(id=case.pk))
    missing = client.get(path.format(id=999999))
    assert forbidden.status_code == missing.status_code == 404
    assert case.household_label not in forbidden.content.decode()


@pytest.mark.parametrize("path", CASE_PAGES + LIST_PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login(case, visitor, path):
    response = visitor.get(path.format(id=case.pk))
    assert response.status_code == 302 and "/staff/login" in response["Location"]


@pytest.mark.parametrize("path", ["/staff/cases/{id}", "/staff/cases/"])
def test_a_counsellor_may_not_see_case_work(case, counsellor, path):
    assert login_client(counsellor).get(path.format(id=case.pk)).status_code == 403


def test_an_outsider_cannot_change_a_case_either(case, outsider):
    response = login_client(outsider).post(
        f"/staff/cases/{case.pk}/note", {"kind": "fact", "body": "Ingebroken"}
    )
    assert response.status_code == 404
    assert not case.notes.exists()


def test_every_read_of_a_case_is_audited(case, colleague):
    login_client(colleague).get(f"/staff/cases/{case.pk}")
    read = AuditEvent.objects.filter(
        action="read", object_type="cases.Case", object_id=str(case.pk)
    )
    assert read.filter(actor_id=str(colleague.pk), processing_activity="vg-004-case-work").exists()


def test_an_outsiders_attempt_leaves_no_read_event(case, outsider):
    login_client(outsider).get(f"/staff/cases/{case.pk}")
    assert not AuditEvent.objects.filter(action="read", actor_id=str(outsider.pk)).exists()


def test_the_worklist_shows_my_due_cases_with_their_status(open_case, case_worker, supervisor):
    acute = open_case(case_worker, acute=True, received=timezone.now() - timedelta(hours=23))
    normal = open_case(case_worker, household={"label": "Familie Bos", "house_number": "3"})
    html = login_client(case_worker).get("/staff/cases/").content.decode()
    assert acute.reference in html and normal.reference in html
    assert "vg-badge--at-risk" in html  # the acute one has an hour left
    team = login_client(supervisor).get("/staff/cases/?view=team").content.decode()
    assert acute.reference in team and "Fleur" in team


def test_the_waiting_list_keeps_watch_over_waiting_cases(case, case_worker):
    response = login_client(case_worker).get("/staff/cases/waiting")
    html = response.content.decode()
    assert case.reference in html
    client = login_client(case_worker)
    client.post(
        f"/staff/cases/{case.pk}/waiting-check",
        {"version": case.version, "summary": "Melder gebeld: rustig thuis."},
    )
    case.refresh_from_db()
    assert case.last_safety_check_at is not None


def test_opening_a_case_from_a_report_and_joining_a_second_one(make_report, case_worker):
    client = login_client(case_worker)
    first = make_report(case_worker)
    response = client.get(f"/staff/cases/from-report/{first.pk}")
    assert response.status_code == 200
    response = client.post(
        f"/staff/cases/from-report/{first.pk}",
        {
            "household_label": "Familie Visser",
            "postcode": "3511ab",
            "house_number": "7",
            "street": "Lange Nieuwstraat",
            "city": "Utrecht",
            "assign_to_self": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{case.pk}"
    second = make_report(case_worker, kinds=["partner_violence"])
    matches = client.get(
        f"/staff/cases/from-report/{second.pk}?postcode=3511 AB&house_number=7"
    ).content.decode()
    assert case.reference in matches
    response = client.post(f"/staff/cases/from-report/{second.pk}", {"join": case.pk})
    assert response.status_code == 302
    link = case.report_links.get(report=second)
    assert link.involvement == "during_assessment"
    page = client.get(f"/staff/cases/{case.pk}").content.decode()
    assert (
        "Herhaalde melding tijdens de veiligheidsbeoordeling" in page
        or link.get_involvement_display() in page
    )


def test_a_report_of_another_organisation_cannot_be_opened(make_report, case_worker, outsider):
    report = make_report(case_worker)
    assert login_client(outsider).get(f"/staff/cases/from-report/{report.pk}").status_code == 404


def test_registering_a_police_report_leads_to_opening_a_case(case_worker, region_utrecht):
    municipality = region_utrecht.municipalities.get(code="GM0307")
    response = login_client(case_worker).post(
        "/staff/cases/register",
        {
            "received_at": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "municipality": municipality.pk,
            "police_unit": "Politie Midden-Nederland",
            "acute": "on",
            "violence_kinds": ["partner_violence", "child_abuse"],
            "children_in_household": "2",
            "narrative": "Melding huiselijk geweld, twee kinderen aanwezig.",
        },
    )
    assert response.status_code == 302 and "/staff/cases/from-report/" in response["Location"]
    from vangnet.intake.models import Report

    report = Report.objects.get()
    assert report.contact.channel == "police" and report.acute


@pytest.mark.parametrize("days", [-40, 2])
def test_a_police_report_received_long_ago_or_in_the_future_is_refused(
    case_worker, region_utrecht, days
):
    municipality = region_utrecht.municipalities.first()
    response = login_client(case_worker).post(
        "/staff/cases/register",
        {
            "received_at": (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M"),
            "municipality": municipality.pk,
            "police_unit": "Politie",
            "violence_kinds": ["partner_violence"],
            "narrative": "x",
        },
    )
    assert response.status_code == 400


def test_a_score_of_eleven_is_refused_with_a_message(case, case_worker):
    response = login_client(case_worker).post(
        f"/staff/cases/{case.pk}/score",
        {"score": "11", "scored_on": timezone.localdate().isoformat(), "participants": "VT"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not SafetyScore.objects.exists()


def test_a_monitoring_date_in_the_past_is_refused(case, case_worker):
    response = login_client(case_worker).post(
        f"/staff/cases/{case.pk}/monitoring",
        {"due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400 and not case.monitoring_moments.exists()


def test_the_second_of_two_workers_gets_a_clear_conflict_and_nothing_is_overwritten(
    case, case_worker, colleague
):
    seen = case.version
    first = login_client(case_worker).post(
        f"/staff/cases/{case.pk}/kindcheck",
        {
            "version": seen,
            "children_in_household": "yes",
            "children_count": "2",
            "children_ages": "4, 9",
            "pregnancy": "no",
        },
    )
    assert first.status_code == 302
    second = login_client(colleague).post(
        f"/staff/cases/{case.pk}/kindcheck",
        {"version": seen, "children_in_household": "no", "pregnancy": "no"},
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "NIET opgeslagen" in html and "Laatste wijziging" in html
    case.refresh_from_db()
    assert case.children_count == 2


def test_two_workers_saving_the_plan_see_each_others_text(case, case_worker, colleague):
    url = f"/staff/cases/{case.pk}/plans/safety"
    assert (
        login_client(case_worker).post(url, {"based_on": 0, "body": "Plan van Fleur"}).status_code
        == 302
    )
    response = login_client(colleague).post(url, {"based_on": 0, "body": "Plan van Mo"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Plan van Fleur" in html and "Plan van Mo" in html
    plan = actions.current_plan(case, "safety")
    assert plan is not None and plan.body == "Plan van Fleur"


def test_an_impossible_step_is_refused_with_a_conflict(case, case_worker):
    response = login_client(case_worker).post(
        f"/staff/cases/{case.pk}/start-monitoring", {"version": case.version}
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == State.AWAITING_ASSESSMENT


def test_the_assessment_form_records_structural_unsafety_and_the_route(case, case_worker):
    response = login_client(case_worker).post(
        f"/staff/cases/{case.pk}/assessment",
        {
            "version": case.version,
            "section_B": ["B01", "B02"],
            "route": "conditions_and_follow_up",
            "rationale": "Herhaald geweld tussen ouders, kinderen getuige.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assessment = case.assessments.get()
    assert case.status == State.CONDITIONS_AND_FOLLOW_UP
    assert assessment.structural_unsafety and assessment.answers == ["B01", "B02"]


def test_the_assessment_form_explains_a_refused_route(case, case_worker):
    response = login_client(case_worker).post(
        f"/staff/cases/{case.pk}/assessment",
        {
            "version": case.version,
            "section_A": ["A02"],
            "route": "close",
            "rationale": "Geen zorgen",
        },
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == State.AWAITING_ASSESSMENT and not case.assessments.exists()


def test_the_case_page_shows_the_score_chart_and_the_numbers(case, case_worker):
    decide(case_worker, case)
    today = timezone.localdate()
    actions.add_score(
        case_worker, case, score=3, scored_on=today - timedelta(days=30), participants="VT"
    )
    actions.add_score(case_worker, case, score=6, scored_on=today, participants="VT, buurtteam")
    html = login_client(case_worker).get(f"/staff/cases/{case.pk}").content.decode()
    assert '<svg class="vg-chart"' in html and 'role="img"' in html
    assert "<td>3</td>" in html and "<td>6</td>" in html
    assert "<script" not in html.split("<main")[1]


def test_feedback_is_composed_from_the_template_and_sent_into_the_thread(case, case_worker):
    decide(case_worker, case)
    link = case.report_links.get()
    client = login_client(case_worker)
    url = f"/staff/cases/{case.pk}/feedback/{link.pk}/after_assessment"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, {"body": "Wij hebben afspraken gemaakt met het gezin."})
    assert response.status_code == 302
    message = link.report.contact.messages.get()
    assert message.body == "Wij hebben afspraken gemaakt met het gezin."


def test_a_supervisor_decides_on_closure_and_a_case_worker_may_not(case, case_worker, supervisor):
    decide(case_worker, case, "close", checked=())
    url = f"/staff/cases/{case.pk}/decide-closure"
    assert login_client(case_worker).get(url).status_code == 403
    response = login_client(supervisor).post(url, {"version": case.version, "decision": "approve"})
    assert response.status_code == 400  # criteria not met yet: the message says which
    assert "De kindcheck is vastgelegd" in response.content.decode()


@pytest.fixture
def full_case(case_worker):
    """A police-report case with an object of every kind, for the per-object pages."""
    today = timezone.localdate()
    report = actions.register_police_report(
        case_worker,
        received_at=timezone.now() - timedelta(hours=1),
        municipality=case_worker.organisation.municipalities.first(),
        acute=False,
        violence_kinds=["partner_violence"],
        children_in_household=1,
        narrative="Politie ter plaatse.",
        police_unit="Politie",
    )
    case = actions.open_case_from_report(case_worker, report, household_label="Familie Vos")
    child = actions.add_person(
        case_worker,
        case,
        role="child",
        given_names="Lot",
        surname="Vos",
        date_of_birth=today.replace(year=today.year - 10),
    )
    decide(case_worker, case)
    condition = actions.add_condition(case_worker, case, text="Rust", agreed_on=today)
    moment = actions.schedule_monitoring(case_worker, case, due_on=today + timedelta(days=7))
    return {
        "case": case,
        "ids": {
            "id": case.pk,
            "person": child.pk,
            "condition": condition.pk,
            "moment": moment.pk,
            "link": case.report_links.get().pk,
            "signal": child.school_signal.pk,
        },
    }


OBJECT_PAGES = [
    "/staff/cases/{id}/investigation",
    "/staff/cases/{id}/persons/{person}",
    "/staff/cases/{id}/conditions/{condition}",
    "/staff/cases/{id}/monitoring/{moment}",
    "/staff/cases/{id}/feedback/{link}/after_assessment",
    "/staff/cases/{id}/school-signals/{signal}",
]


@pytest.mark.parametrize("path", OBJECT_PAGES)
def test_per_object_pages_answer_owner_colleague_outsider_and_visitor(
    full_case, case_worker, colleague, outsider, visitor, path
):
    url = path.format(**full_case["ids"])
    assert login_client(case_worker).get(url).status_code == 200
    assert login_client(colleague).get(url).status_code == 200
    assert login_client(outsider).get(url).status_code == 404
    response = visitor.get(url)
    assert response.status_code == 302 and "/staff/login" in response["Location"]


def test_an_object_of_another_case_is_not_found_through_this_case(
    full_case, open_case, case_worker
):
    other = open_case(case_worker, household={"house_number": "99"})
    ids = {**full_case["ids"], "id": other.pk}
    for path in OBJECT_PAGES[1:]:
        assert login_client(case_worker).get(path.format(**ids)).status_code == 404, path


def test_the_handle_with_care_page_shows_the_signal_once_and_stores_nothing(full_case, case_worker):
    ids = full_case["ids"]
    client = login_client(case_worker)
    url = f"/staff/cases/{ids['id']}/school-signals/{ids['signal']}"
    html = client.get(url).content.decode()
    assert "Lot Vos" in html and "Handle with Care" in html
    response = client.post(url, {"decision": "sent", "recipient": "Leerplicht Utrecht"})
    assert response.status_code == 302
    assert "Lot Vos" not in client.get(url).content.decode()
    assert AuditEvent.objects.filter(
        action="school_signal_sent", receiver="Leerplicht Utrecht"
    ).exists()
