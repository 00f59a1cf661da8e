# SPDX-License-Identifier: EUPL-1.2
"""Keyed hashes for finding a household or person without decrypting every case.

``HMAC-SHA256(pepper, purpose | normalised value)``: equal inputs give equal keys inside one
installation, and the key reveals nothing without the pepper. Only exact matches are found;
fuzzy matching across organisations is the radar's job (privacy-preserving encodings).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from django.conf import settings

_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")


def _key(purpose: str, value: str) -> str:
    message = f"vangnet-cases|{purpose}|{value}".encode()
    return hmac.new(settings.VANGNET_PEPPER, message, hashlib.sha256).hexdigest()


def normalise_postcode(postcode: str) -> str:
    match = _POSTCODE.match(postcode or "")
    return f"{match.group(1)}{match.group(2).upper()}" if match else ""


def normalise_house_number(number: str) -> str:
    return re.sub(r"[\s\-]", "", (number or "").upper())


def household_key(postcode: str, house_number: str) -> str:
    """The key of an address (postcode + house number, with addition); '' if incomplete."""
    pc, nr = normalise_postcode(postcode), normalise_house_number(house_number)
    if not pc or not nr:
        return ""
    return _key("household", f"{pc}|{nr}")


def _name(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text.lower())


def person_key(surname: str, born: date | None) -> str:
    """The key of a person (surname + date of birth); '' when either is missing."""
    name = _name(surname)
    if not name or born is None:
        return ""
    return _key("person", f"{name}|{born.isoformat()}")
