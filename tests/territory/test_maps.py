"""Rendering maps from stored paths (hand-made shapes; the real map is in test_pages)."""

import re

import pytest

from polo.territory import geo, maps
from tests import factories as f

pytestmark = pytest.mark.django_db


def square(code: str, name: str, x: int, y: int = 15000, size: int = 100):
    ring = [(x, y), (x + size, y), (x + size, y + size), (x, y + size)]
    return f.MunicipalityFactory(
        code=code,
        name=name,
        svg_path=geo.svg_path([ring]),
        bbox=[x, y, x + size, y + size],
        label_point=[x + size // 2, y + size // 2],
    )


@pytest.fixture
def three():
    return [
        square("20001", "Abejones", 20000),
        square("20002", "Acatlán de Pérez Figueroa", 20100),
        square("20003", 'Ánimas "Trujano" <script>alert(1)</script>', 20200),
    ]


def test_a_map_is_an_image_labelled_by_its_title_and_description(three):
    svg = maps.render_map(three, title="Municipios de prueba", description="Tres cuadrados.")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element_id, text in zip(
        labelled_by, ["Municipios de prueba", "Tres cuadrados."], strict=True
    ):
        assert f'id="{element_id}">{text}<' in svg


def test_it_draws_one_path_per_municipality_with_its_name_for_hover(three):
    svg = maps.render_map(three, title="t", description="d")
    assert svg.count("<path ") == 3
    assert svg.count('class="map-area"') == 3
    assert "<title>Acatlán de Pérez Figueroa</title>" in svg


def test_names_are_escaped(three):
    svg = maps.render_map(
        three, title="<b>t</b>", description='"d"', links={"20003": '/x/"><script>'}
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&lt;b&gt;t&lt;/b&gt;" in svg
    assert 'aria-label="Ánimas &quot;Trujano&quot;' in svg


def test_fills_and_highlight_colour_the_named_municipalities(three):
    svg = maps.render_map(
        three, title="t", description="d", fills={"20001": "#E69F00"}, highlight="20002"
    )
    assert re.search(r'<path class="map-area" fill="#E69F00" d="[^"]+"><title>Abejones<', svg)
    assert re.search(r'class="map-area map-area-highlight" fill="#005F56"[^>]*><title>Acatlán', svg)
    assert svg.count("map-area-highlight") == 1


def test_links_wrap_paths_and_make_the_map_a_group_not_an_image(three):
    svg = maps.render_map(
        three, title="t", description="d", links={"20001": "/territorio/municipios/20001/"}
    )
    assert 'role="group"' in svg and 'role="img"' not in svg
    assert svg.count("<a ") == 1
    assert '<a href="/territorio/municipios/20001/" aria-label="Abejones"><path' in svg


def test_points_are_placed_with_the_same_projection(three):
    x, y = 20050, 15050
    lon, lat = geo.unproject(x, y)
    svg = maps.render_map(
        three, title="t", description="d", points=[maps.MapPoint(*geo.project(lon, lat), "Aquí")]
    )
    assert re.search(r'<circle class="map-point" cx="20050" cy="15050"[^>]*><title>Aquí<', svg)


def test_municipalities_without_a_boundary_are_left_out(three):
    bare = f.MunicipalityFactory(code="20004", name="Sin contorno")
    svg = maps.render_map([*three, bare], title="t", description="d")
    assert svg.count("<path ") == 3 and "Sin contorno" not in svg
    assert maps.render_map([bare], title="t", description="d") == ""


def test_a_large_map_is_rounded_to_a_coarser_grid():
    far = [square("20010", "A", 10000, size=3000), square("20011", "B", 13000, size=3000)]
    svg = maps.render_map(far, title="t", description="d")
    view_box = [int(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    assert view_box[2] < 1000  # 6,000 units wide, drawn on a grid of ~900 steps


def test_region_colours_cycle_through_a_colour_blind_safe_palette():
    assert maps.region_colour(1) == "#E69F00"
    assert maps.region_colour(len(maps.REGION_PALETTE) + 1) == maps.region_colour(1)
    assert len(set(maps.REGION_PALETTE)) == len(maps.REGION_PALETTE)


def test_the_programme_map_is_empty_without_boundaries():
    assert maps.programme_map_svg() == ""


def test_territory_pages_work_before_any_boundary_is_loaded(as_visitor, organization):
    municipality = organization.municipality
    assert as_visitor.get("/territorio/").status_code == 200
    for url in (
        f"/territorio/regiones/{municipality.region.slug}/",
        f"/territorio/estados/{municipality.state.code}/",
        f"/territorio/municipios/{municipality.code}/",
    ):
        response = as_visitor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<svg xmlns" not in html.split("<main")[1], url
        assert municipality.name in html
