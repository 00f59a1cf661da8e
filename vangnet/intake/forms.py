# SPDX-License-Identifier: EUPL-1.2
"""The public report/advice form (plain B1 language) and the staff forms of the intake."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from vangnet.accounts import municipalities
from vangnet.accounts.models import Municipality
from vangnet.intake.models import (
    AgeGroup,
    ReporterType,
    RequestKind,
    ViolenceDuration,
    ViolenceKind,
)
from vangnet.lib import codes
from vangnet.lib.forms import FastSelect, Form, share_choices

NARRATIVE_MAX = 20_000
SHORT_MAX = 200
# Control characters except tab, newline and carriage return; also lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Remove control characters and normalise line ends; keep everything a person typed."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class TextField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return clean_text(super().to_python(value) or "")


def new_idempotency_key() -> str:
    return secrets.token_hex(16)


PUBLIC_VIOLENCE_CHOICES = [
    (ViolenceKind.CHILD_ABUSE, _("A child is hit, neglected, humiliated or abused")),
    (ViolenceKind.PARTNER_VIOLENCE, _("Violence or threats by a partner or ex-partner")),
    (ViolenceKind.VIOLENCE_AGAINST_PARENTS, _("A child uses violence against a parent")),
    (ViolenceKind.ELDER_ABUSE, _("An older person is abused, neglected or robbed")),
    (ViolenceKind.SEXUAL_VIOLENCE, _("Sexual violence or unwanted sex")),
    (ViolenceKind.EXPLOITATION, _("Someone is forced to do sex work, work or crime (loverboy)")),
    (ViolenceKind.HONOUR_VIOLENCE, _("Threats or violence to protect the family's honour")),
    (ViolenceKind.FORCED_MARRIAGE, _("Forced marriage or being left behind abroad")),
    (ViolenceKind.ONLINE_ABUSE, _("Online: sexting, blackmail with photos, stalking")),
    (ViolenceKind.OTHER_DOMESTIC, _("Something else at home")),
    (ViolenceKind.UNKNOWN, _("I don't know exactly")),
]

PUBLIC_REPORTER_CHOICES = [
    (ReporterType.VICTIM, _("It happens to me")),
    (ReporterType.BYSTANDER, _("I am worried about someone else (family, neighbour, friend)")),
    (ReporterType.PROFESSIONAL, _("I am a professional (for example teacher, doctor, coach)")),
]

DURATION_CHOICES = [
    (ViolenceDuration.ONCE, _("It happened once")),
    (ViolenceDuration.UNDER_6_MONTHS, _("Less than 6 months")),
    (ViolenceDuration.SIX_TO_12_MONTHS, _("6 months to a year")),
    (ViolenceDuration.OVER_1_YEAR, _("More than a year")),
    (ViolenceDuration.UNKNOWN, _("I don't know")),
]

RELATION_CHOICES = [
    ("", _("Choose")),
    ("me", _("That is me")),
    ("child", _("Child")),
    ("parent", _("Parent or carer")),
    ("partner", _("Partner or ex-partner")),
    ("sibling", _("Brother or sister")),
    ("family", _("Other family")),
    ("housemate", _("Housemate")),
    ("other", _("Someone else")),
]

PERSON_ROWS = 3


class MunicipalityField(forms.ChoiceField):
    """A municipality from the in-process index (``accounts.municipalities``): no query per page
    view or submission, and no per-form copy of the 342 choices. Cleans to a ``Municipality``
    with its region loaded, or None."""

    def __init__(self, *, empty_label: Any, **kwargs: Any) -> None:
        self.empty_label = empty_label
        super().__init__(choices=self._choices_now, **kwargs)

    def _choices_now(self) -> list[tuple[str, str]]:
        return [("", str(self.empty_label)), *municipalities.choices()]

    def to_python(self, value: Any) -> Municipality | None:
        if value in self.empty_values:
            return None
        try:
            found = municipalities.get(int(str(value)))
        except (TypeError, ValueError, OverflowError):
            found = None
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class ContactForm(Form):
    """One page, grouped in small steps; works without JavaScript and keeps all input on errors."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    requested_kind = forms.ChoiceField(
        label=_("What do you want?"),
        choices=[
            (RequestKind.ADVICE, _("I am worried and want advice")),
            (RequestKind.REPORT, _("I want to report something, so that someone takes action")),
        ],
        widget=forms.RadioSelect,
    )
    reporter_type = forms.ChoiceField(
        label=_("Who are you?"), choices=PUBLIC_REPORTER_CHOICES, widget=forms.RadioSelect
    )
    danger_now = forms.ChoiceField(
        label=_("Is someone in danger right now?"),
        help_text=_("If someone is in danger now, call 112 first."),
        choices=[("no", _("No")), ("yes", _("Yes, someone is in danger now"))],
        widget=forms.RadioSelect,
        initial="no",
    )
    violence_kinds = forms.MultipleChoiceField(
        label=_("What is happening?"),
        help_text=_("You may tick more than one."),
        choices=PUBLIC_VIOLENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    violence_duration = forms.ChoiceField(
        label=_("Since when?"),
        choices=DURATION_CHOICES,
        widget=forms.RadioSelect,
        initial=ViolenceDuration.UNKNOWN,
    )
    narrative = TextField(
        label=_("Tell us what is going on"),
        help_text=_("Write it in your own words. You don't have to use names."),
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    children_in_household = forms.IntegerField(
        label=_("How many children live in the household?"),
        min_value=0,
        max_value=30,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    municipality = MunicipalityField(
        label=_("In which municipality does it happen?"),
        help_text=_("This decides which Veilig Thuis helps. Not sure? Leave it empty."),
        required=False,
        empty_label=_("I don't know or would rather not say"),
        widget=FastSelect(attrs={"class": "utrecht-select"}),
    )
    age_group = forms.ChoiceField(
        label=_("How old are you?"),
        choices=[(c.value, c.label) for c in AgeGroup],
        required=False,
    )
    anonymous = forms.ChoiceField(
        label=_("Can we contact you?"),
        choices=[
            ("yes", _("No, I want to stay anonymous. I will come back with my code.")),
            ("no", _("Yes, you may contact me")),
        ],
        widget=forms.RadioSelect,
        initial="yes",
    )
    contact_name = TextField(label=_("Your name"), max_length=SHORT_MAX, required=False)
    contact_phone = TextField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    professional_organisation = TextField(
        label=_("Your organisation"), max_length=SHORT_MAX, required=False
    )
    professional_role = TextField(label=_("Your profession"), max_length=SHORT_MAX, required=False)
    feedback_channel = forms.ChoiceField(
        label=_("How do you want to hear what we did?"),
        choices=[
            ("", _("Choose")),
            ("email", _("By e-mail")),
            ("phone", _("By phone")),
            ("return_code", _("On this site, with my code")),
        ],
        required=False,
    )
    # A field people never see; software that fills every field fills this one (ADR 0006).
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def person_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"person{i}_{s}"] for s in ("name", "age", "relation")]
            for i in range(1, PERSON_ROWS + 1)
        ]

    def _group(self, *names: str) -> list[forms.BoundField]:
        return [self[n] for n in names]

    def group_about(self) -> list[forms.BoundField]:
        return self._group("requested_kind", "reporter_type", "danger_now")

    def group_what(self) -> list[forms.BoundField]:
        return self._group("violence_kinds", "violence_duration", "narrative")

    def group_where(self) -> list[forms.BoundField]:
        return self._group("children_in_household", "municipality", "age_group")

    def group_reach(self) -> list[forms.BoundField]:
        return self._group("anonymous", "contact_name", "contact_phone", "contact_email")

    def group_professional(self) -> list[forms.BoundField]:
        return self._group("professional_organisation", "professional_role", "feedback_channel")

    def clean_idempotency_key(self) -> str:
        key = str(self.cleaned_data["idempotency_key"])
        if not re.fullmatch(r"[0-9a-f]{32}", key):
            raise ValidationError(_("This form is damaged. Reload the page."))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("anonymous") == "no" and not (
            data.get("contact_phone") or data.get("contact_email")
        ):
            self.add_error(
                "contact_phone", _("Give a phone number or an e-mail address, or stay anonymous.")
            )
        if data.get("reporter_type") == ReporterType.PROFESSIONAL:
            for name in ("contact_name", "professional_organisation"):
                if not data.get(name):
                    self.add_error(
                        name, _("Professionals report with their name and organisation.")
                    )
        return data

    def persons(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(1, PERSON_ROWS + 1):
            row = {
                "name": self.cleaned_data.get(f"person{i}_name") or "",
                "age": self.cleaned_data.get(f"person{i}_age"),
                "relation": self.cleaned_data.get(f"person{i}_relation") or "",
            }
            if row["name"] or row["age"] is not None or row["relation"]:
                rows.append(row)
        return rows


def _numbered(label: Any, n: int) -> Any:
    """A translated label with a number in it, translated when shown (not at import)."""
    return lazy(lambda: str(label) % {"n": n}, str)()


def _person_fields() -> dict[str, forms.Field]:
    """Rows of (name, age, relation) for the people involved, declared once for the class."""
    fields: dict[str, forms.Field] = {}
    for i in range(1, PERSON_ROWS + 1):
        fields[f"person{i}_name"] = TextField(
            label=_numbered(_("Person %(n)d: name or initials"), i),
            max_length=SHORT_MAX,
            required=False,
            widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
        )
        fields[f"person{i}_age"] = forms.IntegerField(
            label=_numbered(_("Person %(n)d: age"), i),
            min_value=0,
            max_value=120,
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "utrecht-textbox"}),
        )
        fields[f"person{i}_relation"] = forms.ChoiceField(
            label=_numbered(_("Person %(n)d: who is this?"), i),
            choices=RELATION_CHOICES,
            required=False,
            widget=forms.Select(attrs={"class": "utrecht-select"}),
        )
    return fields


