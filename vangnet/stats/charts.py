# SPDX-License-Identifier: EUPL-1.2
"""Bar charts as inline SVG, drawn on the server: no JavaScript, nothing inline for the CSP
(colours are SVG presentation attributes, not ``style``).

Each chart is an image with a title and a description (``role="img"``, ``aria-labelledby``);
the same numbers are in a table next to it, which is what a screen reader user reads. Only
published (protected) values reach a chart: a suppressed value gets no bar and the sign ".".
All text is escaped; attributes hold only numbers computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vangnet.stats.disclosure import SUPPRESSED

WIDTH = 640
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
GAP = 12
VALUE_SPACE = 72
INK = "#1a1a1a"
BAR = "#00576b"
AXIS = "#6b6b6b"


def bar_chart(
    bars: Sequence[tuple[str, int | None]], *, chart_id: str, title: str, description: str
) -> SafeString:
    """Horizontal bars, each with its label above it and its value after it."""
    if not bars:
        return mark_safe("")
    scale_max = max((value for _label, value in bars if value), default=0)
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = step * len(bars) + GAP
    usable = WIDTH - VALUE_SPACE
    ident = escape(chart_id)
    parts = [
        f'<svg class="vg-stats-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<line x1="0.5" y1="0" x2="0.5" y2="{height}" stroke="{AXIS}" stroke-width="1"/>',
    ]
    for index, (label, value) in enumerate(bars):
        top = GAP + index * step
        parts.append(
            f'<text x="4" y="{top + 14}" font-size="14" fill="{INK}">{escape(label)}</text>'
        )
        bar_top = top + LABEL_HEIGHT
        width = 0.0
        if value and scale_max:
            width = max(usable * value / scale_max, 2.0)
            parts.append(
                f'<rect x="1" y="{bar_top}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{BAR}"/>'
            )
        shown = SUPPRESSED if value is None else str(value)
        parts.append(
            f'<text x="{width + 8:.1f}" y="{bar_top + 14}" font-size="14" font-weight="bold" '
            f'fill="{INK}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
