"""Accessible inline SVG maps drawn from the stored municipal boundaries.

No tiles and no JavaScript: each map is a small SVG in the page. Paths come
from Municipality.svg_path (projected with polo.territory.geo.project) and are
re-rounded to a grid that suits the map's size, so a state map stays light.

CSS classes, for the stylesheet (presentation attributes on the elements give
sensible defaults when it does not style them):

- ``map-svg``: every map's <svg>
- ``map-area``: a municipality; ``map-area-highlight``: the one a page is about
- ``map-point``: a point (a locality, an organisation)
- ``map-state``, ``map-region``, ``map-mesh``, ``map-label``, ``map-state-label``:
  the programme map's states, regions, municipal borders inside regions and labels
- ``map-legend``, ``map-swatch``: the programme map's legend (an HTML list)
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from polo.territory import geo

# Okabe & Ito's palette, safe for the common colour-vision deficiencies; the
# regions are numbered on the map as well, so colour is never the only cue.
REGION_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")
NEUTRAL_FILL = "#E8E4DA"
NEUTRAL_STROKE = "#77736A"
REGION_STROKE = "#222222"
STATE_STROKE = "#5B574F"
HIGHLIGHT_FILL = "#005F56"
POINT_FILL = "#B3261E"

# Map sizes, in projected units (1,000 per degree): a map is re-rounded so its
# longer side spans about this many grid steps, enough for a page-wide map.
TARGET_GRID = 900
PROGRAMME_GRID_FACTOR = 5  # the three states: ~1,600 x 1,100 steps
PROGRAMME_TOLERANCE = 1.0  # Douglas–Peucker, in grid steps (well under a pixel)
CACHE_SECONDS = 60 * 60 * 24
_VERSION_KEY = "territory:map-version"


@dataclass(frozen=True)
class MapPoint:
    """A point placed on a map: x, y in projected units (geo.project)."""

    x: float
    y: float
    label: str
    href: str = ""


def region_colour(position: int) -> str:
    """The colour of the region at 1-based `position` in the programme's order."""
    return REGION_PALETTE[(max(position, 1) - 1) % len(REGION_PALETTE)]


