# SPDX-License-Identifier: EUPL-1.2
from django.utils.translation import gettext_lazy as _

from vangnet.public.views import Choice

CHOICES = [
    Choice(
        "referrals:help_finder",
        _("Find the right help"),
        _("Answer three short questions and see which places can help you."),
    ),
    Choice(
        "referrals:directory",
        _("All places for help at a glance"),
        _("Helplines, chats and reporting points: what they do and how to reach them."),
    ),
]
