# SPDX-License-Identifier: EUPL-1.2
"""Who sees which statistics (architecture principle 3: decided here only).

* Everyone, without logging in: the **published** figures (protected; :mod:`publish`).
* A statistician (``Perm.VIEW_STATISTICS``) also sees the **raw** counts and the validation
  summary: of their own region when they work for a Veilig Thuis region, nationally when they
  work for the national meldpunt. Other organisations have no statistics scope.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from vangnet.accounts.access import Perm, require
from vangnet.accounts.models import OrganisationType
from vangnet.stats.cube import COUNTRY


def statistics_scope(user: Any) -> str:
    """The area whose raw counts ``user`` may see: a region code, or ``NL`` for all."""
    require(user, Perm.VIEW_STATISTICS)
    organisation = user.organisation
    if organisation.type == OrganisationType.VT_REGION:
        return str(organisation.code)
    if organisation.type == OrganisationType.NATIONAL_MELDPUNT:
        return COUNTRY
    raise Http404
