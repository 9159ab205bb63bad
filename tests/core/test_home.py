"""The home page: what Polo is, the regions, live counts, a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polo.directory.models import Organization
from tests import factories as f

Kind = Organization.Kind


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_says_what_polo_is_in_spanish(as_visitor, db):
    page = text_of(as_visitor.get("/"))
    assert "<h1>Polo, ciudadanía participativa</h1>" in page
    for result in (
        "Conocer el territorio",
        "Formar y acompañar",
        "Tejer redes",
        "Incidir en lo público",
    ):
        assert result in page
    assert 'href="/directorio/"' in page


def test_it_lists_each_region_with_its_state_and_counts(
    as_visitor, region, municipality, other_region, other_municipality
):
    f.OrganizationFactory(municipality=municipality)
    f.OrganizationFactory(municipality=municipality)
    f.OrganizationFactory(municipality=municipality, status=Organization.Status.DRAFT)
    f.MunicipalityFactory(code="20001", state=region.state, region=region)
    page = text_of(as_visitor.get("/"))
    row = re.search(r"Valles Centrales.*?</tr>", page).group(0)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["Oaxaca", "2", "2"]  # state, municipalities, published organisations
    row = re.search(r"La Montaña.*?</tr>", page).group(0)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["Guerrero", "1", "0"]


def test_it_counts_only_published_organisations_by_kind(as_visitor, municipality):
    f.OrganizationFactory.create_batch(3, municipality=municipality, kind=Kind.CSO)
    f.OrganizationFactory(municipality=municipality, kind=Kind.NETWORK)
    f.OrganizationFactory(
        municipality=municipality, kind=Kind.CSO, status=Organization.Status.PENDING
    )
    f.OrganizationFactory(
        municipality=municipality, kind=Kind.CSO, status=Organization.Status.ARCHIVED
    )
    page = text_of(as_visitor.get("/"))
    assert '<span class="stat-value">4</span> <span class="stat-label">actores publicados' in page
    assert "3 de 190" in page
    assert "1 de 3" in page
    assert '<progress max="190" value="3"' in page
    assert "0 de 50" in page and "0 de 7" in page


def test_progress_toward_a_target_stops_at_the_target(as_visitor, municipality):
    f.OrganizationFactory.create_batch(4, municipality=municipality, kind=Kind.NETWORK)
    page = text_of(as_visitor.get("/"))
    assert "4 de 3" in page
    assert '<progress max="3" value="3"' in page


def test_it_links_regions_to_their_pages_when_they_exist(as_visitor, region):
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("territory:region", args=[region.slug])
    except NoReverseMatch:
        pytest.skip("territory:region is not routed yet")
    assert f'href="{url}"' in as_visitor.get("/").content.decode()


def test_it_shows_large_numbers_with_thousands_separators_in_both_languages(
    as_visitor, municipality
):
    Organization.objects.bulk_create(
        Organization(
            name=f"Org {n}",
            kind=Kind.CSO,
            status=Organization.Status.PUBLISHED,
            municipality=municipality,
        )
        for n in range(1234)
    )
    spanish = text_of(as_visitor.get("/"))
    assert '<span class="stat-value">1,234</span>' in spanish
    assert "1,234 de 190" in spanish
    as_visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = text_of(as_visitor.get("/"))
    assert 'lang="en"' in english
    assert '<span class="stat-value">1,234</span>' in english


def test_it_dates_its_figures_in_the_active_language(as_visitor, db, time_machine):
    time_machine.move_to("2026-03-05 12:00:00-06:00")
    # Django's Spanish catalogue capitalises month names ("Marzo"); the case is its call.
    assert "datos al 5 de marzo de 2026" in text_of(as_visitor.get("/")).lower()
    as_visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(as_visitor.get("/"))
    assert "March 5, 2026" in page


def queries_for_home(client) -> int:
    client.get("/")  # the map is cached once drawn: count what a later visitor costs
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_it_makes_the_same_number_of_queries_however_much_data_there_is(
    as_visitor, region, municipality
):
    small = queries_for_home(as_visitor)
    for n in range(6):
        other = f.RegionFactory(name=f"Región {n}", state=region.state)
        for m in range(3):
            place = f.MunicipalityFactory(code=f"20{n}{m}9", state=region.state, region=other)
            f.OrganizationFactory.create_batch(2, municipality=place)
    assert queries_for_home(as_visitor) == small


def test_it_needs_few_queries(as_visitor, municipality, django_assert_max_num_queries):
    f.OrganizationFactory.create_batch(5, municipality=municipality)
    as_visitor.get("/")  # draws and caches the map
    # Regions with their counts, organisation counts, and the map's two cache-key reads.
    with django_assert_max_num_queries(4):
        as_visitor.get("/")


def test_it_refuses_to_be_posted_to(as_visitor, db):
    assert as_visitor.post("/").status_code == 405
