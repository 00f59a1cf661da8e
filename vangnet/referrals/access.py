# SPDX-License-Identifier: EUPL-1.2
"""Who may see and do what in the referrals app: the only place that decides it.

- The help directory: every staff member may read it (they refer callers to it); only roles with
  ``Perm.MANAGE_DIRECTORY`` change it.
- Consent, legal grounds, referrals and police forwardings of a case belong to the organisation
  that holds the case (sender side). A receiving organisation sees a referral only once it has
  been approved and sent, and then only the snapshot of what was shared.

A missing object and a forbidden one give the same 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from vangnet.accounts.access import Perm, require
from vangnet.referrals.models import HelpEntry


def help_entry_for_manager(user: Any, slug: str) -> HelpEntry:
    require(user, Perm.MANAGE_DIRECTORY)
    entry = HelpEntry.objects.filter(slug=slug).first()
    if entry is None:
        raise Http404
    return entry
