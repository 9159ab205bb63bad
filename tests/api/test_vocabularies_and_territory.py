"""Themes, populations, languages, regions and municipalities: what the filters
take, with the counts a client shows beside them."""

from __future__ import annotations

import re

import pytest

from polo.directory.models import Theme
from polo.territory.models import Municipality
from tests import factories as f
from tests.api.conftest import get_json


def by_key(items, key="slug"):
    return {item[key]: item for item in items}


def test_themes_give_slug_names_and_published_counts(as_visitor, directory):
    response, data = get_json(as_visitor, "/api/v1/themes")
    assert response.status_code == 200
    themes = by_key(data)
    assert set(themes) == set(Theme.objects.values_list("slug", flat=True))
    # The draft, the pending and the archived record do not count.
    assert themes["api-mujeres"] == {
        "slug": "api-mujeres",
        "name": "Derechos de las mujeres",
        "name_en": "",
        "organization_count": 2,
    }
    assert themes["api-ninez"]["organization_count"] == 1


def test_the_theme_slugs_are_the_values_of_the_theme_filter(as_visitor, directory):
    _, data = get_json(as_visitor, "/api/v1/themes")
    for theme in data:
        _, page = get_json(as_visitor, "/api/v1/organizations", {"theme": theme["slug"]})
        assert page["count"] == theme["organization_count"], theme["slug"]


def test_populations_and_languages_give_the_filter_values(as_visitor, directory):
    _, populations = get_json(as_visitor, "/api/v1/populations")
    assert by_key(populations)["api-juventudes"]["organization_count"] == 1
    _, languages = get_json(as_visitor, "/api/v1/languages")
    nahuatl = by_key(languages, "code")["api-nahuatl"]
    assert nahuatl["name"] == "Náhuatl"
    assert nahuatl["organization_count"] == 1
    assert isinstance(nahuatl["is_indigenous"], bool)


def test_regions_give_their_state_and_counts(as_visitor, directory):
    f.MunicipalityFactory(
        code="20001", name="Abejones", state=directory["women"].municipality.state
    )
    f.MunicipalityFactory(
        code="20390",
        name="Santa Lucía del Camino",
        state=directory["women"].municipality.state,
        region=directory["women"].municipality.region,
    )
    response, data = get_json(as_visitor, "/api/v1/regions")
    assert response.status_code == 200
    regions = by_key(data)
    assert regions["valles-centrales"] == {
        "slug": "valles-centrales",
        "name": "Valles Centrales",
        "state": "20",
        "state_name": "Oaxaca",
        "municipality_count": 2,
        "organization_count": 2,
        "url": "http://testserver/territorio/regiones/valles-centrales/",
    }
    assert regions["montana"]["state"] == "12"
    assert regions["montana"]["organization_count"] == 1


@pytest.fixture
def municipalities(region, other_region):
    oaxaca, guerrero = region.state, other_region.state
    for code, name, state, in_region in [
        ("20067", "Oaxaca de Juárez", oaxaca, region),
        ("20390", "Santa Lucía del Camino", oaxaca, region),
        ("20001", "Abejones", oaxaca, None),
        ("20397", "Heroica Ciudad de Tlaxiaco", oaxaca, None),
        ("12041", "Malinaltepec", guerrero, other_region),
        ("12001", "Acapulco de Juárez", guerrero, None),
    ]:
        f.MunicipalityFactory(code=code, name=name, state=state, region=in_region)


def codes(data):
    return [item["code"] for item in data["items"]]


def test_municipalities_are_paginated_in_code_order(as_visitor, municipalities):
    response, data = get_json(as_visitor, "/api/v1/municipalities", {"page_size": 4})
    assert response.status_code == 200
    assert data["count"] == Municipality.objects.count() == 6
    assert codes(data) == ["12001", "12041", "20001", "20067"]
    _, rest = get_json(as_visitor, data["next"])
    assert codes(rest) == ["20390", "20397"]
    item = data["items"][1]
    assert item == {
        "code": "12041",
        "name": "Malinaltepec",
        "state": "12",
        "region": "montana",
        "url": "http://testserver/territorio/municipios/12041/",
    }
    assert all(re.fullmatch(r"\d{5}", code) for code in codes(data))


def test_municipalities_filter_by_state_region_and_name(as_visitor, municipalities):
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"state": "12"})
    assert codes(data) == ["12001", "12041"]
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"region": "valles-centrales"})
    assert codes(data) == ["20067", "20390"]
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"q": "JUAREZ"})
    assert codes(data) == ["12001", "20067"]
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"q": "lucia camino"})
    assert codes(data) == ["20390"]
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"q": "juárez", "state": "20"})
    assert codes(data) == ["20067"]
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"q": "2039"})
    assert codes(data) == ["20390", "20397"]
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"region": "no-existe"})
    assert data["count"] == 0 and data["items"] == []


def test_a_region_outside_the_programme_is_null(as_visitor, municipalities):
    _, data = get_json(as_visitor, "/api/v1/municipalities", {"q": "Abejones"})
    assert data["items"][0]["region"] is None
