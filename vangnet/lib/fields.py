# SPDX-License-Identifier: EUPL-1.2
"""Model fields that are encrypted at rest (envelope encryption from `vangnet.lib.crypto`).

The database column holds only the token; Python code sees the plaintext. The purpose string
(associated data) is ``<app_label>.<Model>.<field>``, fixed at class creation. Encrypted fields
cannot be filtered or ordered on: search happens on keyed hashes kept in separate columns.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from vangnet.lib import crypto


class EncryptedMixin:
    purpose: str

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        self.purpose = f"{cls._meta.app_label}.{cls.__name__}.{name}"

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Text encrypted at rest. Empty strings are stored as empty strings (nothing to hide)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt_str(value, self.purpose)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and crypto.is_token(value):
            return crypto.decrypt_str(value, self.purpose)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_str(str(value), self.purpose)


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A JSON value encrypted at rest as one token."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(crypto.decrypt_str(value, self.purpose))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and crypto.is_token(value):
            return json.loads(crypto.decrypt_str(value, self.purpose))
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt_str(json.dumps(value, cls=DjangoJSONEncoder), self.purpose)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and those fields' names (for key rotation)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if names:
            found.append((model, names))
    return found
