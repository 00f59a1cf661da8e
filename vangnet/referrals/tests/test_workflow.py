"""The referral and police-forwarding workflows as a table: a change here is deliberate."""

import pytest

from vangnet.accounts.access import Perm
from vangnet.referrals.workflow import (
    POLICE_TRANSITIONS,
    RECEIVER,
    RECEIVER_SEES_CONTENT,
    REFERRAL_TRANSITIONS,
    SENDER,
    InvalidTransition,
    ReferralKind,
    State,
    available,
    responsible_side,
    transition,
)

REFERRAL_TABLE = {
    # name: (from, to, permission, side, releases data, needs a reason)
    "approve": (State.REQUESTED, State.OFFERED, Perm.APPROVE_FORWARDING, SENDER, True, False),
    "reject": (State.REQUESTED, State.REJECTED, Perm.APPROVE_FORWARDING, SENDER, False, True),
    "cancel": (State.REQUESTED, State.CANCELLED, Perm.REQUEST_FORWARDING, SENDER, False, False),
    "accept": (State.OFFERED, State.ACCEPTED, Perm.EDIT_CASE, RECEIVER, False, False),
    "decline": (State.OFFERED, State.DECLINED, Perm.EDIT_CASE, RECEIVER, False, True),
    "withdraw": (State.OFFERED, State.WITHDRAWN, Perm.REQUEST_FORWARDING, SENDER, False, True),
}
POLICE_TABLE = {
    "approve": (State.REQUESTED, State.FORWARDED, Perm.APPROVE_FORWARDING, SENDER, True, False),
    "reject": (State.REQUESTED, State.REJECTED, Perm.APPROVE_FORWARDING, SENDER, False, True),
    "cancel": (State.REQUESTED, State.CANCELLED, Perm.REQUEST_FORWARDING, SENDER, False, False),
}


@pytest.mark.parametrize(
    ("table", "expected"),
    [(REFERRAL_TRANSITIONS, REFERRAL_TABLE), (POLICE_TRANSITIONS, POLICE_TABLE)],
)
def test_the_transition_tables_are_exactly_these(table, expected):
    found = {
        t.name: (t.source, t.target, t.perm, t.side, t.releases, t.needs_reason)
        for t in table.values()
    }
    assert found == expected


def test_only_approval_releases_data_and_only_a_supervisor_may_approve():
    for table in (REFERRAL_TRANSITIONS, POLICE_TRANSITIONS):
        releasing = [t for t in table.values() if t.releases]
        assert [t.name for t in releasing] == ["approve"]
        assert releasing[0].perm == Perm.APPROVE_FORWARDING


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", sorted(REFERRAL_TABLE))
def test_a_transition_from_any_other_state_is_refused(state, name):
    source = REFERRAL_TABLE[name][0]
    if state == source:
        assert transition(REFERRAL_TRANSITIONS, name, state).target == REFERRAL_TABLE[name][1]
    else:
        with pytest.raises(InvalidTransition):
            transition(REFERRAL_TRANSITIONS, name, state)


def test_ended_states_have_no_way_out():
    for state in (State.REJECTED, State.CANCELLED, State.ACCEPTED, State.DECLINED,
                  State.WITHDRAWN, State.FORWARDED):  # fmt: skip
        for side in (SENDER, RECEIVER):
            assert not available(REFERRAL_TRANSITIONS, state, side)
            assert not available(POLICE_TRANSITIONS, state, side)


@pytest.mark.parametrize(
    ("kind", "state", "side"),
    [
        (ReferralKind.HANDOVER, State.REQUESTED, SENDER),
        (ReferralKind.HANDOVER, State.OFFERED, SENDER),
        (ReferralKind.HANDOVER, State.ACCEPTED, RECEIVER),
        (ReferralKind.HANDOVER, State.DECLINED, SENDER),
        (ReferralKind.HANDOVER, State.WITHDRAWN, SENDER),
        (ReferralKind.REFERRAL, State.ACCEPTED, SENDER),
        (ReferralKind.REFERRAL, State.OFFERED, SENDER),
    ],
)
def test_responsibility_moves_only_when_a_handover_is_accepted(kind, state, side):
    assert responsible_side(kind, state) == side


def test_the_receiver_sees_content_only_while_offered_or_accepted():
    assert RECEIVER_SEES_CONTENT == {State.OFFERED, State.ACCEPTED}


def test_every_history_line_this_app_writes_has_a_label():
    from vangnet.referrals.history import HISTORY_LABELS

    written = {"consent_recorded", "consent_withdrawn", "legal_ground_recorded",
               "legal_ground_withdrawn"}  # fmt: skip
    for prefix, table in (("referral", REFERRAL_TRANSITIONS), ("police_forwarding",
                                                               POLICE_TRANSITIONS)):  # fmt: skip
        written.add(f"{prefix}_requested")
        for t in table.values():
            written.add(f"{prefix}_{'approved' if t.releases else t.target}")
    assert written == set(HISTORY_LABELS)
