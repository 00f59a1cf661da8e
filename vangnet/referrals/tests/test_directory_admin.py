"""Administrators maintain the help directory; the seed never overwrites their edits."""

import pytest

from conftest import login_client
from vangnet.accounts.models import Role
from vangnet.referrals import directory
from vangnet.referrals.models import HelpEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(region_utrecht, make_staff):
    return make_staff("kees.admin", region_utrecht, Role.ADMINISTRATOR)


def entry_post(entry, **changes):
    data = {
        "name": entry.name, "name_en": entry.name_en, "purpose_nl": entry.purpose_nl,
        "purpose_en": entry.purpose_en, "phone": entry.phone,
        "phone_display": entry.phone_display, "url": entry.url, "anonymous": entry.anonymous,
        "hours_nl": entry.hours_nl, "hours_en": entry.hours_en,
        "free": "true" if entry.free else "false", "audiences": entry.audiences,
        "topics": entry.topics, "urgency": entry.urgency, "verification_note": "checked by us",
        "sources": "Own check", "active": "on", "position": entry.position,
    }  # fmt: skip
    if entry.always_open:
        data["always_open"] = "on"
    if entry.chat:
        data["chat"] = "on"
    data.update(changes)
    return data


def test_loading_the_seed_again_creates_nothing():
    result = directory.load()
    assert (result.created, result.updated) == (0, 0)
    assert HelpEntry.objects.count() == 20


def test_a_newer_seed_refreshes_unedited_entries_and_keeps_staff_edits(administrator):
    edited = HelpEntry.objects.get(slug="comensha")
    client = login_client(administrator)
    response = client.post(
        "/staff/directory/comensha", entry_post(edited, hours_nl="Ma-vr 8-18 uur")
    )
    assert response.status_code == 302
    seed = directory.read_seed()
    seed["version"] += 1
    for raw in seed["entries"]:
        raw["hours_nl"] = "Gewijzigd"
    result = directory.apply_seed(HelpEntry, seed)
    assert result.kept == 1 and result.updated == 19
    assert HelpEntry.objects.get(slug="comensha").hours_nl == "Ma-vr 8-18 uur"
    assert HelpEntry.objects.get(slug="fier").hours_nl == "Gewijzigd"


def test_an_administrator_edits_an_entry_and_it_is_marked_as_edited(administrator):
    entry = HelpEntry.objects.get(slug="kindertelefoon")
    client = login_client(administrator)
    assert client.get("/staff/directory/kindertelefoon").status_code == 200
    client.post("/staff/directory/kindertelefoon", entry_post(entry, verified="on"))
    entry.refresh_from_db()
    assert entry.edited_by == administrator and entry.edited_at is not None
    assert entry.verification_note == "checked by us" and entry.sources == ["Own check"]


def test_an_entry_for_danger_now_must_be_always_open(administrator):
    entry = HelpEntry.objects.get(slug="comensha")
    data = entry_post(entry, urgency=["now"])
    response = login_client(administrator).post("/staff/directory/comensha", data)
    assert response.status_code == 400
    assert HelpEntry.objects.get(slug="comensha").urgency == ["soon", "later"]


def test_an_administrator_adds_an_entry_that_the_public_then_sees(administrator, visitor):
    template = HelpEntry.objects.get(slug="comensha")
    data = entry_post(template, slug="stop-it-now", name="Stop it Now", position=500)
    response = login_client(administrator).post("/staff/directory/new", data)
    assert response.status_code == 302
    assert HelpEntry.objects.get(slug="stop-it-now").seed_version is None
    assert "Stop it Now" in visitor.get("/help/all").content.decode()


def test_staff_see_the_directory_with_unchecked_entries_marked(case_worker):
    html = login_client(case_worker).get("/staff/directory").content.decode()
    unchecked = HelpEntry.objects.filter(verified=False).count()
    assert html.count('class="vg-unverified"') >= unchecked
    assert "/staff/directory/new" not in html


def test_only_administrators_may_change_the_directory(case_worker, supervisor):
    for user in (case_worker, supervisor):
        client = login_client(user)
        assert client.get("/staff/directory/comensha").status_code == 403
        assert client.post("/staff/directory/new", {}).status_code == 403


def test_an_unknown_entry_gives_404_to_an_administrator(administrator):
    assert login_client(administrator).get("/staff/directory/nope").status_code == 404


def test_the_public_does_not_reach_the_staff_directory(visitor):
    assert visitor.get("/staff/directory").status_code == 302
