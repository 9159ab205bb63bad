"""Geometry without GIS libraries: TopoJSON decoding, one projection, SVG paths.

Polo draws its maps from the municipal boundaries alone (no tile server, no
GEOS/GDAL). Boundaries arrive as TopoJSON (shared arcs, quantized and
delta-encoded); they are decoded here, projected with one fixed projection for
all of Mexico, rounded to whole units and stored as compact SVG paths. Points
such as an organisation's coordinates go through the same `project` so they
land on the same maps.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # exterior ring first, then holes

# Equirectangular projection scaled by the cosine of a reference latitude near
# the middle of Mexico: distances stay within a few percent of true from
# Chihuahua to Chiapas, and the arithmetic is trivial. The origin lies north-west
# of the whole country so every coordinate is positive; y grows southwards, as
# in SVG. One unit is a thousandth of a degree of latitude (about 111 m).
REFERENCE_LATITUDE = 23.0
ORIGIN_LONGITUDE = -118.5
ORIGIN_LATITUDE = 33.0
UNITS_PER_DEGREE = 1000
_X_UNITS_PER_DEGREE = UNITS_PER_DEGREE * math.cos(math.radians(REFERENCE_LATITUDE))


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude (degrees, WGS84) to map units (x east, y south)."""
    return (
        (float(lon) - ORIGIN_LONGITUDE) * _X_UNITS_PER_DEGREE,
        (ORIGIN_LATITUDE - float(lat)) * UNITS_PER_DEGREE,
    )


def unproject(x: float, y: float) -> tuple[float, float]:
    """The inverse of `project`: map units back to longitude/latitude."""
    return (x / _X_UNITS_PER_DEGREE + ORIGIN_LONGITUDE, ORIGIN_LATITUDE - y / UNITS_PER_DEGREE)


# --- TopoJSON ---------------------------------------------------------------


class TopologyError(ValueError):
    """The file is not a TopoJSON topology Polo can read."""


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute longitude/latitude points of every arc.

    A quantized topology (with `transform`) stores each arc's first position as
    integers and the following ones as deltas from the previous position; the
    transform then scales and translates them back to degrees.
    """
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise TopologyError("not a TopoJSON Topology")
    raw_arcs = topology.get("arcs")
    if not isinstance(raw_arcs, list):
        raise TopologyError("the topology has no arcs")
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    try:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            for arc in raw_arcs:
                x = y = 0
                points = []
                for position in arc:
                    x += position[0]
                    y += position[1]
                    points.append((x * sx + tx, y * sy + ty))
                arcs.append(points)
        else:
            arcs = [[(float(p[0]), float(p[1])) for p in arc] for arc in raw_arcs]
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise TopologyError(f"malformed arcs: {error}") from error
    return arcs


def ring_from_arcs(indexes: Sequence[int], arcs: Sequence[Sequence[Point]]) -> Ring:
    """Stitch a ring from arc indexes; a negative index ~i means arc i reversed.

    Consecutive arcs share their end and start points, which appear once.
    """
    ring: Ring = []
    for index in indexes:
        try:
            arc = list(arcs[index]) if index >= 0 else list(arcs[~index])[::-1]
        except (IndexError, TypeError) as error:
            raise TopologyError(f"arc index {index!r} out of range") from error
        ring.extend(arc[1:] if ring else arc)
    return ring


def geometry_polygons(geometry: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> list[Polygon]:
    """The polygons (lists of rings) of a Polygon or MultiPolygon geometry."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[ring_from_arcs(ring, arcs) for ring in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[ring_from_arcs(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    if kind is None:  # a null geometry: a feature without a shape
        return []
    raise TopologyError(f"unsupported geometry type {kind!r}")


def topology_features(
    topology: dict[str, Any], object_name: str | None = None
) -> Iterator[tuple[dict[str, Any], list[Polygon]]]:
    """(properties, polygons in lon/lat) for each geometry of one object."""
    arcs = decode_arcs(topology)
    objects = topology.get("objects") or {}
    if object_name is None:
        if len(objects) != 1:
            raise TopologyError("name the object to read: the topology has several")
        object_name = next(iter(objects))
    collection = objects.get(object_name)
    if not isinstance(collection, dict):
        raise TopologyError(f"no object {object_name!r} in the topology")
    geometries = (
        collection.get("geometries", [])
        if collection.get("type") == "GeometryCollection"
        else [collection]
    )
    for geometry in geometries:
        yield geometry.get("properties") or {}, geometry_polygons(geometry, arcs)


