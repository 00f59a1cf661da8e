# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from vangnet.chat import conf
from vangnet.intake.models import AgeGroup, RequestKind
from vangnet.lib.forms import Form

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def new_cid() -> str:
    """A client id for a form post: a double submit stores the line once."""
    return secrets.token_urlsafe(18)


class StartForm(Form):
    language = forms.ChoiceField(
        label=_("In which language do you want to chat?"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    age_group = forms.ChoiceField(
        label=_("How old are you?"),
        help_text=_("Then we can help young people first. You may skip this."),
        choices=AgeGroup.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    danger_now = forms.ChoiceField(
        label=_("Is someone in danger right now?"),
        help_text=_("For example: someone is being hurt, or is afraid that will happen soon."),
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"data-danger-question": "1"}),
    )

    @property
    def acute(self) -> bool:
        return self.cleaned_data.get("danger_now") == "yes"


class LeaveMessageForm(StartForm):
    body = forms.CharField(
        label=_("Your message"),
        help_text=_("Tell us what is going on. You do not have to give your name."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.CharField)
        body.max_length = conf.max_body_chars()
        body.validators.append(MaxLengthValidator(conf.max_body_chars()))
        body.widget.attrs["maxlength"] = str(conf.max_body_chars())
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))


class LineForm(Form):
    """The no-JavaScript way to send a line (the page posts and shows the chat again)."""

    body = forms.CharField(
        label=_("Your message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    cid = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,60}$", widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = str(conf.max_body_chars())
        if not self.is_bound:
            self.initial.setdefault("cid", new_cid())


class ReturnCodeForm(Form):
    code = forms.CharField(
        label=_("Your return code"),
        help_text=_("36 letters and digits. Dashes and spaces do not matter."),
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class TransferForm(Form):
    to = forms.ChoiceField(label=_("Transfer to"))
    note = forms.CharField(
        label=_("Hand-over note"),
        help_text=_("What should your colleague know? The visitor does not see this note."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, colleagues: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = [
            ("queue", _("Back to the queue (the next free counsellor)")),
            *colleagues,
        ]


class OutcomeForm(Form):
    kind = forms.ChoiceField(
        label=_("Register this chat as"),
        choices=[
            (RequestKind.ADVICE, _("Advice (advies)")),
            (RequestKind.REPORT, _("Report (melding)")),
        ],
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_(
            "The transcript is kept with it; write what matters for whoever reads it next."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
