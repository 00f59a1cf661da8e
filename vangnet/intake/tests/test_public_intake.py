import threading

import pytest
from django.db import connection
from django.test import Client

from vangnet.intake.models import Contact, Message, Receipt
from vangnet.intake.tests.conftest import code_from
from vangnet.lib import codes


def test_a_visitor_reports_anonymously_and_gets_a_code_shown_once(
    visitor, form_data, region_utrecht
):
    response = visitor.post("/report/new", form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "We hebben je bericht ontvangen" in html
    code = code_from(response)
    parsed = codes.parse(code)
    contact = Contact.objects.get()
    assert contact.organisation == region_utrecht  # the municipality decides the region
    assert contact.anonymous and not contact.acute
    assert contact.receipt.locator == parsed.locator
    assert parsed.secret not in contact.receipt.secret_hash
    assert contact.persons == [{"name": "Daan", "age": 9, "relation": "child"}]


def test_without_municipality_the_contact_goes_to_the_national_meldpunt(
    visitor, form_data, meldpunt
):
    visitor.post("/report/new", form_data(municipality=""))
    assert Contact.objects.get().organisation == meldpunt


def test_danger_now_marks_the_contact_acute_and_shows_112(visitor, form_data):
    response = visitor.post("/report/new", form_data(danger_now="yes"))
    html = response.content.decode()
    assert Contact.objects.get().acute
    assert 'href="tel:112"' in html and "bovenaan" in html


def test_a_double_submit_creates_one_contact_and_shows_the_same_code(visitor, form_data):
    data = form_data()
    first = visitor.post("/report/new", data)
    second = visitor.post("/report/new", data)
    assert Contact.objects.count() == 1
    assert code_from(first) == code_from(second)
    assert "twee keer" in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submits_store_one_contact(form_data, region_utrecht, meldpunt):
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database is per thread; this runs on PostgreSQL in CI"
        )
    data = form_data()
    statuses = []

    def send():
        statuses.append(Client().post("/report/new", data).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    assert Contact.objects.count() == 1


def test_a_validation_error_keeps_everything_that_was_typed(visitor, form_data):
    long_story = "Mijn verhaal. " * 50
    response = visitor.post("/report/new", form_data(violence_kinds=None, narrative=long_story))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mijn verhaal." in html
    assert "nog niet verstuurd" in html
    assert Contact.objects.count() == 0


def test_an_overlong_narrative_is_refused_with_a_message_and_kept(visitor, form_data):
    text = "a" * 20_001
    response = visitor.post("/report/new", form_data(narrative=text))
    assert response.status_code == 400
    assert text in response.content.decode()


def test_ten_thousand_emoji_are_accepted_and_stored_intact(visitor, form_data):
    text = "😢" * 10_000
    assert visitor.post("/report/new", form_data(narrative=text)).status_code == 200
    assert Contact.objects.get().narrative == text


def test_control_characters_are_removed_and_html_is_never_executed(visitor, form_data, case_worker):
    from conftest import login_client

    evil = "<script>alert(1)</script>\x00\x07 hallo"
    visitor.post(
        "/report/new", form_data(narrative=evil, person1_name="<img src=x onerror=alert(1)>")
    )
    contact = Contact.objects.get()
    assert "\x00" not in contact.narrative and "\x07" not in contact.narrative
    page = login_client(case_worker).get(f"/staff/contacts/{contact.public_id}").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_bytes_in_a_wrong_encoding_do_not_break_the_form(visitor, form_data, meldpunt):
    data = form_data()
    body = "&".join(f"{k}={v}" for k, v in data.items() if not isinstance(v, list))
    body += "&violence_kinds=child_abuse&narrative=caf%E9+%FF%FE"
    response = visitor.post("/report/new", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)


def test_empty_form_is_refused_with_messages(visitor, db):
    response = visitor.post("/report/new", {})
    assert response.status_code == 400
    assert Contact.objects.count() == 0


def test_the_honeypot_field_refuses_bots_without_losing_text(visitor, form_data):
    response = visitor.post("/report/new", form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "blauwe plekken" in response.content.decode()
    assert Contact.objects.count() == 0


def test_a_forged_csrf_token_is_refused_with_a_plain_message(form_data):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/report/new", form_data())
    assert response.status_code == 403
    assert "verlopen" in response.content.decode()
    assert Contact.objects.count() == 0


def test_professionals_must_give_name_and_organisation_and_are_told_about_feedback(
    visitor, form_data
):
    missing = visitor.post("/report/new", form_data(reporter_type="professional"))
    assert missing.status_code == 400
    ok = visitor.post(
        "/report/new",
        form_data(
            reporter_type="professional",
            contact_name="Juf Anne",
            professional_organisation="Basisschool De Linde",
            contact_email="anne@example.org",
        ),
    )
    assert ok.status_code == 200
    assert "5 werkdagen" in ok.content.decode()
    contact = Contact.objects.get()
    assert contact.channel == "professional_form" and not contact.anonymous
    assert contact.reporter_details["professional_organisation"] == "Basisschool De Linde"


def test_rate_limit_keeps_the_text(visitor, form_data, settings):
    settings.VANGNET_PUBLIC_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert visitor.post("/report/new", form_data()).status_code == 200
    limited = visitor.post("/report/new", form_data())
    assert limited.status_code == 429
    assert "blauwe plekken" in limited.content.decode()


def test_the_receipt_table_holds_only_a_salted_peppered_hash(visitor, form_data):
    code = code_from(visitor.post("/report/new", form_data()))
    receipt = Receipt.objects.get()
    assert receipt.secret_hash.startswith("$argon2id$")
    assert codes.parse(code).secret not in receipt.secret_hash


def test_the_kind_link_preselects_advice(visitor, db):
    import re

    html = visitor.get("/report/new?kind=advice").content.decode()
    radio = re.search(r'<input[^>]*name="requested_kind"[^>]*value="advice"[^>]*>', html)
    assert radio is not None
    assert "checked" in radio.group(0)


def test_starting_a_message_has_a_first_message_field(visitor, form_data):
    visitor.post("/report/new", form_data())
    assert Message.objects.count() == 0


def test_a_professional_chooses_how_to_hear_back(visitor, form_data):
    visitor.post(
        "/report/new",
        form_data(
            reporter_type="professional",
            contact_name="Dr. Bakker",
            professional_organisation="Huisartsenpraktijk Oost",
            contact_email="b@example.org",
            feedback_channel="email",
        ),
    )
    assert Contact.objects.get().reporter_details["feedback_channel"] == "email"


def test_a_return_code_locator_clash_retries_the_whole_submit(visitor, form_data, monkeypatch):
    """Locators are 40 random bits; a clash on the unique index must not lose the report."""
    first = visitor.post("/report/new", form_data())
    taken = codes.parse(code_from(first)).locator
    real_generate = codes.generate
    draws = iter([taken])

    def generate_clashing_once():
        fresh = real_generate()
        locator = next(draws, None)
        if locator is None:
            return fresh
        return codes.from_parts(locator, fresh.secret)

    monkeypatch.setattr(codes, "generate", generate_clashing_once)
    second = visitor.post("/report/new", form_data(narrative="Een tweede, ander verhaal."))
    assert second.status_code == 200
    assert Contact.objects.count() == 2
    new_locator = codes.parse(code_from(second)).locator
    assert new_locator != taken
    assert Receipt.objects.filter(locator=new_locator).count() == 1
    assert "tweede" in Contact.objects.order_by("-pk")[0].narrative
