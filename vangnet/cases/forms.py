# SPDX-License-Identifier: EUPL-1.2
"""Forms for case work. Every form that changes the case carries the version the user saw."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import Municipality
from vangnet.cases import validation
from vangnet.cases.models import (
    ChildrenAnswer,
    ConditionStatus,
    FeedbackMoment,
    NoteKind,
    Outcome,
    PersonRole,
    TraumaScreening,
)
from vangnet.cases.models.safety import SCORE_MAX, SCORE_MIN
from vangnet.intake.models import ViolenceKind
from vangnet.lib.forms import Form
from vangnet.triage import instrument as triage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _checked(check: Any) -> Any:
    return [check]


class VersionedForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))


class EmptyForm(VersionedForm):
    pass


class AssignForm(VersionedForm):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Case worker"), queryset=None, required=False
    )
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


class HouseholdFields(Form):
    household_label = forms.CharField(
        label=_("Name of the household"),
        max_length=200,
        required=False,
        help_text=_("How colleagues recognise the family, e.g. 'Family De Vries'."),
    )
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Town"), max_length=100, required=False)

    def clean_postcode(self) -> str:
        from vangnet.cases.keys import normalise_postcode

        value = self.cleaned_data["postcode"]
        if value and not normalise_postcode(value):
            raise forms.ValidationError(_("A Dutch postcode looks like 1234 AB."))
        return str(value)


class HouseholdForm(HouseholdFields, VersionedForm):
    pass


class OpenCaseForm(HouseholdFields):
    assign_to_self = forms.BooleanField(
        label=_("I take this case on"), required=False, initial=True
    )


class MatchSearchForm(HouseholdFields):
    reference = forms.CharField(label=_("Case number"), max_length=20, required=False)


class PoliceReportForm(Form):
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the police report reached Veilig Thuis."),
        validators=_checked(validation.check_received_at),
    )
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None
    )
    police_unit = forms.CharField(label=_("Police unit"), max_length=200)
    police_reference = forms.CharField(label=_("Police reference"), max_length=60, required=False)
    acute = forms.BooleanField(
        label=_("Acute: something must happen within 24 hours"), required=False
    )
    violence_kinds = forms.MultipleChoiceField(
        label=_("Kinds of violence"),
        choices=ViolenceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    children_in_household = forms.IntegerField(
        label=_("Children in the household"), min_value=0, max_value=20, required=False
    )
    narrative = forms.CharField(label=_("What happened"), widget=forms.Textarea)

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            vt_region=organisation
        )
        if not self.is_bound:
            self.initial["received_at"] = timezone.localtime().replace(second=0, microsecond=0)


class KindcheckForm(VersionedForm):
    children_in_household = forms.ChoiceField(
        label=_("Are there children in the household?"),
        choices=ChildrenAnswer.choices,
        widget=forms.RadioSelect,
    )
    children_count = forms.IntegerField(
        label=_("Number of children"), min_value=0, max_value=20, required=False
    )
    children_ages = forms.CharField(
        label=_("Ages of the children"),
        required=False,
        help_text=_("Separate with commas, e.g. 3, 7, 12."),
    )
    pregnancy = forms.ChoiceField(
        label=_("Is someone in the household pregnant?"),
        choices=ChildrenAnswer.choices,
        widget=forms.RadioSelect,
    )

    def clean_children_ages(self) -> list[int]:
        raw = self.cleaned_data["children_ages"] or ""
        try:
            ages = [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give ages as whole numbers.")) from None
        if any(a < 0 or a > 17 for a in ages):
            raise forms.ValidationError(_("Ages of children are between 0 and 17."))
        return ages


class PersonForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, widget=forms.RadioSelect)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=200)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DATE,
        validators=_checked(validation.check_birth_date),
    )
    bsn = forms.CharField(
        label=_("Citizen service number (BSN)"),
        max_length=9,
        required=False,
        validators=_checked(validation.check_bsn),
    )
    in_household = forms.BooleanField(
        label=_("Lives in the household"), required=False, initial=True
    )


class PersonEditForm(PersonForm, VersionedForm):
    spoken_to_on = forms.DateField(
        label=_("Spoken to the child on"),
        required=False,
        widget=DATE,
        validators=_checked(validation.check_past_date),
    )
    not_spoken_to_reason = forms.CharField(
        label=_("Why the child was not spoken to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    trauma_screening = forms.ChoiceField(
        label=_("Trauma screening"), choices=TraumaScreening.choices, required=False
    )
    trauma_screening_offered_on = forms.DateField(
        label=_("Trauma screening offered on"),
        required=False,
        widget=DATE,
        validators=_checked(validation.check_past_date),
    )
    trauma_screening_done_on = forms.DateField(
        label=_("Trauma screening done on"),
        required=False,
        widget=DATE,
        validators=_checked(validation.check_past_date),
    )


class AssessmentForm(VersionedForm):
    """Built from the instrument version: one group of checkboxes per screening section."""

    route = forms.ChoiceField(label=_("Decision: the route"), widget=forms.RadioSelect)
    handover_target = forms.ChoiceField(
        label=_("Hand over to"), widget=forms.RadioSelect, required=False
    )
    handover_party = forms.CharField(
        label=_("Name of the party that takes over"), max_length=200, required=False
    )
    mdt_can_take_responsibility = forms.BooleanField(
        label=_("The multidisciplinary team can legally take over responsibility"),
        required=False,
    )
    investigation_criteria = forms.MultipleChoiceField(
        label=_("Criteria for an own investigation"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Explanation of the decision"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        instrument: triage.Instrument,
        allow_investigation: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        sections: dict[str, forms.Field] = {}
        for section in instrument.sections:
            sections[f"section_{section.id}"] = forms.MultipleChoiceField(
                label=str(section.title),
                help_text=str(section.help),
                choices=[(i.id, i.label) for i in section.indicators],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self.fields = {**sections, **self.fields}
        routes = [r for r in instrument.routes if allow_investigation or r.id != "investigation"]
        self.fields["route"].choices = [(r.id, r.label) for r in routes]  # type: ignore[attr-defined]
        self.fields["handover_target"].choices = [  # type: ignore[attr-defined]
            (t.id, t.label) for t in instrument.handover_targets
        ]
        self.fields["investigation_criteria"].choices = [  # type: ignore[attr-defined]
            (c.id, c.label) for c in instrument.investigation_criteria
        ]

    def section_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("section_")]

    def decision_fields(self) -> list[Any]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("section_") and name != "version"
        ]

    def checked(self) -> list[str]:
        return [
            item
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
            for item in value
        ]

    def decision(self) -> triage.Decision:
        data = self.cleaned_data
        return triage.Decision(
            route=data["route"],
            handover_target=data.get("handover_target") or "",
            handover_party=data.get("handover_party") or "",
            mdt_can_take_responsibility=bool(data.get("mdt_can_take_responsibility")),
            investigation_criteria=tuple(data.get("investigation_criteria") or ()),
            rationale=data["rationale"],
        )


class InvestigationForm(AssessmentForm):
    conclusion = forms.CharField(
        label=_("Conclusion of the investigation"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, allow_investigation=False, **kwargs)
        labels = dict(ViolenceKind.choices)
        outcome_fields: dict[str, forms.Field] = {}
        for kind in kinds:
            outcome_fields[f"outcome_{kind}"] = forms.ChoiceField(
                label=_("Outcome: %(kind)s") % {"kind": labels.get(kind, kind)},
                choices=Outcome.choices,
                widget=forms.RadioSelect,
            )
        self.fields = {**outcome_fields, **self.fields}

    def outcome_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("outcome_")]

    def decision_fields(self) -> list[Any]:
        return [f for f in super().decision_fields() if not f.name.startswith("outcome_")]

    def outcomes(self) -> dict[str, str]:
        return {
            name.removeprefix("outcome_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("outcome_")
        }


class NoteForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind of note"), choices=NoteKind.choices, widget=forms.RadioSelect
    )
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Whose view (for a client's own view)"), queryset=None, required=False
    )
    about: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("In answer to note"), queryset=None, required=False
    )
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.persons.all()  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda p: p.display_name  # type: ignore[attr-defined]
        self.fields["about"].queryset = case.notes.exclude(kind=NoteKind.CLIENT_VIEW)  # type: ignore[attr-defined]
        self.fields["about"].label_from_instance = (  # type: ignore[attr-defined]
            lambda n: f"{n.get_kind_display()} {n.created_at:%d-%m-%Y}: {n.body[:60]}"
        )


class ConditionForm(Form):
    text = forms.CharField(label=_("Safety condition"), widget=forms.Textarea(attrs={"rows": 3}))
    agreed_on = forms.DateField(
        label=_("Agreed on"), widget=DATE, validators=_checked(validation.check_past_date)
    )
    review_on = forms.DateField(
        label=_("Check on"),
        widget=DATE,
        required=False,
        validators=_checked(validation.check_planned_date),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["agreed_on"] = timezone.localdate()


class ConditionStatusForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=ConditionStatus.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("How do you know?"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    body = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 12}))
    responsible_party = forms.CharField(
        label=_("Who carries out the plan"), max_length=200, required=False
    )


class ScoreForm(Form):
    score = forms.IntegerField(
        label=_("Safety score (1-10)"),
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        help_text=_("1 is very unsafe, 10 is completely safe."),
    )
    scored_on = forms.DateField(
        label=_("Set on"), widget=DATE, validators=_checked(validation.check_past_date)
    )
    participants = forms.CharField(
        label=_("Set together by"),
        max_length=300,
        help_text=_("The professionals who agreed on the score, e.g. 'Veilig Thuis, local team'."),
    )
    note = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["scored_on"] = timezone.localdate()


class MonitoringForm(Form):
    due_on = forms.DateField(
        label=_("Check on"), widget=DATE, validators=_checked(validation.check_planned_date)
    )
    purpose = forms.CharField(label=_("What to check"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["due_on"] = timezone.localdate() + timedelta(weeks=4)


class MonitoringDoneForm(Form):
    outcome = forms.CharField(
        label=_("What the check showed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PersonsInformedForm(VersionedForm):
    informed_on = forms.DateField(
        label=_("Informed on"), widget=DATE, validators=_checked(validation.check_past_date)
    )
    how = forms.CharField(
        label=_("How"), max_length=300, help_text=_("For example: letter, home visit.")
    )


class ExtendNotificationForm(VersionedForm):
    weeks = forms.TypedChoiceField(
        label=_("Extend by"),
        choices=[(1, _("1 week")), (2, _("2 weeks"))],
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why informing must wait"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Allowed only when needed to end or investigate the violence (Wmo art. 5.3.1)."
        ),
    )


class SummaryForm(VersionedForm):
    summary = forms.CharField(
        label=_("What was done or found"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PartyForm(VersionedForm):
    party = forms.CharField(label=_("Party that accepted"), max_length=200)


class ClosureDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve closure")), ("reject", _("Do not close yet"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedbackForm(Form):
    body = forms.CharField(label=_("Feedback text"), widget=forms.Textarea(attrs={"rows": 12}))


class NoFeedbackForm(Form):
    reason = forms.CharField(
        label=_("Why no feedback is given"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SchoolSignalForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("sent", _("Signal given to the attendance office")),
            ("not_sent", _("No signal")),
        ],
        widget=forms.RadioSelect,
    )
    recipient = forms.CharField(label=_("Attendance office"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Why no signal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeedbackRoleForm(Form):
    reporter_has_role = forms.BooleanField(
        label=_("The reporter has a role in the follow-up (include the safety conditions)"),
        required=False,
    )


MOMENT_LABELS = dict(FeedbackMoment.choices)
