"""Checks on the shipped Veilig Thuis region data (vangnet/accounts/data/regions.json).

Plain pytest, no database: the file is read with json/pathlib. Where the data comes from and
how it was derived is in docs/data-sources.md.
"""

import datetime
import json
import re
from pathlib import Path

import pytest

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "regions.json"

# CBS gebiedsindeling (2023 layer onwards): 25 Veilig Thuis-regio's. VT16 (Brabant Noordoost)
# and VT26 (Zuidoost-Brabant) of the 2022 layer became VT27 Oost-Brabant.
EXPECTED_REGION_CODES = {f"VT{n:02d}" for n in range(1, 26) if n != 16} | {"VT27"}
# CBS municipal division on 1 January 2025.
EXPECTED_MUNICIPALITY_COUNT = 342

GM_CODE = re.compile(r"^GM\d{4}$")
VT_CODE = re.compile(r"^VT\d{2}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def data():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regions(data):
    return data["regions"]


@pytest.fixture(scope="module")
def region_of(regions):
    """Municipality code -> region dict."""
    return {m["code"]: r for r in regions for m in r["municipalities"]}


@pytest.fixture(scope="module")
def municipalities(regions):
    return [m for r in regions for m in r["municipalities"]]


def test_file_is_utf8_with_literal_dutch_diacritics():
    raw = DATA_FILE.read_bytes()
    text = raw.decode("utf-8")
    assert "Súdwest-Fryslân" in text
    assert "Noardeast-Fryslân" in text
    assert "\\u00" not in text, "diacritics must be written as UTF-8, not as \\u escapes"


def test_top_level_metadata_is_present(data):
    datetime.date.fromisoformat(data["valid_on"])
    assert data["valid_on"] == "2025-01-01"
    assert data["source"].strip()
    assert data["method"].strip()
    assert isinstance(data["unverified"], list)
    assert data["region_count"] == len(data["regions"])
    assert data["municipality_count"] == sum(len(r["municipalities"]) for r in data["regions"])


def test_it_has_the_cbs_veilig_thuis_regions(regions):
    codes = [r["code"] for r in regions]
    assert len(regions) == 25
    assert len(set(codes)) == len(codes)
    assert all(VT_CODE.match(c) for c in codes)
    assert set(codes) == EXPECTED_REGION_CODES
    assert codes == sorted(codes)


def test_regions_have_names_and_unique_kebab_case_slugs(regions):
    slugs = [r["slug"] for r in regions]
    assert len(set(slugs)) == len(slugs)
    for r in regions:
        assert r["name"].strip()
        assert r["display_name"].strip()
        assert SLUG.match(r["slug"]), r["slug"]
        assert r["municipalities"], f"{r['code']} has no municipalities"


def test_merged_brabant_region_records_its_predecessors(regions):
    oost = next(r for r in regions if r["code"] == "VT27")
    assert oost["name"] == "Oost-Brabant"
    assert {p["code"] for p in oost["replaces"]} == {"VT16", "VT26"}


def test_municipality_codes_are_cbs_codes_and_unique(municipalities):
    codes = [m["code"] for m in municipalities]
    assert all(GM_CODE.match(c) for c in codes)
    assert len(set(codes)) == len(codes), "a municipality is in more than one region"


def test_every_municipality_is_counted_once(municipalities):
    assert len(municipalities) == EXPECTED_MUNICIPALITY_COUNT


def test_municipality_names_are_present_and_unique(municipalities):
    names = [m["name"] for m in municipalities]
    assert all(n.strip() == n and n for n in names)
    assert len(set(names)) == len(names)


def test_municipalities_are_sorted_by_code_within_a_region(regions):
    for r in regions:
        codes = [m["code"] for m in r["municipalities"]]
        assert codes == sorted(codes), r["code"]


@pytest.mark.parametrize(
    ("gm_code", "municipality", "vt_code", "region"),
    [
        ("GM0363", "Amsterdam", "VT01", "Amsterdam-Amstelland"),
        ("GM0599", "Rotterdam", "VT18", "Rotterdam-Rijnmond"),
        ("GM0935", "Maastricht", "VT25", "Zuid-Limburg"),
        ("GM0034", "Almere", "VT03", "Flevoland"),
        ("GM0080", "Leeuwarden", "VT04", "Friesland"),
        ("GM0518", "'s-Gravenhage", "VT09", "Haaglanden"),
        ("GM0855", "Tilburg", "VT15", "Midden-Brabant"),
        ("GM0772", "Eindhoven", "VT27", "Oost-Brabant"),
        ("GM0193", "Zwolle", "VT11", "IJsselland"),
        ("GM0153", "Enschede", "VT19", "Twente"),
        ("GM0200", "Apeldoorn", "VT14", "Noord- en Oost-Gelderland"),
        ("GM0202", "Arnhem", "VT05", "Gelderland-Midden"),
        ("GM0268", "Nijmegen", "VT06", "Gelderland-Zuid"),
        ("GM0344", "Utrecht", "VT20", "Utrecht"),
        ("GM0014", "Groningen", "VT08", "Groningen"),
        ("GM0106", "Assen", "VT02", "Drenthe"),
        ("GM0758", "Breda", "VT21", "West-brabant"),
        ("GM0687", "Middelburg (Z.)", "VT23", "Zeeland"),
        ("GM0505", "Dordrecht", "VT24", "Zuid-Holland-Zuid"),
        ("GM0983", "Venlo", "VT13", "Noord- en Midden Limburg"),
        ("GM0361", "Alkmaar", "VT17", "Noord-Holland Noord"),
        ("GM0479", "Zaanstad", "VT22", "Zaanstreek-Waterland"),
        ("GM0392", "Haarlem", "VT12", "Kennemerland"),
        ("GM0402", "Hilversum", "VT07", "Gooi en Vechtstreek"),
        ("GM0546", "Leiden", "VT10", "Hollands-Midden"),
    ],
)
def test_spot_checks(region_of, gm_code, municipality, vt_code, region):
    r = region_of[gm_code]
    name = next(m["name"] for m in r["municipalities"] if m["code"] == gm_code)
    assert name == municipality
    assert (r["code"], r["name"]) == (vt_code, region)


@pytest.mark.parametrize(
    ("gm_code", "name"),
    [
        ("GM1992", "Voorne aan Zee"),
        ("GM1991", "Maashorst"),
        ("GM1982", "Land van Cuijk"),
        ("GM1980", "Dijk en Waard"),
        ("GM1979", "Eemsdelta"),
        ("GM0439", "Purmerend"),
        ("GM1900", "Súdwest-Fryslân"),
    ],
)
def test_recently_formed_municipalities_are_present(region_of, gm_code, name):
    r = region_of[gm_code]
    assert name in {m["name"] for m in r["municipalities"]}


@pytest.mark.parametrize(
    "former",
    [
        "Brielle",
        "Hellevoetsluis",
        "Westvoorne",
        "Uden",
        "Landerd",
        "Boxmeer",
        "Cuijk",
        "Grave",
        "Heerhugowaard",
        "Langedijk",
        "Beemster",
        "Weesp",
        "Appingedam",
        "Delfzijl",
        "Loppersum",
    ],
)
def test_merged_away_municipalities_are_gone(municipalities, former):
    assert former not in {m["name"] for m in municipalities}


def test_unverified_entries_point_at_real_assignments(data, region_of):
    seen = set()
    for item in data["unverified"]:
        assert item["code"] not in seen
        seen.add(item["code"])
        assert item["reason"].strip()
        region = region_of[item["code"]]
        assert region["code"] == item["region"]
        assert region["name"] == item["region_name"]
        assert item["name"] in {m["name"] for m in region["municipalities"]}
