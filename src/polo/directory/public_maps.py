"""The directory's map: the same search as the list, drawn on the municipal
boundaries, with no tile server and no JavaScript.

Zoomed out, each municipality is coloured by how many of the organisations
found have their seat there (a choropleth, with a legend and the same figures
in a table); on top, markers: an organisation with coordinates is a dot linking
to its profile, and organisations that would crowd one another are grouped in
one numbered marker per cell of a grid (those without coordinates are placed
at their municipality's label point). The map frames the municipalities with
results, so a search narrowed to a region or a municipality zooms in.

Three queries: counts per municipality, the boundaries of the states involved,
and the markers grouped by grid cell in the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from django.db.models import Avg, Count, FloatField, Max, Min, Q, Value
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polo.directory.facets import search_url
from polo.directory.selectors import DirectoryFilters, organization_search
from polo.territory import geo, maps
from polo.territory.models import Municipality

# Counts per municipality in five bands, on a sequential palette that reads in
# grey scale and for the common colour-vision deficiencies (ColorBrewer YlGnBu);
# the table and each area's title carry the figures, so colour is never the only cue.
BANDS: tuple[tuple[int, int | None], ...] = ((1, 1), (2, 3), (4, 9), (10, 24), (25, None))
BAND_FILLS = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
COVERAGE_FILL = "#A1DAB4"
MARKER_FILL = maps.POINT_FILL
GRID_CELLS = 28  # markers: the map's longer side cut into this many cells
WINDOW_MARGIN = 0.08  # around the municipalities with results
MIN_WINDOW = 120.0  # projected units (about 13 km): a single small municipality
MAX_TABLE_ROWS = 600  # every municipality of Oaxaca, the largest state


@dataclass(frozen=True)
class MunicipalityCount:
    code: str
    name: str
    state: str
    count: int
    list_url: str
    band: int  # index in BANDS


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    label: str


@dataclass
class DirectoryMap:
    svg: SafeString
    legend: list[LegendEntry]
    rows: list[MunicipalityCount]
    total: int  # organisations found
    hidden_rows: int = 0  # municipalities left out of the table (past MAX_TABLE_ROWS)
    unmapped: int = 0  # organisations whose municipality has no boundary loaded
    markers: int = 0
    grouped: int = 0  # markers that stand for several organisations
    states: list[str] = field(default_factory=list)


def band_of(count: int) -> int:
    for index, (low, high) in enumerate(BANDS):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def legend() -> list[LegendEntry]:
    entries = []
    for (low, high), fill in zip(BANDS, BAND_FILLS, strict=True):
        if high is None:
            label = _("%(n)s o más organizaciones") % {"n": low}
        elif low == high:
            label = ngettext("%(n)s organización", "%(n)s organizaciones", low) % {"n": low}
        else:
            label = _("%(low)s a %(high)s organizaciones") % {"low": low, "high": high}
        entries.append(LegendEntry(fill=fill, label=label))
    return entries


def directory_map(filters: DirectoryFilters, *, map_path: str, list_path: str) -> DirectoryMap:
    search = organization_search(filters).order_by()
    counts: dict[int, tuple[int, int]] = {}
    # The one organisation without coordinates, where a municipality has just one.
    unlocated: dict[int, tuple[int, str]] = {}
    state_ids: set[int] = set()
    located_q = Q(latitude__isnull=False, longitude__isnull=False)
    for municipality_id, state_id, count, located, pk, name in search.values_list(
        "municipality_id", "municipality__state_id"
    ).annotate(
        n=Count("pk"),
        located=Count("pk", filter=located_q),
        some_pk=Min("pk", filter=~located_q),
        some_name=Min("name", filter=~located_q),
    ):
        counts[municipality_id] = (count, located)
        state_ids.add(state_id)
        if count - located == 1:
            unlocated[municipality_id] = (pk, name)
    total = sum(count for count, _located in counts.values())
    if not counts:
        return DirectoryMap(svg=mark_safe(""), legend=legend(), rows=[], total=0)

    municipalities = list(
        Municipality.objects.filter(state_id__in=state_ids)
        .select_related("state")
        .only(
            "code", "name", "svg_path", "bbox", "label_point", "state__name", "state__abbreviation"
        )
    )
    found = [m for m in municipalities if m.pk in counts]
    rows = sorted(
        (
            MunicipalityCount(
                code=m.code,
                name=m.name,
                state=m.state.abbreviation or m.state.name,
                count=counts[m.pk][0],
                list_url=search_url(list_path, replace(filters, municipality=(m.code,))),
                band=band_of(counts[m.pk][0]),
            )
            for m in found
        ),
        key=lambda row: (-row.count, row.name.casefold(), row.code),
    )
    result = DirectoryMap(
        svg=mark_safe(""),
        legend=legend(),
        rows=rows[:MAX_TABLE_ROWS],
        total=total,
        hidden_rows=max(0, len(rows) - MAX_TABLE_ROWS),
        unmapped=sum(counts[m.pk][0] for m in found if not (m.svg_path and m.bbox)),
        states=sorted({m.state.name for m in found}),
    )
    window = _window([m.bbox for m in found if m.svg_path and m.bbox])
    if window is None:
        return result

    drawn = [m for m in municipalities if m.svg_path and m.bbox and _overlaps(m.bbox, window)]
    shapes = []
    fills: dict[str, str] = {}
    links: dict[str, str] = {}
    for m in drawn:
        count = counts.get(m.pk, (0, 0))[0]
        title = m.name
        if count:
            title = ngettext(
                "%(name)s: %(n)s organización", "%(name)s: %(n)s organizaciones", count
            ) % {"name": m.name, "n": count}
            fills[m.code] = BAND_FILLS[band_of(count)]
            # A municipality on the map zooms in to it; once alone, to its list.
            zoomed = filters.municipality == (m.code,)
            links[m.code] = search_url(
                list_path if zoomed else map_path, replace(filters, municipality=(m.code,))
            )
        shapes.append(SimpleNamespace(code=m.code, name=title, svg_path=m.svg_path, bbox=m.bbox))

    markers = _markers(search, window, found, counts, unlocated, filters, list_path=list_path)
    result.markers = len(markers)
    result.grouped = sum(1 for marker in markers if marker.count > 1 or not marker.href)
    names = ", ".join(result.states)
    svg = maps.render_map(
        shapes,
        title=_("Organizaciones del directorio por municipio"),
        description=_(
            "Mapa de %(count)d municipios de %(states)s. El color de cada municipio indica "
            "cuántas organizaciones de esta búsqueda tienen ahí su sede, como en la tabla. Los "
            "círculos marcan organizaciones; los que llevan número agrupan varias cercanas."
        )
        % {"count": len(shapes), "states": names},
        fills=fills,
        links=links,
        highlight=[code for code in filters.municipality if code in fills],
        view_box=window,
        map_id="directory-map",
    )
    result.svg = _with_markers(svg, markers, window)
    return result


def _window(boxes: list[list[float]]) -> list[float] | None:
    """The frame around the municipalities with results, with a margin."""
    if not boxes:
        return None
    minx = min(b[0] for b in boxes)
    miny = min(b[1] for b in boxes)
    maxx = max(b[2] for b in boxes)
    maxy = max(b[3] for b in boxes)
    side = max(maxx - minx, maxy - miny, MIN_WINDOW)
    margin = side * WINDOW_MARGIN
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w = max(maxx - minx, MIN_WINDOW) / 2 + margin
    half_h = max(maxy - miny, MIN_WINDOW) / 2 + margin
    return [cx - half_w, cy - half_h, cx + half_w, cy + half_h]


def _overlaps(box: list[float], window: list[float]) -> bool:
    return (
        box[0] <= window[2] and box[2] >= window[0] and box[1] <= window[3] and box[3] >= window[1]
    )


@dataclass
class Marker:
    x: float
    y: float
    count: int
    label: str
    href: str = ""


@dataclass
class _Cell:
    count: int = 0
    sum_x: float = 0.0
    sum_y: float = 0.0
    municipalities: set[str] = field(default_factory=set)
    single: tuple[int, str] | None = None  # (pk, name) of an organisation in it

    def add(self, x: float, y: float, count: int, municipalities: Iterable[str]) -> None:
        self.count += count
        self.sum_x += x * count
        self.sum_y += y * count
        self.municipalities.update(municipalities)


def _markers(
    search,
    window: list[float],
    found: list[Municipality],
    counts: dict[int, tuple[int, int]],
    unlocated: dict[int, tuple[int, str]],
    filters: DirectoryFilters,
    *,
    list_path: str,
) -> list[Marker]:
    """Organisations as markers, grouped by the cell of a grid over the window.

    Those with coordinates are grouped in the database (one row per cell, never
    one per organisation); those without sit at their municipality's label point.
    """
    cell = max(window[2] - window[0], window[3] - window[1]) / GRID_CELLS
    lon0, lat0 = geo.unproject(window[0], window[1])
    lon_step = geo.unproject(window[0] + cell, window[1])[0] - lon0
    lat_step = lat0 - geo.unproject(window[0], window[1] + cell)[1]
    as_float = FloatField()
    grouped = (
        search.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(
            cell_x=Floor(
                (Cast("longitude", as_float) - Value(lon0, as_float)) / Value(lon_step, as_float)
            ),
            cell_y=Floor(
                (Value(lat0, as_float) - Cast("latitude", as_float)) / Value(lat_step, as_float)
            ),
        )
        .values_list("cell_x", "cell_y")
        .annotate(
            n=Count("pk"),
            lon=Avg(Cast("longitude", as_float)),
            lat=Avg(Cast("latitude", as_float)),
            first_pk=Min("pk"),
            first_name=Min("name"),
            first_municipality=Min("municipality__code"),
            last_municipality=Max("municipality__code"),
        )
        .order_by()
    )
    cells: dict[tuple[int, int], _Cell] = {}
    for cx, cy, n, lon, lat, pk, name, first_m, last_m in grouped:
        if not (0 <= cx < GRID_CELLS and 0 <= cy < GRID_CELLS):
            continue  # far from the seats of the results: not on this map
        x, y = geo.project(lon, lat)
        target = cells.setdefault((int(cx), int(cy)), _Cell())
        target.add(x, y, n, {first_m, last_m})
        if n == 1:
            target.single = (pk, name)
    for m in found:
        count, located = counts[m.pk]
        if count > located and m.label_point:
            x, y = m.label_point
            key = (math.floor((x - window[0]) / cell), math.floor((y - window[1]) / cell))
            target = cells.setdefault(key, _Cell())
            target.add(x, y, count - located, {m.code})
            if m.pk in unlocated:
                target.single = unlocated[m.pk]

    names = {m.code: m.name for m in found}
    markers = []
    for item in cells.values():
        x, y = item.sum_x / item.count, item.sum_y / item.count
        if item.count == 1 and item.single:
            pk, name = item.single
            markers.append(Marker(x, y, 1, name, reverse("directory:organization", args=[pk])))
            continue
        href = ""
        label = ngettext(
            "%(n)s organización en esta zona", "%(n)s organizaciones en esta zona", item.count
        ) % {"n": item.count}
        if len(item.municipalities) == 1:
            code = next(iter(item.municipalities))
            label = ngettext(
                "%(n)s organización en %(place)s", "%(n)s organizaciones en %(place)s", item.count
            ) % {"n": item.count, "place": names.get(code, code)}
            href = search_url(list_path, replace(filters, municipality=(code,)))
        markers.append(Marker(x, y, item.count, label, href))
    markers.sort(key=lambda marker: (marker.count, marker.y, marker.x))
    return markers


def _with_markers(svg: SafeString, markers: list[Marker], window: list[float]) -> SafeString:
    """The markers drawn over the map, on the grid render_map used for this window."""
    if not svg or not markers:
        return svg
    span = max(window[2] - window[0], window[3] - window[1])
    factor = max(1, round(span / maps.TARGET_GRID))
    radius = max(2, round(span / factor / 120))
    body = []
    for marker in markers:
        cx, cy = round(marker.x / factor), round(marker.y / factor)
        if marker.count == 1 and marker.href:
            shape = format_html(
                '<circle class="map-point" cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff">'
                "<title>{}</title></circle>",
                cx,
                cy,
                radius,
                MARKER_FILL,
                marker.label,
            )
        else:
            r = round(radius * (1.3 + 0.45 * math.log10(marker.count)), 1)
            shape = format_html(
                '<g class="map-cluster"><title>{}</title><circle cx="{}" cy="{}" r="{}" '
                'fill="{}" stroke="#fff"/><text x="{}" y="{}" text-anchor="middle" '
                'dominant-baseline="central" fill="#fff" stroke="none" font-size="{}" '
                'font-weight="700">{}</text></g>',
                marker.label,
                cx,
                cy,
                r,
                MARKER_FILL,
                cx,
                cy,
                round(r * (1.1 if marker.count < 100 else 0.8), 1),
                marker.count,
            )
        if marker.href:
            shape = format_html(
                '<a href="{}" aria-label="{}">{}</a>', marker.href, marker.label, shape
            )
        body.append(shape)
    closing = "</svg>"
    assert svg.endswith(closing)
    return mark_safe(
        svg[: -len(closing)] + '<g class="map-markers">' + "".join(body) + "</g>" + closing
    )
