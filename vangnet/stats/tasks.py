# SPDX-License-Identifier: EUPL-1.2
"""Scheduled statistics work (to be listed in ``vangnet.lib.schedule.JOBS``, see ADR 0050)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from vangnet.stats.periods import half_year_of
from vangnet.stats.publish import build
from vangnet.stats.refresh import refresh


@task()
def refresh_recent() -> int:
    """Rebuild and republish the current and the previous half-year (figures of a half-year
    keep changing for a while: late registrations, investigations that end later)."""
    current = half_year_of(timezone.now())
    done = 0
    for period in (current.previous(), current):
        refresh(period)
        build(period)
        done += 1
    return done
