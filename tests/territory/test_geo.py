"""Geometry without GIS libraries: TopoJSON decoding, projection, paths, outlines."""

import math

import pytest

from polo.territory import geo

# Two triangles sharing the arc (0,0)-(1,1): the left one uses it forwards, the
# right one reversed (~0 == -1). Quantized: positions are deltas, scaled by 0.5
# and translated by (10, 20).
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "arcs": [
        [[0, 0], [2, 2]],  # (0,0) -> (2,2) quantized: (10,20) -> (11,21)
        [[2, 2], [-2, 0], [0, -2]],  # (2,2) -> (0,2) -> (0,0)
        [[0, 0], [2, 0], [0, 2]],  # (0,0) -> (2,0) -> (2,2)
    ],
    "objects": {
        "shapes": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"id": "left"}},
                {"type": "Polygon", "arcs": [[2, -1]], "properties": {"id": "right"}},
                {
                    "type": "MultiPolygon",
                    "arcs": [[[0, 1]], [[2, ~0]]],
                    "properties": {"id": "both"},
                },
                {"type": None, "properties": {"id": "empty"}},
            ],
        }
    },
}


def test_it_decodes_delta_encoded_quantized_arcs():
    arcs = geo.decode_arcs(TINY)
    assert arcs[0] == [(10.0, 20.0), (11.0, 21.0)]
    assert arcs[1] == [(11.0, 21.0), (10.0, 21.0), (10.0, 20.0)]
    assert arcs[2] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]


def test_it_reads_arcs_without_transform_as_absolute_positions():
    topology = {"type": "Topology", "arcs": [[[1.5, 2.5], [3.5, 4.5]]], "objects": {}}
    assert geo.decode_arcs(topology) == [[(1.5, 2.5), (3.5, 4.5)]]


def test_it_stitches_rings_with_shared_points_once_and_reversed_arcs_backwards():
    features = {p["id"]: polygons for p, polygons in geo.topology_features(TINY, "shapes")}
    assert features["left"] == [[[(10.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0)]]]
    # arc 2 forwards then arc 0 reversed: (11,21) -> (10,20)
    assert features["right"] == [[[(10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 20.0)]]]
    assert features["both"] == features["left"] + features["right"]
    assert features["empty"] == []


def test_it_rejects_what_is_not_a_topology():
    with pytest.raises(geo.TopologyError):
        geo.decode_arcs({"type": "FeatureCollection", "features": []})
    with pytest.raises(geo.TopologyError):
        geo.decode_arcs(
            {
                "type": "Topology",
                "arcs": [[["a", None]]],
                "transform": {"scale": [1, 1], "translate": [0, 0]},
            }
        )
    with pytest.raises(geo.TopologyError):
        list(geo.topology_features(TINY, "missing"))


def test_it_rejects_arc_indexes_out_of_range_and_unknown_geometry_types():
    with pytest.raises(geo.TopologyError):
        geo.ring_from_arcs([0, 7], geo.decode_arcs(TINY))
    with pytest.raises(geo.TopologyError):
        geo.geometry_polygons({"type": "LineString", "arcs": [0]}, geo.decode_arcs(TINY))


def test_the_projection_puts_the_origin_north_west_and_scales_longitude_by_cos_23():
    assert geo.project(-118.5, 33.0) == (0.0, 0.0)
    x, y = geo.project(-100.5, 23.0)
    assert x == pytest.approx(18 * 1000 * math.cos(math.radians(23)))
    assert x == pytest.approx(16569.087, abs=0.001)
    assert y == pytest.approx(10000.0)
    # Oaxaca de Juárez lies south-east of the origin: y grows southwards.
    ox, oy = geo.project(-96.7266, 17.0654)
    assert (round(ox), round(oy)) == (20043, 15935)
    assert geo.unproject(ox, oy) == (pytest.approx(-96.7266), pytest.approx(17.0654))


