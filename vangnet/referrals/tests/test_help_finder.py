"""The public help finder (wegwijzer) and the directory list, through the HTTP client."""

import pytest
from django.urls import reverse

from vangnet.audit.models import AuditEvent
from vangnet.referrals import directory
from vangnet.referrals.models import HelpEntry

pytestmark = pytest.mark.django_db


def answer(client, **answers):
    return client.post("/help", answers)


def names(response):
    return [m.entry.slug for m in response.context["matches"]]


def test_the_seed_directory_is_loaded_by_the_migration():
    seed = directory.read_seed()
    assert HelpEntry.objects.count() == len(seed["entries"]) == 20
    vt = HelpEntry.objects.get(slug="veilig-thuis")
    assert vt.phone == "0800-2000" and vt.verified and vt.seed_version == seed["version"]


def test_the_finder_asks_who_then_what_then_whether_it_is_urgent(visitor):
    first = visitor.get("/help")
    assert first.status_code == 200 and first.context["step"] == "who"
    second = answer(visitor, who="victim")
    assert second.context["step"] == "what"
    assert 'name="who" value="victim"' in second.content.decode()
    third = answer(visitor, who="victim", what="domestic_violence")
    assert third.context["step"] == "urgency"
    results = answer(visitor, who="victim", what="domestic_violence", urgency="later")
    assert results.status_code == 200
    assert names(results)[0] == "veilig-thuis"
    assert "0800 2000" in results.content.decode()


def test_danger_now_puts_112_first_and_only_shows_places_open_now(visitor):
    response = answer(visitor, who="victim", what="sexual_violence", urgency="now")
    found = names(response)
    assert found[0] == "112-alarmnummer"
    assert {"centrum-seksueel-geweld", "veilig-thuis"} <= set(found)
    assert all(HelpEntry.objects.get(slug=s).always_open for s in found)


def test_without_danger_now_112_is_not_in_the_list_but_still_on_the_page(visitor):
    response = answer(visitor, who="bystander", what="child_abuse", urgency="soon")
    assert "112-alarmnummer" not in names(response)
    assert 'href="tel:112"' in response.content.decode()


def test_the_municipality_gives_the_visitors_own_veilig_thuis_region(visitor, region_utrecht):
    response = answer(
        visitor, who="victim", what="domestic_violence", urgency="later", municipality="GM0344"
    )
    html = response.content.decode()
    assert response.context["region"] == region_utrecht
    assert "Veilig Thuis Utrecht" in html and "Utrecht" in html


def test_an_unknown_municipality_is_ignored_and_the_rest_still_answers(visitor):
    response = answer(
        visitor, who="victim", what="domestic_violence", urgency="later", municipality="GM9999"
    )
    assert response.status_code == 200 and response.context["region"] is None
    assert names(response)[0] == "veilig-thuis"


def test_age_limits_of_helplines_apply_to_a_victim(visitor):
    young = answer(visitor, who="victim", what="child_abuse", urgency="later", age="12_15")
    assert "kindertelefoon" in names(young)
    adult = answer(visitor, who="victim", what="child_abuse", urgency="later", age="25_plus")
    assert "kindertelefoon" not in names(adult)
    unknown = answer(visitor, who="victim", what="child_abuse", urgency="later")
    assert "kindertelefoon" in names(unknown)


def test_age_does_not_filter_for_someone_worried_about_another_person(visitor):
    response = answer(visitor, who="bystander", what="child_abuse", urgency="later", age="25_plus")
    assert "kindertelefoon" in names(response)


def test_a_specific_place_comes_before_a_place_for_everything(visitor):
    found = names(answer(visitor, who="victim", what="exploitation", urgency="soon"))
    assert found.index("chat-met-fier") < found.index("de-luisterlijn")


def test_a_tampered_answer_is_asked_again(visitor):
    response = answer(visitor, who="victim", what="<script>", urgency="later")
    assert response.status_code == 200 and response.context["step"] == "what"
    assert "<script>" not in response.content.decode()


def test_answers_stay_out_of_the_url_and_nothing_is_stored(visitor):
    before = AuditEvent.objects.count()
    response = answer(visitor, who="victim", what="sexual_violence", urgency="soon")
    assert response.status_code == 200 and response.request["PATH_INFO"] == "/help"
    assert 'method="post"' in visitor.get("/help").content.decode()
    assert AuditEvent.objects.count() == before
    assert response.headers["Cache-Control"].startswith("no-store")


def test_internal_entries_link_to_pages_of_this_site_or_are_left_out(visitor):
    response = answer(visitor, who="bystander", what="not_sure", urgency="later")
    for match in response.context["matches"]:
        if match.entry.internal:
            assert match.url and visitor.get(match.url).status_code in (200, 302)
    assert "vangnet-wegwijzer" not in names(response)  # the finder does not list itself


def test_every_internal_entry_resolves_to_a_page():
    for entry in HelpEntry.objects.filter(internal=True):
        assert directory.internal_url(entry.url_name), entry.slug


def test_an_inactive_entry_is_not_shown(visitor):
    HelpEntry.objects.filter(slug="veilig-thuis").update(active=False)
    response = answer(visitor, who="victim", what="domestic_violence", urgency="later")
    assert "veilig-thuis" not in names(response)
    assert "0800 2000" not in visitor.get("/help/all").content.decode()


def test_the_list_page_shows_every_place_with_how_to_reach_it(visitor):
    html = visitor.get("/help/all").content.decode()
    for slug in ("112-alarmnummer", "kindertelefoon", "comensha", "meld-misdaad-anoniem"):
        assert HelpEntry.objects.get(slug=slug).name in html
    assert 'href="tel:0800-0432"' in html


def test_the_start_page_links_to_the_finder_and_the_list(visitor):
    html = visitor.get("/").content.decode()
    assert f'href="{reverse("referrals:help_finder")}"' in html
    assert f'href="{reverse("referrals:directory")}"' in html


def test_the_finder_speaks_dutch_by_default_and_english_on_request(visitor):
    assert "We bewaren je antwoorden niet" in visitor.get("/help").content.decode()
    visitor.cookies["django_language"] = "en"
    html = answer(visitor, who="victim", what="domestic_violence", urgency="later").content
    assert "Places that can help you" in html.decode()
