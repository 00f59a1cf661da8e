# SPDX-License-Identifier: EUPL-1.2
"""Opening and joining cases, persons, kindcheck, notification of persons, notes."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, has_perm, require
from vangnet.audit.log import Actor, record
from vangnet.cases import deadlines, keys
from vangnet.cases.actions.common import (
    ACTIVITY_CASE_WORK,
    Refused,
    StaleVersion,
    audit,
    change_case,
    ensure_open,
    log_event,
    refresh_next_due,
)
from vangnet.cases.models import (
    Case,
    CaseReport,
    ClosureDecision,
    ClosureRequest,
    Involvement,
    Note,
    NoteKind,
    Person,
    PersonRole,
    SchoolSignal,
)
from vangnet.cases.workflow import BEFORE_DECISION, State
from vangnet.intake.models import Channel, ReporterType
from vangnet.lib import workdays
from vangnet.radar.actions import register_person as register_in_radar


def register_police_report(
    user: Any,
    *,
    received_at: datetime,
    municipality: Any,
    acute: bool,
    violence_kinds: list[str],
    children_in_household: int | None,
    narrative: str,
    police_unit: str,
    police_reference: str = "",
    idempotency_digest: str | None = None,
) -> Any:
    """Staff register a report that did not come through the public side (a police report, the
    CORV route): a Contact with channel ``police``, registered as a Report by intake's own
    action. Returns the Report; the case is opened or joined after that."""
    from vangnet.intake import actions as intake_actions
    from vangnet.intake.models import Contact, RequestKind

    require(user, Perm.EDIT_CASE)
    if municipality is not None and municipality.vt_region_id != user.organisation_id:
        raise Refused(_("This municipality belongs to another Veilig Thuis region."))
    with transaction.atomic():
        contact = Contact.objects.create(
            organisation_id=user.organisation_id,
            municipality=municipality,
            channel=Channel.POLICE,
            requested_kind=RequestKind.REPORT,
            reporter_type=ReporterType.POLICE,
            anonymous=False,
            acute=acute,
            violence_kinds=violence_kinds,
            children_in_household=children_in_household,
            narrative=narrative,
            reporter_details={"organisation": police_unit, "reference": police_reference},
            received_at=received_at,
            last_activity_at=timezone.now(),
            idempotency_digest=idempotency_digest,
        )
        report = intake_actions.record_report(user, contact, version=contact.version)
        record(
            actor=Actor.staff(user),
            action="police_report_registered",
            activity=ACTIVITY_CASE_WORK,
            obj=report,
            organisation_id=user.organisation_id,
            details={"acute": acute},
        )
    return report


def _deadline_fields(received_at: datetime, acute: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {"assessment_due_at": workdays.assessment_deadline(received_at)}
    if acute:
        fields["acute_due_at"] = workdays.acute_deadline(received_at)
    return fields


def open_case_from_report(
    user: Any,
    report: Any,
    *,
    household_label: str = "",
    postcode: str = "",
    house_number: str = "",
    street: str = "",
    city: str = "",
    assign_to_self: bool = True,
    previous_case: Case | None = None,
) -> Case:
    """A new case for a report: deadlines from the report's receipt (domain rules §1.5)."""
    require(user, Perm.EDIT_CASE)
    if report.organisation_id != user.organisation_id:
        raise Refused(_("This report belongs to another organisation."))
    if previous_case is not None and (
        previous_case.organisation_id != user.organisation_id or previous_case.is_open
    ):
        raise Refused(_("An open case cannot be the earlier case of a new one: join it instead."))
    now = timezone.now()
    address = None
    if postcode or house_number or street or city:
        address = {
            "street": street,
            "house_number": house_number,
            "postcode": keys.normalise_postcode(postcode) or postcode,
            "city": city,
        }
    try:
        with transaction.atomic():
            case = Case.objects.create(
                organisation_id=report.organisation_id,
                municipality_id=report.municipality_id,
                assigned_to=user if assign_to_self else None,
                household_label=household_label,
                household_address=address,
                household_key=keys.household_key(postcode, house_number),
                acute=report.acute,
                violence_kinds=list(report.violence_kinds or []),
                received_at=report.received_at,
                opened_at=now,
                opened_by=user,
                previous_case=previous_case,
                notify_due_at=workdays.notify_persons_deadline(now),
                updated_at=now,
                **_deadline_fields(report.received_at, report.acute),
            )
            involvement = Involvement.RE_REPORT if previous_case else Involvement.FIRST
            CaseReport.objects.create(
                case=case, report=report, involvement=involvement, linked_at=now, linked_by=user
            )
            log_event(
                user,
                case,
                "case_opened",
                to_status=case.status,
                details={"report": report.pk, "involvement": involvement},
                at=now,
            )
            audit(user, "case_opened", case, details={"report": report.pk})
            refresh_next_due(case)
    except IntegrityError:
        raise Refused(_("This report is already linked to a case.")) from None
    return case


