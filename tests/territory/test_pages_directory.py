"""Region and municipality pages with the directory in them: their published
organisations, counts by theme and key communities, on the real catalogue."""

from __future__ import annotations

import re

import pytest

from polo.directory.models import KeyCommunity, Language, Organization
from polo.territory.models import Community, Municipality
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]

REGION = "/territorio/regiones/valles-centrales/"
CENTRO = "/territorio/municipios/20067/"
CREDIT = "Fuente: INEGI, Marco Geoestadístico"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def themed():
    """In Valles Centrales: 2 on health (one also on water), 1 on water elsewhere
    in the region, a draft on health; in La Montaña, 1 on health."""
    health = f.ThemeFactory(slug="salud-prueba", name="Salud comunitaria")
    water = f.ThemeFactory(slug="agua-prueba", name="Agua")
    centro = Municipality.objects.get(code="20067")
    etla = Municipality.objects.get(code="20338")  # Villa de Etla, also Valles Centrales
    tlapa = Municipality.objects.get(code="12066")  # Tlapa de Comonfort, La Montaña
    orgs = {}
    for name, place, themes, status in (
        ("Salud y Agua A.C.", centro, [health, water], "published"),
        ("Clínica Comunitaria", centro, [health], "published"),
        ("Agua de Etla", etla, [water], "published"),
        ("Borrador de Salud", centro, [health], "draft"),
        ("Salud en la Montaña", tlapa, [health], "published"),
    ):
        org = f.OrganizationFactory(name=name, municipality=place, status=status)
        org.themes.set(themes)
        orgs[name] = org
    return orgs


def test_the_region_page_lists_its_published_organisations(as_visitor, themed):
    organizations = section(page(as_visitor, REGION), "organizaciones")
    for name in ("Salud y Agua A.C.", "Clínica Comunitaria", "Agua de Etla"):
        assert name in organizations
    assert "Borrador de Salud" not in organizations
    assert "Salud en la Montaña" not in organizations
    assert 'href="/directorio/?region=valles-centrales"' in organizations


def test_the_region_page_shows_twenty_and_links_to_all_of_them_in_the_directory(as_visitor):
    centro = Municipality.objects.get(code="20067")
    Organization.objects.bulk_create(
        Organization(
            name=f"Organización {n:02d}",
            kind="cso",
            status="published",
            municipality=centro,
        )
        for n in range(27)
    )
    organizations = section(page(as_visitor, REGION), "organizaciones")
    assert organizations.count('<li><a href="/directorio/organizaciones/') == 20
    assert "Organización 19" in organizations and "Organización 20" not in organizations
    assert (
        '<a href="/directorio/?region=valles-centrales">Ver las 27 organizaciones en el '
        "directorio, con filtros y mapa</a>" in organizations
    )


def test_the_region_page_counts_its_organisations_by_theme(as_visitor, themed):
    themes = section(page(as_visitor, REGION), "temas")
    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td class="num">(\d+)</td>', themes
    )
    assert rows == [
        ("/directorio/?region=valles-centrales&amp;theme=agua-prueba", "Agua", "2"),
        ("/directorio/?region=valles-centrales&amp;theme=salud-prueba", "Salud comunitaria", "2"),
    ]
    assert "<caption>" in themes and "varios temas" in themes


def test_a_theme_link_from_the_region_page_finds_what_it_counted(as_visitor, themed):
    response = as_visitor.get("/directorio/?region=valles-centrales&theme=salud-prueba")
    assert "2 organizaciones encontradas" in response.content.decode()


@pytest.fixture
def key_community(themed):
    community = Community.objects.get(code="200670001")
    profile = KeyCommunity.objects.create(
        community=community,
        reason="Centro de servicios para las comunidades zapotecas del valle.",
        notes="Mercado regional los sábados.",
    )
    profile.languages.set(Language.objects.filter(code__in=["zapoteco", "mixteco"]))
    profile.organizations.set([themed["Clínica Comunitaria"], themed["Borrador de Salud"]])
    return profile


def test_the_region_page_shows_key_communities_with_why_they_are_key(as_visitor, key_community):
    key = section(page(as_visitor, REGION), "comunidades")
    assert "Centro de servicios para las comunidades zapotecas del valle." in key
    assert "Mercado regional los sábados." in key
    assert "Zapoteco" in key and "Mixteco" in key
    assert "Clínica Comunitaria</a>" in key
    assert "Borrador de Salud" not in key  # unpublished organisations stay hidden
    assert 'href="/territorio/municipios/20067/"' in key


def test_a_community_marked_key_without_details_is_still_listed(as_visitor, db):
    Community.objects.filter(code="200670001").update(is_key=True)
    key = section(page(as_visitor, REGION), "comunidades")
    assert '<th scope="row">' in key and "—" in key


def test_the_municipality_page_shows_organisations_themes_and_key_communities(
    as_visitor, key_community
):
    html = page(as_visitor, CENTRO)
    organizations = section(html, "organizaciones")
    assert "Salud y Agua A.C." in organizations and "Agua de Etla" not in organizations
    assert 'href="/directorio/?municipality=20067"' in organizations
    themes = section(html, "temas")
    assert re.findall(r">([^<]+)</a></th><td class=\"num\">(\d+)<", themes) == [
        ("Salud comunitaria", "2"),
        ("Agua", "1"),
    ]
    assert 'href="/directorio/?municipality=20067&amp;theme=agua-prueba"' in themes
    key = section(html, "comunidades")
    assert "Centro de servicios" in key and "Clínica Comunitaria" in key
    assert CREDIT in html[html.index("<footer") :]


def test_the_municipality_page_shows_twenty_and_links_to_the_rest(as_visitor):
    tlapa = Municipality.objects.get(code="12066")
    Organization.objects.bulk_create(
        Organization(name=f"Org {n:02d}", kind="cso", status="published", municipality=tlapa)
        for n in range(21)
    )
    organizations = section(page(as_visitor, "/territorio/municipios/12066/"), "organizaciones")
    assert organizations.count('<li><a href="/directorio/organizaciones/') == 20
    assert "Ver todas en el directorio, con filtros y mapa" in organizations


def test_a_municipality_without_key_communities_has_no_empty_section(as_visitor, themed):
    assert 'id="comunidades"' not in page(as_visitor, "/territorio/municipios/20338/")


def test_pages_without_organisations_say_so(as_visitor, db):
    html = page(as_visitor, "/territorio/regiones/acapulco/")
    assert "Aún no hay organizaciones publicadas con sede en esta región." in html
    assert "Aún no hay organizaciones publicadas con temas registrados aquí." in html


def test_what_people_typed_in_a_key_community_is_escaped(as_visitor, key_community):
    key_community.reason = "<script>alert(1)</script>"
    key_community.save()
    html = page(as_visitor, CENTRO)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_the_pages_keep_a_fixed_number_of_queries_with_everything_shown(
    as_visitor, key_community, django_assert_max_num_queries
):
    # Region: the region, its municipalities, organisations, themes, key
    # communities with their languages and organisations, the region order.
    valles = list(Municipality.objects.filter(region__slug="valles-centrales")[:10])
    for n, place in enumerate(valles):
        profile = KeyCommunity.objects.create(
            community=f.CommunityFactory(municipality=place, is_key=True), reason=f"Razón {n}"
        )
        profile.languages.set(Language.objects.all()[:3])
        profile.organizations.set(Organization.objects.published()[:3])
    for url in (REGION, CENTRO):
        with django_assert_max_num_queries(8):
            page(as_visitor, url)
