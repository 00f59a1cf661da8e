# SPDX-License-Identifier: EUPL-1.2
"""Checks on input that the forms and the actions share (dates, BSN, postcodes)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: A planned date (monitoring, review) may lie at most this far ahead.
MAX_PLANNING_AHEAD = timedelta(days=2 * 365)
#: A report registered late (e.g. a police report typed in afterwards): at most this long ago.
MAX_LATE_REGISTRATION = timedelta(days=31)
#: Dates of things that happened in this case: at most this long ago.
MAX_PAST_EVENT = timedelta(days=366)
OLDEST_PERSON_YEARS = 120


def today() -> date:
    return timezone.localdate()


def check_planned_date(value: date) -> None:
    """A date in the plan: today or later, and not absurdly far away."""
    if value < today():
        raise ValidationError(_("This date is in the past. Choose today or a later date."))
    if value > today() + MAX_PLANNING_AHEAD:
        raise ValidationError(_("This date is more than two years away. Check the year."))


def check_past_date(value: date) -> None:
    """A date on which something happened: not in the future, not more than a year ago."""
    if value > today():
        raise ValidationError(_("This date is in the future."))
    if value < today() - MAX_PAST_EVENT:
        raise ValidationError(_("This date is more than a year ago. Check the year."))


def check_received_at(value: datetime) -> None:
    now = timezone.now()
    if value > now + timedelta(minutes=5):
        raise ValidationError(_("The time of receipt is in the future."))
    if value < now - MAX_LATE_REGISTRATION:
        raise ValidationError(_("The time of receipt is more than a month ago. Check the date."))


def check_birth_date(value: date) -> None:
    if value > today():
        raise ValidationError(_("A date of birth cannot be in the future."))
    if value.year < today().year - OLDEST_PERSON_YEARS:
        raise ValidationError(_("This date of birth is more than 120 years ago."))


def valid_bsn(value: str) -> bool:
    """The BSN eleven test (elfproef): 9 digits, weighted sum divisible by 11."""
    digits = value.strip()
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def check_bsn(value: str) -> None:
    if value and not valid_bsn(value):
        raise ValidationError(_("This is not a valid citizen service number (BSN)."))
