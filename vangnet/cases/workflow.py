# SPDX-License-Identifier: EUPL-1.2
"""The case workflow as data: states, and the transitions allowed between them.

Nothing else in the code decides whether a case may move from one state to another: actions ask
:func:`transition` and get the target state or :class:`InvalidTransition`. ``test_workflow.py``
pins the whole table, so a change here is a deliberate, reviewed change (ADR 0030).

The shape follows the Veilig Thuis steps (domain rules §1.2): a report waits for and gets a
safety assessment; the assessment decides the route; an investigation ends in a route of its
own; conditions and follow-up lead to monitoring; every ending is a closure request that a
supervisor approves (four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm


class State(models.TextChoices):
    AWAITING_ASSESSMENT = "awaiting_assessment", _("Waiting for safety assessment")
    ASSESSMENT = "assessment", _("Safety assessment")
    HANDED_OVER = "handed_over", _("Handed over")
    CONDITIONS_AND_FOLLOW_UP = "conditions_and_follow_up", _("Conditions and follow-up")
    MONITORING = "monitoring", _("Monitoring")
    AWAITING_INVESTIGATION = "awaiting_investigation", _("Waiting for investigation")
    INVESTIGATION = "investigation", _("Investigation")
    CHILD_PROTECTION_BOARD = "child_protection_board", _("Request to the Child Protection Board")
    CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
    CLOSED = "closed", _("Closed")


#: States in which the case waits for Veilig Thuis (the waiting list, "zicht op veiligheid").
WAITING_STATES = frozenset({State.AWAITING_ASSESSMENT, State.AWAITING_INVESTIGATION})
#: States before the assessment decision (a new report here is "during the assessment").
BEFORE_DECISION = frozenset({State.AWAITING_ASSESSMENT, State.ASSESSMENT})
OPEN_STATES = frozenset(State) - {State.CLOSED}


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[State]
    #: ``None``: back to the state the case was in before the closure request.
    target: State | None
    perm: Perm


_DECIDING = frozenset({State.ASSESSMENT, State.INVESTIGATION})
_FOLLOW_UP = frozenset(
    {
        State.HANDED_OVER,
        State.CONDITIONS_AND_FOLLOW_UP,
        State.MONITORING,
        State.CHILD_PROTECTION_BOARD,
    }
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start_assessment",
            _("Start the safety assessment"),
            frozenset({State.AWAITING_ASSESSMENT}),
            State.ASSESSMENT,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "decide_handover",
            _("Hand over"),
            _DECIDING,
            State.HANDED_OVER,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "decide_conditions_and_follow_up",
            _("Conditions and follow-up"),
            _DECIDING,
            State.CONDITIONS_AND_FOLLOW_UP,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "decide_investigation",
            _("Own investigation"),
            frozenset({State.ASSESSMENT}),
            State.AWAITING_INVESTIGATION,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "decide_child_protection_board_request",
            _("Request to the Child Protection Board"),
            _DECIDING,
            State.CHILD_PROTECTION_BOARD,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "decide_close",
            _("End of involvement"),
            _DECIDING,
            State.CLOSURE_REQUESTED,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "start_investigation",
            _("Start the investigation"),
            frozenset({State.AWAITING_INVESTIGATION}),
            State.INVESTIGATION,
            Perm.EDIT_CASE,
        ),
        Transition(
            "start_monitoring",
            _("Start monitoring"),
            frozenset({State.CONDITIONS_AND_FOLLOW_UP}),
            State.MONITORING,
            Perm.EDIT_CASE,
        ),
        Transition(
            "reassess",
            _("New safety assessment"),
            _FOLLOW_UP | {State.AWAITING_INVESTIGATION},
            State.ASSESSMENT,
            Perm.ASSESS_SAFETY,
        ),
        Transition(
            "request_closure",
            _("Ask to close the case"),
            _FOLLOW_UP,
            State.CLOSURE_REQUESTED,
            Perm.EDIT_CASE,
        ),
        Transition(
            "approve_closure",
            _("Approve closure"),
            frozenset({State.CLOSURE_REQUESTED}),
            State.CLOSED,
            Perm.APPROVE_CLOSURE,
        ),
        Transition(
            "reject_closure",
            _("Do not close yet"),
            frozenset({State.CLOSURE_REQUESTED}),
            None,
            Perm.APPROVE_CLOSURE,
        ),
    ]
}

#: A route decided in the assessment (or at the end of an investigation) -> its transition.
ROUTE_TRANSITIONS = {
    "handover": "decide_handover",
    "conditions_and_follow_up": "decide_conditions_and_follow_up",
    "investigation": "decide_investigation",
    "child_protection_board_request": "decide_child_protection_board_request",
    "close": "decide_close",
}

#: Where a rejected closure may return to: every state that can lead to a closure request.
RETURN_STATES = frozenset(
    s for t in TRANSITIONS.values() if t.target == State.CLOSURE_REQUESTED for s in t.sources
)


class InvalidTransition(Exception):
    def __init__(self, name: str, state: str) -> None:
        super().__init__(f"transition {name!r} is not allowed from {state!r}")
        self.name = name
        self.state = state


def transition(name: str, state: str, previous: str = "") -> State:
    """The target state of transition ``name`` from ``state``; raises when not allowed."""
    spec = TRANSITIONS.get(name)
    if spec is None or state not in spec.sources:
        raise InvalidTransition(name, state)
    if spec.target is None:
        if previous not in RETURN_STATES:
            raise InvalidTransition(name, state)
        return State(previous)
    return spec.target


def available(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
