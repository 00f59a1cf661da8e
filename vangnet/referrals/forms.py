# SPDX-License-Identifier: EUPL-1.2
"""Forms of the referrals app: the help finder, the directory, consent, legal grounds,
referrals and police forwardings. Rendered the NL Design System way (``vangnet.lib.forms``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import Municipality
from vangnet.lib.forms import Form, ModelForm
from vangnet.referrals import finder
from vangnet.referrals.models import HelpEntry


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
