"""The public territory pages and the programme map, on the real catalogue."""

import gzip
import re

import pytest
from django.core.cache import cache

from polo.directory.models import Organization
from polo.territory import maps
from polo.territory.models import Community, Municipality, Region
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]

CREDIT = "Fuente: INEGI, Marco Geoestadístico"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def footer(html: str) -> str:
    return html[html.index("<footer") :]


@pytest.mark.parametrize(
    "persona", ["as_visitor", "as_participant", "as_editor", "as_facilitator", "as_coordinator"]
)
def test_every_territory_page_is_public_and_credits_inegi(request, persona):
    client = request.getfixturevalue(persona)
    for url in (
        "/territorio/",
        "/territorio/regiones/valles-centrales/",
        "/territorio/municipios/20067/",
        "/territorio/estados/20/",
    ):
        assert CREDIT in footer(page(client, url)), url


@pytest.mark.parametrize(
    "url",
    [
        "/territorio/regiones/no-existe/",
        "/territorio/regiones/%3Cscript%3E/",
        "/territorio/municipios/99999/",
        "/territorio/municipios/abc/",
        "/territorio/municipios/20067%27--/",
        "/territorio/estados/99/",
    ],
)
def test_unknown_places_answer_404(as_visitor, url):
    assert as_visitor.get(url).status_code == 404


def test_territory_pages_refuse_writes(as_visitor):
    assert as_visitor.post("/territorio/regiones/valles-centrales/").status_code == 405


def test_the_region_list_shows_the_six_regions_the_map_and_the_32_states(as_visitor):
    html = page(as_visitor, "/territorio/")
    for name in ("Valles Centrales", "Mixteca (Huajuapan)", "Tehuacán", "La Montaña"):
        assert name in html
    assert 'class="map-figure"' in html
    assert html.count('href="/territorio/estados/') >= 32
    assert "Ciudad de México" in html


def test_the_region_page_lists_its_municipalities_with_a_map_and_published_counts(as_visitor):
    oaxaca = Municipality.objects.get(code="20067")
    f.OrganizationFactory(name="Publicada A.C.", municipality=oaxaca)
    f.OrganizationFactory(name="Publicada dos A.C.", municipality=oaxaca)
    f.OrganizationFactory(municipality=oaxaca, status=Organization.Status.DRAFT)
    html = page(as_visitor, "/territorio/regiones/valles-centrales/")
    assert html.count('<th scope="row"><a href="/territorio/municipios/20') == 121
    row = re.search(r"Oaxaca de Juárez</a></th>.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<td class="num">([^<]+)</td>', row)[-1] == "2"
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert svg.count("<path ") == 121
    assert 'role="group"' in svg and "Municipios de la región Valles Centrales" in svg


def test_the_region_page_shows_its_key_communities(as_visitor):
    Community.objects.filter(code="200670001").update(is_key=True)
    html = page(as_visitor, "/territorio/regiones/valles-centrales/")
    key_section = html[html.index('id="comunidades"') :]
    assert "Oaxaca de Juárez" in key_section
    html = page(as_visitor, "/territorio/regiones/montana/")
    assert "Aún no se han señalado comunidades clave" in html


def test_the_region_page_escapes_what_coordinators_type(as_visitor):
    Region.objects.filter(slug="acapulco").update(
        name="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    html = page(as_visitor, "/territorio/regiones/acapulco/")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_region_pages_do_a_fixed_number_of_queries(as_visitor, django_assert_max_num_queries):
    for slug in ("valles-centrales", "acapulco", "montana"):
        with django_assert_max_num_queries(8):
            page(as_visitor, f"/territorio/regiones/{slug}/")


def test_the_municipality_page_shows_data_communities_organisations_and_a_map(as_visitor):
    acapulco = Municipality.objects.get(code="12001")
    f.OrganizationFactory(name="Red Costera A.C.", municipality=acapulco)
    f.OrganizationFactory(
        name="Borrador oculto", municipality=acapulco, status=Organization.Status.DRAFT
    )
    html = page(as_visitor, "/territorio/municipios/12001/")
    assert "<h1>Acapulco de Juárez</h1>" in html
    assert "Red Costera A.C." in html and "Borrador oculto" not in html
    assert "Acapulco de Juárez</th>" in html  # the seat locality, accents restored
    assert 'href="/territorio/regiones/acapulco/"' in html
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert svg.count("map-area-highlight") == 1
    assert "<circle" in svg  # its localities
    assert svg.count("<path ") > 1  # with its neighbours


def test_a_municipality_map_shows_neighbours_across_the_state_border(as_visitor):
    html = page(as_visitor, "/territorio/municipios/21156/")  # Tehuacán, next to Oaxaca
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'href="/territorio/municipios/20' in svg and 'href="/territorio/municipios/21' in svg


def test_a_municipality_without_boundary_or_census_figures_still_has_a_page(as_visitor):
    html = page(as_visitor, "/territorio/municipios/01001/")
    assert "Aguascalientes" in html and "<svg " not in html.split("<main")[1]
    assert "Fuera de las regiones del programa" in html
    html = page(as_visitor, "/territorio/municipios/12083/")  # Ñuu Savi, created in 2021
    assert "Sin dato" in html


def test_municipality_pages_do_a_fixed_number_of_queries(as_visitor, django_assert_max_num_queries):
    for code in ("20067", "12001", "21114", "01001"):
        with django_assert_max_num_queries(8):
            page(as_visitor, f"/territorio/municipios/{code}/")


def test_state_pages_list_every_municipality_in_a_fixed_number_of_queries(
    as_visitor, django_assert_max_num_queries
):
    cache.clear()
    for code, count in (("20", 570), ("21", 217), ("01", 11)):
        with django_assert_max_num_queries(7):
            html = page(as_visitor, f"/territorio/estados/{code}/")
        assert html.count('<th scope="row"><a href="/territorio/municipios/') == count


def test_the_programme_map_is_small_and_lists_the_regions_with_their_numbers():
    cache.clear()
    html = maps.programme_map_svg()
    assert len(html.encode()) <= 60_000
    assert len(gzip.compress(html.encode())) <= 25_000
    legend = re.findall(r"<li>.*?</li>", html, re.S)
    assert len(legend) == 6
    assert '1. <a href="/territorio/regiones/valles-centrales/">Valles Centrales</a>' in legend[0]
    assert "(121 municipios)" in legend[0] and "(1 municipio)" in legend[4]
    assert html.count('class="map-region ') == 6
    assert html.count('class="map-state"') == 3
    assert 'role="img"' in html and "<a " not in html.split("</svg>")[0]
    assert "6. La Montaña" in re.search(r"<desc[^>]*>(.*?)</desc>", html).group(1)


def test_the_programme_map_is_cached_and_redrawn_when_a_region_changes(
    django_assert_max_num_queries,
):
    first = maps.programme_map_svg()
    with django_assert_max_num_queries(2):
        assert maps.programme_map_svg() == first
    Municipality.objects.filter(code="20067").update(
        region=Region.objects.get(slug="mixteca-huajuapan")
    )
    Region.objects.filter(slug="puebla").update(name='Puebla <img src=x onerror="x">')
    redrawn = maps.programme_map_svg()
    assert "(120 municipios)" in redrawn and "(29 municipios)" in redrawn
    assert "<img" not in redrawn and "Puebla &lt;img" in redrawn
