# SPDX-License-Identifier: EUPL-1.2
"""Readable labels for case-history lines, whichever app wrote them.

Apps that write ``CaseEvent`` rows declare ``HISTORY_LABELS`` in ``vangnet/<app>/history.py``;
an action without a label is shown as words rather than a code name.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django import template
from django.utils.functional import Promise

register = template.Library()
HISTORY_APPS = ["cases", "referrals"]


@cache
def _labels() -> dict[str, Promise]:
    labels: dict[str, Promise] = {}
    for app in HISTORY_APPS:
        try:
            module = import_module(f"vangnet.{app}.history")
        except ModuleNotFoundError as exc:
            if exc.name != f"vangnet.{app}.history":
                raise
            continue
        labels.update(module.HISTORY_LABELS)
    return labels


@register.filter
def action_label(action: str) -> str:
    label = _labels().get(action)
    return str(label) if label is not None else action.replace("_", " ").capitalize()
