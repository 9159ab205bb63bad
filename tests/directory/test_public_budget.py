"""The public directory's pages within the page budget (100 KB gzipped with
their assets, at most 4 asset requests), with realistic data on the real
boundaries: 300 organisations, all of Oaxaca on the map.

Run with `pytest -s` to see the figures."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from polo.core.budget import weigh_page
from polo.directory.models import (
    Alliance,
    ContactPoint,
    Language,
    NetworkMembership,
    Organization,
    Population,
    Theme,
)
from polo.territory import geo
from polo.territory.models import Municipality, Region
from tests.directory.helpers_public import (
    real_territory,  # noqa: F401  (a fixture)
    svg_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_territory")]

WORDS = (
    "Mujeres Niñez Juventud Agua Tierra Territorio Derechos Paz Salud Educación Cultura "
    "Maíz Comunidad Ciudadanía Memoria Justicia Semillas Montaña Costa Valles"
).split()


@pytest.fixture
def directory():
    """300 published organisations: two in three in Oaxaca, spread over all its
    570 municipalities, the rest in Puebla and Guerrero; themes, populations,
    languages; half with coordinates (at their municipality's label point)."""
    rng = random.Random(3)
    oaxaca = list(Municipality.objects.filter(state__code="20").order_by("code"))
    others = list(Municipality.objects.filter(state__code__in=["12", "21"]).order_by("code"))
    themes = list(Theme.objects.all())
    populations = list(Population.objects.all())
    languages = list(Language.objects.all())
    kinds = (
        [Organization.Kind.CSO] * 6
        + [Organization.Kind.COLLECTIVE] * 2
        + [
            Organization.Kind.NETWORK,
            Organization.Kind.ACADEMIC,
        ]
    )
    new = []
    for n in range(300):
        place = oaxaca[(n * 37) % len(oaxaca)] if n % 3 else others[(n * 11) % len(others)]
        latitude = longitude = None
        if n % 2 and place.label_point:
            lon, lat = geo.unproject(*place.label_point)
            latitude, longitude = Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
        chosen = rng.sample(themes, 1 + n % 3)
        org = Organization(
            name=f"{rng.choice(WORDS)} y {rng.choice(WORDS)} de {place.name} {n} A.C.",
            acronym="".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)),
            kind=kinds[n % len(kinds)],
            status=Organization.Status.PUBLISHED,
            description=(
                f"Trabaja con mujeres, jóvenes y comunidades de {place.name} en "
                + ", ".join(t.name.lower() for t in chosen)
                + ". Acompaña procesos comunitarios y de incidencia en políticas públicas."
            ),
            founded_year=1980 + n % 44,
            municipality=place,
            latitude=latitude,
            longitude=longitude,
        )
        org.refresh_search_fields(theme_names=[t.name for t in chosen])
        new.append((org, chosen))
    Organization.objects.bulk_create([org for org, _chosen in new])
    Organization.themes.through.objects.bulk_create(
        Organization.themes.through(organization=org, theme=theme)
        for org, chosen in new
        for theme in chosen
    )
    Organization.populations.through.objects.bulk_create(
        Organization.populations.through(
            organization=org, population=populations[n % len(populations)]
        )
        for n, (org, _chosen) in enumerate(new)
    )
    Organization.languages.through.objects.bulk_create(
        Organization.languages.through(organization=org, language=languages[n % len(languages)])
        for n, (org, _chosen) in enumerate(new)
    )
    return [org for org, _chosen in new]


def weigh(client, path: str, params=None) -> int:
    response = client.get(path, params or {})
    assert response.status_code == 200, path
    weight = weigh_page(response.content)
    print(
        f"{response.request['PATH_INFO']}?{response.request.get('QUERY_STRING', '')}: "
        f"{weight.total_bytes / 1024:.1f} KB gzipped (HTML {weight.html_bytes / 1024:.1f} KB), "
        f"{weight.asset_requests} assets"
    )
    assert weight.problems() == [], path
    return weight.total_bytes


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "mujeres comunidades", "state": "20", "kind": ["cso", "collective"]},
        {"page": "7", "sort": "-name"},
    ],
)
def test_the_search_page_stays_within_the_budget(as_visitor, directory, params):
    weigh(as_visitor, "/directorio/", params)


def test_the_map_of_all_of_oaxaca_stays_within_the_budget(as_visitor, directory):
    response = as_visitor.get("/directorio/mapa/", {"state": "20"})
    assert svg_of(response.content).count("<path ") == 570  # every municipality drawn
    weigh(as_visitor, "/directorio/mapa/", {"state": "20"})


def test_the_map_of_the_whole_directory_stays_within_the_budget(as_visitor, directory):
    weigh(as_visitor, "/directorio/mapa/")


def test_a_full_profile_stays_within_the_budget(as_visitor, as_coordinator, directory):
    org = directory[1]
    others = directory[2:40]
    now = timezone.now()
    org.coverage_regions.add(
        *Region.objects.filter(slug__in=["valles-centrales", "mixteca-huajuapan"])
    )
    org.coverage_municipalities.add(*Municipality.objects.filter(state__code="21")[:20])
    for n, other in enumerate(others):
        Alliance.objects.create(
            source=org,
            target=other,
            kind="agreement",
            source_confirmed_at=now,
            target_confirmed_at=now,
            description="Convenio para acompañar a comunidades en la defensa del territorio.",
        )
        ContactPoint.objects.create(
            organization=org, kind="phone", value=f"951 555 01{n:02d}", is_public=n % 2 == 0
        )
    network = directory[8]  # a network (kinds repeat every ten)
    assert network.kind == Organization.Kind.NETWORK
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, member=member) for member in directory[20:120]
    )
    for client in (as_visitor, as_coordinator):
        weigh(client, org.get_absolute_url())
        weigh(client, network.get_absolute_url())
