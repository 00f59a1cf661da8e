# SPDX-License-Identifier: EUPL-1.2
"""Demo figures: count and publish the current and the previous half-year, so the figures pages
show something after ``vangnet demo``. Idempotent (a publication is rebuilt, not added).

To be listed last in ``OPTIONAL_DEMO_MODULES`` (after the intake and case demos it counts)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from vangnet.stats.periods import half_year_of
from vangnet.stats.publish import build
from vangnet.stats.refresh import refresh


def load(say: Callable[[str], None]) -> None:
    current = half_year_of(timezone.now())
    for period in (current.previous(), current):
        refresh(period)
        build(period)
    say(f"Figures: published {current.previous().code} and {current.code} (see /figures).")