# --- Projected shapes and SVG paths ----------------------------------------

IntPoint = tuple[int, int]


def project_polygons(polygons: Iterable[Polygon]) -> list[list[list[IntPoint]]]:
    """Project and round to whole units; drop repeated points and empty rings."""
    projected = []
    for polygon in polygons:
        rings = [clean_ring(_round(project(lon, lat)) for lon, lat in ring) for ring in polygon]
        if rings and rings[0]:
            projected.append([ring for ring in rings if ring])
    return projected


def _round(point: Point) -> IntPoint:
    return (round(point[0]), round(point[1]))


def clean_ring(points: Iterable[IntPoint]) -> list[IntPoint]:
    """Without consecutive duplicates or the closing point; [] if degenerate."""
    ring: list[IntPoint] = []
    for point in points:
        if not ring or ring[-1] != point:
            ring.append(point)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring if len(ring) >= 3 else []


def _numbers(values: Iterable[int]) -> str:
    """Join integers the SVG way: a minus sign is its own separator."""
    out: list[str] = []
    for value in values:
        text = str(value)
        if out and value >= 0:
            out.append(" ")
        out.append(text)
    return "".join(out)


def svg_path(rings: Iterable[Sequence[IntPoint]]) -> str:
    """A compact path of closed rings: one relative `m`, implicit relative lines.

    After `z` the current point is the ring's start, so each `m` is relative to
    the previous ring's first point.
    """
    parts: list[str] = []
    start = (0, 0)
    for ring in rings:
        if len(ring) < 3:
            continue
        values = [ring[0][0] - start[0], ring[0][1] - start[1]]
        previous = ring[0]
        for point in ring[1:]:
            values += [point[0] - previous[0], point[1] - previous[1]]
            previous = point
        parts.append("m" + _numbers(values) + "z")
        start = ring[0]
    return "".join(parts)


