"""GET /api/v1/organizations: the contract other tools rely on, the directory's
own search and filters, pagination."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from polo.directory.selectors import DirectoryFilters, organization_search
from tests import factories as f
from tests.api.conftest import get_json

URL = "/api/v1/organizations"


def ids(data) -> list[int]:
    return [item["id"] for item in data["items"]]


def test_it_answers_count_and_items_with_the_documented_keys(as_visitor, directory):
    response, data = get_json(as_visitor, URL)
    assert response.status_code == 200
    assert data["count"] == 3
    assert data["page"] == 1
    assert data["page_size"] == 20
    assert data["next"] is None
    assert data["previous"] is None
    assert len(data["items"]) == 3
    expected_keys = {
        "id",
        "name",
        "acronym",
        "kind",
        "description",
        "url",
        "api_url",
        "municipality",
        "municipality_name",
        "state",
        "region",
        "themes",
        "populations",
        "languages",
        "latitude",
        "longitude",
        "contacts",
        "updated_at",
    }
    for item in data["items"]:
        assert set(item) == expected_keys
        assert isinstance(item["id"], int)
        assert isinstance(item["name"], str)
        assert re.fullmatch(r"\d{5}", item["municipality"]), item["municipality"]
        assert re.fullmatch(r"\d{2}", item["state"])
        assert all(isinstance(slug, str) for slug in item["themes"])


def test_an_item_carries_its_public_data(as_visitor, directory):
    _, data = get_json(as_visitor, URL, {"q": "MUVA"})
    [item] = data["items"]
    women = directory["women"]
    assert item["id"] == women.pk
    assert item["name"] == "Mujeres de los Valles A.C."
    assert item["acronym"] == "MUVA"
    assert item["kind"] == "cso"
    assert item["municipality"] == "20067"
    assert item["municipality_name"] == "Oaxaca de Juárez"
    assert item["state"] == "20"
    assert item["region"] == "valles-centrales"
    assert item["themes"] == ["api-mujeres"]
    assert item["populations"] == ["api-mujeres"]
    assert item["languages"] == ["api-zapoteco"]
    assert item["latitude"] == pytest.approx(17.0608)
    assert item["longitude"] == pytest.approx(-96.7253)
    assert item["contacts"] == [
        {"kind": "email", "value": "contacto@mujeresvalles.org"},
        {"kind": "website", "value": "https://mujeresvalles.org"},
    ]
    assert item["url"] == f"http://testserver/directorio/organizaciones/{women.pk}/"
    assert item["api_url"] == f"http://testserver/api/v1/organizations/{women.pk}"


def test_an_organization_without_coordinates_or_region_says_null(as_visitor, directory):
    outside = f.MunicipalityFactory(code="21114", name="Puebla", state=f.StateFactory(code="21"))
    org = f.OrganizationFactory(name="Fuera de región", municipality=outside)
    _, data = get_json(as_visitor, URL, {"municipality": "21114"})
    [item] = data["items"]
    assert item["id"] == org.pk
    assert item["region"] is None
    assert item["latitude"] is None and item["longitude"] is None
    assert item["themes"] == [] and item["contacts"] == []


def test_the_text_search_forgives_accents_case_and_word_forms(as_visitor, directory):
    for query in ("ninos", "NIÑAS", "montana", "mujer", "Mujeres"):
        _, data = get_json(as_visitor, URL, {"q": query})
        assert data["count"] >= 1, query
    _, data = get_json(as_visitor, URL, {"q": "ninas montana"})
    assert ids(data) == [directory["collective"].pk]


SEARCHES = [
    {},
    {"q": "mujeres"},
    {"q": "territorio"},
    {"kind": "cso"},
    {"kind": "cso,network"},
    {"kind": ["cso", "collective"]},
    {"theme": "api-mujeres"},
    {"theme": "api-mujeres,api-ninez"},
    {"theme": "no-existe"},
    {"region": "valles-centrales"},
    {"region": "montana", "kind": "collective"},
    {"state": "12"},
    {"municipality": "20067"},
    {"municipality": ["20067", "12041"]},
    {"population": "api-juventudes"},
    {"language": "api-zapoteco,api-nahuatl"},
    {"q": "mujeres", "sort": "name"},
    {"sort": "-name"},
    {"sort": "-updated"},
    {"sort": "founded"},
    {"q": "red", "theme": "api-ambiente", "region": "valles-centrales"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=[str(s) for s in SEARCHES])
def test_it_answers_what_the_directory_search_answers_in_the_same_order(
    as_visitor, directory, params
):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    expected = list(
        organization_search(DirectoryFilters.from_params(query)).values_list("pk", flat=True)
    )
    _, data = get_json(as_visitor, f"{URL}?{query.urlencode()}")
    assert data["count"] == len(expected)
    assert ids(data) == expected


def test_filters_narrow_the_results(as_visitor, directory):
    _, data = get_json(as_visitor, URL, {"kind": "network"})
    assert ids(data) == [directory["network"].pk]
    _, data = get_json(as_visitor, URL, {"theme": "api-mujeres", "kind": "cso"})
    assert ids(data) == [directory["women"].pk]
    _, data = get_json(as_visitor, URL, {"region": "montana"})
    assert ids(data) == [directory["collective"].pk]
    _, data = get_json(as_visitor, URL, {"theme": "no-existe"})
    assert data == {
        "count": 0,
        "page": 1,
        "page_size": 20,
        "next": None,
        "previous": None,
        "items": [],
    }


def test_unknown_parameters_are_ignored_as_on_the_page(as_visitor, directory):
    _, everything = get_json(as_visitor, URL)
    response, data = get_json(as_visitor, URL, {"vista": "mapa", "theme[]": "api-ninez"})
    assert response.status_code == 200
    assert ids(data) == ids(everything)


@pytest.fixture
def many(directory):
    f.OrganizationFactory.create_batch(9, municipality=directory["women"].municipality)
    return directory  # 12 published organisations


def test_pages_link_to_each_other_keeping_the_filters(as_visitor, many):
    _, first = get_json(as_visitor, URL, {"page_size": 5, "kind": "cso,collective,network"})
    assert first["count"] == 12
    assert len(first["items"]) == 5
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/organizations?")
    assert "kind=cso%2Ccollective%2Cnetwork" in first["next"]
    seen = ids(first)
    _, second = get_json(as_visitor, first["next"])
    assert second["page"] == 2
    seen += ids(second)
    _, third = get_json(as_visitor, second["next"])
    assert third["next"] is None
    assert len(third["items"]) == 2
    seen += ids(third)
    assert len(set(seen)) == 12
    _, back = get_json(as_visitor, third["previous"])
    assert ids(back) == ids(second)


def test_page_size_is_at_most_one_hundred(as_visitor, many):
    response, data = get_json(as_visitor, URL, {"page_size": 100})
    assert response.status_code == 200
    assert data["page_size"] == 100
    assert len(data["items"]) == 12


def test_a_page_past_the_last_is_not_found(as_visitor, many):
    response, data = get_json(as_visitor, URL, {"page": 4, "page_size": 5})
    assert response.status_code == 404
    assert "3" in data["detail"]


def test_an_empty_search_has_an_empty_first_page(as_visitor, db):
    response, data = get_json(as_visitor, URL)
    assert response.status_code == 200
    assert data["count"] == 0 and data["items"] == []
