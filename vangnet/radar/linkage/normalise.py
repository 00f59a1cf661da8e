"""Normalisation of Dutch person data before it is compared or encoded.

Every comparison in the radar, encoded or plaintext, starts here, so that "Jan van der Berg",
"J. v.d. Berg" and "Berg, Jan van der" reach the encoder as the same tokens. The rules are
deliberately conservative: they only remove variation that carries no identity (case,
diacritics, the ij/y spelling, tussenvoegsels, abbreviations, nicknames). Anything that may
distinguish two people (a different first name, another birth year) is kept.

The tussenvoegsel itself ("van der") is dropped from the compared surname: registers disagree
on it far more often than people with the same core surname differ only by it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = [
    "NICKNAMES",
    "TUSSENVOEGSELS",
    "NormalisedPerson",
    "PersonColumns",
    "PersonRecord",
    "bsn_is_valid",
    "canonical_first_name",
    "dutch_phonetic",
    "fold",
    "normalise",
    "normalise_bsn",
    "parse_birth_date",
    "split_name",
]


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person as reported: free text fields exactly as typed, plus a parsed birth date.

    Every field may be empty. This is the only structure that holds plaintext; it must not
    leave the organisation that owns it (see ``encoding.encode``).
    """

    first_name: str = ""
    last_name: str = ""
    birth_date: date | None = None
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    bsn: str = ""


@dataclass(slots=True)
class PersonColumns:
    """Many ``PersonRecord`` values column-wise: the input of the bulk encoder.

    Bulk encoding works per distinct value of each column (a name, a street, a date occurs
    many times in a batch), so it wants columns, not one object per person.
    """

    first_name: list[str]
    last_name: list[str]
    birth_date: list[date | None]
    street: list[str]
    house_number: list[str]
    postcode: list[str]
    city: list[str]
    bsn: list[str]

    def __len__(self) -> int:
        return len(self.first_name)

    @classmethod
    def from_records(cls, records: Sequence[PersonRecord]) -> PersonColumns:
        return cls(
            [r.first_name for r in records],
            [r.last_name for r in records],
            [r.birth_date for r in records],
            [r.street for r in records],
            [r.house_number for r in records],
            [r.postcode for r in records],
            [r.city for r in records],
            [r.bsn for r in records],
        )

    def records(self) -> list[PersonRecord]:
        return [
            PersonRecord(*fields)
            for fields in zip(
                self.first_name,
                self.last_name,
                self.birth_date,
                self.street,
                self.house_number,
                self.postcode,
                self.city,
                self.bsn,
                strict=True,
            )
        ]

    def slice(self, start: int, stop: int) -> PersonColumns:
        return PersonColumns(
            self.first_name[start:stop],
            self.last_name[start:stop],
            self.birth_date[start:stop],
            self.street[start:stop],
            self.house_number[start:stop],
            self.postcode[start:stop],
            self.city[start:stop],
            self.bsn[start:stop],
        )


@dataclass(frozen=True, slots=True)
class NormalisedPerson:
    """The comparable form of a ``PersonRecord`` (still plaintext, never stored)."""

    given: str  # canonical first given name ("" when absent or initials only)
    given_original: str  # folded first given name as written (before nickname mapping)
    initial: str  # first letter of the first given name ("" when absent)
    initials_only: bool
    surname_parts: tuple[str, ...]  # core surname parts, tussenvoegsels removed
    birth: tuple[int, int, int] | None  # (year, month, day)
    bsn: str  # nine digits that pass the 11-proef, else ""
    street: str
    house_number: str  # digits only
    postcode: str  # "1234AB", or "1234" when only the digits were usable, else ""
    city: str

    @property
    def surname(self) -> str:
        return " ".join(self.surname_parts)


# --- folding ------------------------------------------------------------------------------

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
    }
)


