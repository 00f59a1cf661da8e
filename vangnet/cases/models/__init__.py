# SPDX-License-Identifier: EUPL-1.2
"""Case work models: the dossier of one family system and everything recorded in it."""

from vangnet.cases.models.case import Case, CaseEvent, CaseReport, ChildrenAnswer, Involvement
from vangnet.cases.models.closure import ClosureDecision, ClosureRequest
from vangnet.cases.models.feedback import Feedback, FeedbackChannel, FeedbackMoment
from vangnet.cases.models.notes import Note, NoteKind
from vangnet.cases.models.people import Person, PersonRole, TraumaScreening
from vangnet.cases.models.safety import (
    ConditionStatus,
    Investigation,
    InvestigationOutcome,
    MonitoringMoment,
    Outcome,
    PlanKind,
    PlanRevision,
    SafetyAssessment,
    SafetyCondition,
    SafetyScore,
)
from vangnet.cases.models.school import SchoolSignal, SchoolSignalStatus

__all__ = [
    "Case",
    "CaseEvent",
    "CaseReport",
    "ChildrenAnswer",
    "ClosureDecision",
    "ClosureRequest",
    "ConditionStatus",
    "Feedback",
    "FeedbackChannel",
    "FeedbackMoment",
    "Investigation",
    "InvestigationOutcome",
    "Involvement",
    "MonitoringMoment",
    "Note",
    "NoteKind",
    "Outcome",
    "Person",
    "PersonRole",
    "PlanKind",
    "PlanRevision",
    "SafetyAssessment",
    "SafetyCondition",
    "SafetyScore",
    "SchoolSignal",
    "SchoolSignalStatus",
    "TraumaScreening",
]
