# SPDX-License-Identifier: EUPL-1.2
"""Envelope encryption with key ids (AES-256-GCM, `cryptography`).

Each value gets its own random data key (DEK). The DEK encrypts the value; the key-encryption key
(KEK) named by a key id wraps the DEK. A token looks like::

    vg1.<kid>.<base64url(wrap_nonce | wrapped_dek)>.<base64url(nonce | ciphertext)>

The associated data binds a token to its purpose (e.g. ``intake.Contact.narrative``), so a
ciphertext copied into another column does not decrypt. Rotation re-encrypts under the first key
of the keyring; old keys stay in the ring until `vangnet keys rotate` has run (ADR 0003).
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "vg1"
NONCE_BYTES = 12


class CryptoError(Exception):
    """A token cannot be decrypted: unknown key id, damaged token or wrong purpose."""


class KeyringError(CryptoError):
    pass


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    """Key-encryption keys by id. The first one is primary: it encrypts; every key decrypts."""

    keys: dict[str, bytes]
    primary: str

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        keys: dict[str, bytes] = {}
        primary = ""
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            kid, sep, encoded = part.partition(":")
            if not sep or not kid.isalnum():
                raise KeyringError(
                    "VANGNET_KEYRING must look like 'kid1:base64key,kid0:base64key' "
                    "(key ids are letters and digits)."
                )
            try:
                key = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise KeyringError(f"Key {kid!r} in VANGNET_KEYRING is not valid base64.") from None
            if len(key) != 32:
                raise KeyringError(f"Key {kid!r} in VANGNET_KEYRING must be 32 bytes (AES-256).")
            if kid in keys:
                raise KeyringError(f"Key id {kid!r} appears twice in VANGNET_KEYRING.")
            keys[kid] = key
            primary = primary or kid
        if not keys:
            raise KeyringError("VANGNET_KEYRING holds no keys.")
        return cls(keys=keys, primary=primary)

    @staticmethod
    def generate_key() -> str:
        return base64.b64encode(os.urandom(32)).decode("ascii")


@cache
def _keyring_for(spec: str) -> Keyring:
    return Keyring.parse(spec)


def keyring() -> Keyring:
    from django.conf import settings

    return _keyring_for(settings.VANGNET_KEYRING)


def encrypt(plaintext: bytes, purpose: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    kek = ring.keys[ring.primary]
    dek = AESGCM.generate_key(bit_length=256)
    wrap_nonce = os.urandom(NONCE_BYTES)
    aad = f"{PREFIX}|{ring.primary}|{purpose}".encode()
    wrapped = AESGCM(kek).encrypt(wrap_nonce, dek, aad)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(dek).encrypt(nonce, plaintext, aad)
    return f"{PREFIX}.{ring.primary}.{_b64e(wrap_nonce + wrapped)}.{_b64e(nonce + ciphertext)}"


def key_id(token: str) -> str:
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise CryptoError("Not an encrypted token.")
    return parts[1]


def is_token(value: str) -> bool:
    return value.startswith(PREFIX + ".") and value.count(".") == 3


def decrypt(token: str, purpose: str, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise CryptoError("Not an encrypted token.")
    kid = parts[1]
    kek = ring.keys.get(kid)
    if kek is None:
        raise CryptoError(f"Key id {kid!r} is not in the keyring.")
    aad = f"{PREFIX}|{kid}|{purpose}".encode()
    try:
        wrapped = _b64d(parts[2])
        sealed = _b64d(parts[3])
        dek = AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        return AESGCM(dek).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError, binascii.Error):
        raise CryptoError("The token is damaged or belongs to another field.") from None


def encrypt_str(text: str, purpose: str) -> str:
    return encrypt(text.encode("utf-8"), purpose)


def decrypt_str(token: str, purpose: str) -> str:
    return decrypt(token, purpose).decode("utf-8")
