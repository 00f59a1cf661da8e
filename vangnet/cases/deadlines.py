# SPDX-License-Identifier: EUPL-1.2
"""Which deadlines of a case are open, the next one, and where each stands.

The dates come from :mod:`vangnet.lib.workdays` (working days with Dutch holidays); this module
decides which of them apply in which state. The earliest open deadline is materialised on the
case (``next_due_at``/``next_due_kind``) so the worklist is one indexed query (ADR 0030).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.cases.workflow import BEFORE_DECISION, WAITING_STATES, State
from vangnet.lib import workdays
from vangnet.lib.workdays import AMSTERDAM, DeadlineStatus

if TYPE_CHECKING:
    from vangnet.cases.models import Case

#: School starts at 08:30 in most Dutch schools; the signal must be there before that.
SCHOOL_DAY_START = time(8, 30)
#: Handle with Care covers children of school age (primary school from 4 to the end of the
#: qualification duty at 18; domain rules §4: po/vo/mbo).
SCHOOL_AGE_FROM, SCHOOL_AGE_UNTIL = 4, 18
#: While a case waits, someone checks safety at least this often (project default, ADR 0030).
WAITING_CHECK_WORKING_DAYS = 5


@dataclass(frozen=True)
class Kind:
    id: str
    label: Promise
    at_risk: timedelta | int  # a clock window, or working days (see workdays.deadline_status)


KINDS = {
    k.id: k
    for k in [
        Kind("acute", _("Acute: act within 24 hours"), workdays.ACUTE_AT_RISK),
        Kind("school_signal", _("Handle with Care signal"), timedelta(hours=4)),
        Kind("assessment", _("Safety assessment (5 working days)"), 1),
        Kind("investigation", _("Investigation (10 weeks)"), 5),
        Kind("notify", _("Inform the persons involved (4 weeks)"), 3),
        Kind("monitoring", _("Monitoring check"), 1),
        Kind("waiting_check", _("Safety check while waiting"), 1),
    ]
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due_at: datetime

    @property
    def label(self) -> Promise:
        return KINDS[self.kind].label

    def status(self, now: datetime) -> DeadlineStatus:
        return workdays.deadline_status(self.due_at, now, KINDS[self.kind].at_risk)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=AMSTERDAM)


def school_signal_deadline(received: datetime) -> datetime:
    """Before the start of the next school day (Augeo): 08:30 on the first working day that
    starts after ``received``. Police attend at night, so an incident at 02:00 on a Tuesday is due
    at 08:30 that same Tuesday. School holidays are not modelled: the earlier date is safe.
    """
    local = received.astimezone(AMSTERDAM)
    day = local.date()
    if not (workdays.is_working_day(day) and local.time() < SCHOOL_DAY_START):
        day = workdays.add_working_days(day, 1)
    return datetime.combine(day, SCHOOL_DAY_START, tzinfo=AMSTERDAM)


def waiting_check_deadline(since: datetime) -> datetime:
    return end_of_day(workdays.add_working_days(since, WAITING_CHECK_WORKING_DAYS))


def is_school_age(born: date | None, on: date) -> bool:
    if born is None:
        return False
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return SCHOOL_AGE_FROM <= age < SCHOOL_AGE_UNTIL


def open_deadlines(
    case: Case,
    *,
    monitoring_due: Iterable[date] = (),
    school_signals_due: Iterable[datetime] = (),
) -> list[Deadline]:
    """All deadlines that still bind the case, earliest first."""
    found: list[Deadline] = []
    if case.status == State.CLOSED:
        return found
    if case.acute_due_at and case.acute_handled_at is None:
        found.append(Deadline("acute", case.acute_due_at))
    if case.status in BEFORE_DECISION and case.assessment_due_at:
        found.append(Deadline("assessment", case.assessment_due_at))
    investigating = {State.AWAITING_INVESTIGATION, State.INVESTIGATION}
    if case.status in investigating and case.investigation_due_at:
        found.append(Deadline("investigation", case.investigation_due_at))
    if case.persons_informed_at is None and case.notify_due_at:
        found.append(Deadline("notify", case.notify_due_at))
    if case.status in WAITING_STATES:
        since = case.last_safety_check_at or case.opened_at
        found.append(Deadline("waiting_check", waiting_check_deadline(since)))
    found.extend(Deadline("monitoring", end_of_day(d)) for d in monitoring_due)
    found.extend(Deadline("school_signal", d) for d in school_signals_due)
    found.sort(key=lambda d: d.due_at)
    return found
