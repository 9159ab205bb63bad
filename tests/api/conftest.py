"""A small published directory, with what must never leave through the API:
private contacts, a draft, an archived record, a merged record, alliances
confirmed by one side only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polo.directory.models import (
    Alliance,
    ContactPoint,
    Language,
    NetworkMembership,
    Organization,
    Population,
)
from tests import factories as f

PRIVATE_PHONE = "PRIVADO-951-555-0101"
PRIVATE_EMAIL = "privado.direccion@ejemplo.mx"
PRIVATE_ADDRESS = "Calle Secreta Núm. 7, Barrio Oculto"
PRIVATE_VALUES = (PRIVATE_PHONE, PRIVATE_EMAIL, PRIVATE_ADDRESS)
DRAFT_NAME = "Borrador Invisible de Prueba"
PENDING_NAME = "Pendiente Invisible de Prueba"
ARCHIVED_NAME = "Archivada Invisible de Prueba"


def vocabulary(model, key: str, name: str):
    field = "code" if model is Language else "slug"
    obj, _ = model.objects.get_or_create(**{field: key}, defaults={"name": name})
    return obj


def publish(organization: Organization, *, themes=(), populations=(), languages=()):
    organization.themes.set(themes)
    organization.populations.set(populations)
    organization.languages.set(languages)
    organization.refresh_search_fields()
    organization.save()
    return organization


@pytest.fixture
def themes(db):
    return {
        "mujeres": f.ThemeFactory(slug="api-mujeres", name="Derechos de las mujeres"),
        "ninez": f.ThemeFactory(slug="api-ninez", name="Niñez y juventudes"),
        "ambiente": f.ThemeFactory(slug="api-ambiente", name="Medio ambiente y territorio"),
    }


@pytest.fixture
def directory(organization, other_municipality, themes, region):
    """Published: Mujeres de los Valles (the shared persona's organisation, with
    a private phone, e-mail and address), a collective in La Montaña, a network
    in Oaxaca. Not published: a draft, a pending and an archived one, and a
    record merged into Mujeres de los Valles."""
    women = vocabulary(Population, "api-mujeres", "Mujeres")
    youth = vocabulary(Population, "api-juventudes", "Juventudes")
    nahuatl = vocabulary(Language, "api-nahuatl", "Náhuatl")
    zapotec = vocabulary(Language, "api-zapoteco", "Zapoteco")

    organization.acronym = "MUVA"
    organization.description = "Acompañamos a mujeres indígenas en la defensa de sus derechos."
    organization.rfc = "MUV120315AB1"
    organization.founded_year = 2012
    organization.size_band = Organization.SizeBand.SMALL
    organization.latitude = "17.060800"
    organization.longitude = "-96.725300"
    publish(
        organization,
        themes=[themes["mujeres"]],
        populations=[women],
        languages=[zapotec],
    )
    ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                organization=organization,
                kind="email",
                value="contacto@mujeresvalles.org",
                is_public=True,
            ),
            ContactPoint(
                organization=organization,
                kind="website",
                value="https://mujeresvalles.org",
                is_public=True,
                order=1,
            ),
            ContactPoint(organization=organization, kind="phone", value=PRIVATE_PHONE),
            ContactPoint(organization=organization, kind="email", value=PRIVATE_EMAIL),
            ContactPoint(organization=organization, kind="address", value=PRIVATE_ADDRESS),
        ]
    )
    organization.coverage_municipalities.add(organization.municipality, other_municipality)
    organization.coverage_regions.add(region)

    collective = publish(
        f.OrganizationFactory(
            name="Colectivo Niñas y Niños de la Montaña",
            kind=Organization.Kind.COLLECTIVE,
            municipality=other_municipality,
            description="Talleres de lectura en náhuatl.",
        ),
        themes=[themes["ninez"]],
        populations=[youth],
        languages=[nahuatl],
    )
    network = publish(
        f.OrganizationFactory(
            name="Red Oaxaqueña por el Territorio",
            kind=Organization.Kind.NETWORK,
            municipality=organization.municipality,
        ),
        themes=[themes["ambiente"], themes["mujeres"]],
    )
    NetworkMembership.objects.create(network=network, member=organization)
    NetworkMembership.objects.create(network=network, member=collective)

    hidden = {}
    for status, name in (
        (Organization.Status.DRAFT, DRAFT_NAME),
        (Organization.Status.PENDING, PENDING_NAME),
        (Organization.Status.ARCHIVED, ARCHIVED_NAME),
    ):
        hidden[status] = publish(
            f.OrganizationFactory(name=name, status=status, municipality=organization.municipality),
            themes=[themes["mujeres"]],
        )
        # Relations of unpublished records must not leak through published ones.
        NetworkMembership.objects.create(network=network, member=hidden[status])
        Alliance.objects.create(
            source=organization,
            target=hidden[status],
            kind=Alliance.Kind.AGREEMENT,
            source_confirmed_at=timezone.now(),
            target_confirmed_at=timezone.now(),
        )
    merged = f.OrganizationFactory(
        name="Mujeres de los Valles (duplicado)",
        status=Organization.Status.ARCHIVED,
        municipality=organization.municipality,
        merged_into=organization,
    )

    confirmed = Alliance.objects.create(
        source=organization,
        target=collective,
        kind=Alliance.Kind.JOINT_PROJECT,
        description="Talleres compartidos",
        source_confirmed_at=timezone.now(),
        target_confirmed_at=timezone.now(),
    )
    unconfirmed = Alliance.objects.create(
        source=network,
        target=organization,
        kind=Alliance.Kind.REFERRAL,
        source_confirmed_at=timezone.now(),
    )
    return {
        "women": organization,
        "collective": collective,
        "network": network,
        "draft": hidden[Organization.Status.DRAFT],
        "pending": hidden[Organization.Status.PENDING],
        "archived": hidden[Organization.Status.ARCHIVED],
        "merged": merged,
        "confirmed_alliance": confirmed,
        "unconfirmed_alliance": unconfirmed,
        "populations": {"women": women, "youth": youth},
        "languages": {"nahuatl": nahuatl, "zapotec": zapotec},
    }


def get_json(client, url: str, params=None, **extra):
    response = client.get(url, params, **extra)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, response.json()
