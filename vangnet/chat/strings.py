# SPDX-License-Identifier: EUPL-1.2
"""The texts chat.js shows, rendered on the server in the page's language (``json_script``), so
that there is one translation catalogue and no JavaScript gettext."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vangnet.chat.messages import REFUSALS
from vangnet.chat.workflow import Side


def for_side(side: Side) -> dict[str, Any]:
    visitor = side == Side.VISITOR
    return {
        "who": {
            "visitor": _("You") if visitor else _("Visitor"),
            "counsellor": _("Counsellor") if visitor else _("You"),
            "system": _("Vangnet"),
        },
        "connecting": _("Connecting…"),
        "reconnecting": _(
            "Connection lost. Reconnecting… Your messages are kept and sent as soon as the "
            "connection is back."
        ),
        "sending": _("Sending…"),
        "not_sent": _("Not sent"),
        "typing": _("The counsellor is typing…") if visitor else _("The visitor is typing…"),
        "state": {
            "queued": _("You are waiting for a counsellor.")
            if visitor
            else _("Waiting in the queue."),
            "active": _("You are talking with a counsellor.")
            if visitor
            else _("You are in this chat."),
            "ended": _("This chat has ended.")
            if visitor
            else _(
                "This chat has ended. You can still write; the visitor reads it with their "
                "return code."
            ),
            "message_waiting": _("Your message is waiting for an answer.")
            if visitor
            else _("Message waiting for an answer."),
        },
        "position": _("Your place in the queue: %(position)s."),
        "wait": _("Usually you wait about %(minutes)s minutes."),
        "revoked": _("This chat is no longer assigned to you. Go back to the console."),
        "logged_out": _("Your session has ended. Log in again."),
        "visitor_here": _("The visitor is connected."),
        "visitor_away": _(
            "The visitor has closed the chat window or lost the connection. The chat stays "
            "open for a while."
        ),
        "errors": {code: str(text) for code, text in REFUSALS.items()},
    }
