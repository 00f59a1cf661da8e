# SPDX-License-Identifier: EUPL-1.2
"""The states of a chat conversation and the events that move it, as data.

A conversation is the live side of a contact (channel ``chat``). Its lines are the contact's
messages, so when the live chat ends the thread goes on (return code, staff replies) and a later
live chat lands in the same contact.

``test_workflow.py`` checks this table; actions ask :func:`next_state` and never decide a
transition themselves.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting in the queue")
    ACTIVE = "active", _("In conversation")
    ENDED = "ended", _("Ended")
    MESSAGE_WAITING = "message_waiting", _("Message left, waiting for an answer")


class Event(StrEnum):
    START = "start"  # the visitor starts a chat during opening hours
    LEAVE_MESSAGE = "leave_message"  # outside opening hours the visitor leaves a message
    ACCEPT = "accept"  # a counsellor takes the chat
    TRANSFER = "transfer"  # to a named colleague, with a hand-over note
    REQUEUE = "requeue"  # back to the queue, with a hand-over note
    END = "end"  # the counsellor ends the chat
    VISITOR_END = "visitor_end"  # the visitor ends the chat
    ABANDON = "abandon"  # the visitor was gone for longer than the grace period
    RESUME = "resume"  # the visitor comes back (same browser session or a return code)
    REPLY = "reply"  # a counsellor answers a message left outside opening hours


class Side(StrEnum):
    VISITOR = "visitor"
    COUNSELLOR = "counsellor"


INITIAL: dict[Event, State] = {
    Event.START: State.QUEUED,
    Event.LEAVE_MESSAGE: State.MESSAGE_WAITING,
}

TRANSITIONS: dict[tuple[State, Event], State] = {
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
    # Taking a left message assigns it; it waits until the counsellor's first reply.
    (State.MESSAGE_WAITING, Event.ACCEPT): State.MESSAGE_WAITING,
    (State.MESSAGE_WAITING, Event.REPLY): State.ENDED,
}

# Who may add a line to the thread in which state. The visitor may type while waiting (the
# counsellor reads it on accepting); after the end, only the counsellor adds lines, which the
# visitor reads with the return code.
MAY_POST: dict[Side, frozenset[State]] = {
    Side.VISITOR: frozenset({State.QUEUED, State.ACTIVE}),
    Side.COUNSELLOR: frozenset({State.ACTIVE, State.ENDED, State.MESSAGE_WAITING}),
}

LIVE_STATES = frozenset({State.QUEUED, State.ACTIVE})


class NotAllowed(Exception):
    """The event cannot happen in the conversation's current state."""

    def __init__(self, state: str, event: Event) -> None:
        super().__init__(f"{event} is not possible in state {state}")
        self.state, self.event = state, event


def next_state(state: str, event: Event) -> State:
    try:
        return TRANSITIONS[(State(state), event)]
    except (KeyError, ValueError):
        raise NotAllowed(state, event) from None


def may_post(side: Side, state: str) -> bool:
    return state in MAY_POST[side]