def involvement_for(state: str) -> Involvement:
    """CBS 85361NED: a repeat report during the assessment, after it, or during monitoring."""
    if state in BEFORE_DECISION:
        return Involvement.DURING_ASSESSMENT
    if state == State.MONITORING:
        return Involvement.DURING_MONITORING
    return Involvement.AFTER_ASSESSMENT


#: A repeat report after the route decision asks for a new safety assessment.
_REASSESS_FROM = frozenset(
    {
        State.HANDED_OVER,
        State.CONDITIONS_AND_FOLLOW_UP,
        State.MONITORING,
        State.CHILD_PROTECTION_BOARD,
        State.AWAITING_INVESTIGATION,
    }
)


def join_case(user: Any, report: Any, case: Case) -> CaseReport:
    """Add a new report to an open case of the same family system, flagged as a repeat report.

    Deadlines never get later: during the assessment the earliest deadline stays; after the
    decision the case goes back to a new safety assessment with the new report's deadlines.
    A pending closure request is withdrawn, because the new report changes the picture.
    """
    require(user, Perm.EDIT_CASE)
    if (
        report.organisation_id != user.organisation_id
        or case.organisation_id != user.organisation_id
    ):
        raise Refused(_("This report belongs to another organisation."))
    ensure_open(case)
    now = timezone.now()
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case.pk)
            if case.status == State.CLOSURE_REQUESTED:
                ClosureRequest.objects.filter(case=case, decision=ClosureDecision.PENDING).update(
                    decision=ClosureDecision.WITHDRAWN, decided_at=now
                )
                case = change_case(
                    user,
                    case,
                    case.version,
                    "closure_withdrawn",
                    reason="",
                    details={"report": report.pk},
                    status=case.state_before_closure,
                    state_before_closure="",
                )
            involvement = involvement_for(case.status)
            link = CaseReport.objects.create(
                case=case, report=report, involvement=involvement, linked_at=now, linked_by=user
            )
            fields: dict[str, Any] = {
                "violence_kinds": sorted(
                    set(case.violence_kinds) | set(report.violence_kinds or [])
                )
            }
            new = _deadline_fields(report.received_at, report.acute)
            if report.acute:
                fields["acute"] = True
                if case.acute_due_at is None or case.acute_handled_at is not None:
                    fields["acute_due_at"] = new["acute_due_at"]
                    fields["acute_handled_at"] = None
                else:
                    fields["acute_due_at"] = min(case.acute_due_at, new["acute_due_at"])
            transition_name = ""
            if case.status in BEFORE_DECISION:
                current = case.assessment_due_at or new["assessment_due_at"]
                fields["assessment_due_at"] = min(current, new["assessment_due_at"])
            elif case.status in _REASSESS_FROM:
                transition_name = "reassess"
                fields["assessment_due_at"] = new["assessment_due_at"]
                fields["assessed_at"] = None
            change_case(
                user,
                case,
                case.version,
                "report_joined",
                transition_name=transition_name,
                perm=Perm.EDIT_CASE,
                details={"report": report.pk, "involvement": involvement},
                **fields,
            )
    except IntegrityError:
        raise Refused(_("This report is already linked to a case.")) from None
    return link


def assign(user: Any, case: Case, version: int, assignee: Any, reason: str = "") -> Case:
    from vangnet.cases.access import assignable_staff

    ensure_open(case)
    if (
        assignee is not None
        and not assignable_staff(case.organisation_id).filter(pk=assignee.pk).exists()
    ):
        raise Refused(_("This person cannot hold cases of this organisation."))
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "assigned",
            perm=Perm.EDIT_CASE,
            reason=reason,
            details={"to": assignee.pk if assignee else None},
            assigned_to=assignee,
        )


def update_household(
    user: Any,
    case: Case,
    version: int,
    *,
    household_label: str,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
) -> Case:
    ensure_open(case)
    address = {
        "street": street,
        "house_number": house_number,
        "postcode": keys.normalise_postcode(postcode) or postcode,
        "city": city,
    }
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "household_updated",
            perm=Perm.EDIT_CASE,
            household_label=household_label,
            household_address=address,
            household_key=keys.household_key(postcode, house_number),
        )