_PERSON_FIELDS = _person_fields()
ContactForm.base_fields.update(_PERSON_FIELDS)
ContactForm.declared_fields.update(_PERSON_FIELDS)
share_choices(ContactForm)


_CODE_SEPARATORS = str.maketrans(
    {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
     "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
)  # fmt: skip


class ReturnCodeForm(Form):
    code = forms.CharField(
        label=_("Your code"),
        help_text=_("You may type it with or without dashes and spaces."),
        max_length=120,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        # Phones paste no-break spaces and turn hyphens into dashes; treat them as separators.
        value = str(self.cleaned_data["code"]).translate(_CODE_SEPARATORS)
        try:
            codes.parse(value)
        except codes.InvalidCodeFormat:
            raise ValidationError(
                _("This is not a complete code. Check for a typo and try again.")
            ) from None
        return value


class MessageForm(Form):
    body = TextField(
        label=_("Your message"), max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class StaffReplyForm(Form):
    body = TextField(
        label=_("Reply to the reporter"),
        help_text=_("The reporter reads this with their return code. Write plain language."),
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OutcomeForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Register this contact as"),
        choices=[
            ("advice", _("Advice (the caller keeps responsibility)")),
            ("report", _("Report (responsibility for safety passes to us)")),
        ],
        widget=forms.RadioSelect,
    )
    summary = TextField(
        label=_("Short summary"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