_TOKEN = re.compile(r"[MmLlHhVvZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


_OWN_FORMAT = re.compile(r"(?:m-?\d+(?:(?: |(?=-))-?\d+)*z)+")
_INTEGER = re.compile(r"-?\d+")


def _parse_own_format(path: str) -> list[list[Point]]:
    """The fast path for what `svg_path` writes: closed rings of relative integers."""
    rings: list[list[Point]] = []
    x = y = 0
    for chunk in path[1:-1].split("zm"):
        numbers = [int(n) for n in _INTEGER.findall(chunk)]
        x, y = x + numbers[0], y + numbers[1]
        start = (x, y)
        ring: list[Point] = [start]
        cx, cy = start
        for i in range(2, len(numbers) - 1, 2):
            cx += numbers[i]
            cy += numbers[i + 1]
            ring.append((cx, cy))
        rings.append(ring)
    return rings


def parse_path(path: str) -> list[list[Point]]:
    """Rings of absolute points from a path of straight lines (M, L, H, V, Z).

    Reads what `svg_path` writes, and the same commands in absolute or other
    spacing. Curves are not supported: Polo's boundaries have none.
    """
    if _OWN_FORMAT.fullmatch(path or ""):
        return _parse_own_format(path)
    rings: list[list[Point]] = []
    tokens = _TOKEN.findall(path or "")
    command = ""
    x = y = 0.0
    start = (0.0, 0.0)
    ring: list[Point] = []
    moved = False
    i = 0

    def take() -> float:
        nonlocal i
        if i >= len(tokens) or tokens[i].isalpha():
            raise ValueError(f"path ends or a command comes where a number should: {path[:40]!r}")
        value = float(tokens[i])
        i += 1
        return value

    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start
                continue
        elif not command or command in "Zz":
            raise ValueError(f"number without a command in path: {path[:40]!r}")
        if command in "Mm":
            if ring:
                rings.append(ring)
            a, b = take(), take()
            # The first moveto of a path is absolute even when written `m`.
            x, y = (x + a, y + b) if command == "m" and moved else (a, b)
            moved = True
            start = (x, y)
            ring = [(x, y)]
            command = "l" if command == "m" else "L"  # later pairs are line-tos
        elif command == "l":
            dx, dy = take(), take()
            x, y = x + dx, y + dy
            ring.append((x, y))
        elif command == "L":
            x, y = take(), take()
            ring.append((x, y))
        elif command in "Hh":
            value = take()
            x = x + value if command == "h" else value
            ring.append((x, y))
        elif command in "Vv":
            value = take()
            y = y + value if command == "v" else value
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


# --- Measures ---------------------------------------------------------------


def bbox(rings: Iterable[Sequence[Point]]) -> list[float] | None:
    """[minx, miny, maxx, maxy] of all points, or None when there are none."""
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        for px, py in ring:
            xs.append(px)
            ys.append(py)
    if not xs:
        return None
    return [min(xs), min(ys), max(xs), max(ys)]


def point_in_rings(point: Point, rings: Iterable[Sequence[Point]]) -> bool:
    """Even-odd rule over all rings (holes and parts alike)."""
    px, py = point
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def label_point(polygons: Sequence[Sequence[Sequence[Point]]]) -> list[float] | None:
    """A point well inside the shape, for labels and pins.

    Rings are read even-odd (holes and enclaves are outside). Candidates are the
    middles of the inside stretches of a few horizontal lines; the one farthest
    from any edge wins: an approximate pole of inaccessibility, which unlike the
    centroid never falls in a hole or outside a crescent.
    """
    rings = [ring for polygon in polygons for ring in polygon if len(ring) >= 3]
    box = bbox(rings)
    if box is None:
        return None
    edges = [
        (a, b) for ring in rings for a, b in zip(ring, [*ring[1:], ring[0]], strict=True) if a != b
    ]
    # (half the stretch's width, its middle): the half-width bounds the distance
    # to the nearest edge from above, so candidates can be pruned.
    candidates: list[tuple[float, Point]] = []
    steps = 16
    height = box[3] - box[1]
    lines = [box[1] + height * k / steps + 1e-7 for k in range(1, steps)]  # off the vertices
    crossings: list[list[float]] = [[] for _ in lines]
    for (x1, y1), (x2, y2) in edges:  # one pass: each edge meets only the lines it spans
        if y1 == y2 or not height:
            continue
        low, high = (y1, y2) if y1 < y2 else (y2, y1)
        first = max(0, math.floor((low - box[1]) * steps / height) - 2)
        last = min(len(lines), math.ceil((high - box[1]) * steps / height) + 1)
        for k in range(first, last):
            y = lines[k]
            if low <= y < high:  # half-open, as in point_in_rings: vertices count once
                crossings[k].append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    for k, y in enumerate(lines):
        xs = sorted(crossings[k])
        candidates += [
            ((right - left) / 2, ((left + right) / 2, y))
            for left, right in zip(xs[::2], xs[1::2], strict=False)
            if right > left
        ]
    if not candidates:
        return [float(rings[0][0][0]), float(rings[0][0][1])]
    candidates.sort(reverse=True)
    best, best_distance = candidates[0][1], -1.0
    for half_width, point in candidates:
        if half_width * half_width <= best_distance:
            break
        distance = _squared_distance_to_edges(point, edges, best_distance)
        if distance > best_distance:
            best, best_distance = point, distance
    return [best[0], best[1]]


def _squared_distance_to_edges(
    point: Point, edges: Sequence[tuple[Point, Point]], floor: float
) -> float:
    """Squared distance to the nearest edge; stops early once it is below `floor`."""
    px, py = point
    nearest = math.inf
    for (ax, ay), (bx, by) in edges:
        dx, dy = bx - ax, by - ay
        t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
        if t < 0.0:
            t = 0.0
        elif t > 1.0:
            t = 1.0
        ex, ey = px - ax - t * dx, py - ay - t * dy
        squared = ex * ex + ey * ey
        if squared < nearest:
            nearest = squared
            if nearest <= floor:
                break
    return nearest


# --- Generalising for small maps ---------------------------------------------

Edge = tuple[IntPoint, IntPoint]


def rescale_rings(rings: Iterable[Sequence[Point]], factor: int) -> list[list[IntPoint]]:
    """Rings on a grid `factor` times coarser, cleaned; points shared by
    neighbouring shapes stay shared, so their borders still meet exactly."""
    out = []
    for ring in rings:
        cleaned = clean_ring((round(x / factor), round(y / factor)) for x, y in ring)
        if cleaned:
            out.append(cleaned)
    return out


def _ring_edges(ring: Sequence[IntPoint]) -> Iterator[Edge]:
    for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
        if a != b:
            yield (a, b) if a < b else (b, a)


def outline_edges(shapes: Iterable[Iterable[Sequence[IntPoint]]]) -> set[Edge]:
    """The edges of the union of shapes that share their borders exactly.

    An edge inside the union belongs to two shapes and cancels out (even-odd);
    what remains is the outline, holes included.
    """
    edges: set[Edge] = set()
    for rings in shapes:
        for ring in rings:
            for edge in _ring_edges(ring):
                if edge in edges:
                    edges.remove(edge)
                else:
                    edges.add(edge)
    return edges


def inner_edges(shapes: Iterable[Iterable[Sequence[IntPoint]]]) -> set[Edge]:
    """The borders between shapes (every edge not on the outline of their union)."""
    shapes = [list(rings) for rings in shapes]
    every = {edge for rings in shapes for ring in rings for edge in _ring_edges(ring)}
    return every - outline_edges(shapes)


def _adjacency(edges: Iterable[Edge]) -> dict[IntPoint, list[IntPoint]]:
    adjacent: dict[IntPoint, list[IntPoint]] = {}
    for a, b in sorted(edges):  # sorted: the same drawing on every run
        adjacent.setdefault(a, []).append(b)
        adjacent.setdefault(b, []).append(a)
    return adjacent


def _take(adjacent: dict[IntPoint, list[IntPoint]], a: IntPoint, b: IntPoint) -> None:
    adjacent[a].remove(b)
    adjacent[b].remove(a)
    for point in (a, b):
        if not adjacent[point]:
            del adjacent[point]


def chain_rings(edges: Iterable[Edge]) -> list[list[IntPoint]]:
    """Closed rings from an outline's edges (every point has an even degree).

    Which ring a pinch point joins does not matter: maps fill even-odd.
    """
    adjacent = _adjacency(edges)
    rings = []
    while adjacent:
        start = min(adjacent)
        ring = [start]
        current = start
        while True:
            following = adjacent[current][0]
            _take(adjacent, current, following)
            if following == start:
                break
            ring.append(following)
            current = following
            if current not in adjacent:  # odd degree: malformed outline; stop here
                break
        if len(ring) >= 3:
            rings.append(ring)
    return rings


def chain_lines(edges: Iterable[Edge]) -> list[list[IntPoint]]:
    """Polylines from a set of edges, broken where three or more meet."""
    adjacent = _adjacency(edges)
    breaks = {point for point, others in adjacent.items() if len(others) != 2}
    lines = []

    def walk(start: IntPoint) -> list[IntPoint]:
        line = [start]
        current = start
        while current in adjacent:
            following = adjacent[current][0]
            _take(adjacent, current, following)
            line.append(following)
            current = following
            if current == start or current in breaks:
                break
        return line

    for point in sorted(breaks):
        while point in adjacent:
            lines.append(walk(point))
    while adjacent:  # what is left are closed loops
        lines.append(walk(min(adjacent)))
    return lines


def simplify_line(points: Sequence[IntPoint], tolerance: float) -> list[IntPoint]:
    """Douglas–Peucker: drop points closer than `tolerance` to the simplified line.

    The end points are always kept, so lines that meet still meet.
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = -1, -1.0
        for k in range(first + 1, last):
            px, py = points[k]
            d = (
                abs(dx * (ay - py) - dy * (ax - px)) / length
                if length
                else math.hypot(px - ax, py - ay)
            )
            if d > distance:
                farthest, distance = k, d
        if farthest > 0 and distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Sequence[IntPoint], tolerance: float) -> list[IntPoint]:
    """Douglas–Peucker on a closed ring, split at the point farthest from its start."""
    if len(ring) < 4:
        return list(ring)
    sx, sy = ring[0]
    far = max(range(len(ring)), key=lambda k: (ring[k][0] - sx) ** 2 + (ring[k][1] - sy) ** 2)
    first = simplify_line(ring[: far + 1], tolerance)
    second = simplify_line([*ring[far:], ring[0]], tolerance)
    simplified = first[:-1] + second[:-1]
    return simplified if len(simplified) >= 3 else []


def svg_polylines(lines: Iterable[Sequence[IntPoint]]) -> str:
    """Open polylines as one compact path (each `m` relative to the previous end)."""
    parts: list[str] = []
    current = (0, 0)
    for line in lines:
        if len(line) < 2:
            continue
        values = [line[0][0] - current[0], line[0][1] - current[1]]
        for a, b in zip(line, line[1:], strict=False):
            values += [b[0] - a[0], b[1] - a[1]]
        parts.append("m" + _numbers(values))
        current = line[-1]
    return "".join(parts)
