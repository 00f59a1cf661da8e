# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.intake.forms import TextField
from vangnet.lib.forms import Form


class DetailRequestForm(Form):
    reason = TextField(
        label=_("Why do you need the details?"),
        help_text=_("The other organisation decides whether to share. Give the purpose."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(Form):
    answer = TextField(
        label=_("Answer"),
        help_text=_("Share only what the requester needs for the safety of those involved."),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