def test_a_path_round_trips_through_the_compact_relative_form():
    rings = [[(100, 200), (110, 200), (110, 215)], [(50, 50), (60, 40), (40, 45)]]
    path = geo.svg_path(rings)
    assert path == "m100 200 10 0 0 15zm-50-150 10-10-20 5z"
    assert geo.parse_path(path) == rings


def test_it_parses_absolute_and_relative_commands_as_a_browser_would():
    assert geo.parse_path("M 1 2 L 3 4 H 10 V 0 Z m 1 1 l 2 0 0 2 z") == [
        [(1, 2), (3, 4), (10, 4), (10, 0)],
        [(2, 3), (4, 3), (4, 5)],
    ]
    assert geo.parse_path("") == []
    with pytest.raises(ValueError):
        geo.parse_path("M 1")
    with pytest.raises(ValueError):
        geo.parse_path("1 2 3")


def test_projected_polygons_drop_repeated_points_and_degenerate_rings():
    polygons = [
        [[(-100.0, 20.0), (-100.0, 20.0), (-99.0, 20.0), (-99.0, 21.0), (-100.0, 20.0)]],
        [[(-90.0, 15.0), (-90.0, 15.0)]],
    ]
    projected = geo.project_polygons(polygons)
    assert len(projected) == 1 and len(projected[0][0]) == 3


def test_the_label_point_of_a_c_shape_is_inside_it_where_the_centroid_is_not():
    c_shape = [(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10)]
    point = geo.label_point([[c_shape]])
    assert geo.point_in_rings(point, [c_shape])
    assert not geo.point_in_rings((5.5, 5.0), [c_shape])  # the centroid's neighbourhood


def test_the_label_point_avoids_a_hole():
    outer = [(0, 0), (10, 0), (10, 10), (0, 10)]
    hole = [(3, 3), (7, 3), (7, 7), (3, 7)]
    point = geo.label_point([[outer, hole]])
    assert geo.point_in_rings(point, [outer, hole])
    assert geo.label_point([]) is None


def test_the_outline_of_two_neighbours_drops_their_shared_border():
    left = [[(0, 0), (1, 0), (1, 1), (0, 1)]]
    right = [[(1, 0), (2, 0), (2, 1), (1, 1)]]
    outline = geo.outline_edges([left, right])
    assert ((1, 0), (1, 1)) not in outline
    assert len(outline) == 6
    rings = geo.chain_rings(outline)
    assert len(rings) == 1 and sorted(rings[0]) == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
    assert geo.inner_edges([left, right]) == {((1, 0), (1, 1))}


def test_chained_lines_break_where_three_borders_meet():
    edges = {((0, 0), (1, 0)), ((1, 0), (2, 0)), ((1, 0), (1, 1))}
    lines = geo.chain_lines(edges)
    assert sorted(len(line) for line in lines) == [2, 2, 2]
    assert geo.svg_polylines([[(0, 0), (3, 4)], [(3, 4), (3, 9)]]) == "m0 0 3 4m0 0 0 5"


def test_simplification_keeps_ends_and_drops_points_within_tolerance():
    line = [(0, 0), (5, 1), (10, 0), (15, 9), (20, 0)]
    assert geo.simplify_line(line, 2) == [(0, 0), (10, 0), (15, 9), (20, 0)]
    assert geo.simplify_line(line, 100) == [(0, 0), (20, 0)]
    ring = [(0, 0), (5, 0), (10, 0), (10, 10), (0, 10)]
    assert geo.simplify_ring(ring, 0.5) == [(0, 0), (10, 0), (10, 10), (0, 10)]


def test_rescaling_keeps_shared_points_shared():
    left = [[(0, 0), (14, 0), (16, 23), (0, 20)]]
    right = [[(14, 0), (30, 0), (30, 20), (16, 23)]]
    coarse = [geo.rescale_rings(shape, 10) for shape in (left, right)]
    assert geo.inner_edges(coarse) == {((1, 0), (2, 2))}
