"""The Thematic Directory through the API: organisations (the directory's own
search and filters), one organisation, and the vocabularies the filters use."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from polo.api import selectors
from polo.api.errors import Error, MergedOrganization
from polo.api.pagination import Page, PageParams, paginate
from polo.directory import facets
from polo.directory.models import Alliance as AllianceModel
from polo.directory.models import ContactPoint, Organization
from polo.directory.selectors import SORTS, DirectoryFilters, organization_search

router = Router(tags=["Directorio"])

MAX_ID = 2**63 - 1  # larger ids cannot be in the database; say 404, not overflow
ERRORS: dict[int, Any] = {400: Error, 404: Error}

Kind = Literal[tuple(Organization.Kind.values)]  # type: ignore[valid-type]
ContactKind = Literal[tuple(ContactPoint.Kind.values)]  # type: ignore[valid-type]
AllianceKind = Literal[tuple(AllianceModel.Kind.values)]  # type: ignore[valid-type]


def _absolute(context: dict, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _coordinate(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class Contact(Schema):
    kind: ContactKind  # type: ignore[valid-type]
    value: str


class OrganizationItem(Schema):
    id: int
    name: str
    acronym: str
    kind: Kind  # type: ignore[valid-type]
    description: str
    url: str = Field(description="La página pública de la organización en Polo.")
    api_url: str = Field(description="Esta organización en la API, con todos sus datos públicos.")
    municipality: str = Field(description="Clave INEGI del municipio sede (cinco dígitos).")
    municipality_name: str
    state: str = Field(description="Clave INEGI del estado (dos dígitos).")
    region: str | None = Field(description="Región del programa (identificador), o null.")
    themes: list[str] = Field(description="Temas: identificadores (slug), ver /themes.")
    populations: list[str] = Field(description="Poblaciones atendidas: ver /populations.")
    languages: list[str] = Field(description="Lenguas de trabajo (clave): ver /languages.")
    latitude: float | None = Field(description="Ubicación pública de la sede (WGS 84).")
    longitude: float | None
    contacts: list[Contact] = Field(description="Solo los datos de contacto públicos.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_url(obj: Organization, context: dict) -> str:
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj: Organization, context: dict) -> str:
        return _absolute(context, reverse("api:organization_detail", args=[obj.pk]))

    @staticmethod
    def resolve_municipality(obj: Organization) -> str:
        return obj.municipality.code

    @staticmethod
    def resolve_municipality_name(obj: Organization) -> str:
        return obj.municipality.name

    @staticmethod
    def resolve_state(obj: Organization) -> str:
        return obj.municipality.state.code

    @staticmethod
    def resolve_region(obj: Organization) -> str | None:
        region = obj.municipality.region
        return region.slug if region else None

    @staticmethod
    def resolve_themes(obj: Organization) -> list[str]:
        return [theme.slug for theme in obj.themes.all()]

    @staticmethod
    def resolve_populations(obj: Organization) -> list[str]:
        return [population.slug for population in obj.populations.all()]

    @staticmethod
    def resolve_languages(obj: Organization) -> list[str]:
        return [language.code for language in obj.languages.all()]

    @staticmethod
    def resolve_latitude(obj: Organization) -> float | None:
        return _coordinate(obj.latitude)

    @staticmethod
    def resolve_longitude(obj: Organization) -> float | None:
        return _coordinate(obj.longitude)

    @staticmethod
    def resolve_contacts(obj: Organization) -> list[ContactPoint]:
        return obj.public_contacts


class OrganizationPage(Page):
    items: list[OrganizationItem]


class Identifier(Schema):
    scheme: str
    value: str


class Community(Schema):
    code: str | None = Field(description="Clave INEGI de la localidad (nueve dígitos), o null.")
    name: str


class RelatedOrganization(Schema):
    id: int
    name: str
    api_url: str


class Membership(Schema):
    organization: RelatedOrganization
    start_date: datetime.date | None
    end_date: datetime.date | None


class Alliance(Schema):
    partner: RelatedOrganization
    kind: AllianceKind  # type: ignore[valid-type]
    description: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class OrganizationDetail(OrganizationItem):
    legal_form: str | None
    description_en: str
    rfc: str | None
    cluni: str | None
    identifiers: list[Identifier] = Field(description="Otros identificadores (esquema y valor).")
    founded_year: int | None
    size_band: str | None = Field(description="Tamaño del equipo: 1-5, 6-15, 16-50 o 51+.")
    community: Community | None = Field(description="Comunidad (localidad) sede, si se conoce.")
    coverage_municipalities: list[str] = Field(description="Claves INEGI donde trabaja.")
    coverage_regions: list[str] = Field(description="Regiones del programa donde trabaja.")
    networks: list[Membership] = Field(description="Redes publicadas a las que pertenece.")
    members: list[Membership] = Field(description="Si es una red: sus integrantes publicados.")
    alliances: list[Alliance] = Field(description="Alianzas confirmadas por ambas partes.")
    logo: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_legal_form(obj: Organization) -> str | None:
        return obj.legal_form or None

    @staticmethod
    def resolve_rfc(obj: Organization) -> str | None:
        return obj.rfc or None

    @staticmethod
    def resolve_cluni(obj: Organization) -> str | None:
        return obj.cluni or None

    @staticmethod
    def resolve_size_band(obj: Organization) -> str | None:
        return obj.size_band or None

    @staticmethod
    def resolve_coverage_municipalities(obj: Organization) -> list[str]:
        return [municipality.code for municipality in obj.coverage_municipalities.all()]

    @staticmethod
    def resolve_coverage_regions(obj: Organization) -> list[str]:
        return [region.slug for region in obj.coverage_regions.all()]

    @staticmethod
    def resolve_networks(obj: Organization, context: dict) -> list[dict]:
        return [_membership(context, m.network, m) for m in obj.public_networks]

    @staticmethod
    def resolve_members(obj: Organization, context: dict) -> list[dict]:
        return [_membership(context, m.member, m) for m in obj.public_members]

    @staticmethod
    def resolve_alliances(obj: Organization, context: dict) -> list[dict]:
        pairs = [(a, a.target) for a in obj.public_alliances_declared] + [
            (a, a.source) for a in obj.public_alliances_received
        ]
        return [
            {
                "partner": _related(context, partner),
                "kind": alliance.kind,
                "description": alliance.description,
                "start_date": alliance.start_date,
                "end_date": alliance.end_date,
            }
            for alliance, partner in sorted(pairs, key=lambda pair: (pair[1].name, pair[0].pk))
        ]

    @staticmethod
    def resolve_logo(obj: Organization, context: dict) -> str | None:
        return _absolute(context, obj.logo.url) if obj.logo else None


def _related(context: dict, organization: Organization) -> dict:
    return {
        "id": organization.pk,
        "name": organization.name,
        "api_url": _absolute(context, reverse("api:organization_detail", args=[organization.pk])),
    }


def _membership(context: dict, organization: Organization, membership: Any) -> dict:
    return {
        "organization": _related(context, organization),
        "start_date": membership.start_date,
        "end_date": membership.end_date,
    }


def _values(what: str) -> str:
    return (
        f" Varios valores: repite el parámetro ({what}=a&{what}=b) o sepáralos con comas "
        "(a,b); dentro de un filtro se combinan con O, entre filtros con Y."
    )


class OrganizationFilters(Schema):
    """The directory page's filters, documented here; read by the directory's
    own DirectoryFilters so that both always agree."""

    q: str | None = Field(
        None,
        description="Texto libre: nombre, siglas, descripción y temas; sin importar acentos, "
        "mayúsculas ni formas de las palabras (máximo 200 caracteres).",
    )
    kind: list[str] = Field(
        [], description="Tipo: " + ", ".join(Organization.Kind.values) + "." + _values("kind")
    )
    theme: list[str] = Field([], description="Tema (slug)." + _values("theme"))
    population: list[str] = Field([], description="Población (slug)." + _values("population"))
    language: list[str] = Field([], description="Lengua (clave)." + _values("language"))
    state: list[str] = Field([], description="Estado (clave INEGI, 2 dígitos)." + _values("state"))
    region: list[str] = Field([], description="Región (slug)." + _values("region"))
    municipality: list[str] = Field(
        [], description="Municipio sede (clave INEGI, 5 dígitos)." + _values("municipality")
    )
    sort: str | None = Field(
        None,
        description="Orden: " + ", ".join(SORTS) + " (por omisión relevance: por relevancia "
        "si hay texto, si no por nombre).",
    )


@router.get(
    "/organizations",
    response={200: OrganizationPage, **ERRORS},
    url_name="organization_list",
    summary="Buscar organizaciones",
)
def organization_list(
    request: HttpRequest,
    filters: Query[OrganizationFilters],
    paging: Query[PageParams],
):
    """Organizaciones publicadas que cumplen la búsqueda: la misma búsqueda y los mismos
    filtros que la página del directorio. Parámetros desconocidos se ignoran; un valor
    que no puede ser correcto (un tipo inexistente, una clave INEGI mal formada) da 400.
    Un tema, población o región que no existe simplemente no encuentra nada."""
    asked = DirectoryFilters.from_params(request.GET, strict=True)
    return paginate(
        request,
        selectors.organization_items(organization_search(asked)),
        paging,
        count=facets.result_count(asked),
    )


@router.get(
    "/organizations/{int:id}",
    response={200: OrganizationDetail, **ERRORS},
    url_name="organization_detail",
    summary="Una organización",
)
def organization_detail(request: HttpRequest, id: int):
    """Una organización publicada con todos sus datos públicos. Si no existe o no está
    publicada: 404. Si se fusionó con otra: 404 con `merged_into`, el identificador de la
    organización que se conservó (una fusión puede revertirse, por eso no es un 301)."""
    if not 0 < id <= MAX_ID:
        raise Http404
    organization = selectors.organization_public(id)
    if organization is None:
        merged, kept = selectors.merged_into(id)
        if merged:
            raise MergedOrganization(kept)
        raise Http404
    return organization


class Term(Schema):
    slug: str
    name: str
    name_en: str
    organization_count: int = Field(description="Organizaciones publicadas con este valor.")


class LanguageTerm(Schema):
    code: str
    name: str
    name_en: str
    is_indigenous: bool
    organization_count: int = Field(description="Organizaciones publicadas con esta lengua.")


@router.get("/themes", response=list[Term], url_name="theme_list", summary="Temas")
def theme_list(request: HttpRequest):
    """Los temas del directorio; `slug` es el valor del filtro `theme`."""
    return selectors.theme_list()


@router.get("/populations", response=list[Term], url_name="population_list", summary="Poblaciones")
def population_list(request: HttpRequest):
    """Las poblaciones atendidas; `slug` es el valor del filtro `population`."""
    return selectors.population_list()


@router.get("/languages", response=list[LanguageTerm], url_name="language_list", summary="Lenguas")
def language_list(request: HttpRequest):
    """Las lenguas de trabajo; `code` es el valor del filtro `language`."""
    return selectors.language_list()
