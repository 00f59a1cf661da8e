# SPDX-License-Identifier: EUPL-1.2
"""The safety-score trend as inline SVG, drawn on the server (no JavaScript, CSP-safe).

The SVG is decorative for screen readers only in the sense that the same numbers are in a
table right below it; it still carries a title and a description (role="img"). All text is
escaped; only numbers we computed go into attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 36


def trend_svg(points: Sequence[tuple[date, int]], *, title: str, description: str) -> SafeString:
    """A line chart of scores 1-10 over time; an empty string when there are no scores."""
    if not points:
        return mark_safe("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        if len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first).days / span

    def y(score: int) -> float:
        return TOP + plot_h * (10 - score) / 9

    parts = [
        f'<svg class="vg-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="score-chart-title score-chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="score-chart-title">{escape(title)}</title>',
        f'<desc id="score-chart-desc">{escape(description)}</desc>',
    ]
    for score in (1, 4, 7, 10):
        yy = y(score)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
            'stroke="#bbbbbb" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{yy + 5:.1f}" text-anchor="end" font-size="14" '
            f'fill="#1a1a1a">{score}</text>'
        )
    coords = " ".join(f"{x(d):.1f},{y(s):.1f}" for d, s in points)
    if len(points) > 1:
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#00576b" stroke-width="3"/>')
    for d, s in points:
        parts.append(f'<circle cx="{x(d):.1f}" cy="{y(s):.1f}" r="5" fill="#00576b"/>')
        parts.append(
            f'<text x="{x(d):.1f}" y="{y(s) - 10:.1f}" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="#1a1a1a">{s}</text>'
        )
    for day in sorted({points[0][0], points[-1][0]}):
        parts.append(
            f'<text x="{x(day):.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="13" '
            f'fill="#1a1a1a">{day:%d-%m-%Y}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
