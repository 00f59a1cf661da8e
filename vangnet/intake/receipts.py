# SPDX-License-Identifier: EUPL-1.2
"""Return codes for contacts: issue, re-show on a retried submit, and check (ADR 0011, 0006).

Checking a code costs one Argon2id verification and no lock, so checks run in parallel.
A wrong code and an unknown locator take the same work and get the same answer. Failures are
counted per locator under a keyed hash (never the locator itself) in the cache: after
``SLOW_AFTER`` failures each try is delayed, after ``LOCK_AFTER`` the locator is locked.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction

from vangnet.intake.models import Contact, Receipt
from vangnet.lib import codes, throttle

SLOW_AFTER = 3
LOCK_AFTER = 6
LOCK_SECONDS = 30 * 60
SLOW_SECONDS = 1.0
# A retried submit (same idempotency key) may show the same code again within this window.
RESHOW_SECONDS = 15 * 60


def _derived_secret(idempotency_key: str) -> str:
    """The secret for a submit, derived from its idempotency key with the server pepper.

    Only the server can derive it, and only a client holding the form's key can make it show
    the code again — which is exactly the client whose first response may have been lost.
    """
    digest = hmac.new(
        settings.VANGNET_PEPPER, f"receipt|{idempotency_key}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(codes.SECRET_LENGTH):
        number, index = divmod(number, len(codes.ALPHABET))
        chars.append(codes.ALPHABET[index])
    return "".join(chars)


def issue(
    contact: Contact, idempotency_key: str | None = None, *, savepoint: bool = True
) -> codes.ReturnCode:
    """Create the receipt of a contact and return the code (shown to the visitor once).

    Locators are 40 random bits: a clash becomes plausible around a million codes, so a clash
    on the unique index draws a new locator (the secret stays the same). With
    ``savepoint=False`` the insert costs two statements less and a clash raises
    ``IntegrityError`` instead; the caller then retries its whole transaction (intake's
    ``submit_contact`` does).
    """
    secret = _derived_secret(idempotency_key) if idempotency_key else codes.generate().secret
    secret_hash = codes.hash_secret(secret, settings.VANGNET_PEPPER)
    if not savepoint:
        code = codes.from_parts(codes.generate().locator, secret)
        Receipt.objects.create(contact=contact, locator=code.locator, secret_hash=secret_hash)
        return code
    for _attempt in range(5):
        code = codes.from_parts(codes.generate().locator, secret)
        try:
            with transaction.atomic():
                Receipt.objects.create(
                    contact=contact, locator=code.locator, secret_hash=secret_hash
                )
        except IntegrityError:
            if Receipt.objects.filter(contact=contact).exists():
                raise
            continue
        return code
    raise RuntimeError("Could not find a free locator")


def reshow(contact: Contact, idempotency_key: str) -> codes.ReturnCode | None:
    """The code of a contact created moments ago by the same form (a double submit/retry)."""
    receipt = Receipt.objects.filter(contact=contact).first()
    if receipt is None or time.time() - receipt.created_at.timestamp() > RESHOW_SECONDS:
        return None
    code = codes.from_parts(receipt.locator, _derived_secret(idempotency_key))
    if not codes.verify_secret(receipt.secret_hash, code.secret, settings.VANGNET_PEPPER):
        return None
    return code


class CheckResult(StrEnum):
    OK = "ok"
    BAD_FORMAT = "bad_format"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Check:
    result: CheckResult
    contact: Contact | None = None
    locked_seconds: int = 0


_FAILURES = throttle.Limit("receipt", LOCK_AFTER, LOCK_SECONDS)


def check(raw: str) -> Check:
    try:
        parsed = codes.parse(raw)
    except codes.InvalidCodeFormat:
        return Check(CheckResult.BAD_FORMAT)
    locked = throttle.locked_for("receipt", parsed.locator)
    if locked:
        return Check(CheckResult.LOCKED, locked_seconds=locked)
    failures = throttle.count(_FAILURES, parsed.locator)
    if failures >= SLOW_AFTER:
        time.sleep(SLOW_SECONDS * (failures - SLOW_AFTER + 1))
    receipt = Receipt.objects.select_related("contact").filter(locator=parsed.locator).first()
    if receipt is None:
        codes.dummy_verify(settings.VANGNET_PEPPER)
        ok = False
    else:
        ok = codes.verify_secret(receipt.secret_hash, parsed.secret, settings.VANGNET_PEPPER)
    if ok and receipt is not None:
        throttle.reset(_FAILURES, parsed.locator)
        return Check(CheckResult.OK, receipt.contact)
    if throttle.hit(_FAILURES, parsed.locator) >= LOCK_AFTER:
        throttle.lock("receipt", LOCK_SECONDS, parsed.locator)
        return Check(CheckResult.LOCKED, locked_seconds=LOCK_SECONDS)
    return Check(CheckResult.WRONG)
