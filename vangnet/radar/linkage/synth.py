"""Synthetic Dutch households and labelled duplicate reports (no real people).

The generator exists to measure and calibrate the radar where it matters: whole households
(parents, children, twins, a son named after his father, a grandfather living in) are
reported, and later re-reported by other professionals in other regions, with the errors
intake workers make. Every duplicate record carries the list of errors applied to it, and
every record its entity (the real person) and household, so precision and recall can be
computed exactly. Names come from the project's own lists (weighted roughly like the Dutch
frequency tables); street and city names from Faker ``nl_NL``. The output is deterministic
for a seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from .normalise import NICKNAMES

__all__ = [
    "CSV_COLUMNS",
    "SynthData",
    "SynthRecord",
    "generate",
    "iter_records",
    "true_pairs",
]

CSV_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "house_number",
    "postcode",
    "city",
    "bsn",
)
N_REGIONS = 26


@dataclass(frozen=True, slots=True)
class SynthRecord:
    """One generated CSV row plus its ground truth."""

    id: str
    first_name: str
    last_name: str
    birth_date: str
    street: str
    house_number: str
    postcode: str
    city: str
    bsn: str
    entity_id: str
    household_id: str
    region: int
    role: str
    errors: tuple[str, ...] = ()

    def row(self) -> list[str]:
        return [getattr(self, name) for name in CSV_COLUMNS]


@dataclass(slots=True)
class SynthData:
    records: list[SynthRecord] = field(default_factory=list)

    def true_pairs(self) -> set[tuple[str, str]]:
        return true_pairs(self.records)

    def write_csv(self, path: Path | str) -> None:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(record.row() for record in self.records)

    def write_truth(self, path: Path | str) -> None:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("id", "entity_id", "household_id", "region", "role", "errors"))
            for r in self.records:
                writer.writerow(
                    (r.id, r.entity_id, r.household_id, r.region, r.role, ";".join(r.errors))
                )


def true_pairs(records: list[SynthRecord]) -> set[tuple[str, str]]:
    """All unordered (id, id) pairs, smaller id first, of records of the same person."""
    by_entity: dict[str, list[str]] = {}
    for record in records:
        by_entity.setdefault(record.entity_id, []).append(record.id)
    pairs = set()
    for ids in by_entity.values():
        for a, b in combinations(sorted(ids), 2):
            pairs.add((a, b))
    return pairs


# --- name lists (project-made) -------------------------------------------------------------

_MALE_FORMAL = [
    "Johannes",
    "Cornelis",
    "Jacobus",
    "Hendrik",
    "Petrus",
    "Gerardus",
    "Adrianus",
    "Antonius",
    "Theodorus",
    "Franciscus",
    "Josephus",
    "Nicolaas",
    "Albertus",
    "Wilhelmus",
]
_FEMALE_FORMAL = [
    "Wilhelmina",
    "Cornelia",
    "Maria",
    "Johanna",
    "Catharina",
    "Elisabeth",
    "Geertruida",
    "Hendrika",
    "Margaretha",
    "Petronella",
    "Anna",
]
_MALE_MODERN = [
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Milan",
    "Noah",
    "Luuk",
    "Bram",
    "Thijs",
    "Jesse",
    "Thomas",
    "Ruben",
    "Lars",
    "Tim",
    "Sven",
    "Stijn",
    "Niels",
    "Bas",
    "Jeroen",
    "Mark",
    "Dennis",
    "Martijn",
    "Erik",
    "Rob",
    "Sander",
    "Wouter",
    "Joost",
    "Maarten",
    "Mohammed",
    "Ahmed",
    "Yusuf",
    "Mehmet",
    "Emre",
    "Ayoub",
    "Rayan",
    "Daniël",
    "Noël",
    "René",
    "José",
    "Gijs",
    "Teun",
    "Mees",
    "Julian",
    "Max",
    "Olivier",
    "Hugo",
    "Sam",
    "Siem",
    "Jasper",
    "Koen",
    "Tijn",
    "Dirk",
    "Floris",
    "Vincent",
    "Kevin",
    "Patrick",
    "Marco",
    "Michiel",
    "Frank",
    "Paul",
    "Arjen",
    "Remco",
    "Hamza",
    "Bilal",
    "Ibrahim",
    "Omar",
    "Kerem",
    "Burak",
    "Stefan",
    "Rik",
    "Job",
    "Pepijn",
    "Morris",
]
_FEMALE_MODERN = [
    "Emma",
    "Julia",
    "Tess",
    "Sophie",
    "Zoë",
    "Mila",
    "Sara",
    "Eva",
    "Noor",
    "Lotte",
    "Fleur",
    "Sanne",
    "Lisa",
    "Iris",
    "Femke",
    "Anouk",
    "Marloes",
    "Inge",
    "Linda",
    "Esther",
    "Ingrid",
    "Monique",
    "Chloë",
    "Anaïs",
    "Fatima",
    "Aisha",
    "Khadija",
    "Elif",
    "Zeynep",
    "Noa",
    "Liv",
    "Yara",
    "Saar",
    "Nina",
    "Roos",
    "Lieke",
    "Isa",
    "Evi",
    "Nora",
    "Maud",
    "Jasmijn",
    "Merel",
    "Vera",
    "Linde",
    "Sterre",
    "Lynn",
    "Amber",
    "Kim",
    "Laura",
    "Eline",
    "Sophia",
    "Hanna",
    "Yasmina",
    "Salma",
    "Ilse",
    "Petra",
    "Marieke",
    "Karin",
    "Wendy",
    "Sandra",
    "Astrid",
    "Manon",
    "Mirjam",
    "Annemiek",
    "Naomi",
    "Demi",
    "Romy",
    "Britt",
    "Indy",
    "Lara",
    "Ilona",
    "Meryem",
    "Büşra",
    "Ayşe",
]

_FORMAL_NICKS: dict[str, list[str]] = {}
for _nick, _formal in NICKNAMES.items():
    _FORMAL_NICKS.setdefault(_formal, []).append(_nick)

# (prefix, core, relative frequency). Frequencies roughly follow the Dutch surname top list.
_SURNAMES: tuple[tuple[str, str, int], ...] = tuple(
    (prefix, core, weight)
    for prefix, core, weight in (
        ("de", "Jong", 86),
        ("", "Jansen", 74),
        ("de", "Vries", 72),
        ("van den", "Berg", 61),
        ("van", "Dijk", 59),
        ("", "Bakker", 58),
        ("", "Janssen", 56),
        ("", "Visser", 52),
        ("", "Smit", 50),
        ("", "Meijer", 46),
        ("de", "Boer", 43),
        ("", "Mulder", 42),
        ("de", "Groot", 41),
        ("", "Bos", 40),
        ("", "Vos", 38),
        ("", "Peters", 37),
        ("", "Hendriks", 36),
        ("van", "Leeuwen", 35),
        ("", "Dekker", 34),
        ("", "Brouwer", 33),
        ("de", "Wit", 32),
        ("", "Dijkstra", 31),
        ("", "Smits", 30),
        ("de", "Graaf", 30),
        ("van der", "Meer", 29),
        ("van der", "Linden", 28),
        ("", "Kok", 28),
        ("", "Jacobs", 27),
        ("de", "Haan", 27),
        ("", "Vermeulen", 26),
        ("van den", "Heuvel", 26),
        ("van der", "Veen", 25),
        ("van den", "Broek", 25),
        ("de", "Bruijn", 24),
        ("de", "Bruin", 24),
        ("van der", "Heijden", 23),
        ("", "Schouten", 23),
        ("van", "Beek", 22),
        ("", "Willems", 22),
        ("van", "Vliet", 21),
        ("van de", "Ven", 21),
        ("", "Hoekstra", 20),
        ("", "Maas", 20),
        ("", "Verhoeven", 20),
        ("", "Koster", 19),
        ("van", "Dam", 19),
        ("van der", "Wal", 19),
        ("", "Prins", 18),
        ("", "Blom", 18),
        ("", "Huisman", 18),
        ("", "Peeters", 17),
        ("de", "Jonge", 17),
        ("", "Kuipers", 17),
        ("van", "Veen", 16),
        ("", "Post", 16),
        ("", "Kuiper", 16),
        ("", "Veenstra", 16),
        ("", "Kramer", 15),
        ("van den", "Brink", 15),
        ("", "Scholten", 15),
        ("van", "Wijk", 15),
        ("", "Postma", 14),
        ("", "Martens", 14),
        ("", "Vink", 14),
        ("de", "Ruiter", 14),
        ("", "Timmermans", 13),
        ("", "Groen", 13),
        ("", "Gerritsen", 13),
        ("", "Jonker", 13),
        ("van", "Loon", 12),
        ("", "Boer", 12),
        ("van der", "Velde", 12),
        ("", "Willemsen", 12),
        ("", "Smeets", 12),
        ("de", "Lange", 11),
        ("de", "Vos", 11),
        ("", "Bosch", 11),
        ("van", "Dongen", 11),
        ("", "Schipper", 11),
        ("de", "Koning", 11),
        ("van der", "Laan", 10),
        ("", "Koning", 10),
        ("", "Driessen", 10),
        ("van", "Doorn", 10),
        ("", "Hermans", 10),
        ("", "Evers", 9),
        ("van den", "Bosch", 9),
        ("van der", "Meulen", 9),
        ("", "Hofman", 9),
        ("", "Bosman", 9),
        ("", "Wolters", 9),
        ("", "Sanders", 9),
        ("van der", "Horst", 8),
        ("", "Mol", 8),
        ("", "Kuijpers", 8),
        ("", "Molenaar", 8),
        ("van de", "Pol", 8),
        ("de", "Leeuw", 8),
        ("", "Verbeek", 8),
        ("'t", "Hart", 5),
        ("in 't", "Veld", 5),
        ("ter", "Horst", 5),
        ("ten", "Cate", 4),
        ("van 't", "Hof", 4),
        ("van", "Bijl", 4),
        ("", "Yılmaz", 9),
        ("", "Öztürk", 7),
        ("", "Şahin", 6),
        ("", "Kaya", 6),
        ("", "Çelik", 5),
        ("", "Demir", 6),
        ("El", "Amrani", 5),
        ("", "Bouzid", 4),
        ("", "Ait Ouali", 3),
        ("", "Benali", 4),
        ("", "Kartosen", 3),
        ("", "Nguyen", 4),
        ("", "Mahabier", 3),
        ("", "Ramdin", 3),
        ("", "Noël", 2),
        ("", "Müller", 3),
        ("", "Lefèvre", 2),
        ("", "Wijnands", 4),
        ("", "Rijnders", 4),
        ("", "Heijnen", 5),
        ("", "IJzerman", 3),
    )
)

# Further, rarer surnames so that the tail of the distribution is long, as in reality.
_RARE_STEMS = [
    "Aal",
    "Berk",
    "Blaauw",
    "Dop",
    "Elst",
    "Fok",
    "Gans",
    "Haak",
    "Hul",
    "Kamp",
    "Kool",
    "Lok",
    "Mast",
    "Nap",
    "Ooms",
    "Pauw",
    "Rog",
    "Sluis",
    "Stok",
    "Tol",
    "Veer",
    "Wulp",
    "Zon",
    "Ploeg",
    "Raaf",
    "Wever",
    "Knol",
    "Hekman",
    "Span",
    "Kolk",
    "Luit",
    "Tromp",
    "Duin",
    "Meeuw",
    "Eik",
    "Wieg",
]
_RARE_SUFFIXES = ("", "man", "er", "ink", "stra", "sma", "hof", "veld", "huis", "berg", "kamp")


class _Names:
    def __init__(self, rng: random.Random) -> None:
        surnames = [(p, c) for p, c, _ in _SURNAMES]
        weights = [w * 6 for _, _, w in _SURNAMES]
        for stem in _RARE_STEMS:
            for suffix in _RARE_SUFFIXES:
                prefix = rng.choice(("", "", "", "van", "de", "van der", "ter"))
                surnames.append((prefix, stem + suffix))
                weights.append(1)
        self.surnames = surnames
        self.cum_weights = []
        total = 0
        for weight in weights:
            total += weight
            self.cum_weights.append(total)

    def surname(self, rng: random.Random) -> tuple[str, str]:
        return rng.choices(self.surnames, cum_weights=self.cum_weights)[0]


def _given(rng: random.Random, male: bool, birth_year: int) -> str:
    formal = _MALE_FORMAL if male else _FEMALE_FORMAL
    modern = _MALE_MODERN if male else _FEMALE_MODERN
    # Older generations more often carry a formal (baptismal) name.
    p_formal = 0.55 if birth_year < 1965 else 0.3 if birth_year < 1990 else 0.1
    return rng.choice(formal if rng.random() < p_formal else modern)


def _nickname_of(name: str, rng: random.Random) -> str | None:
    key = name.lower()
    nicks = _FORMAL_NICKS.get(key)
    if nicks:
        return rng.choice(nicks).capitalize()
    formal = NICKNAMES.get(key)
    return formal.capitalize() if formal else None


def _full_surname(prefix: str, core: str) -> str:
    return f"{prefix} {core}".strip()


def make_bsn(rng: random.Random) -> str:
    """A random number that passes the 11-proef (not a real person's BSN)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        if digits[0] == 0 and digits[1] == 0:
            continue
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


# --- addresses -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Address:
    street: str
    house_number: str
    postcode: str
    city: str
    region: int


class _Addresses:
    def __init__(self, seed: int) -> None:
        from faker import Faker

        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        cities = list(dict.fromkeys(fake.city() for _ in range(900)))[:400]
        streets = list(dict.fromkeys(fake.street_name() for _ in range(6000)))
        rng = random.Random(seed * 7 + 1)  # noqa: S311 - synthetic data, not crypto
        self.cities = cities
        # Zipf-like city sizes: a few big cities hold much of the population.
        self.city_weights = [1.0 / (rank + 3) for rank in range(len(cities))]
        self.city_pc4 = {city: rng.randint(1000, 9899) for city in cities}
        self.city_region = {city: rng.randrange(N_REGIONS) for city in cities}
        self.city_streets = {
            city: rng.sample(streets, k=min(len(streets), rng.randint(20, 120))) for city in cities
        }
        self.street_pc = {}
        for city, names in self.city_streets.items():
            for name in names:
                pc4 = self.city_pc4[city] + rng.randint(0, 60)
                letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
                self.street_pc[(city, name)] = f"{pc4:04d}{letters}"

    def new(self, rng: random.Random) -> _Address:
        city = rng.choices(self.cities, weights=self.city_weights)[0]
        street = rng.choice(self.city_streets[city])
        number = str(rng.randint(1, 250))
        roll = rng.random()
        if roll < 0.08:
            number += rng.choice("abc")
        elif roll < 0.12:
            number += f"-{rng.randint(1, 4)}"
        postcode = self.street_pc[(city, street)]
        return _Address(street, number, postcode, city, self.city_region[city])


# --- people and households -----------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    entity_id: str
    given: str  # as usually written (formal name or roepnaam)
    prefix: str
    core: str
    male: bool
    birth: date
    bsn: str
    role: str
    partner_core: tuple[str, str] | None = None  # (prefix, core) of a spouse, for double names


def _birth(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _household(rng: random.Random, names: _Names, hh: str, bsns: set[str]) -> list[_Person]:
    people: list[_Person] = []

    def person(given: str, surname: tuple[str, str], male: bool, birth: date, role: str) -> _Person:
        while True:
            bsn = make_bsn(rng)
            if bsn not in bsns:
                bsns.add(bsn)
                break
        p = _Person(f"{hh}-{len(people)}", given, surname[0], surname[1], male, birth, bsn, role)
        people.append(p)
        return p

    kind = rng.choices(
        ("single", "couple", "family", "single_parent", "three_generations"),
        weights=(22, 18, 42, 12, 6),
    )[0]
    year = rng.randint(1945, 2000)
    if kind == "single":
        male = rng.random() < 0.5
        person(_given(rng, male, year), names.surname(rng), male, _birth(rng, year), "adult")
        return people
    father_name = names.surname(rng)
    mother_name = names.surname(rng)
    father = mother = None
    if kind != "single_parent" or rng.random() < 0.25:
        father = person(_given(rng, True, year), father_name, True, _birth(rng, year), "father")
    if kind != "single_parent" or father is None:
        mother_year = min(2000, year + rng.randint(-4, 6))
        mother = person(
            _given(rng, False, mother_year),
            mother_name,
            False,
            _birth(rng, mother_year),
            "mother",
        )
    if father is not None and mother is not None:
        mother.partner_core = father_name
    if kind == "couple":
        return people
    grandfather = None
    if kind == "three_generations":
        g_year = year - rng.randint(24, 34)
        grandfather = person(
            _given(rng, True, g_year), father_name, True, _birth(rng, g_year), "grandfather"
        )
    child_surname = father_name if father is not None and rng.random() < 0.9 else mother_name
    n_children = rng.choices((1, 2, 3, 4, 5), weights=(30, 38, 20, 9, 3))[0]
    first_child_year = min(2023, year + rng.randint(22, 36))
    child_years = sorted(
        min(2024, first_child_year + rng.randint(0, 12)) for _ in range(n_children)
    )
    twins_at = rng.randrange(n_children - 1) if n_children >= 2 and rng.random() < 0.07 else -1
    used: set[str] = set()
    named_after_father = father is not None and rng.random() < 0.18
    named_after_grandfather = grandfather is not None and rng.random() < 0.5
    previous: _Person | None = None
    for index, child_year in enumerate(child_years):
        male = rng.random() < 0.5
        birth = _birth(rng, child_year)
        role = "child"
        if previous is not None and index == twins_at + 1:
            birth = previous.birth
            role = "twin"
            if previous.role == "child":
                previous.role = "twin"
        given = _given(rng, male, child_year)
        if male and named_after_father and father is not None:
            given, named_after_father, role = father.given, False, "son_named_after_father"
        elif male and named_after_grandfather and grandfather is not None:
            given, named_after_grandfather = grandfather.given, False
            role = "grandson_named_after_grandfather"
        while given.lower() in used:
            given = _given(rng, male, child_year)
        used.add(given.lower())
        previous = person(given, child_surname, male, birth, role)
    return people


# --- errors --------------------------------------------------------------------------------

_KEYBOARD_NEIGHBOURS = {
    "a": "sqz",
    "e": "wrd",
    "i": "uok",
    "o": "ipl",
    "n": "bmh",
    "r": "etf",
    "s": "adz",
    "t": "ryg",
    "l": "kop",
    "k": "jli",
    "m": "n",
    "d": "sfe",
    "h": "gjn",
    "j": "hku",
    "u": "yij",
}


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text
    pos = rng.randrange(1, len(text))
    kind = rng.random()
    ch = text[pos].lower()
    if kind < 0.4:
        sub = rng.choice(_KEYBOARD_NEIGHBOURS.get(ch, "aeinrst"))
        return text[:pos] + sub + text[pos + 1 :]
    if kind < 0.7:
        return text[:pos] + text[pos + 1 :]
    return text[:pos] + text[pos - 1].lower() + text[pos:]


def _transpose(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    pos = rng.randrange(1, len(text) - 1)
    return text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]


def _date_typo(birth: date, rng: random.Random) -> date | None:
    """One keying error in one part of a date: a wrong or swapped digit, or a year off by one."""
    year, month, day = birth.year, birth.month, birth.day
    part = rng.choices(("day", "year", "month"), weights=(5, 4, 1))[0]
    if part == "year":
        if rng.random() < 0.5:
            year += rng.choice((-1, 1))
        else:
            digits = list(f"{year:04d}")
            digits[2], digits[3] = digits[3], digits[2]  # 1954 -> 1945
            year = int("".join(digits))
    else:
        value = day if part == "day" else month
        text = f"{value:02d}"
        if rng.random() < 0.5:
            text = text[::-1]
        else:
            pos = rng.randrange(2)
            text = text[:pos] + str(rng.randrange(10)) + text[pos + 1 :]
        if part == "day":
            day = int(text)
        else:
            month = int(text)
    try:
        typo = date(year, month, day)
    except ValueError:
        return None
    return None if typo == birth or year > 2025 else typo


_STRIP_DIACRITICS = str.maketrans("ëéèïöüçşıäâ", "eeeioucsiaa")


def _tussenvoegsel_variant(prefix: str, core: str, rng: random.Random) -> tuple[str, str, str]:
    """(first-name suffix, surname field, variant label)."""
    abbreviations = {
        "van der": ("v.d.", "vd", "v/d"),
        "van den": ("v.d.", "vd", "v/d"),
        "van de": ("v.d.", "vd"),
        "van": ("v.",),
        "van 't": ("v.'t",),
    }
    options = ["register_order", "upper", "dropped", "after_given"]
    if prefix in abbreviations:
        options.append("abbreviated")
    if prefix.startswith("van d"):
        options.append("glued")
    choice = rng.choice(options)
    if choice == "register_order":
        return "", f"{core}, {prefix}", choice
    if choice == "upper":
        return "", _full_surname(prefix.title(), core), choice
    if choice == "dropped":
        return "", core, choice
    if choice == "after_given":
        return f" {prefix}", core, choice
    if choice == "glued":
        return "", prefix.replace(" ", "").capitalize() + core.lower(), choice
    return "", f"{rng.choice(abbreviations[prefix])} {core}", choice


_ERROR_WEIGHTS = {
    "typo_first": 10,
    "typo_last": 10,
    "transposition": 6,
    "missing_field": 14,
    "tussenvoegsel": 9,
    "diacritics": 5,
    "initials_only": 5,
    "nickname": 7,
    "swapped_names": 3,
    "dob_day_month_swapped": 4,
    "dob_typo": 4,
    "case": 4,
    "double_surname": 3,
    "street_typo": 4,
    "full_name_register_order": 2,
    "postcode_format": 3,
}
_ERROR_NAMES = tuple(_ERROR_WEIGHTS)
_STRUCTURAL_ERRORS = frozenset({"swapped_names", "full_name_register_order"})
_ERROR_CUM = []
_total = 0
for _weight in _ERROR_WEIGHTS.values():
    _total += _weight
    _ERROR_CUM.append(_total)


def _record(
    person: _Person,
    address: _Address,
    rng: random.Random,
    record_id: str,
    hh: str,
    region: int,
    n_errors: int,
    extra_errors: tuple[str, ...] = (),
) -> SynthRecord:
    given = person.given
    prefix, core = person.prefix, person.core
    last = _full_surname(prefix, core)
    birth = person.birth
    fields = {
        "first_name": given,
        "last_name": last,
        "birth_date": birth.isoformat(),
        "street": address.street,
        "house_number": address.house_number,
        "postcode": address.postcode,
        "city": address.city,
        "bsn": person.bsn if rng.random() < (0.55 if not n_errors else 0.35) else "",
    }
    chosen: list[str] = []
    for _ in range(20):
        if len(chosen) >= n_errors:
            break
        error = rng.choices(_ERROR_NAMES, cum_weights=_ERROR_CUM)[0]
        if error not in chosen:
            chosen.append(error)
    # Content errors first, then the ones that move fields around (as a typist would).
    chosen.sort(key=lambda e: e in _STRUCTURAL_ERRORS)
    errors: list[str] = list(extra_errors)
    for error in chosen:
        applied = _apply(error, person, fields, rng)
        if applied:
            errors.append(applied)
    return SynthRecord(
        id=record_id,
        entity_id=person.entity_id,
        household_id=hh,
        region=region,
        role=person.role,
        errors=tuple(errors),
        **fields,
    )


def _apply(error: str, person: _Person, f: dict[str, str], rng: random.Random) -> str | None:
    """Apply one error to the field dict in place; return its label or None if impossible."""
    if error == "typo_first" and len(f["first_name"]) > 3:
        f["first_name"] = _typo(f["first_name"], rng)
    elif error == "typo_last" and len(person.core) > 3:
        f["last_name"] = _full_surname(person.prefix, _typo(person.core, rng))
    elif error == "transposition":
        target = rng.choice(("first_name", "last_name"))
        if len(f[target]) < 4:
            return None
        f[target] = _transpose(f[target], rng)
        return f"transposition_{target}"
    elif error == "missing_field":
        target = rng.choice(("birth_date", "street", "postcode", "city", "first_name", "address"))
        if target == "address":
            for name in ("street", "house_number", "postcode", "city"):
                f[name] = ""
        else:
            f[target] = ""
        return f"missing_{target}"
    elif error == "tussenvoegsel" and person.prefix:
        suffix, surname, label = _tussenvoegsel_variant(person.prefix, person.core, rng)
        f["first_name"] += suffix
        f["last_name"] = surname
        return f"tussenvoegsel_{label}"
    elif error == "diacritics":
        before = f["first_name"] + f["last_name"]
        for name in ("first_name", "last_name"):
            f[name] = f[name].translate(_STRIP_DIACRITICS).replace("ij", "y").replace("IJ", "Y")
        if f["first_name"] + f["last_name"] == before:
            return None
    elif error == "initials_only" and f["first_name"]:
        f["first_name"] = rng.choice(("{}.", "{}", "{}.{}."))
        f["first_name"] = f["first_name"].format(person.given[0], rng.choice("JMAPCHW"))
    elif error == "nickname":
        nick = _nickname_of(person.given, rng)
        if nick is None or nick.lower() == f["first_name"].lower():
            return None
        f["first_name"] = nick
    elif error == "swapped_names" and f["first_name"]:
        f["first_name"], f["last_name"] = f["last_name"], f["first_name"]
    elif error == "dob_day_month_swapped" and person.birth.day <= 12:
        if person.birth.day == person.birth.month or not f["birth_date"]:
            return None
        b = person.birth
        f["birth_date"] = f"{b.year:04d}-{b.day:02d}-{b.month:02d}"
    elif error == "dob_typo" and f["birth_date"]:
        typo = _date_typo(person.birth, rng)
        if typo is None:
            return None
        f["birth_date"] = typo.isoformat()
    elif error == "case":
        f["first_name"], f["last_name"] = f["first_name"].upper(), f["last_name"].upper()
    elif error == "double_surname" and person.partner_core is not None:
        own = _full_surname(person.prefix, person.core)
        f["last_name"] = f"{_full_surname(*person.partner_core)}-{own}"
    elif error == "street_typo" and f["street"]:
        f["street"] = _typo(f["street"], rng)
    elif error == "full_name_register_order" and f["first_name"]:
        prefix = f" {person.prefix}" if person.prefix else ""
        f["last_name"] = f"{person.core}, {f['first_name']}{prefix}"
        f["first_name"] = ""
    elif error == "postcode_format" and f["postcode"]:
        pc = f["postcode"]
        f["postcode"] = f"{pc[:4]} {pc[4:].lower()}"
    else:
        return None
    return error


def iter_records(
    n_records: int, seed: int = 0, *, duplicate_rate: float = 0.35, id_prefix: str = "r"
) -> Iterator[SynthRecord]:
    """Yield ``n_records`` records, household by household (base records, then re-reports).

    ``duplicate_rate`` is the probability that a household is reported again (1-3 times);
    each re-report names each member with probability 0.8 and applies 0-3 labelled errors
    per record. A re-report may come after the household moved (label ``moved``), and may
    come from another region (label ``other_region``).
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not crypto
    names = _Names(random.Random(seed + 1))  # noqa: S311
    addresses = _Addresses(seed)
    bsns: set[str] = set()
    produced = 0
    hh_number = 0
    while produced < n_records:
        hh = f"h{seed}-{hh_number}"
        hh_number += 1
        people = _household(rng, names, hh, bsns)
        home = addresses.new(rng)
        reports: list[tuple[_Person, _Address, int, int, tuple[str, ...]]] = [
            (p, home, home.region, 0, ()) for p in people
        ]
        if rng.random() < duplicate_rate:
            for _ in range(rng.choices((1, 2, 3), weights=(65, 25, 10))[0]):
                moved = rng.random() < 0.2
                address = addresses.new(rng) if moved else home
                region = address.region
                labels: tuple[str, ...] = ("moved",) if moved else ()
                if rng.random() < 0.15:
                    region = rng.randrange(N_REGIONS)
                    labels += ("other_region",)
                for p in people:
                    if rng.random() < 0.8:
                        n_errors = rng.choices((0, 1, 2, 3), weights=(15, 45, 28, 12))[0]
                        reports.append((p, address, region, n_errors, labels))
        for p, address, region, n_errors, labels in reports:
            if produced >= n_records:
                return
            yield _record(p, address, rng, f"{id_prefix}{produced}", hh, region, n_errors, labels)
            produced += 1


def generate(
    n_records: int, seed: int = 0, *, duplicate_rate: float = 0.35, shuffle: bool = True
) -> SynthData:
    """Generate a labelled data set; records are shuffled (deterministically) by default."""
    records = list(iter_records(n_records, seed, duplicate_rate=duplicate_rate))
    if shuffle:
        random.Random(seed + 2).shuffle(records)  # noqa: S311
    return SynthData(records)
