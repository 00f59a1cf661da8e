# SPDX-License-Identifier: EUPL-1.2
"""Forms of the referrals app: the help finder, the directory, consent, legal grounds,
referrals and police forwardings. Rendered the NL Design System way (``vangnet.lib.forms``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import Municipality, Organisation
from vangnet.cases.models import Person
from vangnet.lib.forms import Form, ModelForm
from vangnet.referrals import access, finder, legal_grounds
from vangnet.referrals.models import HelpEntry, HowGiven, RepresentativeRelation
from vangnet.referrals.purposes import Purpose
from vangnet.referrals.sections import SECTION_CHOICES
from vangnet.referrals.workflow import ReferralKind


def _choices(options: list[finder.Option]) -> list[tuple[str, Any]]:
    return [(o.key, o.label) for o in options]


class FinderForm(Form):
    """All help-finder answers. Every field is optional: the view asks for what is missing."""

    who = forms.ChoiceField(choices=_choices(finder.WHO), required=False)
    what = forms.ChoiceField(choices=_choices(finder.WHAT), required=False)
    urgency = forms.ChoiceField(choices=_choices(finder.URGENCY), required=False)
    age = forms.ChoiceField(
        label=_("How old are you?"),
        help_text=_("Some helplines are for a certain age."),
        choices=[("", _("I'd rather not say"))] + [(a.key, a.label) for a in finder.AGE_GROUPS],
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("Where do you live?"),
        help_text=_("Your municipality. Then we show the Veilig Thuis of your region."),
        queryset=Municipality.objects.select_related("vt_region").order_by("name"),
        to_field_name="code",
        empty_label=_("I'd rather not say"),
        required=False,
    )

    def answers(self) -> finder.Answers | None:
        data = self.cleaned_data
        if not (data.get("who") and data.get("what") and data.get("urgency")):
            return None
        return finder.Answers(data["who"], data["what"], data["urgency"], data.get("age") or "")


AUDIENCE_CHOICES = [
    ("victim", _("The person it happens to")),
    ("bystander", _("Someone who is worried")),
    ("professional", _("A professional")),
]
TOPIC_CHOICES = [
    ("any", _("Any topic")),
    ("domestic_violence", _("Domestic violence")),
    ("child_abuse", _("Child abuse")),
    ("sexual_violence", _("Sexual violence")),
    ("exploitation", _("Exploitation")),
    ("human_trafficking", _("Human trafficking")),
    ("honour_violence", _("Honour-related violence")),
    ("forced_marriage", _("Forced marriage or abandonment abroad")),
    ("online_abuse", _("Online abuse")),
    ("elder_abuse", _("Elder abuse")),
    ("suicidal_thoughts", _("Thoughts of suicide")),
]
URGENCY_CHOICES = [
    ("now", _("Danger right now")),
    ("soon", _("Soon")),
    ("later", _("Later")),
]


class HelpEntryForm(ModelForm):
    """Staff edit a directory entry. Lists are checkboxes; sources one per line."""

    audiences = forms.MultipleChoiceField(
        label=_("For whom"), choices=AUDIENCE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=TOPIC_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.MultipleChoiceField(
        label=_("Urgency"), choices=URGENCY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    url = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    sources = forms.CharField(
        label=_("Sources"),
        help_text=_("One per line: page title, publisher, date."),
        widget=forms.Textarea,
        required=False,
    )

    class Meta:
        model = HelpEntry
        fields = [
            "slug", "name", "name_en", "purpose_nl", "purpose_en", "phone", "phone_display",
            "url", "chat", "anonymous", "hours_nl", "hours_en", "always_open", "free",
            "age_min", "age_max", "audiences", "topics", "urgency", "internal", "url_name",
            "verified", "verification_note", "sources", "active", "position",
        ]  # fmt: skip
        widgets = {"purpose_nl": forms.Textarea, "purpose_en": forms.Textarea}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["sources"] = "\n".join(self.instance.sources or [])
            self.fields["slug"].disabled = True

    def clean_sources(self) -> list[str]:
        text = self.cleaned_data.get("sources") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("internal"):
            if not data.get("url_name"):
                self.add_error("url_name", _("A channel of this website needs its page."))
        elif not (data.get("phone") or data.get("url")):
            self.add_error("phone", _("Give a phone number or a website."))
        if data.get("phone") and not data.get("phone_display"):
            data["phone_display"] = data["phone"]
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The maximum age is lower than the minimum age."))
        if "now" in (data.get("urgency") or []) and not data.get("always_open"):
            self.add_error("urgency", _("Only places that are always open can be for danger now."))
        return data


# --- consent, legal grounds, disclosures --------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _start_of(day: date) -> datetime:
    now = timezone.localtime()
    if day == now.date():
        return now
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def _person_label(person: Any) -> str:
    age = person.age_on(timezone.localdate())
    age_text = _("age unknown") if age is None else _("%(age)s years") % {"age": age}
    return f"{person.display_name} ({person.get_role_display()}, {age_text})"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


class PersonsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


class _CaseForm(Form):
    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        for field in self.fields.values():
            if isinstance(field, PersonField | PersonsField):
                field.queryset = case.persons.order_by("id")


class ConsentForm(_CaseForm):
    subject = PersonField(
        label=_("Whose consent is it?"),
        help_text=_("The person the data is about. For a child, see the age rules below."),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(label=_("For what"), choices=Purpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("To which organisation"),
        queryset=Organisation.objects.none(),
    )
    sections = forms.MultipleChoiceField(
        label=_("Which data"),
        choices=SECTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    given_on = forms.DateField(
        label=_("Given on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        help_text=_("At most one year. Ask again after that."),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    how = forms.ChoiceField(label=_("How was it given?"), choices=HowGiven.choices)
    subject_age = forms.IntegerField(
        label=_("Age when consent was given"),
        help_text=_("Only when the date of birth is not known."),
        min_value=0,
        max_value=120,
        required=False,
    )
    subject_capable = forms.ChoiceField(
        label=_("Can the person judge their own interests in this?"),
        help_text=_("If not, the legal representative consents instead (from 12 years)."),
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
    )
    given_by_subject = forms.BooleanField(label=_("The person consents"), required=False)
    given_by_representative = forms.BooleanField(
        label=_("The legal representative consents"), required=False
    )
    representative_name = forms.CharField(
        label=_("Name of the legal representative"), required=False, max_length=200
    )
    representative_relation = forms.ChoiceField(
        label=_("The representative is"),
        choices=[("", "–"), *RepresentativeRelation.choices],
        required=False,
    )
    representative_is_suspect = forms.BooleanField(
        label=_("The representative is suspected of the violence"), required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ModelChoiceField)
        recipient.queryset = access.recipients(Purpose.POLICE) | access.recipients(Purpose.REFERRAL)
        today = timezone.localdate()
        self.initial.setdefault("given_on", today)
        self.initial.setdefault("valid_until", today + timedelta(days=90))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_on"):
            data["given_at"] = _start_of(data["given_on"])
        if data.get("valid_until"):
            data["valid_until_at"] = _end_of_day(data["valid_until"])
        return data


class LegalGroundForm(_CaseForm):
    subject = ConsentForm.base_fields["subject"]
    purpose = forms.ChoiceField(label=_("For what"), choices=Purpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("To which organisation"), queryset=Organisation.objects.none()
    )
    sections = ConsentForm.base_fields["sections"]
    ground = forms.ChoiceField(
        label=_("Legal ground"), choices=legal_grounds.choices_for(), widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Why is sharing without consent needed?"),
        help_text=_("What is the danger or the interest, and why consent is not asked."),
        widget=forms.Textarea,
    )
    valid_days = forms.IntegerField(
        label=_("Valid for how many days"), min_value=1, max_value=30, initial=14
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ModelChoiceField)
        recipient.queryset = access.recipients(Purpose.POLICE) | access.recipients(Purpose.REFERRAL)


class DisclosureForm(_CaseForm):
    """A request to share: to whom, about whom, which data, on which basis, and why."""

    receiver = forms.ModelChoiceField(
        label=_("To which organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("What kind of referral"), choices=ReferralKind.choices, widget=forms.RadioSelect
    )
    subject = PersonField(
        label=_("On whose consent or legal ground"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
    )
    persons = PersonsField(
        label=_("Persons whose data you share"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sections = forms.MultipleChoiceField(
        label=_("Which data"), choices=SECTION_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.ChoiceField(
        label=_("Basis"),
        help_text=_("A consent or legal ground that covers this organisation and all this data."),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why do you share this?"), widget=forms.Textarea)

    def __init__(self, *args: Any, purpose: str, bases: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.purpose = purpose
        receiver = self.fields["receiver"]
        assert isinstance(receiver, forms.ModelChoiceField)
        receiver.queryset = access.recipients(purpose)
        self.initial.setdefault("persons", list(self.case.persons.values_list("pk", flat=True)))
        self.fields["basis"].choices = bases  # type: ignore[attr-defined]
        if purpose != Purpose.REFERRAL:
            del self.fields["kind"]


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)