def invalidate_cache() -> None:
    """Forget cached maps (the loader calls this after changing boundaries)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _version() -> str:
    return cache.get_or_set(_VERSION_KEY, uuid.uuid4().hex, None)


# --- Generic map -----------------------------------------------------------


def render_map(
    municipalities: Iterable[Any],
    *,
    title: str,
    description: str,
    fills: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    highlight: str | Iterable[str] | None = None,
    points: Iterable[MapPoint] = (),
    view_box: list[float] | None = None,
    map_id: str | None = None,
) -> SafeString:
    """An inline SVG of municipalities (objects with code, name, svg_path, bbox).

    `fills` maps a municipality code to a colour, `links` to a URL, `highlight`
    names the municipalities the page is about; `view_box` ([minx, miny, maxx,
    maxy] in projected units) crops the map to a window. Municipalities without a
    boundary are skipped. With links the SVG is a labelled group (links inside
    an image would be hidden from assistive technology); without, an image.
    """
    shapes = [m for m in municipalities if m.svg_path and m.bbox]
    if not shapes:
        return mark_safe("")
    fills = fills or {}
    links = links or {}
    highlighted = {highlight} if isinstance(highlight, str) else set(highlight or ())
    points = list(points)

    box = view_box or _union_box([m.bbox for m in shapes] + [[p.x, p.y, p.x, p.y] for p in points])
    factor = max(1, round(max(box[2] - box[0], box[3] - box[1]) / TARGET_GRID))
    map_id = (
        map_id
        or "map-" + hashlib.sha1((title + "".join(m.code for m in shapes)).encode()).hexdigest()[:8]
    )

    body: list[str] = []
    for municipality in shapes:
        rings = _collinear_free(geo.rescale_rings(geo.parse_path(municipality.svg_path), factor))
        if not rings:
            continue
        is_highlight = municipality.code in highlighted
        classes = "map-area map-area-highlight" if is_highlight else "map-area"
        fill = fills.get(municipality.code) or (HIGHLIGHT_FILL if is_highlight else "")
        path = format_html(
            '<path class="{}"{} d="{}"><title>{}</title></path>',
            classes,
            format_html(' fill="{}"', fill) if fill else "",
            geo.svg_path(rings),
            municipality.name,
        )
        href = links.get(municipality.code)
        if href:
            path = format_html('<a href="{}" aria-label="{}">{}</a>', href, municipality.name, path)
        body.append(path)
    radius = max(2, round(max(box[2] - box[0], box[3] - box[1]) / factor / 120))
    for point in points:
        circle = format_html(
            '<circle class="map-point" cx="{}" cy="{}" r="{}" fill="{}"><title>{}</title></circle>',
            round(point.x / factor),
            round(point.y / factor),
            radius,
            POINT_FILL,
            point.label,
        )
        if point.href:
            circle = format_html(
                '<a href="{}" aria-label="{}">{}</a>', point.href, point.label, circle
            )
        body.append(circle)

    interactive = bool(links) or any(p.href for p in points)
    return _svg(
        box,
        factor,
        map_id=map_id,
        title=title,
        description=description,
        body="".join(body),
        role="group" if interactive else "img",
    )


def _svg(
    box: list[float],
    factor: int,
    *,
    map_id: str,
    title: str,
    description: str,
    body: str,
    role: str,
    extra_class: str = "",
) -> SafeString:
    minx, miny = int(box[0] // factor), int(box[1] // factor)
    width = int(box[2] // factor) - minx + 1
    height = int(box[3] // factor) - miny + 1
    margin = max(2, round(max(width, height) / 100))
    stroke = max(width, height) / 900
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="map-svg{}" viewBox="{} {} {} {}" '
        'role="{}" aria-labelledby="{}-title {}-desc" fill="{}" stroke="{}" '
        'stroke-width="{}" stroke-linejoin="round" fill-rule="evenodd" '
        'preserveAspectRatio="xMidYMid meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        f" {extra_class}" if extra_class else "",
        minx - margin,
        miny - margin,
        width + 2 * margin,
        height + 2 * margin,
        role,
        map_id,
        map_id,
        NEUTRAL_FILL,
        NEUTRAL_STROKE,
        f"{stroke:.2f}".rstrip("0").rstrip("."),
        map_id,
        title,
        map_id,
        description,
        mark_safe(body),
    )


def _union_box(boxes: list[list[float]]) -> list[float]:
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]


def _collinear_free(rings: list[list[geo.IntPoint]]) -> list[list[geo.IntPoint]]:
    """Drop points that lie on the straight line between their neighbours."""
    out = []
    for ring in rings:
        kept = [
            point
            for i, point in enumerate(ring)
            if (point[0] - ring[i - 1][0]) * (ring[(i + 1) % len(ring)][1] - point[1])
            != (point[1] - ring[i - 1][1]) * (ring[(i + 1) % len(ring)][0] - point[0])
        ]
        if len(kept) >= 3:
            out.append(kept)
    return out


# --- The programme map (home page) -------------------------------------------

PROGRAMME_STATES = ("12", "20", "21")


def region_positions() -> dict[int, int]:
    """Each region's 1-based place in the programme's order: its number and colour."""
    from polo.territory.models import Region

    return {pk: i for i, pk in enumerate(Region.objects.values_list("pk", flat=True), start=1)}


def programme_map_svg(states: Iterable[str] = PROGRAMME_STATES) -> SafeString:
    """The states (the programme's three by default), the regions in colour, a legend.

    Returns a <figure class="map-figure"> holding the SVG and, as its caption, the
    legend as an HTML list whose numbers match the numbers on the map. Empty when
    no boundary is loaded. Cached under a key that changes whenever a region, its
    order or name, or a municipality's region changes (two small queries), and
    whenever `polo load-territory` runs.
    """
    from polo.territory.models import Municipality

    states = tuple(sorted(states))
    positions = region_positions()
    members = list(
        Municipality.objects.filter(region__isnull=False)
        .order_by("code")
        .values_list("code", "region_id", "region__slug", "region__name")
    )
    fingerprint = hashlib.sha1(repr((positions, members)).encode()).hexdigest()[:16]
    key = f"territory:map:{_version()}:{get_language()}:{'-'.join(states)}:{fingerprint}"
    html = cache.get(key)
    if html is None:
        html = _programme_map(states, positions, members)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)


def _programme_map(states: tuple[str, ...], positions: dict[int, int], members: list) -> str:
    from polo.territory.models import Municipality, State

    shapes = {
        code: geo.rescale_rings(geo.parse_path(path), PROGRAMME_GRID_FACTOR)
        for code, path in Municipality.objects.filter(state__code__in=states)
        .exclude(svg_path="")
        .values_list("code", "svg_path")
    }
    shapes = {code: rings for code, rings in shapes.items() if rings}
    if not shapes:
        return ""
    state_names = dict(State.objects.filter(code__in=states).values_list("code", "name"))
    regions: dict[int, dict[str, Any]] = {}
    for code, region_id, slug, name in members:
        if code in shapes:
            region = regions.setdefault(region_id, {"slug": slug, "name": name, "codes": []})
            region["codes"].append(code)
    ordered = sorted(regions.items(), key=lambda item: positions.get(item[0], 0))
    in_regions = {code for region in regions.values() for code in region["codes"]}

    state_paths, labels = [], []
    for state_code in states:
        state_shapes = [rings for code, rings in shapes.items() if code[:2] == state_code]
        if not state_shapes:
            continue
        name = state_names.get(state_code, state_code)
        state_paths.append(
            format_html(
                '<path class="map-state" stroke="{}" stroke-width="2.5" d="{}"><title>{}</title>'
                "</path>",
                STATE_STROKE,
                geo.svg_path(_outline(state_shapes)),
                name,
            )
        )
        if len(states) > 1:
            # Named where no region number is: among the state's other municipalities.
            rest = [
                rings
                for code, rings in shapes.items()
                if code[:2] == state_code and code not in in_regions
            ]
            point = geo.label_point([_outline(rest or state_shapes)])
            if point:
                labels.append(
                    format_html(
                        '<text class="map-state-label" x="{}" y="{}" text-anchor="middle" '
                        'font-size="30" stroke="#fff" stroke-width="5" paint-order="stroke">'
                        "{}</text>",
                        round(point[0]),
                        round(point[1]),
                        name,
                    )
                )

    region_paths, legend = [], []
    inner: set[geo.Edge] = set()
    for region_id, region in ordered:
        position = positions.get(region_id, 0)
        colour = region_colour(position)
        region_shapes = [shapes[code] for code in region["codes"]]
        outline = _outline(region_shapes)
        region_paths.append(
            format_html(
                '<path class="map-region map-region-{}" fill="{}" stroke="{}" d="{}">'
                "<title>{}. {}</title></path>",
                position,
                colour,
                REGION_STROKE,
                geo.svg_path(outline),
                position,
                region["name"],
            )
        )
        inner |= geo.inner_edges(region_shapes)
        point = geo.label_point([outline])
        if point:
            x, y = round(point[0]), round(point[1])
            labels.append(
                format_html(
                    '<g class="map-label"><circle cx="{}" cy="{}" r="14" fill="#fff" '
                    'stroke="{}" stroke-width="1.5"/><text x="{}" y="{}" text-anchor="middle" '
                    'dominant-baseline="central">{}</text></g>',
                    x,
                    y,
                    REGION_STROKE,
                    x,
                    y,
                    position,
                )
            )
        count = len(region["codes"])
        legend.append(
            format_html(
                '<li><svg class="map-swatch" width="16" height="16" viewBox="0 0 16 16" '
                'aria-hidden="true" focusable="false"><rect x=".5" y=".5" width="15" '
                'height="15" fill="{}" stroke="{}"/></svg> {}. <a href="{}">{}</a> '
                '<span class="muted">({})</span></li>',
                colour,
                REGION_STROKE,
                position,
                reverse("territory:region", args=[region["slug"]]),
                region["name"],
                ngettext("%(count)d municipio", "%(count)d municipios", count) % {"count": count},
            )
        )
    mesh = [geo.simplify_line(line, PROGRAMME_TOLERANCE) for line in geo.chain_lines(inner)]
    body = [
        *state_paths,
        *region_paths,
        format_html(
            '<path class="map-mesh" fill="none" stroke="{}" stroke-opacity=".5" d="{}"/>',
            REGION_STROKE,
            geo.svg_polylines(mesh),
        ),
        format_html('<g stroke="none" fill="#222" font-size="{}">', 22),
        *labels,
        mark_safe("</g>"),
    ]

    place = ", ".join(state_names.get(code, code) for code in states)
    names = "; ".join(f"{positions.get(pk, 0)}. {r['name']}" for pk, r in ordered)
    if ordered:
        description = _(
            "Mapa de %(place)s. En color y numeradas, las regiones del programa: %(regions)s."
        ) % {"place": place, "regions": names}
    else:
        description = _("Mapa de %(place)s.") % {"place": place}
    box = geo.bbox([ring for rings in shapes.values() for ring in rings])
    assert box is not None
    svg = _svg(
        box,
        1,  # the shapes are already on the programme map's grid
        map_id="map-" + "-".join(states),
        title=_("Regiones del programa en %(place)s") % {"place": place},
        description=description,
        body="".join(str(part) for part in body),
        role="img",
        extra_class="programme-map",
    )
    caption = (
        format_html(
            '<figcaption><p>{}</p><ul class="map-legend">{}</ul></figcaption>',
            _("Regiones del programa"),
            mark_safe("".join(legend)),
        )
        if legend
        else ""
    )
    return str(format_html('<figure class="map-figure">{}{}</figure>', svg, caption))


def _outline(shapes: list[list[list[geo.IntPoint]]]) -> list[list[geo.IntPoint]]:
    """The simplified outline of the union of shapes (a state, a region)."""
    rings = geo.chain_rings(geo.outline_edges(shapes))
    return [simple for ring in rings if (simple := geo.simplify_ring(ring, PROGRAMME_TOLERANCE))]
