# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.public.views import Choice

CHOICES = [
    Choice(
        "chat:start",
        _("Chat now"),
        _("Talk with a counsellor by chat, day and night. You do not have to give your name."),
    ),
]
