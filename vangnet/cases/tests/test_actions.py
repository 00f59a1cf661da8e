"""Case actions through their public functions: the rules, the history and the audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from vangnet.audit.models import AuditEvent
from vangnet.cases import actions
from vangnet.cases.models import (
    CaseEvent,
    ClosureDecision,
    Involvement,
    Note,
    PlanRevision,
    SafetyScore,
    SchoolSignal,
)
from vangnet.cases.tests.conftest import decide
from vangnet.cases.workflow import State
from vangnet.lib import workdays
from vangnet.triage.instrument import Decision


def test_a_new_case_carries_the_statutory_deadlines_of_its_report(open_case, case_worker):
    case = open_case(case_worker, acute=True)
    received = case.received_at
    assert case.status == State.AWAITING_ASSESSMENT
    assert case.assessment_due_at == workdays.assessment_deadline(received)
    assert case.acute_due_at == workdays.acute_deadline(received)
    assert case.notify_due_at == workdays.notify_persons_deadline(case.opened_at)
    assert case.next_due_kind == "acute"
    assert case.next_due_at == case.acute_due_at
    assert case.assigned_to == case_worker
    assert case.report_links.get().involvement == Involvement.FIRST


def test_a_report_cannot_be_linked_to_two_cases(make_report, case_worker, case):
    report = make_report(case_worker)
    actions.join_case(case_worker, report, case)
    with pytest.raises(actions.Refused):
        actions.open_case_from_report(case_worker, report)


@pytest.mark.parametrize(
    ("route_to", "involvement", "status_after"),
    [
        (None, Involvement.DURING_ASSESSMENT, State.AWAITING_ASSESSMENT),
        ("handover", Involvement.AFTER_ASSESSMENT, State.ASSESSMENT),
        ("monitoring", Involvement.DURING_MONITORING, State.ASSESSMENT),
    ],
)
def test_a_repeat_report_is_flagged_by_the_moment_of_involvement(
    make_report, case_worker, case, route_to, involvement, status_after
):
    if route_to == "handover":
        decide(
            case_worker, case, "handover", handover_target="local_team", handover_party="Buurtteam"
        )
    elif route_to == "monitoring":
        decide(case_worker, case)
        actions.add_condition(case_worker, case, text="Geen geweld", agreed_on=timezone.localdate())
        actions.schedule_monitoring(
            case_worker, case, due_on=timezone.localdate() + timedelta(days=14)
        )
        actions.start_monitoring(case_worker, case, case.version)
    link = actions.join_case(
        case_worker, make_report(case_worker, kinds=["partner_violence"]), case
    )
    case.refresh_from_db()
    assert link.involvement == involvement and link.is_repeat
    assert case.status == status_after
    assert "partner_violence" in case.violence_kinds


def test_an_acute_repeat_report_during_the_assessment_brings_the_deadline_forward(
    make_report, case_worker, case
):
    assert case.acute_due_at is None
    link = actions.join_case(case_worker, make_report(case_worker, acute=True), case)
    case.refresh_from_db()
    assert case.acute and case.acute_due_at == workdays.acute_deadline(link.report.received_at)
    assert case.next_due_kind == "acute"


def test_a_repeat_report_withdraws_a_pending_closure(make_report, case_worker, case):
    decide(case_worker, case, "close", checked=())
    assert case.status == State.CLOSURE_REQUESTED
    actions.join_case(case_worker, make_report(case_worker), case)
    case.refresh_from_db()
    assert case.status == State.ASSESSMENT
    assert case.closure_requests.get().decision == ClosureDecision.WITHDRAWN


def test_a_closed_case_is_not_joined(make_report, case_worker, case):
    case.status = State.CLOSED
    with pytest.raises(actions.Refused):
        actions.join_case(case_worker, make_report(case_worker), case)


def test_a_structural_unsafety_appraisal_with_conditions_and_follow_up(case_worker, case):
    assessment = decide(case_worker, case, checked=["B01", "B02"])
    case.refresh_from_db()
    assert assessment.structural_unsafety and not assessment.acute_unsafety
    assert assessment.instrument_version == "vb-2026.1"
    assert case.status == State.CONDITIONS_AND_FOLLOW_UP
    assert case.assessed_at is not None
    actions_seen = list(case.events.order_by("at", "id").values_list("action", flat=True))
    assert actions_seen == ["case_opened", "assessment_started", "route_decided"]


def test_disclosure_counts_as_acute_unsafety_and_settles_the_acute_deadline(open_case, case_worker):
    case = open_case(case_worker, acute=True)
    assessment = decide(case_worker, case, checked=["D01"])
    case.refresh_from_db()
    assert assessment.disclosure and assessment.acute_unsafety
    assert case.acute_handled_at is not None
    assert case.next_due_kind == "notify"


@pytest.mark.parametrize(
    ("route", "checked", "decision", "rule"),
    [
        ("close", ["A02"], {}, "no_close_when_unsafe"),
        ("close", ["B01"], {}, "no_close_when_unsafe"),
        ("investigation", [], {}, "investigation_needs_criterion"),
        ("handover", [], {}, "handover_needs_target"),
        ("handover", [], {"handover_target": "local_team"}, "handover_needs_party"),
        (
            "handover",
            [],
            {"handover_target": "multidisciplinary_team", "handover_party": "MDT"},
            "mdt_must_take_responsibility",
        ),
        ("handover", ["A01"], {"handover_target": "family"}, "no_family_handover_when_acute"),
        (
            "handover",
            [],
            {"handover_target": "local_team", "handover_party": "X", "rationale": " "},
            "rationale_required",
        ),
    ],
)
def test_the_route_decision_follows_the_instrument_rules(
    case_worker, case, route, checked, decision, rule
):
    decision.setdefault("rationale", "Omdat.")
    with pytest.raises(actions.DecisionRefused) as refused:
        actions.decide_route(
            case_worker,
            case,
            case.version,
            checked=checked,
            decision=Decision(route=route, **decision),
        )
    assert rule in refused.value.rules
    case.refresh_from_db()
    assert case.assessments.count() == 0


def test_an_unknown_indicator_is_refused(case_worker, case):
    with pytest.raises(ValueError, match="unknown indicators"):
        decide(case_worker, case, checked=["Z99"])


def test_an_investigation_runs_ten_weeks_and_ends_with_an_outcome_per_kind(case_worker, case):
    decide(case_worker, case, "investigation", checked=["B01"], investigation_criteria=("denial",))
    case.refresh_from_db()
    assert case.status == State.AWAITING_INVESTIGATION
    investigation = actions.current_investigation(case)
    assert investigation is not None
    assert investigation.due_at == workdays.investigation_deadline(investigation.decided_at)
    assert case.investigation_due_at == investigation.due_at
    actions.start_investigation(case_worker, case, case.version)
    assert case.status == State.INVESTIGATION
    with pytest.raises(actions.Refused):
        actions.finish_investigation(
            case_worker,
            case,
            case.version,
            outcomes={},
            conclusion="x",
            checked=[],
            decision=Decision(route="close", rationale="x"),
        )
    actions.finish_investigation(
        case_worker,
        case,
        case.version,
        outcomes={"child_abuse": "confirmed", "partner_violence": "refuted"},
        conclusion="Mishandeling bevestigd.",
        checked=["B01"],
        decision=Decision(route="conditions_and_follow_up", rationale="Voorwaarden stellen."),
    )
    investigation.refresh_from_db()
    assert investigation.ended_at is not None
    assert dict(investigation.outcomes.values_list("violence_kind", "outcome")) == {
        "child_abuse": "confirmed",
        "partner_violence": "refuted",
    }
    assert case.status == State.CONDITIONS_AND_FOLLOW_UP


def test_an_impossible_transition_is_refused_and_changes_nothing(case_worker, case):
    version = case.version
    with pytest.raises(actions.InvalidTransition):
        actions.start_monitoring(case_worker, case, version)
    with pytest.raises(actions.InvalidTransition):
        actions.request_closure(case_worker, case, version, reason="Klaar")
    case.refresh_from_db()
    assert case.version == version and case.status == State.AWAITING_ASSESSMENT
    assert list(case.events.values_list("action", flat=True)) == ["case_opened"]


def test_a_second_worker_on_an_old_version_gets_a_conflict_and_overwrites_nothing(
    case_worker, colleague, case
):
    seen = case.version
    actions.record_kindcheck(
        case_worker,
        case,
        seen,
        children_in_household="yes",
        children_count=2,
        children_ages=[4, 9],
        pregnancy="no",
    )
    stale = type(case).objects.get(pk=case.pk)
    stale.version = seen
    with pytest.raises(actions.StaleVersion):
        actions.record_kindcheck(
            colleague,
            stale,
            seen,
            children_in_household="no",
            children_count=None,
            children_ages=[],
            pregnancy="no",
        )
    case.refresh_from_db()
    assert case.children_count == 2 and case.children_ages == [4, 9]


def test_two_plan_saves_on_the_same_revision_cannot_both_win(case_worker, colleague, case):
    actions.save_plan(case_worker, case, kind="safety", body="Versie 1", based_on=0)
    with pytest.raises(actions.StaleVersion):
        actions.save_plan(colleague, case, kind="safety", body="Andere versie 1", based_on=0)
    actions.save_plan(colleague, case, kind="safety", body="Versie 2", based_on=1)
    assert list(PlanRevision.objects.filter(case=case).values_list("number", flat=True)) == [2, 1]
    plan = actions.current_plan(case, "safety")
    assert plan is not None and plan.body == "Versie 2"


@pytest.mark.parametrize("score", [0, 11, -1, 5.5, True])
def test_a_safety_score_is_a_whole_number_from_one_to_ten(case_worker, case, score):
    with pytest.raises(actions.Refused):
        actions.add_score(
            case_worker,
            case,
            score=score,
            scored_on=timezone.localdate(),
            participants="VT, buurtteam",
        )
    assert not SafetyScore.objects.exists()


def test_the_database_refuses_a_score_of_eleven_too(case_worker, case):
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyScore.objects.create(
            case=case,
            score=11,
            scored_on=timezone.localdate(),
            participants="x",
            created_at=timezone.now(),
            created_by=case_worker,
        )


@pytest.mark.parametrize("days", [-400, 1])
def test_a_score_date_in_the_future_or_long_ago_is_refused(case_worker, case, days):
    with pytest.raises(actions.Refused):
        actions.add_score(
            case_worker,
            case,
            score=6,
            scored_on=timezone.localdate() + timedelta(days=days),
            participants="VT",
        )


@pytest.mark.parametrize("days", [-1, 800])
def test_a_monitoring_date_in_the_past_or_far_future_is_refused(case_worker, case, days):
    with pytest.raises(actions.Refused):
        actions.schedule_monitoring(
            case_worker, case, due_on=timezone.localdate() + timedelta(days=days)
        )


def test_history_is_append_only(case_worker, case):
    event = case.events.first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError):
        CaseEvent.objects.all().delete()
    note = actions.add_note(case_worker, case, kind="fact", body="Gesprek gevoerd.")
    with pytest.raises(TypeError):
        Note.objects.filter(pk=note.pk).update(body="anders")


def test_the_database_refuses_to_rewrite_history(case_worker, case):
    from django.db import connection

    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE cases_caseevent SET action = 'forged'")


def test_every_change_says_who_when_and_why_in_history_and_audit(case_worker, case):
    actions.assign(case_worker, case, case.version, case_worker, reason="Ik pak dit op")
    event = case.events.filter(action="assigned").get()
    assert event.actor == case_worker and event.reason == "Ik pak dit op" and event.at
    audit = AuditEvent.objects.filter(action="assigned", object_id=str(case.pk)).get()
    assert audit.actor_id == str(case_worker.pk)
    assert audit.processing_activity == "vg-004-case-work"
    assert "Ik pak dit op" not in str(audit.details) and audit.reason == ""


def test_a_client_view_answers_a_fact_and_may_be_added_after_closure(case_worker, case):
    person = actions.add_person(
        case_worker, case, role="alleged_perpetrator", given_names="Kees", surname="Jansen"
    )
    fact = actions.add_note(case_worker, case, kind="fact", body="Politie trof vader dronken aan.")
    case.status = State.CLOSED
    with pytest.raises(actions.Refused):
        actions.add_note(case_worker, case, kind="fact", body="Nog iets")
    with pytest.raises(actions.Refused):
        actions.add_note(case_worker, case, kind="client_view", body="Ik was niet dronken.")
    view = actions.add_note(
        case_worker,
        case,
        kind="client_view",
        body="Ik was niet dronken.",
        person=person,
        about=fact,
    )
    assert view.about == fact and list(fact.responses.all()) == [view]


def test_feedback_after_the_assessment_goes_into_the_reporters_thread(case_worker, case):
    link = case.report_links.get()
    with pytest.raises(actions.Refused):
        actions.send_feedback(case_worker, case, link, "after_assessment", body="Te vroeg")
    decide(case_worker, case)
    text = actions.compose(case, link, "after_assessment", reporter_has_role=False)
    assert "veiligheidsvoorwaarden" in text  # Dutch: the reporter's language
    feedback = actions.send_feedback(case_worker, case, link, "after_assessment", body=text)
    assert feedback.channel == "return_code"
    assert feedback.message is not None
    message = feedback.message
    assert message.contact == link.report.contact and message.direction == "from_staff"
    assert message.body == text
    with pytest.raises(actions.Refused):
        actions.send_feedback(case_worker, case, link, "after_assessment", body="Nog eens")
    assert AuditEvent.objects.filter(
        action="feedback_sent", processing_activity="vg-007-feedback"
    ).exists()


def test_a_professional_reporter_gets_feedback_in_the_same_thread_with_their_channel(
    open_case, case_worker
):
    case = open_case(
        case_worker,
        anonymous=False,
        reporter_type="professional",
        details={"name": "Dr. A", "feedback_channel": "e-mail"},
    )
    decide(case_worker, case)
    feedback = actions.send_feedback(
        case_worker, case, case.report_links.get(), "after_assessment", body="Terugkoppeling"
    )
    assert feedback.channel == "professional_thread" and feedback.reporter_channel == "e-mail"


def test_the_feedback_template_names_conditions_only_when_the_reporter_has_a_role(
    case_worker, case
):
    decide(case_worker, case)
    actions.add_condition(
        case_worker, case, text="Vader slaapt elders", agreed_on=timezone.localdate()
    )
    link = case.report_links.get()
    assert "Vader slaapt elders" not in actions.compose(
        case, link, "after_assessment", reporter_has_role=False
    )
    assert "Vader slaapt elders" in actions.compose(
        case, link, "after_assessment", reporter_has_role=True
    )


def test_closing_needs_the_criteria_and_a_second_person(case_worker, supervisor, colleague, case):
    decide(case_worker, case)
    with pytest.raises(actions.Refused, match="criteria"):
        actions.request_closure(case_worker, case, case.version, reason="Veilig")
    _meet_all_criteria(case_worker, case)
    actions.request_closure(case_worker, case, case.version, reason="Veilig")
    assert case.status == State.CLOSURE_REQUESTED
    with pytest.raises(PermissionDenied):
        actions.approve_closure(case_worker, case, case.version)
    actions.approve_closure(supervisor, case, case.version, note="Akkoord")
    assert case.status == State.CLOSED and case.closed_at and case.next_due_at is None
    request = case.closure_requests.get()
    assert request.decided_by == supervisor and request.decision == ClosureDecision.APPROVED


def test_a_supervisor_cannot_approve_their_own_closure_request(
    supervisor, case, make_staff, region_utrecht
):
    decide(supervisor, case)
    _meet_all_criteria(supervisor, case)
    actions.request_closure(supervisor, case, case.version, reason="Veilig")
    with pytest.raises(actions.Refused, match="zelf om afsluiten gevraagd"):
        actions.approve_closure(supervisor, case, case.version)
    other = make_staff("an.other", region_utrecht, "supervisor")
    actions.reject_closure(other, case, case.version, note="Eerst nog een gesprek met het kind")
    assert case.status == State.MONITORING


def test_handle_with_care_task_for_a_school_age_child_in_a_police_report(case_worker, make_report):
    report = actions.register_police_report(
        case_worker,
        received_at=timezone.now() - timedelta(hours=2),
        municipality=case_worker.organisation.municipalities.first(),
        acute=False,
        violence_kinds=["partner_violence"],
        children_in_household=2,
        narrative="Ruzie, vader aangehouden.",
        police_unit="Politie Midden-Nederland",
    )
    case = actions.open_case_from_report(case_worker, report)
    today = timezone.localdate()
    child = actions.add_person(
        case_worker,
        case,
        role="child",
        given_names="Noor",
        surname="Jansen",
        date_of_birth=today.replace(year=today.year - 8),
    )
    baby = actions.add_person(
        case_worker,
        case,
        role="child",
        given_names="Sem",
        surname="Jansen",
        date_of_birth=today.replace(year=today.year - 1),
    )
    signal = SchoolSignal.objects.get(case=case)
    assert signal.person == child and not SchoolSignal.objects.filter(person=baby).exists()
    case.refresh_from_db()
    assert case.next_due_kind == "school_signal"
    message = actions.signal_message(case_worker, signal)
    assert message.name == "Noor Jansen" and message.code_word == "Handle with Care"
    actions.record_school_signal(case_worker, signal, sent=True, recipient="Leerplicht Utrecht")
    signal.refresh_from_db()
    assert signal.status == "sent" and signal.recipient == "Leerplicht Utrecht"
    # Nothing about the child is stored with the signal or in the audit log.
    stored = " ".join(str(v) for v in SchoolSignal.objects.values().get().values())
    audit = " ".join(str(a.details) + a.reason + a.receiver for a in AuditEvent.objects.all())
    assert "Noor" not in stored and "Noor" not in audit


def test_no_handle_with_care_task_without_a_police_report(case_worker, case):
    today = timezone.localdate()
    actions.add_person(
        case_worker,
        case,
        role="child",
        given_names="Noor",
        surname="Jansen",
        date_of_birth=today.replace(year=today.year - 8),
    )
    assert not SchoolSignal.objects.exists()


def _meet_all_criteria(user, case):
    today = timezone.localdate()
    actions.record_kindcheck(
        user,
        case,
        case.version,
        children_in_household="yes",
        children_count=1,
        children_ages=[7],
        pregnancy="no",
    )
    child = actions.add_person(user, case, role="child", given_names="Noor", surname="Jansen")
    actions.update_person(user, child, child.version, spoken_to_on=today)
    actions.record_persons_informed(user, case, case.version, informed_on=today, how="Brief")
    link = case.report_links.get()
    actions.send_feedback(user, case, link, "after_assessment", body="Terugkoppeling")
    condition = actions.add_condition(user, case, text="Geen geweld", agreed_on=today)
    moment = actions.schedule_monitoring(user, case, due_on=today + timedelta(days=14))
    actions.start_monitoring(user, case, case.version)
    actions.add_score(user, case, score=4, scored_on=today - timedelta(days=20), participants="VT")
    actions.add_score(user, case, score=7, scored_on=today, participants="VT, buurtteam")
    actions.complete_monitoring(user, moment, outcome="Rustig")
    actions.set_condition_status(user, condition, condition.version, status="met", reason="Gesprek")
    case.refresh_from_db()
