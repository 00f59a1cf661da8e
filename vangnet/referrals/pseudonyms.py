# SPDX-License-Identifier: EUPL-1.2
"""Stable keyed pseudonyms for persons in exports: the *kindnummer* for children.

``HMAC-SHA256(key, identity)`` with a key of its own, derived from ``VANGNET_PEPPER`` for this
purpose only, so the pseudonym cannot be matched against any other keyed hash in the system
(cases' person keys, the radar's encodings). The identity is the case app's person key
(surname + date of birth) when there is one, so the same child gets the same kindnummer in every
document and every case; otherwise the person's record id. Without the key a kindnummer says
nothing about the child.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings

_KEY_LABEL = b"vangnet-referrals|pseudonym-key|v1"


def _key() -> bytes:
    return hmac.new(settings.VANGNET_PEPPER, _KEY_LABEL, hashlib.sha256).digest()


def _code(identity: str) -> str:
    digest = hmac.new(_key(), identity.encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest[:10]).decode()  # 80 bits, 16 characters
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def identity_of(person: Any) -> str:
    key = getattr(person, "person_key", "") or ""
    return f"person-key:{key}" if key else f"case-person:{person.pk}"


def kindnummer(person: Any) -> str:
    """The child number: ``K-XXXX-XXXX-XXXX``."""
    return "K-" + _code(identity_of(person))


def person_number(person: Any) -> str:
    """The same kind of pseudonym for an adult whose identity is not shared: ``P-…``."""
    return "P-" + _code(identity_of(person))
