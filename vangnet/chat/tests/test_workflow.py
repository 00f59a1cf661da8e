import itertools

import pytest

from vangnet.chat.models import priority_for
from vangnet.chat.workflow import (
    INITIAL,
    MAY_POST,
    TRANSITIONS,
    Event,
    NotAllowed,
    Side,
    State,
    may_post,
    next_state,
)

EXPECTED = {
    (State.QUEUED, Event.ACCEPT): State.ACTIVE,
    (State.QUEUED, Event.VISITOR_END): State.ENDED,
    (State.QUEUED, Event.ABANDON): State.ENDED,
    (State.ACTIVE, Event.TRANSFER): State.ACTIVE,
    (State.ACTIVE, Event.REQUEUE): State.QUEUED,
    (State.ACTIVE, Event.END): State.ENDED,
    (State.ACTIVE, Event.VISITOR_END): State.ENDED,
    (State.ACTIVE, Event.ABANDON): State.ENDED,
    (State.ENDED, Event.RESUME): State.QUEUED,
    (State.MESSAGE_WAITING, Event.RESUME): State.QUEUED,
    (State.MESSAGE_WAITING, Event.ACCEPT): State.MESSAGE_WAITING,
    (State.MESSAGE_WAITING, Event.REPLY): State.ENDED,
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(State, Event)))
def test_every_state_and_event_either_moves_as_the_table_says_or_is_refused(state, event):
    if (state, event) in EXPECTED:
        assert next_state(state, event) == EXPECTED[(state, event)]
    else:
        with pytest.raises(NotAllowed):
            next_state(state, event)


def test_the_table_holds_exactly_the_agreed_transitions():
    assert TRANSITIONS == EXPECTED
    assert INITIAL == {Event.START: State.QUEUED, Event.LEAVE_MESSAGE: State.MESSAGE_WAITING}


def test_an_unknown_state_is_refused():
    with pytest.raises(NotAllowed):
        next_state("nonsense", Event.ACCEPT)


@pytest.mark.parametrize(
    ("side", "state", "allowed"),
    [
        (Side.VISITOR, State.QUEUED, True),
        (Side.VISITOR, State.ACTIVE, True),
        (Side.VISITOR, State.ENDED, False),
        (Side.VISITOR, State.MESSAGE_WAITING, False),
        (Side.COUNSELLOR, State.QUEUED, False),
        (Side.COUNSELLOR, State.ACTIVE, True),
        (Side.COUNSELLOR, State.ENDED, True),
        (Side.COUNSELLOR, State.MESSAGE_WAITING, True),
    ],
)
def test_who_may_add_a_line_in_which_state(side, state, allowed):
    assert may_post(side, state) is allowed
    assert (state in MAY_POST[side]) is allowed


@pytest.mark.parametrize(
    ("acute", "age_group", "rank"),
    [
        (True, "under_12", 0),
        (True, "16_17", 0),
        (True, "", 1),
        (True, "25_plus", 2),
        (True, "18_24", 2),
        (False, "12_15", 3),
        (False, "", 4),
        (False, "25_plus", 5),
    ],
)
def test_queue_rank_puts_danger_first_then_minors(acute, age_group, rank):
    assert priority_for(acute=acute, age_group=age_group) == rank
