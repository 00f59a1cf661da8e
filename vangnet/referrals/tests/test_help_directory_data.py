"""Checks on the help finder (wegwijzer) seed data (vangnet/referrals/data/help_directory.json).

Plain pytest, no database: the file is read with json/pathlib. The schema is documented at the
top of docs/data-sources.md.
"""

import json
import re
from pathlib import Path

import pytest

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "help_directory.json"

EXPECTED_KEYS = {
    "slug",
    "name",
    "name_en",
    "purpose_nl",
    "purpose_en",
    "phone",
    "phone_display",
    "url",
    "chat",
    "anonymous",
    "hours_nl",
    "hours_en",
    "always_open",
    "free",
    "ages",
    "audiences",
    "topics",
    "urgency",
    "emergency",
    "internal",
    "url_name",
    "verified",
    "verification_note",
    "sources",
}
AUDIENCES = {"victim", "bystander", "professional"}
TOPICS = {
    "domestic_violence",
    "child_abuse",
    "sexual_violence",
    "exploitation",
    "human_trafficking",
    "honour_violence",
    "forced_marriage",
    "online_abuse",
    "elder_abuse",
    "suicidal_thoughts",
    "any",
}
URGENCY = {"now", "soon", "later"}
ANONYMOUS = {"yes", "no", "optional"}

REQUIRED_SLUGS = {
    "112-alarmnummer",
    "politie-geen-spoed",
    "veilig-thuis",
    "kindertelefoon",
    "chat-met-fier",
    "centrum-seksueel-geweld",
    "meld-misdaad-anoniem",
    "lkha",
    "slachtofferhulp-nederland",
    "slachtofferadvocaat",
    "comensha",
    "113-zelfmoordpreventie",
    "alles-oke-supportlijn",
    "de-luisterlijn",
    "akj-vertrouwenspersoon",
    "fier",
}
REQUIRED_URL_NAMES = {"chat:start", "intake:start", "referrals:help_finder"}
EXPECTED_PHONES = {
    "112-alarmnummer": "112",
    "politie-geen-spoed": "0900-8844",
    "veilig-thuis": "0800-2000",
    "kindertelefoon": "0800-0432",
    "centrum-seksueel-geweld": "0800-0188",
    "meld-misdaad-anoniem": "0800-7000",
    "slachtofferhulp-nederland": "0900-0101",
    "113-zelfmoordpreventie": "0800-0113",
    "akj-vertrouwenspersoon": "088-5551000",
}

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
URL_NAME = re.compile(r"^[a-z_]+:[a-z_]+$")
# 112/113, free (0800) and shared-cost (0900) numbers, or a 10-digit number with its area code.
PHONE = re.compile(r"^(11[23]|0[89]00-\d{4,7}|0\d{1,3}-\d{6,8})$")


@pytest.fixture(scope="module")
def entries():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["entries"]


@pytest.fixture(scope="module")
def by_slug(entries):
    return {e["slug"]: e for e in entries}


def _str_or_none(value):
    return value is None or (isinstance(value, str) and value.strip() != "")


def test_every_entry_has_exactly_the_schema_keys(entries):
    for e in entries:
        assert set(e) == EXPECTED_KEYS, e.get("slug")


def test_fields_have_the_documented_types(entries):
    for e in entries:
        slug = e["slug"]
        for key in ("name", "name_en", "purpose_nl", "purpose_en", "hours_nl", "hours_en"):
            assert isinstance(e[key], str), (slug, key)
            assert e[key].strip(), (slug, key)
        for key in ("phone", "phone_display", "url", "url_name"):
            assert _str_or_none(e[key]), (slug, key)
        for key in ("chat", "always_open", "emergency", "internal", "verified"):
            assert isinstance(e[key], bool), (slug, key)
        assert e["free"] is None or isinstance(e["free"], bool), slug
        assert e["anonymous"] in ANONYMOUS, slug
        assert isinstance(e["verification_note"], str), slug
        assert e["verification_note"].strip(), slug
        assert isinstance(e["sources"], list), slug
        assert e["sources"], slug
        assert all(isinstance(s, str) and s.strip() for s in e["sources"]), slug


def test_slugs_are_unique_kebab_case(entries):
    slugs = [e["slug"] for e in entries]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG.match(s) for s in slugs)


