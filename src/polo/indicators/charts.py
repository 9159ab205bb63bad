"""Charts and maps of an indicator, as inline SVG drawn on the server.

No script and nothing from a CDN: a chart is a few dozen SVG elements in the
page (and in the printed report, which WeasyPrint lays out from the same
markup). Each is an image (``role="img"``) with a title and a description,
and the page puts the same figures in a table beside it, so colour is never
the only cue and a screen reader reads the table.

- ``bar_chart``: one bar per group and round (the baseline first), the value
  written at the end of each bar; a suppressed figure is a short hatched bar
  with its reason written beside it.
- ``choropleth``: the municipalities coloured by their figure in one round,
  on the territory app's map (``territory.maps.render_map``), in five bands of
  a sequential palette that reads in grey scale and for the common colour-
  vision deficiencies (ColorBrewer YlGnBu); suppressed municipalities are
  hatched, those without responses stay neutral. The legend is HTML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _g

from polo.indicators.models import MUNICIPALITY, REGION
from polo.indicators.selectors import IndicatorView, Table, format_value
from polo.territory import maps

# Rounds: Okabe & Ito's blue, vermillion, green, purple, then black; each at
# least 3:1 against white (WCAG's non-text contrast), values written anyway.
ROUND_COLOURS = ("#0072B2", "#D55E00", "#007A5A", "#A6427A", "#222222")
BAND_FILLS = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
HATCH_INK = "#555555"
TEXT_INK = "#222222"
WIDTH = 640
LABEL_WIDTH = 190
VALUE_ROOM = 78  # right of the longest bar, for its value
BAR = 13
BAR_GAP = 3
GROUP_GAP = 10
FONT = 12
SUPPRESSED_BAR = 18
MAX_LABEL_CHARS = 30
MAP_CACHE_SECONDS = 60 * 60 * 24


def _id(*parts: str) -> str:
    return "c" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


def hatch_defs(pattern_id: str) -> SafeString:
    return format_html(
        '<defs><pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2.5"/></pattern></defs>',
        pattern_id,
        HATCH_INK,
    )


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(view: IndicatorView, table: Table, *, title: str, description: str) -> SafeString:
    """Horizontal bars: each row of the table, one bar per round."""
    if not table.rows:
        return mark_safe("")
    indicator = view.indicator
    columns = table.columns
    chart_id = _id(indicator.slug, table.breakdown, str(view.region and view.region.slug))
    hatch = f"{chart_id}-hatch"
    values = [f.value for row in table.rows for f in row.figures if f.value is not None]
    top = max([*values, 0.0])
    bottom = min([*values, 0.0])
    if indicator.is_percent:
        top = max(top, 100.0)
    span = (top - bottom) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM

    def x(value: float) -> float:
        return LABEL_WIDTH + (value - bottom) / span * plot

    legend_height = 22 if len(columns) > 1 else 0
    group = len(columns) * (BAR + BAR_GAP) - BAR_GAP
    height = legend_height + len(table.rows) * (group + GROUP_GAP) + 8
    parts: list[str] = [hatch_defs(hatch)]
    if len(columns) > 1:
        cursor = LABEL_WIDTH
        for i, column in enumerate(columns):
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="14" font-size="{}" fill="{}">{}</text>',
                    cursor,
                    ROUND_COLOURS[i % len(ROUND_COLOURS)],
                    cursor + 16,
                    FONT,
                    TEXT_INK,
                    column.name,
                )
            )
            cursor += 16 + 7 * len(column.name) + 18
    zero = x(0.0)
    y = legend_height + 4
    for row in table.rows:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                round(y + group / 2 + FONT / 2 - 2, 1),
                FONT,
                TEXT_INK,
                _short(row.label),
            )
        )
        for i, figure in enumerate(row.figures):
            bar_y = y + i * (BAR + BAR_GAP)
            text_y = round(bar_y + BAR - 2, 1)
            if figure.value is None:
                if figure.suppressed:
                    parts.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" '
                            'stroke="{}"/><text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                            round(zero, 1),
                            bar_y,
                            SUPPRESSED_BAR,
                            BAR,
                            hatch,
                            HATCH_INK,
                            round(zero + SUPPRESSED_BAR + 4, 1),
                            text_y,
                            FONT,
                            TEXT_INK,
                            figure.text,
                        )
                    )
                continue
            start, end = sorted((zero, x(figure.value)))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{}/>'
                    '<text x="{}" y="{}" font-size="{}" fill="{}">{}{}</text>',
                    round(start, 1),
                    bar_y,
                    max(round(end - start, 1), 1),
                    BAR,
                    ROUND_COLOURS[i % len(ROUND_COLOURS)],
                    mark_safe(' stroke="#000" stroke-dasharray="3 2"') if figure.exact else "",
                    round(end + 4, 1),
                    text_y,
                    FONT,
                    TEXT_INK,
                    figure.text,
                    " *" if figure.exact else "",
                )
            )
        y += group + GROUP_GAP
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            round(zero, 1),
            legend_height,
            round(zero, 1),
            height - 4,
            TEXT_INK,
        )
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="{}-title {}-desc" '
        'font-family="sans-serif"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        "{}</svg>",
        WIDTH,
        height,
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(str(p) for p in parts)),
    )


# --- The map ------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    label: str
    fill: str = ""
    hatched: bool = False


@dataclass
class Choropleth:
    svg: SafeString
    legend: list[LegendEntry]
    column_name: str
    hatch_id: str


def bands(view: IndicatorView) -> list[tuple[float, float]]:
    """Five equal bands: 0–100 for a percentage, else between the lowest and the
    highest figure shown by municipality in any round (the same bands for every
    round, so that maps of two rounds compare)."""
    if view.indicator.is_percent:
        return [(i * 20.0, (i + 1) * 20.0) for i in range(5)]
    table = view.table(MUNICIPALITY)
    values = [f.value for row in (table.rows if table else []) for f in row.figures]
    values = [v for v in values if v is not None]
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [(low, high)]
    step = (high - low) / 5
    return [(low + i * step, low + (i + 1) * step) for i in range(5)]


def band_index(value: float, limits: list[tuple[float, float]]) -> int:
    for i, (_low, high) in enumerate(limits):
        if value <= high:
            return i
    return len(limits) - 1


def map_municipalities(view: IndicatorView):
    """The municipalities drawn: all of the regions with figures (or of the one
    region the view is narrowed to), and any other municipality with figures."""
    from polo.territory.models import Municipality

    if view.region is not None:
        wanted = Q(region=view.region)
    else:
        region_keys = {c.key for c in view.cells if c.breakdown == REGION and c.key}
        codes = {c.key for c in view.cells if c.breakdown == MUNICIPALITY and c.key}
        wanted = Q(region__slug__in=region_keys) | Q(code__in=codes)
    return list(
        Municipality.objects.filter(wanted)
        .exclude(svg_path="")
        .only("code", "name", "svg_path", "bbox")
    )


def choropleth(view: IndicatorView, column: int, municipalities) -> Choropleth | None:
    table = view.table(MUNICIPALITY)
    if table is None or not municipalities:
        return None
    indicator = view.indicator
    column_name = table.columns[column].name if table.columns else ""
    limits = bands(view)
    by_code = {row.key: row.figures[column] for row in table.rows if row.key}
    map_id = _id("map", indicator.slug, str(column), str(view.region and view.region.slug))
    hatch = f"{map_id}-hatch"
    fills: dict[str, str] = {}
    shapes = []
    for municipality in municipalities:
        figure = by_code.get(municipality.code)
        if figure is None or (figure.value is None and not figure.suppressed):
            name = _g("%(name)s: sin respuestas") % {"name": municipality.name}
        elif figure.value is None:
            fills[municipality.code] = f"url(#{hatch})"
            name = f"{municipality.name}: {figure.note}"
        else:
            fills[municipality.code] = BAND_FILLS[band_index(figure.value, limits)]
            name = _g("%(name)s: %(value)s (%(n)s respuestas)") % {
                "name": municipality.name,
                "value": figure.text,
                "n": figure.size_text,
            }
        shapes.append(
            SimpleNamespace(
                code=municipality.code,
                name=name,
                svg_path=municipality.svg_path,
                bbox=municipality.bbox,
            )
        )
    title = _g("%(indicator)s por municipio, %(round)s") % {
        "indicator": indicator.name,
        "round": column_name,
    }
    description = _g(
        "Mapa de %(count)s municipios. El color indica la cifra de cada municipio en "
        "cinco rangos, del más claro (más bajo) al más oscuro (más alto); los municipios "
        "rayados tienen una cifra que no se publica por tener pocas respuestas, y los "
        "grises no tienen respuestas. La tabla por municipio tiene las mismas cifras."
    ) % {"count": len(shapes)}
    # Drawing a few hundred boundaries is most of a page's time, and the same map
    # is asked for again and again: keyed on everything drawn, it is drawn once.
    fingerprint = hashlib.sha1(repr((title, description, map_id, sorted(fills.items()))).encode())
    for shape in shapes:
        fingerprint.update(f"{shape.code}|{shape.name}|{shape.svg_path}".encode())
    key = f"indicators:map:{fingerprint.hexdigest()}"
    svg = cache.get(key)
    if svg is None:
        svg = maps.render_map(
            shapes, title=title, description=description, fills=fills, map_id=map_id
        )
        cache.set(key, str(svg), MAP_CACHE_SECONDS)
    if not svg:
        return None
    svg = mark_safe(svg.replace("</desc>", "</desc>" + hatch_defs(hatch), 1))
    legend = [
        LegendEntry(
            label=_g("%(low)s a %(high)s")
            % {
                "low": format_value(indicator, low),
                "high": format_value(indicator, high),
            },
            fill=fill,
        )
        for (low, high), fill in zip(limits, BAND_FILLS, strict=False)
    ]
    legend.append(
        LegendEntry(
            label=_g("No se publica (menos de %(n)s respuestas, o protección complementaria)")
            % {"n": indicator.min_cell},
            hatched=True,
        )
    )
    legend.append(LegendEntry(label=_g("Sin respuestas"), fill=maps.NEUTRAL_FILL))
    return Choropleth(svg=svg, legend=legend, column_name=column_name, hatch_id=hatch)
