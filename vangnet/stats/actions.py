# SPDX-License-Identifier: EUPL-1.2
"""Actions of the statistics app: recording care with its funding stream, and (re)publishing.

``record_care_activity`` is the one way to register care delivered in a case. The case pages are
the natural place for its form; until the case app has one, this is the public function it (or
any import) calls. It checks access itself, so a caller cannot forget to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.access import Perm, require, same_organisation_or_404
from vangnet.audit.log import Actor, record
from vangnet.stats.models import CareActivity, CareActivityKind, CareUnit, FundingStream
from vangnet.stats.periods import Period
from vangnet.stats.publish import build
from vangnet.stats.refresh import refresh

ACTIVITY_CASE_WORK = "vg-004-case-work"
MAX_UNITS = Decimal("1000")


class Refused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def record_care_activity(
    user: Any,
    case: Any,
    *,
    kind: str,
    funding_stream: str,
    performed_on: date,
    units: Decimal | str | int,
    unit: str,
    funder_code: str = "",
    person: Any = None,
    provider: Any = None,
) -> CareActivity:
    """Register care delivered in ``case`` once, with its funding stream."""
    require(user, Perm.EDIT_CASE)
    same_organisation_or_404(user, case.organisation_id)
    if person is not None and person.case_id != case.pk:
        raise Http404
    if kind not in CareActivityKind.values or unit not in CareUnit.values:
        raise Refused(_("Choose one of the options shown."))
    if funding_stream not in FundingStream.values:
        raise Refused(_("Choose the funding stream."))
    try:
        amount = Decimal(str(units))
    except InvalidOperation:
        raise Refused(_("Give the amount as a number.")) from None
    if not Decimal(0) < amount <= MAX_UNITS or amount != amount.quantize(Decimal("0.01")):
        raise Refused(_("Give an amount above 0 and at most 1000, with at most two decimals."))
    if performed_on > timezone.localdate():
        raise Refused(_("Care cannot be registered before it is given."))
    funder_code = funder_code.strip().upper()
    if funder_code and (len(funder_code) > 12 or not funder_code.replace("-", "").isalnum()):
        raise Refused(_("The funder code has at most 12 letters and digits."))
    with transaction.atomic():
        activity = CareActivity.objects.create(
            case=case,
            person=person,
            kind=kind,
            funding_stream=funding_stream,
            funder_code=funder_code,
            provider=provider or user.organisation,
            performed_on=performed_on,
            units=amount,
            unit=unit,
            recorded_at=timezone.now(),
            recorded_by=user,
        )
        record(
            actor=Actor.staff(user),
            action="care_activity_recorded",
            activity=ACTIVITY_CASE_WORK,
            obj=activity,
            details={"case": case.pk, "stream": funding_stream, "kind": kind},
        )
    return activity


def republish(user: Any, period: Period) -> Any:
    """A statistician rebuilds the counts and the protected figures of one half-year."""
    require(user, Perm.VIEW_STATISTICS)
    refresh(period)
    return build(period, user=user)