def test_lists_use_only_the_allowed_values(entries):
    for e in entries:
        slug = e["slug"]
        for key, allowed in (("audiences", AUDIENCES), ("topics", TOPICS), ("urgency", URGENCY)):
            values = e[key]
            assert isinstance(values, list), (slug, key)
            assert values, (slug, key)
            assert len(set(values)) == len(values), (slug, key)
            assert set(values) <= allowed, (slug, key, set(values) - allowed)


def test_ages_are_a_sensible_range(entries):
    for e in entries:
        ages = e["ages"]
        assert set(ages) == {"min", "max"}, e["slug"]
        for bound in ages.values():
            assert bound is None or (isinstance(bound, int) and 0 <= bound <= 120), e["slug"]
        if ages["min"] is not None and ages["max"] is not None:
            assert ages["min"] <= ages["max"], e["slug"]


def test_phone_numbers_are_dutch_formats(entries):
    for e in entries:
        phone = e["phone"]
        if phone is None:
            assert e["phone_display"] is None, e["slug"]
            continue
        assert PHONE.match(phone), (e["slug"], phone)
        digits = re.sub(r"\D", "", phone)
        if phone.startswith(("0800-", "0900-")):
            assert 8 <= len(digits) <= 11, (e["slug"], phone)
        elif len(digits) > 3:
            assert len(digits) == 10, (e["slug"], phone)
        assert e["phone_display"], e["slug"]
        assert digits in re.sub(r"\D", "", e["phone_display"]), (e["slug"], e["phone_display"])


@pytest.mark.parametrize(("slug", "phone"), sorted(EXPECTED_PHONES.items()))
def test_known_numbers(by_slug, slug, phone):
    assert by_slug[slug]["phone"] == phone


def test_urls_are_https_or_absent(entries):
    for e in entries:
        assert e["url"] is None or e["url"].startswith("https://"), e["slug"]


def test_exactly_one_emergency_entry_and_it_is_112(entries):
    emergencies = [e for e in entries if e["emergency"]]
    assert len(emergencies) == 1
    (e112,) = emergencies
    assert e112["phone"] == "112"
    assert e112["urgency"] == ["now"]
    assert e112["topics"] == ["any"]
    assert e112["always_open"] is True


def test_every_topic_has_a_route_for_danger_now(entries):
    for topic in TOPICS:
        now_routes = [
            e
            for e in entries
            if "now" in e["urgency"] and (topic in e["topics"] or "any" in e["topics"])
        ]
        assert now_routes, topic


def test_every_specific_topic_has_a_named_non_emergency_route(entries):
    for topic in TOPICS - {"any"}:
        routes = [e for e in entries if topic in e["topics"] and not e["emergency"]]
        assert routes, topic


def test_routes_for_danger_now_are_always_open(entries):
    for e in entries:
        if "now" in e["urgency"]:
            assert e["always_open"], e["slug"]


def test_required_organisations_are_present(by_slug):
    missing = REQUIRED_SLUGS - set(by_slug)
    assert not missing


def test_internal_entries_point_at_url_names_not_phones(entries):
    internal = [e for e in entries if e["internal"]]
    assert {e["url_name"] for e in internal} == REQUIRED_URL_NAMES
    for e in internal:
        assert URL_NAME.match(e["url_name"]), e["slug"]
        assert e["phone"] is None, e["slug"]
        assert e["phone_display"] is None, e["slug"]
        assert e["url"] is None, e["slug"]
        assert not e["emergency"], e["slug"]


def test_external_entries_have_no_url_name(entries):
    for e in entries:
        if not e["internal"]:
            assert e["url_name"] is None, e["slug"]
            assert e["phone"] or e["url"], f"{e['slug']} has no way to reach it"


def test_purposes_are_at_most_two_sentences(entries):
    for e in entries:
        for key in ("purpose_nl", "purpose_en"):
            sentences = re.findall(r"[.!?](?:\s|$)", e[key])
            assert 1 <= len(sentences) <= 2, (e["slug"], key, e[key])


def test_dutch_purposes_address_the_reader_as_je(entries):
    for e in entries:
        text = e["purpose_nl"].lower()
        if e["slug"] == "fier":
            continue  # describes the organisation rather than addressing the reader
        assert re.search(r"\b(je|jij|jou|jouw|bel|chat)\b", text), e["slug"]
        assert not re.search(r"\b(u|uw)\b", text), e["slug"]