def record_kindcheck(
    user: Any,
    case: Case,
    version: int,
    *,
    children_in_household: str,
    children_count: int | None,
    children_ages: list[int],
    pregnancy: str,
) -> Case:
    """Kindcheck (meldcode step 1): whether there are children, their number and ages."""
    ensure_open(case)
    if children_in_household == "yes":
        if not children_count or len(children_ages) != children_count:
            raise Refused(_("Give the number of children and one age for each child."))
    else:
        children_count, children_ages = (0 if children_in_household == "no" else None), []
    if any(age < 0 or age > 17 for age in children_ages):
        raise Refused(_("Ages of children are between 0 and 17."))
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "kindcheck_recorded",
            perm=Perm.EDIT_CASE,
            kindcheck_at=timezone.now(),
            children_in_household=children_in_household,
            children_count=children_count,
            children_ages=children_ages,
            pregnancy=pregnancy,
        )


def _person_fields(
    *,
    given_names: str,
    surname: str,
    date_of_birth: date | None,
    bsn: str,
    address: dict[str, str] | None,
) -> dict[str, Any]:
    return {
        "given_names": given_names.strip(),
        "surname": surname.strip(),
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
        "bsn": bsn.strip(),
        "address": address or None,
        "person_key": keys.person_key(surname, date_of_birth),
    }


def add_person(
    user: Any,
    case: Case,
    *,
    role: str,
    given_names: str,
    surname: str,
    date_of_birth: date | None = None,
    bsn: str = "",
    in_household: bool = True,
    address: dict[str, str] | None = None,
) -> Person:
    require(user, Perm.EDIT_CASE)
    ensure_open(case)
    if role not in PersonRole.values:
        raise Refused(_("Choose a role."))
    now = timezone.now()
    with transaction.atomic():
        person = Person.objects.create(
            case=case,
            role=role,
            in_household=in_household,
            created_at=now,
            created_by=user,
            **_person_fields(
                given_names=given_names,
                surname=surname,
                date_of_birth=date_of_birth,
                bsn=bsn,
                address=address,
            ),
        )
        log_event(user, case, "person_added", details={"person": person.pk, "role": role}, at=now)
        audit(user, "person_added", case, obj=person)
        register_in_radar(person)
        ensure_school_signal(user, case, person)
        refresh_next_due(case)
    return person


def update_person(user: Any, person: Person, version: int, **changes: Any) -> Person:
    """Change a person's record; ``version`` guards against two workers editing at once."""
    require(user, Perm.EDIT_CASE)
    case = person.case
    ensure_open(case)
    fields = _person_fields(
        given_names=changes.pop("given_names", person.given_names),
        surname=changes.pop("surname", person.surname),
        date_of_birth=changes.pop("date_of_birth", person.birth_date),
        bsn=changes.pop("bsn", person.bsn),
        address=changes.pop("address", person.address),
    )
    allowed = {
        "role",
        "in_household",
        "spoken_to_on",
        "not_spoken_to_reason",
        "trauma_screening",
        "trauma_screening_offered_on",
        "trauma_screening_done_on",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown person fields {sorted(unknown)}")
    fields.update(changes)
    screening = fields.get("trauma_screening", person.trauma_screening)
    if screening == "done" and not fields.get(
        "trauma_screening_done_on", person.trauma_screening_done_on
    ):
        raise Refused(_("Give the date on which the trauma screening was done."))
    with transaction.atomic():
        # Encrypted fields must go through the model to be encrypted: compare-and-set first.
        from django.db.models import F

        if (
            Person.objects.filter(pk=person.pk, version=version).update(version=F("version") + 1)
            != 1
        ):
            raise StaleVersion(Person.objects.filter(pk=person.pk).first())
        for name, value in fields.items():
            setattr(person, name, value)
        person.version = version + 1
        person.save(update_fields=[*fields.keys()])
        log_event(
            user,
            case,
            "person_updated",
            details={"person": person.pk, "fields": sorted(fields)},
        )
        audit(user, "person_updated", case, obj=person)
        register_in_radar(person)
        ensure_school_signal(user, case, person)
        refresh_next_due(case)
    return person


def ensure_school_signal(user: Any, case: Case, person: Person) -> SchoolSignal | None:
    """Handle with Care: a police report with a school-age child in the household gives the
    worker a task, due before the next school day starts (domain rules §4)."""
    if person.role != PersonRole.CHILD or not person.in_household:
        return None
    if hasattr(person, "school_signal"):
        return person.school_signal
    if not deadlines.is_school_age(person.birth_date, timezone.localdate()):
        return None
    police = Q(report__contact__channel=Channel.POLICE) | Q(
        report__reporter_type=ReporterType.POLICE
    )
    first = (
        case.report_links.filter(police)
        .order_by("report__received_at")
        .values_list("report__received_at", flat=True)
        .first()
    )
    if first is None:
        return None
    now = timezone.now()
    # Due before the school day after the police report, even when the child is added later:
    # then the task shows as overdue, which is the truth.
    signal = SchoolSignal.objects.create(
        case=case,
        person=person,
        created_at=now,
        due_at=deadlines.school_signal_deadline(first),
    )
    log_event(user, case, "school_signal_task", details={"person": person.pk}, at=now)
    audit(user, "school_signal_task", case, obj=signal)
    return signal


def record_persons_informed(
    user: Any, case: Case, version: int, *, informed_on: date, how: str
) -> Case:
    """Wmo art. 5.3.1: the persons involved were told that data about them was recorded."""
    ensure_open(case)
    informed_at = min(
        datetime.combine(informed_on, time(12, 0), tzinfo=workdays.AMSTERDAM), timezone.now()
    )
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "persons_informed",
            perm=Perm.EDIT_CASE,
            reason=how,
            persons_informed_at=informed_at,
        )


