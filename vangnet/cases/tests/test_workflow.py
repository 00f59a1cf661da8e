"""The workflow table, pinned: every transition from every state, allowed or not."""

import pytest

from vangnet.cases.workflow import (
    RETURN_STATES,
    ROUTE_TRANSITIONS,
    TRANSITIONS,
    InvalidTransition,
    State,
    transition,
)
from vangnet.triage.instrument import Route

S = State
# (transition, from state) -> target. Every pair not listed must be refused.
ALLOWED = {
    ("start_assessment", S.AWAITING_ASSESSMENT): S.ASSESSMENT,
    ("decide_handover", S.ASSESSMENT): S.HANDED_OVER,
    ("decide_handover", S.INVESTIGATION): S.HANDED_OVER,
    ("decide_conditions_and_follow_up", S.ASSESSMENT): S.CONDITIONS_AND_FOLLOW_UP,
    ("decide_conditions_and_follow_up", S.INVESTIGATION): S.CONDITIONS_AND_FOLLOW_UP,
    ("decide_investigation", S.ASSESSMENT): S.AWAITING_INVESTIGATION,
    ("decide_child_protection_board_request", S.ASSESSMENT): S.CHILD_PROTECTION_BOARD,
    ("decide_child_protection_board_request", S.INVESTIGATION): S.CHILD_PROTECTION_BOARD,
    ("decide_close", S.ASSESSMENT): S.CLOSURE_REQUESTED,
    ("decide_close", S.INVESTIGATION): S.CLOSURE_REQUESTED,
    ("start_investigation", S.AWAITING_INVESTIGATION): S.INVESTIGATION,
    ("start_monitoring", S.CONDITIONS_AND_FOLLOW_UP): S.MONITORING,
    ("reassess", S.HANDED_OVER): S.ASSESSMENT,
    ("reassess", S.CONDITIONS_AND_FOLLOW_UP): S.ASSESSMENT,
    ("reassess", S.MONITORING): S.ASSESSMENT,
    ("reassess", S.CHILD_PROTECTION_BOARD): S.ASSESSMENT,
    ("reassess", S.AWAITING_INVESTIGATION): S.ASSESSMENT,
    ("request_closure", S.HANDED_OVER): S.CLOSURE_REQUESTED,
    ("request_closure", S.CONDITIONS_AND_FOLLOW_UP): S.CLOSURE_REQUESTED,
    ("request_closure", S.MONITORING): S.CLOSURE_REQUESTED,
    ("request_closure", S.CHILD_PROTECTION_BOARD): S.CLOSURE_REQUESTED,
    ("approve_closure", S.CLOSURE_REQUESTED): S.CLOSED,
    ("reject_closure", S.CLOSURE_REQUESTED): "previous",
}


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", list(State))
def test_the_transition_table_is_exactly_as_agreed(name, state):
    expected = ALLOWED.get((name, state))
    if expected is None:
        with pytest.raises(InvalidTransition):
            transition(name, state, previous=S.MONITORING)
    elif expected == "previous":
        assert transition(name, state, previous=S.MONITORING) == S.MONITORING
    else:
        assert transition(name, state) == expected


def test_a_rejected_closure_returns_only_to_a_state_that_can_ask_for_closure():
    assert RETURN_STATES == {
        S.ASSESSMENT,
        S.INVESTIGATION,
        S.HANDED_OVER,
        S.CONDITIONS_AND_FOLLOW_UP,
        S.MONITORING,
        S.CHILD_PROTECTION_BOARD,
    }
    with pytest.raises(InvalidTransition):
        transition("reject_closure", S.CLOSURE_REQUESTED, previous=S.CLOSED)
    with pytest.raises(InvalidTransition):
        transition("reject_closure", S.CLOSURE_REQUESTED, previous="")


def test_nothing_leaves_the_closed_state():
    assert not [t for t in TRANSITIONS.values() if S.CLOSED in t.sources]


def test_an_unknown_transition_is_refused():
    with pytest.raises(InvalidTransition):
        transition("teleport", S.ASSESSMENT)


def test_every_route_of_the_instrument_has_a_transition():
    assert set(ROUTE_TRANSITIONS) == {r.value for r in Route}
    assert set(ROUTE_TRANSITIONS.values()) <= set(TRANSITIONS)


def test_every_state_is_reachable_from_a_new_case():
    reached, frontier = {S.AWAITING_ASSESSMENT}, [S.AWAITING_ASSESSMENT]
    while frontier:
        state = frontier.pop()
        for t in TRANSITIONS.values():
            if state in t.sources and t.target is not None and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State)
