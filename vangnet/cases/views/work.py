# SPDX-License-Identifier: EUPL-1.2
"""Pages that change a case. Each one: access check, form, one action, redirect.

A change based on an old version gets a 409 with a clear message and the user's input kept;
nothing is overwritten silently (ADR 0030).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from vangnet.accounts.access import Perm, require
from vangnet.accounts.decorators import staff_required
from vangnet.cases import access, actions, forms
from vangnet.cases.models import (
    Case,
    CaseReport,
    FeedbackMoment,
    MonitoringMoment,
    Person,
    PlanKind,
    SafetyCondition,
    SchoolSignal,
)
from vangnet.cases.views.common import conflict_message, page
from vangnet.triage import instrument as triage


def _back(case: Case, anchor: str = "") -> HttpResponse:
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    return redirect(url + (f"#{anchor}" if anchor else ""))


Run = Callable[[Any, Case, dict[str, Any]], Any]


@dataclass(frozen=True)
class CaseAction:
    title: Promise
    form: type[forms.Form]
    perm: Perm
    run: Run
    done: Promise
    anchor: str = ""
    intro: Promise | str = ""
    form_kwargs: Callable[[Case], dict[str, Any]] = field(default=lambda case: {})
    initial: Callable[[Case], dict[str, Any]] = field(default=lambda case: {})


def _version(data: dict[str, Any]) -> int:
    return int(data["version"])


def _closure_decision(user: Any, case: Case, d: dict[str, Any]) -> Any:
    if d["decision"] == "approve":
        return actions.approve_closure(user, case, _version(d), note=d["note"])
    return actions.reject_closure(user, case, _version(d), note=d["note"])


def _kindcheck_initial(case: Case) -> dict[str, Any]:
    return {
        "children_in_household": case.children_in_household or None,
        "children_count": case.children_count,
        "children_ages": ", ".join(str(a) for a in case.children_ages),
        "pregnancy": case.pregnancy or None,
    }


def _household_initial(case: Case) -> dict[str, Any]:
    address = case.household_address or {}
    return {"household_label": case.household_label, **address}


ACTIONS: dict[str, CaseAction] = {
    "assign": CaseAction(
        gettext_lazy("Case worker"),
        forms.AssignForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.assign(u, c, _version(d), d["assignee"], d["reason"]),
        gettext_lazy("The case worker was changed."),
        form_kwargs=lambda case: {"staff": access.assignable_staff(case.organisation_id)},
        initial=lambda case: {"assignee": case.assigned_to_id},
    ),
    "household": CaseAction(
        gettext_lazy("Household"),
        forms.HouseholdForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.update_household(
            u,
            c,
            _version(d),
            household_label=d["household_label"],
            street=d["street"],
            house_number=d["house_number"],
            postcode=d["postcode"],
            city=d["city"],
        ),
        gettext_lazy("The household was saved."),
        initial=_household_initial,
    ),
    "kindcheck": CaseAction(
        gettext_lazy("Kindcheck"),
        forms.KindcheckForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.record_kindcheck(
            u,
            c,
            _version(d),
            children_in_household=d["children_in_household"],
            children_count=d["children_count"],
            children_ages=d["children_ages"],
            pregnancy=d["pregnancy"],
        ),
        gettext_lazy("The kindcheck was saved."),
        anchor="persons",
        intro=gettext_lazy(
            "Record whether there are children in the household, how many, and how old they "
            "are, and whether someone is pregnant (meldcode step 1)."
        ),
        initial=_kindcheck_initial,
    ),
    "start-assessment": CaseAction(
        gettext_lazy("Start the safety assessment"),
        forms.EmptyForm,
        Perm.ASSESS_SAFETY,
        lambda u, c, d: actions.start_assessment(u, c, _version(d)),
        gettext_lazy("The safety assessment has started."),
    ),
    "start-investigation": CaseAction(
        gettext_lazy("Start the investigation"),
        forms.EmptyForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.start_investigation(u, c, _version(d)),
        gettext_lazy("The investigation has started."),
    ),
    "start-monitoring": CaseAction(
        gettext_lazy("Start monitoring"),
        forms.EmptyForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.start_monitoring(u, c, _version(d)),
        gettext_lazy("Monitoring has started."),
    ),
    "reassess": CaseAction(
        gettext_lazy("New safety assessment"),
        forms.ReasonForm,
        Perm.ASSESS_SAFETY,
        lambda u, c, d: actions.reassess(u, c, _version(d), reason=d["reason"]),
        gettext_lazy("A new safety assessment has started."),
    ),
    "request-closure": CaseAction(
        gettext_lazy("Ask to close the case"),
        forms.ReasonForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.request_closure(u, c, _version(d), reason=d["reason"]),
        gettext_lazy("Closure was requested. A supervisor decides."),
        anchor="closure",
    ),
    "decide-closure": CaseAction(
        gettext_lazy("Decide on closure"),
        forms.ClosureDecisionForm,
        Perm.APPROVE_CLOSURE,
        _closure_decision,
        gettext_lazy("The decision on closure was recorded."),
        anchor="closure",
    ),
    "persons-informed": CaseAction(
        gettext_lazy("Persons involved informed"),
        forms.PersonsInformedForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.record_persons_informed(
            u, c, _version(d), informed_on=d["informed_on"], how=d["how"]
        ),
        gettext_lazy("Recorded that the persons involved were informed."),
        intro=gettext_lazy(
            "Within 4 weeks of recording, the persons involved are told that Veilig Thuis "
            "recorded data about them (Wmo art. 5.3.1)."
        ),
    ),
    "extend-notification": CaseAction(
        gettext_lazy("Extend the term for informing"),
        forms.ExtendNotificationForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.extend_notification(
            u, c, _version(d), weeks=d["weeks"], reason=d["reason"]
        ),
        gettext_lazy("The term was extended."),
    ),
    "waiting-check": CaseAction(
        gettext_lazy("Safety check while waiting"),
        forms.SummaryForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.record_waiting_check(u, c, _version(d), summary=d["summary"]),
        gettext_lazy("The safety check was recorded."),
        intro=gettext_lazy(
            "Keep watch over safety while the case waits: contact the reporter or a "
            "professional involved and write down how things are now."
        ),
    ),
    "acute-action": CaseAction(
        gettext_lazy("Acute action taken"),
        forms.SummaryForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.record_acute_action(u, c, _version(d), summary=d["summary"]),
        gettext_lazy("The acute action was recorded."),
    ),
    "handover-accepted": CaseAction(
        gettext_lazy("Hand-over accepted"),
        forms.PartyForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.record_handover_accepted(u, c, _version(d), party=d["party"]),
        gettext_lazy("Recorded that the hand-over was accepted."),
    ),
    "person": CaseAction(
        gettext_lazy("Add a person involved"),
        forms.PersonForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.add_person(
            u,
            c,
            role=d["role"],
            given_names=d["given_names"],
            surname=d["surname"],
            date_of_birth=d["date_of_birth"],
            bsn=d["bsn"],
            in_household=d["in_household"],
        ),
        gettext_lazy("The person was added."),
        anchor="persons",
    ),
    "note": CaseAction(
        gettext_lazy("Add a note"),
        forms.NoteForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.add_note(
            u, c, kind=d["kind"], body=d["body"], person=d["person"], about=d["about"]
        ),
        gettext_lazy("The note was added."),
        anchor="notes",
        intro=gettext_lazy(
            "Keep facts, your professional opinion and the persons' own view apart. A "
            "client's own view can answer a note (hoor en wederhoor)."
        ),
        form_kwargs=lambda case: {"case": case},
    ),
    "condition": CaseAction(
        gettext_lazy("Add a safety condition"),
        forms.ConditionForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.add_condition(
            u, c, text=d["text"], agreed_on=d["agreed_on"], review_on=d["review_on"]
        ),
        gettext_lazy("The safety condition was added."),
        anchor="conditions",
    ),
    "score": CaseAction(
        gettext_lazy("Add a safety score"),
        forms.ScoreForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.add_score(
            u,
            c,
            score=d["score"],
            scored_on=d["scored_on"],
            participants=d["participants"],
            note=d["note"],
        ),
        gettext_lazy("The safety score was added."),
        anchor="scores",
    ),
    "monitoring": CaseAction(
        gettext_lazy("Plan a monitoring check"),
        forms.MonitoringForm,
        Perm.EDIT_CASE,
        lambda u, c, d: actions.schedule_monitoring(u, c, due_on=d["due_on"], purpose=d["purpose"]),
        gettext_lazy("The monitoring check was planned."),
        anchor="monitoring",
    ),
}


def _handle(
    request: HttpRequest,
    case: Case,
    form: Any,
    run: Callable[[], Any],
    *,
    done: str,
    anchor: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                run()
            except actions.StaleVersion as stale:
                status = 409
                current = stale.current if isinstance(stale.current, Case) else case
                messages.error(request, conflict_message(current))
                if "version" in form.fields and isinstance(stale.current, Case | Person):
                    data = form.data.copy()
                    data["version"] = str(stale.current.version)
                    form.data = data
            except actions.InvalidTransition:
                status = 409
                form.add_error(
                    None,
                    _("This step is not possible now: the case is in the state '%(state)s'.")
                    % {"state": case.get_status_display()},
                )
            except actions.Refused as refused:
                form.add_error(None, str(refused.message))
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, done)
                return _back(case, anchor)
    return page(request, template, {"form": form, **context}, case=case, status=status)


@staff_required(Perm.VIEW_CASE)
@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, case_id: int, slug: str) -> HttpResponse:
    spec = ACTIONS.get(slug)
    if spec is None:
        raise Http404
    case = access.case_for(request.user, case_id, spec.perm)
    initial = {"version": case.version, **spec.initial(case)}
    form = spec.form(
        request.POST if request.method == "POST" else None,
        initial=initial,
        **spec.form_kwargs(case),
    )
    return _handle(
        request,
        case,
        form,
        lambda: spec.run(request.user, case, form.cleaned_data),
        done=str(spec.done),
        anchor=spec.anchor,
        template="cases/action.html",
        context={"title": spec.title, "intro": spec.intro},
    )


@staff_required(Perm.ASSESS_SAFETY)
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.ASSESS_SAFETY)
    instrument = triage.current()
    form = forms.AssessmentForm(
        request.POST if request.method == "POST" else None,
        initial={"version": case.version},
        instrument=instrument,
    )

    def run() -> None:
        try:
            actions.decide_route(
                request.user,
                case,
                form.cleaned_data["version"],
                checked=form.checked(),
                decision=form.decision(),
                instrument_version=instrument.version,
            )
        except actions.DecisionRefused as refused:
            raise actions.Refused(refused.message) from None

    return _handle(
        request,
        case,
        form,
        run,
        done=_("The safety assessment and the route were recorded."),
        anchor="assessment",
        template="cases/assessment.html",
        context={"instrument": instrument},
    )


@staff_required(Perm.ASSESS_SAFETY)
@require_http_methods(["GET", "POST"])
def investigation(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.ASSESS_SAFETY)
    instrument = triage.current()
    kinds = list(case.violence_kinds) or ["unknown"]
    form = forms.InvestigationForm(
        request.POST if request.method == "POST" else None,
        initial={"version": case.version},
        instrument=instrument,
        kinds=kinds,
    )

    def run() -> None:
        try:
            actions.finish_investigation(
                request.user,
                case,
                form.cleaned_data["version"],
                outcomes=form.outcomes(),
                conclusion=form.cleaned_data["conclusion"],
                checked=form.checked(),
                decision=form.decision(),
                instrument_version=instrument.version,
            )
        except actions.DecisionRefused as refused:
            raise actions.Refused(refused.message) from None

    return _handle(
        request,
        case,
        form,
        run,
        done=_("The investigation was finished and the route recorded."),
        anchor="assessment",
        template="cases/assessment.html",
        context={"instrument": instrument, "finishing": True},
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    person = Person.objects.filter(case=case, pk=person_id).first()
    if person is None:
        raise Http404
    initial = {
        "version": person.version,
        "role": person.role,
        "given_names": person.given_names,
        "surname": person.surname,
        "date_of_birth": person.birth_date,
        "bsn": person.bsn,
        "in_household": person.in_household,
        "spoken_to_on": person.spoken_to_on,
        "not_spoken_to_reason": person.not_spoken_to_reason,
        "trauma_screening": person.trauma_screening,
        "trauma_screening_offered_on": person.trauma_screening_offered_on,
        "trauma_screening_done_on": person.trauma_screening_done_on,
    }
    form = forms.PersonEditForm(request.POST if request.method == "POST" else None, initial=initial)

    def run() -> None:
        data = dict(form.cleaned_data)
        version = data.pop("version")
        actions.update_person(request.user, person, version, **data)

    return _handle(
        request,
        case,
        form,
        run,
        done=_("The person was saved."),
        anchor="persons",
        template="cases/action.html",
        context={"title": _("Person involved"), "person": person},
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def condition_status(request: HttpRequest, case_id: int, condition_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    condition = SafetyCondition.objects.filter(case=case, pk=condition_id).first()
    if condition is None:
        raise Http404
    form = forms.ConditionStatusForm(
        request.POST if request.method == "POST" else None,
        initial={"version": condition.version, "status": condition.status},
    )
    return _handle(
        request,
        case,
        form,
        lambda: actions.set_condition_status(
            request.user,
            condition,
            form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The condition was updated."),
        anchor="conditions",
        template="cases/action.html",
        context={"title": _("Safety condition"), "quote": condition.text},
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    if kind not in PlanKind.values:
        raise Http404
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    current = actions.current_plan(case, kind)
    form = forms.PlanForm(
        request.POST if request.method == "POST" else None,
        initial={
            "based_on": current.number if current else 0,
            "body": current.body if current else "",
            "responsible_party": current.responsible_party if current else "",
        },
    )

    def run() -> None:
        actions.save_plan(
            request.user,
            case,
            kind=kind,
            body=form.cleaned_data["body"],
            based_on=form.cleaned_data["based_on"],
            responsible_party=form.cleaned_data["responsible_party"],
        )

    response = _handle(
        request,
        case,
        form,
        run,
        done=_("The plan was saved."),
        anchor="plans",
        template="cases/action.html",
        context={
            "title": PlanKind(kind).label,
            "intro": _("One family, one plan: each save keeps the earlier version."),
            "newer": None,
        },
    )
    if response.status_code == 409:
        # Show what the other worker saved next to the text this worker typed.
        newer = actions.current_plan(case, kind)
        return page(
            request,
            "cases/action.html",
            {
                "form": form,
                "title": PlanKind(kind).label,
                "newer": newer,
            },
            case=case,
            status=409,
        )
    return response


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def monitoring_done(request: HttpRequest, case_id: int, moment_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    moment = MonitoringMoment.objects.filter(case=case, pk=moment_id).first()
    if moment is None:
        raise Http404
    form = forms.MonitoringDoneForm(request.POST if request.method == "POST" else None)
    return _handle(
        request,
        case,
        form,
        lambda: actions.complete_monitoring(
            request.user, moment, outcome=form.cleaned_data["outcome"]
        ),
        done=_("The monitoring check was recorded."),
        anchor="monitoring",
        template="cases/action.html",
        context={"title": _("Monitoring check"), "quote": moment.purpose},
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, case_id: int, link_id: int, moment: str) -> HttpResponse:
    if moment not in FeedbackMoment.values:
        raise Http404
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    link = (
        CaseReport.objects.filter(case=case, pk=link_id)
        .select_related("report", "report__contact")
        .first()
    )
    if link is None:
        raise Http404
    role_form = forms.FeedbackRoleForm(request.GET or None)
    with_role = bool(role_form.is_valid() and role_form.cleaned_data["reporter_has_role"])
    not_given = request.method == "POST" and request.POST.get("not_given") == "1"
    if not_given:
        form: Any = forms.NoFeedbackForm(request.POST)
    else:
        form = forms.FeedbackForm(
            request.POST if request.method == "POST" else None,
            initial={"body": actions.compose(case, link, moment, reporter_has_role=with_role)},
        )

    def run() -> None:
        if not_given:
            actions.record_no_feedback(
                request.user, case, link, moment, reason=form.cleaned_data["reason"]
            )
        else:
            actions.send_feedback(request.user, case, link, moment, body=form.cleaned_data["body"])

    return _handle(
        request,
        case,
        form,
        run,
        done=_("The feedback was recorded."),
        anchor="reports",
        template="cases/feedback.html",
        context={
            "link": link,
            "moment": moment,
            "moment_label": FeedbackMoment(moment).label,
            "role_form": role_form,
            "no_feedback_form": forms.NoFeedbackForm() if not not_given else form,
        },
    )


@staff_required(Perm.EDIT_CASE)
@require_http_methods(["GET", "POST"])
def school_signal(request: HttpRequest, case_id: int, signal_id: int) -> HttpResponse:
    """Handle with Care: the message is shown on this page only and never stored."""
    case = access.case_for(request.user, case_id, Perm.EDIT_CASE)
    signal = SchoolSignal.objects.filter(case=case, pk=signal_id).select_related("person").first()
    if signal is None:
        raise Http404
    require(request.user, Perm.EDIT_CASE)
    form = forms.SchoolSignalForm(request.POST if request.method == "POST" else None)
    message = actions.signal_message(request.user, signal) if signal.status == "open" else None

    def run() -> None:
        data = form.cleaned_data
        actions.record_school_signal(
            request.user,
            signal,
            sent=data["decision"] == "sent",
            recipient=data["recipient"],
            reason=data["reason"],
        )

    return _handle(
        request,
        case,
        form,
        run,
        done=_("The Handle with Care decision was recorded."),
        anchor="school",
        template="cases/school_signal.html",
        context={"signal": signal, "message": message},
    )
