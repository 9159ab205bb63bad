"""An assessment's profile as inline SVG drawn on the server: a radar of the
areas and a bar chart, the same figures in both.

No script and nothing fetched: a chart is a few dozen SVG elements in the page
and in the printed report (WeasyPrint lays out the same markup). Each is an
image (``role="img"``) with a title and a description, and the page puts the
figures in a table beside it, so that neither colour nor the drawing is the
only way to read them. The previous assessment, when there is one, is drawn
dashed in a second colour (Okabe & Ito's blue and vermillion, each at least
3:1 against white) and named in the legend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from polo.assessments.definition import SCALE_MAX, SCALE_MIN

CURRENT = "#0072B2"
PREVIOUS = "#D55E00"
GRID = "#8a9096"
INK = "#1b1f23"
FONT = 12


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _wrap(text: str, width: int = 18) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:3] or [""]


def _description(labels: Sequence[str], series: Sequence[Series]) -> str:
    parts = []
    for entry in series:
        values = "; ".join(
            f"{label}: {_fmt(value)}" for label, value in zip(labels, entry.values, strict=True)
        )
        parts.append(f"{entry.label}. {values}.")
    return " ".join(parts)


def radar(labels: Sequence[str], series: Sequence[Series], *, title: str, uid: str) -> SafeString:
    """One axis per area from the centre (0) to the rim (4), rings at each
    level; each series a closed polygon (an unanswered area sits at 0)."""
    count = len(labels)
    if count < 3:
        return bar_chart(labels, series, title=title, uid=uid)
    width, height, cx, cy, radius = 560, 470, 280, 235, 150

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(value, SCALE_MAX)) / SCALE_MAX
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        format_html(
            '<svg class="assessment-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
            'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg" '
            'font-family="DejaVu Sans, Arial, sans-serif" font-size="{}">'
            '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
            width,
            height,
            width,
            height,
            uid,
            uid,
            FONT,
            uid,
            title,
            uid,
            _description(labels, series),
        )
    ]
    for level in range(SCALE_MIN, SCALE_MAX + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(count)))
        parts.append(
            format_html(
                '<polygon points="{}" fill="none" stroke="{}" stroke-width="{}"/>',
                ring,
                GRID,
                "1.2" if level == SCALE_MAX else "0.6",
            )
        )
        x, y = point(0, level)
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" font-size="10" dx="4">{}</text>',
                f"{x:.1f}",
                f"{y + 4:.1f}",
                INK,
                level,
            )
        )
    for index, label in enumerate(labels):
        x, y = point(index, SCALE_MAX)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.6"/>',
                cx,
                cy,
                f"{x:.1f}",
                f"{y:.1f}",
                GRID,
            )
        )
        lx, ly = point(index, SCALE_MAX + 0.55)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        lines = _wrap(label)
        top = ly - (len(lines) - 1) * 7 + 4
        tspans = mark_safe(
            "".join(
                format_html(
                    '<tspan x="{}" y="{}">{}</tspan>', f"{lx:.1f}", f"{top + n * 14:.1f}", line
                )
                for n, line in enumerate(lines)
            )
        )
        parts.append(format_html('<text text-anchor="{}" fill="{}">{}</text>', anchor, INK, tspans))
    styles = [(CURRENT, "0.18", ""), (PREVIOUS, "0", "6 4")]
    for entry, (colour, opacity, dash) in reversed(list(zip(series, styles, strict=False))):
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (point(i, value or 0) for i, value in enumerate(entry.values))
        )
        parts.append(
            format_html(
                '<polygon points="{}" fill="{}" fill-opacity="{}" stroke="{}" stroke-width="2.5"'
                "{}/>",
                points,
                colour,
                opacity,
                colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
            )
        )
        for i, value in enumerate(entry.values):
            if value is not None:
                x, y = point(i, value)
                parts.append(
                    format_html(
                        '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>',
                        f"{x:.1f}",
                        f"{y:.1f}",
                        colour,
                    )
                )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))


def bar_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, uid: str
) -> SafeString:
    """A bar per area (0 to 4), the value written at its end; the previous
    assessment as a thinner dashed bar under it."""
    label_width, bar_room, value_room = 230, 300, 50
    row = 22 if len(series) == 1 else 34
    top = 24
    width = label_width + bar_room + value_room
    height = top + row * len(labels) + 10
    parts = [
        format_html(
            '<svg class="assessment-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
            'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg" '
            'font-family="DejaVu Sans, Arial, sans-serif" font-size="{}">'
            '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
            width,
            height,
            width,
            height,
            uid,
            uid,
            FONT,
            uid,
            title,
            uid,
            _description(labels, series),
        )
    ]
    for level in range(0, SCALE_MAX + 1):
        x = label_width + bar_room * level / SCALE_MAX
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.6"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="10">{}</text>',
                f"{x:.1f}",
                top - 6,
                f"{x:.1f}",
                height - 6,
                GRID,
                f"{x:.1f}",
                top - 10,
                INK,
                level,
            )
        )
    for index, label in enumerate(labels):
        y = top + index * row
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                label_width - 8,
                f"{y + 14:.1f}",
                INK,
                short,
            )
        )
        for position, (entry, colour) in enumerate(zip(series, (CURRENT, PREVIOUS), strict=False)):
            value = entry.values[index]
            thickness = 14 if position == 0 else 8
            offset = 3 if position == 0 else 19
            length = bar_room * (value or 0) / SCALE_MAX
            dash = ' stroke-dasharray="4 3" fill-opacity="0.35"' if position else ""
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"{}/>'
                    '<text x="{}" y="{}" fill="{}" font-size="{}">{}</text>',
                    label_width,
                    f"{y + offset:.1f}",
                    f"{length:.1f}",
                    thickness,
                    colour,
                    colour,
                    mark_safe(dash),
                    f"{label_width + length + 4:.1f}",
                    f"{y + offset + thickness - 2:.1f}",
                    INK,
                    FONT if position == 0 else 10,
                    _fmt(value),
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))


def legend(series: Sequence[Series]) -> SafeString:
    items = [
        format_html(
            '<li><svg width="28" height="10" aria-hidden="true" focusable="false">'
            '<line x1="0" y1="5" x2="28" y2="5" stroke="{}" stroke-width="3"{}/></svg> {}</li>',
            colour,
            mark_safe(' stroke-dasharray="6 4"') if dash else "",
            entry.label,
        )
        for entry, (colour, dash) in zip(series, ((CURRENT, False), (PREVIOUS, True)), strict=False)
    ]
    return format_html(
        '<ul class="chart-legend" aria-label="{}">{}</ul>',
        _("Leyenda"),
        mark_safe("".join(str(i) for i in items)),
    )


def profile_charts(profile, *, uid: str = "perfil") -> dict[str, SafeString]:
    """The radar, the bar chart and their legend for a profile."""
    labels = [area.label for area in profile.areas]
    series = [Series(_("Este autodiagnóstico"), [area.score for area in profile.areas])]
    if profile.has_previous:
        series.append(
            Series(_("El autodiagnóstico anterior"), [area.previous for area in profile.areas])
        )
    title = _("Puntaje por área (de 1 a 4)")
    return {
        "radar": radar(labels, series, title=title, uid=f"{uid}-radar"),
        "bars": bar_chart(labels, series, title=title, uid=f"{uid}-barras"),
        "legend": legend(series),
    }
