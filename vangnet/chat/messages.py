# SPDX-License-Identifier: EUPL-1.2
"""What the visitor and the counsellor read when something is refused (one place, translated)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REFUSALS = {
    "empty": _("Your message is empty."),
    "too_long": _("Your message is too long. Split it into shorter messages."),
    "invalid_characters": _(
        "Your message contains characters we cannot send. Remove them and try again."
    ),
    "rate_limited": _("You are sending very many messages. Wait a moment; we will send it then."),
    "ended": _("This chat has ended. Your message was not sent."),
    "not_allowed": _("That is not possible now."),
    "not_found": _("This chat is not (or no longer) assigned to you."),
    "taken": _("A colleague has already taken this chat."),
    "full": _("You already have your maximum number of chats."),
    "colleague_full": _("Your colleague already has their maximum number of chats."),
    "bad_cid": _("Something went wrong. Reload the page."),
    "bad_frame": _("Something went wrong. Reload the page."),
    "server_error": _("Something went wrong on our side. We will try again."),
}


def refusal(code: str) -> str:
    return str(REFUSALS.get(code, REFUSALS["not_allowed"]))
