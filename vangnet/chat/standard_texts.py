# SPDX-License-Identifier: EUPL-1.2
"""Short standard texts for counsellors, sent in the language of the conversation.

Kept as data in code (translated through gettext like every other text) so that they are the
same, reviewed wording everywhere. An organisation-specific set would be a model; see ADR 0020.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StandardText:
    key: str
    label: Promise
    text: Promise


TEXTS: list[StandardText] = [
    StandardText(
        "welcome",
        _("Welcome"),
        _(
            "Hi, you are talking with a counsellor of Veilig Thuis. What would you like to "
            "talk about?"
        ),
    ),
    StandardText(
        "safe_now",
        _("Safe right now?"),
        _("Are you safe right now? If you are in danger, call 112."),
    ),
    StandardText(
        "take_time",
        _("Take your time"),
        _("Take your time. I am here and I am reading along."),
    ),
    StandardText(
        "anonymous",
        _("You stay anonymous"),
        _(
            "You do not have to tell me your name. What you tell me stays between us, unless "
            "someone is in danger."
        ),
    ),
    StandardText(
        "return_code",
        _("Return code"),
        _(
            "If you want to continue later, press 'Get a return code' and write the code down "
            "somewhere safe."
        ),
    ),
    StandardText(
        "still_there",
        _("Still there?"),
        _("Are you still there? If you have to stop, that is OK. You can come back any time."),
    ),
    StandardText(
        "closing",
        _("Closing"),
        _("Thank you for telling me. You can always come back to this chat, day and night."),
    ),
]

BY_KEY = {text.key: text for text in TEXTS}


def render(key: str, language: str) -> str | None:
    text = BY_KEY.get(key)
    if text is None:
        return None
    with translation.override(language or "nl"):
        return str(text.text)


def choices(language: str) -> list[tuple[str, str, str]]:
    """(key, label in the counsellor's language, text in the conversation's language)."""
    return [(t.key, str(t.label), render(t.key, language) or "") for t in TEXTS]