def extend_notification(user: Any, case: Case, version: int, *, weeks: int, reason: str) -> Case:
    """Wmo art. 5.3.1: extend the 4-week term, each time by at most two weeks, with a reason."""
    ensure_open(case)
    if not reason.strip():
        raise Refused(_("Say why informing the persons involved must wait."))
    if case.persons_informed_at is not None or case.notify_due_at is None:
        raise Refused(_("The persons involved have already been informed."))
    due = workdays.extend_notification(case.notify_due_at, weeks=weeks)
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "notification_extended",
            perm=Perm.EDIT_CASE,
            reason=reason,
            details={"weeks": weeks},
            notify_due_at=due,
            notify_extensions=case.notify_extensions + 1,
        )


def record_waiting_check(user: Any, case: Case, version: int, *, summary: str) -> Case:
    """Zicht op veiligheid while the case waits: someone checked how things are now."""
    ensure_open(case)
    if not summary.strip():
        raise Refused(_("Write down what the check showed."))
    now = timezone.now()
    with transaction.atomic():
        Note.objects.create(
            case=case, kind=NoteKind.FACT, body=summary, created_at=now, created_by=user
        )
        return change_case(
            user,
            case,
            version,
            "waiting_safety_check",
            perm=Perm.EDIT_CASE,
            last_safety_check_at=now,
        )


def record_acute_action(user: Any, case: Case, version: int, *, summary: str) -> Case:
    """The acute norm: something was done within 24 hours (visit, police, shelter)."""
    ensure_open(case)
    if case.acute_due_at is None or case.acute_handled_at is not None:
        raise Refused(_("There is no open acute deadline on this case."))
    if not summary.strip():
        raise Refused(_("Write down what was done."))
    with transaction.atomic():
        return change_case(
            user,
            case,
            version,
            "acute_action",
            perm=Perm.EDIT_CASE,
            reason=summary,
            acute_handled_at=timezone.now(),
        )


def add_note(
    user: Any,
    case: Case,
    *,
    kind: str,
    body: str,
    person: Person | None = None,
    about: Note | None = None,
) -> Note:
    """Notes are appended, never changed. A client's own view may be added after closure too
    (the person's right to have their statement in the dossier)."""
    require(user, Perm.EDIT_CASE)
    if kind not in NoteKind.values:
        raise Refused(_("Choose what kind of note this is."))
    if kind != NoteKind.CLIENT_VIEW:
        ensure_open(case)
    if not body.strip():
        raise Refused(_("The note is empty."))
    if person is not None and person.case_id != case.pk:
        raise Refused(_("This person is not part of this case."))
    if about is not None and about.case_id != case.pk:
        raise Refused(_("That note is not part of this case."))
    if kind == NoteKind.CLIENT_VIEW and person is None:
        raise Refused(_("Say whose view this is."))
    now = timezone.now()
    with transaction.atomic():
        note = Note.objects.create(
            case=case,
            kind=kind,
            person=person,
            about=about,
            body=body,
            created_at=now,
            created_by=user,
        )
        log_event(user, case, "note_added", details={"note": note.pk, "kind": kind}, at=now)
        audit(user, "note_added", case, obj=note, details={"kind": kind})
    return note


def may_edit(user: Any) -> bool:
    return has_perm(user, Perm.EDIT_CASE)
