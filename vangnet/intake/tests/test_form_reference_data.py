# SPDX-License-Identifier: EUPL-1.2
"""The public form reads municipalities from the in-process index (ADR 0008): it must stay
correct when the reference data changes, refuse what does not exist, and keep each form's
widgets its own even though the choice lists are shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vangnet.accounts import municipalities
from vangnet.accounts.models import Municipality, Organisation
from vangnet.intake.forms import ContactForm
from vangnet.intake.models import Contact


def test_a_municipality_added_later_is_offered_and_routes_to_its_region(
    visitor: Any, form_data: Any, region_utrecht: Organisation, region_amsterdam: Organisation
) -> None:
    assert "Zaanstad" not in visitor.get("/report/new").content.decode()
    zaanstad = Municipality.objects.create(
        code="GM0479", name="Zaanstad", vt_region=region_amsterdam
    )
    assert "Zaanstad" in visitor.get("/report/new").content.decode()  # the cached page too
    response = visitor.post("/report/new", form_data(municipality=str(zaanstad.pk)))
    assert response.status_code == 200
    assert Contact.objects.get().organisation == region_amsterdam


def test_a_municipality_saved_by_another_process_is_found_on_a_miss(
    visitor: Any, form_data: Any, region_amsterdam: Organisation
) -> None:
    municipalities.index()  # loaded before the row exists
    created = Municipality.objects.bulk_create(  # bulk_create sends no post_save signal
        [Municipality(code="GM0392", name="Haarlem", vt_region=region_amsterdam)]
    )
    haarlem = Municipality.objects.get(code=created[0].code)
    response = visitor.post("/report/new", form_data(municipality=str(haarlem.pk)))
    assert response.status_code == 200
    assert Contact.objects.get().municipality == haarlem


def test_an_unknown_or_garbled_municipality_is_refused_and_the_text_is_kept(
    visitor: Any, form_data: Any
) -> None:
    for value in ("999999999", "-1", "7e3", "x" * 500, "1" * 40):
        response = visitor.post(
            "/report/new", form_data(municipality=value, narrative="Mijn eigen verhaal")
        )
        assert response.status_code == 400, value
        html = response.content.decode()
        assert "Mijn eigen verhaal" in html
    assert Contact.objects.count() == 0


def test_submitting_does_not_query_the_municipality_or_its_region(
    visitor: Any, form_data: Any
) -> None:
    data = form_data()
    visitor.get("/report/new")  # the index is loaded
    with CaptureQueriesContext(connection) as queries:
        assert visitor.post("/report/new", data).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "accounts_municipality" not in tables
    assert "accounts_organisation" not in tables


def test_forms_share_choices_but_not_widget_state(form_data: Any) -> None:
    bad = ContactForm(form_data(narrative="", municipality="999999999"))
    assert not bad.is_valid()
    good = ContactForm(form_data())
    assert good.is_valid(), good.errors
    # The accessibility mixin marks invalid widgets; that must not leak into another form.
    assert bad.fields["narrative"].widget.attrs.get("aria-invalid") == "true"
    assert "aria-invalid" not in good.fields["narrative"].widget.attrs
    assert "aria-invalid" not in ContactForm.base_fields["narrative"].widget.attrs
    assert bad.fields["violence_kinds"] is not good.fields["violence_kinds"]
    bad_kinds, good_kinds = bad.fields["violence_kinds"], good.fields["violence_kinds"]
    assert isinstance(bad_kinds, forms.ChoiceField) and isinstance(good_kinds, forms.ChoiceField)
    assert bad_kinds.choices == good_kinds.choices


def test_person_labels_follow_the_language_of_the_request(
    visitor: Any, region_utrecht: Organisation
) -> None:
    dutch = visitor.get("/report/new").content.decode()
    visitor.post("/i18n/set-language", {"language": "en", "next": "/report/new"})
    english = visitor.get("/report/new").content.decode()
    assert "Persoon 1: leeftijd" in dutch
    assert "Person 1: age" in english