def fold(text: str) -> str:
    """Lower-case, strip diacritics (é→e, ë→e, ĳ→ij) and spell ij as y.

    ``ij`` and ``y`` are interchangeable in Dutch names (Dijk/Dyk, Bijl/Byl); folding both to
    ``y`` makes them identical instead of merely similar.
    """
    if not text.isascii():
        text = text.translate(_SPECIAL)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower().replace("ij", "y")


# --- names ---------------------------------------------------------------------------------

#: Tokens that form tussenvoegsels (after folding and with apostrophes removed: 't → t).
#: Combinations ("van der", "in 't", "van de") are sequences of these tokens.
TUSSENVOEGSELS: frozenset[str] = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "aan",
        "bij",
        "uit",
        "onder",
        "over",
        "voor",
        "tot",
        "vd",
        "v",
        "d",
        "s",
        "la",
        "le",
        "l",
        "du",
        "da",
        "dos",
        "das",
        "di",
        "von",
        "vom",
        "zu",
        "zum",
        "des",
    }
)

# Surnames written with the tussenvoegsel glued on ("Vanderberg", "Vandenbroek").
_GLUED_PREFIX = re.compile(r"^(?:vander|vanden|vande|vant|inet|opde|opden)(?=[a-z]{3})")
# "v.d.", "v/d", "v. d." (abbreviated van der/van den/van de) before any other punctuation
# handling turns them into separate letters.
_ABBREV_VD = re.compile(r"\bv\s*[./]\s*d(?:en|er|e)?\b\.?")
_NON_LETTER = re.compile(r"[^a-z]+")
# Compiled once: these run per record (re's own cache lookup costs about as much as a match).
_INITIALS_CLUSTER = re.compile(r"\s*[B-DF-HJ-NP-TV-Z]{2,3}\s*")
_BSN_SEPARATORS = re.compile(r"[\s.\-]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHITESPACE = re.compile(r"\s+")
_POSTCODE = re.compile(r"\d{4}[A-Z]{2}")
_POSTCODE_DIGITS = re.compile(r"\d{4}")
_DIGITS = re.compile(r"\d+")
_VOWELS = re.compile(r"[aeiouy]")
# Generational suffixes and titles carry no identity of their own (the birth date does).
_TITLES = frozenset(
    {"jr", "sr", "junior", "senior", "dhr", "mevr", "mw", "mr", "dr", "ir", "drs", "ing"}
)

#: Common Dutch nicknames (roepnamen) mapped to one canonical formal name. The table is small
#: on purpose: a wrong mapping merges different names, so only well-established pairs are in.
_NICKNAME_GROUPS: dict[str, tuple[str, ...]] = {
    "johannes": ("jan", "hans", "johan", "jannes", "hannes", "joop", "jo"),
    "wilhelmina": ("mien", "willy", "wil", "mina", "wilma", "helma", "miep"),
    "wilhelmus": ("willem", "wim", "pim"),
    "cornelis": ("kees", "cees", "cor", "corneel", "neeltje"),
    "cornelia": ("corrie", "cora", "lia"),
    "jacobus": ("koos", "jaap", "sjaak", "jacob", "co"),
    "hendrik": ("henk", "hendrikus", "henky", "hein", "rik"),
    "petrus": ("piet", "pieter", "peter", "pietje"),
    "gerardus": ("gerard", "gert", "gerrit", "gerhard"),
    "adrianus": ("adrie", "janus", "arie", "ad"),
    "antonius": ("toon", "ton", "anton", "teun", "toine"),
    "theodorus": ("theo", "dorus"),
    "franciscus": ("frans", "frank"),
    "josephus": ("jozef", "joseph", "sjef", "joep", "jos"),
    "nicolaas": ("klaas", "niek", "nico", "claes"),
    "albertus": ("albert", "bert"),
    "maria": ("marie", "mies", "ria", "mieke", "marieke", "mia"),
    "johanna": ("hanneke", "joke", "jopie", "hanna"),
    "catharina": ("karin", "toos", "rina", "tineke", "katrien", "cato", "trijntje"),
    "elisabeth": ("els", "lies", "bep", "betty", "liesbeth", "elizabeth", "lisa"),
    "geertruida": ("truus", "trudy", "geertje", "truida"),
    "hendrika": ("riek", "riet", "rika", "drika"),
    "margaretha": ("greet", "margriet", "grietje", "greetje", "marga"),
    "petronella": ("nel", "nelly", "pieternella"),
    "anna": ("anneke", "annie", "ans", "anja"),
    "mohammed": ("mohamed", "muhammad", "mohamad", "mohammad", "muhammed"),
    "yusuf": ("youssef", "yousef", "joesoef", "yousouf"),
    "fatima": ("fatma", "fatiha"),
}


def _fold_name_key(name: str) -> str:
    return _NON_LETTER.sub("", fold(name))


NICKNAMES: dict[str, str] = {
    _fold_name_key(nick): _fold_name_key(formal)
    for formal, nicks in _NICKNAME_GROUPS.items()
    for nick in nicks
}


def canonical_first_name(folded: str) -> str:
    """Map a folded first name to its canonical formal form (jan → johannes)."""
    return NICKNAMES.get(folded, folded)


@lru_cache(maxsize=131_072)
def _tokens(text: str) -> tuple[str, ...]:
    """Folded name tokens: abbreviations expanded, apostrophes, dots and hyphens split."""
    text = fold(text)
    text = _ABBREV_VD.sub(" vd ", text)
    return tuple(tok for tok in _NON_LETTER.split(text) if tok)


def _strip_surname(tokens: list[str]) -> list[str]:
    """Drop tussenvoegsel tokens from a surname; keep them if nothing else remains."""
    core = [tok for tok in tokens if tok not in TUSSENVOEGSELS]
    if not core:
        return tokens
    return [_GLUED_PREFIX.sub("", tok) for tok in core]


def _split_full_name(tokens: list[str]) -> tuple[list[str], list[str]] | None:
    """Split a full name written in one field ("jan van der berg") at its tussenvoegsel.

    Returns None when the tokens do not look like given names followed by a tussenvoegsel
    (for instance "van der berg" alone, or "jansen smit").
    """
    if not tokens or tokens[0] in TUSSENVOEGSELS:
        return None
    for pos, tok in enumerate(tokens):
        if tok in TUSSENVOEGSELS:
            return tokens[:pos], tokens[pos:]
    return None


def split_name(first_name: str, last_name: str) -> tuple[list[str], list[str], bool]:
    """Return (given tokens, surname tokens, initials_only) from the two name fields.

    Handles "Berg, Jan van der" (register order with comma, in either field), a full name in
    the surname field when the first-name field is empty, trailing tussenvoegsels in the
    given-name field ("Jan van der" + "Berg") and initials ("J.", "J.P.", "J P").
    """
    given_text, surname_text = first_name, last_name
    extra_given: list[str] = []
    for text_is_last in (True, False):
        text = surname_text if text_is_last else given_text
        if "," in text:
            before, _, after = text.partition(",")
            after_tokens = _tokens(after)
            # Anything after the comma that is not a tussenvoegsel is a given name.
            extra_given += [tok for tok in after_tokens if tok not in TUSSENVOEGSELS]
            if text_is_last:
                surname_text = before
            else:
                # "Berg, Jan" typed into the first-name field: the part before the comma is
                # the surname when the surname field is empty.
                given_text = ""
                surname_text = f"{before} {surname_text}" if surname_text.strip() else before

    raw_given = given_text
    given = [*_name_tokens(given_text), *extra_given]
    surname = list(_name_tokens(surname_text))
    if not given and len(surname) > 1:
        # A full name in the surname field: "Jan van der Berg".
        given, surname = _split_full_name(surname) or (given, surname)
    elif not surname and len(given) > 1:
        # A full name in the first-name field.
        given, surname = _split_full_name(given) or (given, surname)
    given, initials_only = _finish_given(given, raw_given)
    return given, _strip_surname(surname), initials_only


@lru_cache(maxsize=131_072)
def _name_tokens(text: str) -> tuple[str, ...]:
    """Name tokens of one field without titles."""
    return tuple(tok for tok in _tokens(text) if tok not in _TITLES)


def _finish_given(given: list[str], raw_given: str) -> tuple[list[str], bool]:
    """Drop stray tussenvoegsels from the given-name tokens and recognise initials."""
    # Trailing tussenvoegsels typed after the given name belong to the surname, and leading
    # ones mean a surname was typed into the first-name field ("van Dam" + "Max").
    while given and given[-1] in TUSSENVOEGSELS and len(given[-1]) > 1:
        given.pop()
    while len(given) > 1 and given[0] in TUSSENVOEGSELS and len(given[0]) > 1:
        given.pop(0)
    # Initials: every given token is a single letter ("J.", "J.P.", "J P").
    initials_only = bool(given) and all(len(tok) == 1 for tok in given)
    if not initials_only and _INITIALS_CLUSTER.fullmatch(raw_given):
        # "JP" typed without dots: an upper-case cluster of 2-3 consonants is initials.
        given = list(raw_given.strip().lower())
        initials_only = True
    return given, initials_only


# --- other fields --------------------------------------------------------------------------


def bsn_is_valid(digits: str) -> bool:
    """The Dutch 11-proef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    d = [ord(ch) - 48 for ch in digits]
    total = 9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7]
    return (total - d[8]) % 11 == 0


def normalise_bsn(text: str) -> str:
    """Nine digits if the value is a valid BSN (8-digit BSNs get their leading 0), else ""."""
    text = text or ""
    # Fast path: nothing to remove (the usual case), same result as the substitution.
    digits = text if text.isascii() and text.isalnum() else _BSN_SEPARATORS.sub("", text)
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits
    return digits if bsn_is_valid(digits) else ""


def parse_birth_date(text: str) -> date | None:
    """Parse ``YYYY-MM-DD``; empty means unknown. Raises ValueError on anything else."""
    text = text.strip()
    if not text:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"birth date is not YYYY-MM-DD: {text!r}")
    return date.fromisoformat(text)


_STREET_ABBREVIATIONS = (
    (re.compile(r"str\b\.?"), "straat"),
    (re.compile(r"\bln\b\.?"), "laan"),
    (re.compile(r"\bwg\b\.?"), "weg"),
    (re.compile(r"\bpln\b\.?"), "plein"),
    (re.compile(r"\bgr\b\.?"), "gracht"),
    (re.compile(r"\bkd\b\.?"), "kade"),
)

_CITY_ALIASES = {
    "sgravenhage": "denhaag",
    "thehague": "denhaag",
    "shertogenbosch": "denbosch",
}


@lru_cache(maxsize=65_536)
def _normalise_street(text: str) -> str:
    text = fold(text)
    text = _ABBREV_VD.sub(" vd ", text)
    for pattern, full in _STREET_ABBREVIATIONS:
        text = pattern.sub(full, text)
    tokens = [tok for tok in _NON_LETTER.split(text) if tok]
    # Streets named after people ("Van der Helststraat") vary in their tussenvoegsel too.
    core = [tok for tok in tokens if tok not in TUSSENVOEGSELS] or tokens
    return "".join(core)


@lru_cache(maxsize=65_536)
def _normalise_city(text: str) -> str:
    city = _NON_LETTER.sub("", fold(text))
    return _CITY_ALIASES.get(city, city)


@lru_cache(maxsize=65_536)
def _normalise_postcode(text: str) -> str:
    compact = _WHITESPACE.sub("", text).upper()
    if _POSTCODE.fullmatch(compact):
        return compact
    if _POSTCODE_DIGITS.match(compact):
        return compact[:4]
    return ""


NameFields = tuple[str, str, str, bool, tuple[str, ...]]


def _given_fields(given: list[str], initials_only: bool) -> tuple[str, str, str, bool]:
    first = given[0] if given else ""
    return (
        "" if initials_only else canonical_first_name(first),
        "" if initials_only else first,
        first[:1],
        initials_only,
    )


def _surname_fields(surname: list[str]) -> tuple[tuple[str, ...]]:
    if len(surname) == 1 and surname[0] in NICKNAMES:
        # A first name in the surname field (names swapped): canonicalise it like a first
        # name so that it can still be compared with the other record's first name.
        surname = [NICKNAMES[surname[0]]]
    return (tuple(surname),)


def names_from_split(first_name: str, last_name: str) -> NameFields:
    """``_names`` through ``split_name`` on both fields together (the reference path)."""
    given, surname, initials_only = split_name(first_name, last_name)
    return _given_fields(given, initials_only) + _surname_fields(surname)


@lru_cache(maxsize=65_536)
def _given_part(first_name: str) -> tuple[str, str, str, bool]:
    return _given_fields(*_finish_given(list(_name_tokens(first_name)), first_name))


@lru_cache(maxsize=65_536)
def _surname_part(last_name: str) -> tuple[tuple[str, ...]]:
    return _surname_fields(_strip_surname(list(_name_tokens(last_name))))


@lru_cache(maxsize=131_072)
def _names(first_name: str, last_name: str) -> NameFields:
    """(canonical given, given as written, initial, initials only, surname parts), cached."""
    if (
        "," not in first_name
        and "," not in last_name
        and _name_tokens(first_name)
        and _name_tokens(last_name)
    ):
        # The usual case: both fields hold names and neither is in register order, so
        # ``split_name`` treats them independently; each half is cached per field (a batch
        # has far fewer distinct first names and surnames than distinct combinations).
        return _given_part(first_name) + _surname_part(last_name)
    return names_from_split(first_name, last_name)


@lru_cache(maxsize=65_536)
def _house_number(text: str) -> str:
    return "".join(_DIGITS.findall(text))[:6]


def normalise(record: PersonRecord) -> NormalisedPerson:
    """Bring a reported person into the comparable form used by both linkers."""
    given, given_original, initial, initials_only, surname_parts = _names(
        record.first_name, record.last_name
    )
    birth = None
    if record.birth_date is not None:
        birth = (record.birth_date.year, record.birth_date.month, record.birth_date.day)
    return NormalisedPerson(
        given=given,
        given_original=given_original,
        initial=initial,
        initials_only=initials_only,
        surname_parts=surname_parts,
        birth=birth,
        bsn=normalise_bsn(record.bsn) if record.bsn else "",
        street=_normalise_street(record.street),
        house_number=_house_number(record.house_number),
        postcode=_normalise_postcode(record.postcode),
        city=_normalise_city(record.city),
    )


# --- phonetic code for blocking ------------------------------------------------------------

_PHONETIC_RULES = (
    ("sch", "s"),
    ("ch", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dt", "t"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "f"),
    ("w", "v"),
    ("ei", "y"),
    ("au", "o"),
    ("ou", "o"),
)


@lru_cache(maxsize=65_536)
def dutch_phonetic(folded: str) -> str:
    """A coarse Dutch sound code used only to build blocking keys (never for scoring).

    Keeps the first letter, applies common Dutch spelling equivalences (ch/g, z/s, v/f, ei/ij,
    ou/au, c/k), drops later vowels and doubled letters, and keeps five characters.
    """
    word = _NON_LETTER.sub("", folded)
    if not word:
        return ""
    for old, new in _PHONETIC_RULES:
        word = word.replace(old, new)
    if word.endswith("d"):
        word = word[:-1] + "t"
    head, tail = word[0], _VOWELS.sub("", word[1:])
    code = head
    for ch in tail:
        if ch != code[-1]:
            code += ch
    return code[:5]
