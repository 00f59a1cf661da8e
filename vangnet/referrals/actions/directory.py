# SPDX-License-Identifier: EUPL-1.2
"""Changes to the help directory."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from vangnet.accounts.access import Perm, require
from vangnet.referrals.models import HelpEntry


def save_help_entry(user: Any, form: Any) -> HelpEntry:
    """Create or change a directory entry from a valid ``HelpEntryForm``.

    The entry is marked as edited by staff, so a later seed never overwrites it. The directory
    holds no personal data, so this is not a processing activity in the audit log; who changed
    what last is kept on the entry itself.
    """
    require(user, Perm.MANAGE_DIRECTORY)
    with transaction.atomic():
        entry: HelpEntry = form.save(commit=False)
        entry.edited_at = timezone.now()
        entry.edited_by = user
        entry.save()
    return entry
