"""The organisation list does a fixed number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polo.directory.models import ContactPoint, Organization
from tests import factories as f

# The count (kept per search until the directory changes), the page, themes,
# populations, languages, public contacts.
LIST_QUERIES = 6


@pytest.fixture
def crowded(directory, themes):
    """120 more published organisations, each with themes, populations,
    languages and contacts, public and private (written in bulk)."""
    municipality = directory["women"].municipality
    population = directory["populations"]["women"]
    language = directory["languages"]["zapotec"]
    chosen = [themes["mujeres"], themes["ambiente"]]
    organizations = []
    for n in range(120):
        organization = Organization(
            name=f"Colectiva número {n} por los derechos de las mujeres",
            kind=Organization.Kind.COLLECTIVE,
            status=Organization.Status.PUBLISHED,
            municipality=municipality,
        )
        organization.refresh_search_fields(theme_names=[theme.name for theme in chosen])
        organizations.append(organization)
    created = Organization.objects.bulk_create(organizations)
    Organization.themes.through.objects.bulk_create(
        Organization.themes.through(organization=o, theme=t) for o in created for t in chosen
    )
    Organization.populations.through.objects.bulk_create(
        Organization.populations.through(organization=o, population=population) for o in created
    )
    Organization.languages.through.objects.bulk_create(
        Organization.languages.through(organization=o, language=language) for o in created
    )
    ContactPoint.objects.bulk_create(
        ContactPoint(organization=o, kind=kind, value=f"{kind}-{o.pk}", is_public=public)
        for o in created
        for kind, public in (("email", True), ("phone", False), ("website", True))
    )
    return created


@pytest.mark.parametrize("page_size", [5, 100])
def test_the_list_does_a_fixed_number_of_queries(
    as_visitor, crowded, page_size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_QUERIES):
        response = as_visitor.get(
            "/api/v1/organizations",
            {
                "q": "mujeres",
                "theme": "api-mujeres",
                "region": "valles-centrales",
                "page_size": page_size,
            },
        )
    assert response.status_code == 200
    data = response.json()
    assert len(data["items"]) == page_size
    assert all(item["themes"] and item["contacts"] for item in data["items"])


def test_a_small_and_a_full_page_cost_the_same(as_visitor, crowded):
    counts = []
    for page_size in (5, 100):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            as_visitor.get("/api/v1/organizations", {"page_size": page_size})
        counts.append(len(queries))
    assert counts[0] == counts[1] == LIST_QUERIES


def test_the_count_of_a_search_is_kept_until_the_directory_changes(as_visitor, crowded):
    """Another page of the same search does not count again; a change to the
    directory makes the next page count afresh, and the count is right."""
    cache.clear()
    params = {"q": "mujeres", "page_size": 5}
    first = as_visitor.get("/api/v1/organizations", params).json()["count"]
    with CaptureQueriesContext(connection) as queries:
        second = as_visitor.get("/api/v1/organizations", {**params, "page": 2}).json()
    assert len(queries) == LIST_QUERIES - 1
    assert second["count"] == first >= len(crowded)
    crowded[0].status = Organization.Status.ARCHIVED
    crowded[0].save()
    with CaptureQueriesContext(connection) as queries:
        third = as_visitor.get("/api/v1/organizations", {**params, "page": 3}).json()
    assert len(queries) == LIST_QUERIES
    assert third["count"] == first - 1


def test_the_detail_does_a_fixed_number_of_queries(
    as_visitor, directory, django_assert_max_num_queries
):
    network = directory["network"]
    for n in range(30):
        member = f.OrganizationFactory(name=f"Integrante {n}", municipality=network.municipality)
        network.network_members.create(member=member)
    # The organisation, three vocabularies, contacts, identifiers, coverage
    # (municipalities, regions), networks, members, alliances (both ways).
    with django_assert_max_num_queries(12):
        response = as_visitor.get(f"/api/v1/organizations/{network.pk}")
    assert len(response.json()["members"]) == 32


def test_municipalities_do_a_fixed_number_of_queries(
    as_visitor, directory, django_assert_max_num_queries
):
    for n in range(150):
        f.MunicipalityFactory(code=f"20{n + 100:03d}", name=f"San Juan {n}")
    with django_assert_max_num_queries(3):
        response = as_visitor.get("/api/v1/municipalities", {"q": "san juan", "page_size": 100})
    assert len(response.json()["items"]) == 100
