# SPDX-License-Identifier: EUPL-1.2
"""Render a shared snapshot (plain JSON data) as accessible HTML, escaping everything."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, key)


def _html(value: Any) -> SafeString:
    if isinstance(value, dict):
        if not value:
            return mark_safe("<p>–</p>")
        rows = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((k, _html(v)) for k, v in sorted(value.items()))
        )
        return format_html('<dl class="vg-facts">{}</dl>', rows)
    if isinstance(value, list):
        if not value:
            return mark_safe("<p>–</p>")
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((_html(v),) for v in value))
        )
    if value is None or value == "":
        return mark_safe("–")
    return format_html("{}", value)


@register.simple_tag
def render_value(value: Any) -> SafeString:
    return _html(value)
