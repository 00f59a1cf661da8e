# SPDX-License-Identifier: EUPL-1.2
"""Demo data for the referrals app (idempotent): the help directory."""

from __future__ import annotations

from collections.abc import Callable

from vangnet.referrals import directory


def load(say: Callable[[str], None]) -> None:
    result = directory.load()
    say(f"Help directory: {result.created} new, {result.updated} updated, {result.kept} kept.")
