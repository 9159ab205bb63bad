"""The directory's map: the same search as the list, a choropleth of counts per
municipality on the real boundaries, markers grouped when dense, and the same
figures in a table."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from polo.directory.models import Organization
from polo.directory.public_maps import BAND_FILLS
from polo.territory.models import Municipality
from tests.directory.helpers_public import (
    heading_count,
    map_table,
    organization,
    real_territory,  # noqa: F401  (a fixture)
    svg_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_territory")]

URL = "/directorio/mapa/"
CENTRO = (Decimal("17.060600"), Decimal("-96.725300"))  # Oaxaca de Juárez
HUAJUAPAN = (Decimal("17.805000"), Decimal("-97.776000"))


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


@pytest.fixture
def spread():
    """3 located in Oaxaca de Juárez (one spot), 1 located in Huajuapan, 2
    without coordinates in Juchitán, and 1 in Acapulco (Guerrero)."""
    centro, huajuapan, juchitan = place("20067"), place("20039"), place("20043")
    orgs = {
        "centro": [
            organization(
                f"Centro {n}", municipality=centro, latitude=CENTRO[0], longitude=CENTRO[1]
            )
            for n in range(3)
        ],
        "huajuapan": organization(
            "Mixteca Viva", municipality=huajuapan, latitude=HUAJUAPAN[0], longitude=HUAJUAPAN[1]
        ),
        "juchitan": [organization(f"Istmo {n}", municipality=juchitan) for n in range(2)],
        "acapulco": organization("Costa Grande", municipality=place("12001")),
    }
    organization(
        "Borrador oculto",
        municipality=centro,
        status=Organization.Status.DRAFT,
        latitude=CENTRO[0],
        longitude=CENTRO[1],
    )
    return orgs


def page(client, params=None) -> str:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_gives_the_counts_per_municipality_of_the_search(as_visitor, spread):
    content = page(as_visitor, {"state": "20"})
    expected = dict(
        Organization.objects.published()
        .filter(municipality__state__code="20")
        .values_list("municipality__name")
        .annotate(n=Count("pk"))
    )
    assert map_table(content) == expected
    assert expected == {
        "Oaxaca de Juárez": 3,
        place("20039").name: 1,
        place("20043").name: 2,
    }
    assert heading_count(content) == 6
    assert "<caption>Organizaciones encontradas por municipio sede</caption>" in content


def test_each_municipality_is_coloured_by_its_count_and_says_it_in_words(as_visitor, spread):
    svg = svg_of(page(as_visitor, {"state": "20"}))
    assert 'role="group"' in svg and 'id="directory-map-title"' in svg
    centro = re.search(
        r'<path class="map-area" fill="([^"]+)" d="[^"]*"><title>Oaxaca de Juárez: 3 ', svg
    )
    assert centro and centro.group(1) == BAND_FILLS[1]  # 2 to 3
    huajuapan = f"<title>{place('20039').name}: 1 organización</title>"
    assert huajuapan in svg
    # Municipalities without results are drawn, plain, for context.
    assert svg.count("<path ") > 300
    assert "Abejones</title>" in svg


def test_organisations_in_one_spot_are_one_numbered_marker(as_visitor, spread):
    svg = svg_of(page(as_visitor, {"state": "20"}))
    clusters = re.findall(r'<g class="map-cluster"><title>(.*?)</title>.*?>(\d+)</text></g>', svg)
    assert sorted(clusters) == sorted(
        [
            ("3 organizaciones en Oaxaca de Juárez", "3"),
            (f"2 organizaciones en {place('20043').name}", "2"),
        ]
    )
    # A numbered marker leads to the list of its municipality.
    assert 'href="/directorio/?state=20&amp;municipality=20067" aria-label="3 organizaciones' in svg


def test_a_lone_organisation_is_a_point_linking_to_its_profile(as_visitor, spread):
    svg = svg_of(page(as_visitor, {"state": "20"}))
    pk = spread["huajuapan"].pk
    assert re.search(
        rf'<a href="/directorio/organizaciones/{pk}/" aria-label="Mixteca Viva">'
        r'<circle class="map-point"',
        svg,
    )


def test_markers_add_up_to_the_organisations_found_when_many_crowd_together(as_visitor, spread):
    valles = list(Municipality.objects.filter(region__slug="valles-centrales").order_by("code"))
    for n in range(40):
        municipality = valles[n % len(valles)]
        located = n % 3 != 0
        organization(
            f"Vallista {n}",
            municipality=municipality,
            latitude=CENTRO[0] + Decimal(n % 7) / 100 if located else None,
            longitude=CENTRO[1] - Decimal(n % 5) / 100 if located else None,
        )
    svg = svg_of(page(as_visitor, {"region": "valles-centrales"}))
    grouped = [int(n) for n in re.findall(r">(\d+)</text></g>", svg)]
    singles = svg.count('<circle class="map-point"')
    total = Organization.objects.published().filter(municipality__region__slug="valles-centrales")
    assert sum(grouped) + singles == total.count() == 43
    assert len(grouped) + singles < 30  # grouped, not one marker each


def test_the_map_frames_the_results_so_a_narrower_search_zooms_in(as_visitor, spread):
    def width(params) -> float:
        view_box = re.search(
            r'viewBox="(-?\d+) (-?\d+) (\d+) (\d+)"', svg_of(page(as_visitor, params))
        )
        return float(view_box.group(3))

    assert width({"municipality": "20067"}) < width({"state": "20"}) / 4


def test_a_municipality_on_the_map_zooms_in_and_then_leads_to_the_list(as_visitor, spread):
    svg = svg_of(page(as_visitor, {"state": "20"}))
    assert '<a href="/directorio/mapa/?state=20&amp;municipality=20067" aria-label="Oaxaca' in svg
    zoomed = svg_of(page(as_visitor, {"state": "20", "municipality": "20067"}))
    assert '<a href="/directorio/?state=20&amp;municipality=20067" aria-label="Oaxaca' in zoomed


def test_the_map_uses_the_same_search_as_the_list(as_visitor, spread):
    params = {"q": "centro", "kind": "cso"}
    map_page = page(as_visitor, params)
    list_page = as_visitor.get("/directorio/", params).content.decode()
    assert heading_count(map_page) == heading_count(list_page) == 3
    assert map_table(map_page) == {"Oaxaca de Juárez": 3}
    assert 'href="/directorio/?q=centro&amp;kind=cso">Ver estos resultados como lista' in map_page
    assert 'href="/directorio/mapa/?q=centro&amp;kind=cso">Ver estos resultados en el mapa' in (
        list_page
    )


def test_results_in_two_states_draw_both(as_visitor, spread):
    content = page(as_visitor)
    svg = svg_of(content)
    assert "Acapulco de Juárez: 1 organización" in svg
    assert "Oaxaca de Juárez: 3 organizaciones" in svg
    assert "Guerrero" in svg and "Oaxaca" in svg  # named in the description


def test_no_results_draws_no_map_and_says_so(as_visitor, spread):
    content = page(as_visitor, {"q": "zzzqqq"})
    assert svg_of(content) == ""
    assert "No encontramos organizaciones" in content


def test_the_legend_names_every_band_in_words(as_visitor, spread):
    content = page(as_visitor, {"state": "20"})
    legend = re.search(r'<ul class="map-legend">(.*?)</ul>', content, re.S).group(1)
    assert [
        re.sub(r"<svg.*?</svg>\s*", "", item) for item in re.findall(r"<li>(.*?)</li>", legend)
    ] == [
        "1 organización",
        "2 a 3 organizaciones",
        "4 a 9 organizaciones",
        "10 a 24 organizaciones",
        "25 o más organizaciones",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "x" * 10_000},
        {"kind": "bogus"},
        {"municipality": "abc"},
        {"municipality": "99999"},
        {"state": "<b>"},
        {"page": "-1"},
    ],
)
def test_hostile_parameters_never_break_the_map(as_visitor, spread, params):
    content = page(as_visitor, params)
    assert "<script>alert(1)" not in content and "<b>" not in content.split("<main")[1]


def test_names_typed_with_html_are_escaped_in_the_map(as_visitor):
    organization(
        '<script>alert("x")</script>',
        municipality=place("20039"),
        latitude=HUAJUAPAN[0],
        longitude=HUAJUAPAN[1],
    )
    svg = svg_of(page(as_visitor))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_an_htmx_request_gets_the_map_fragment(as_visitor, spread):
    response = as_visitor.get(URL, {"state": "20"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and svg_of(content)
    assert '<p id="directory-status" hx-swap-oob="innerHTML">6 organizaciones' in content


def test_the_map_page_does_the_same_few_queries_with_few_or_many_organisations(
    as_visitor, spread, django_assert_max_num_queries
):
    # Seven facets and the names of selected values (8), counts per municipality,
    # the boundaries of the states involved, the markers by grid cell (3).
    params = {"state": "20", "kind": "cso"}
    with CaptureQueriesContext(connection) as few:
        page(as_visitor, params)
    valles = list(Municipality.objects.filter(region__slug="valles-centrales"))
    for n in range(60):
        organization(
            f"Otra {n}",
            municipality=valles[n % len(valles)],
            latitude=CENTRO[0] if n % 2 else None,
            longitude=CENTRO[1] if n % 2 else None,
        )
    with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as many:
        page(as_visitor, params)
    assert len(few.captured_queries) == len(many.captured_queries)
