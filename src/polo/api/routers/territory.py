"""The territory catalogue through the API: the programme's regions and the
country's municipalities (INEGI keys), for the directory's filters."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from polo.api import selectors
from polo.api.errors import Error
from polo.api.pagination import Page, PageParams, paginate
from polo.territory.models import Municipality, Region
from polo.territory.selectors import region_list as territory_region_list

router = Router(tags=["Territorio"])

ERRORS: dict[int, Any] = {400: Error, 404: Error}


class RegionOut(Schema):
    slug: str = Field(description="Valor del filtro `region`.")
    name: str
    state: str = Field(description="Clave INEGI del estado (dos dígitos).")
    state_name: str
    municipality_count: int
    organization_count: int = Field(description="Organizaciones publicadas con sede ahí.")
    url: str = Field(description="La página pública de la región en Polo.")

    @staticmethod
    def resolve_state(obj: Region) -> str:
        return obj.state.code

    @staticmethod
    def resolve_state_name(obj: Region) -> str:
        return obj.state.name

    @staticmethod
    def resolve_url(obj: Region, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MunicipalityOut(Schema):
    code: str = Field(description="Clave INEGI (cinco dígitos): valor del filtro `municipality`.")
    name: str
    state: str = Field(description="Clave INEGI del estado (dos dígitos).")
    region: str | None = Field(description="Región del programa (slug), o null si no está en una.")
    url: str = Field(description="La página pública del municipio en Polo.")

    @staticmethod
    def resolve_state(obj: Municipality) -> str:
        return obj.state.code

    @staticmethod
    def resolve_region(obj: Municipality) -> str | None:
        return obj.region.slug if obj.region else None

    @staticmethod
    def resolve_url(obj: Municipality, context: dict) -> str:
        return context["request"].build_absolute_uri(
            reverse("territory:municipality", args=[obj.code])
        )


class MunicipalityPage(Page):
    items: list[MunicipalityOut]


class MunicipalityFilters(Schema):
    state: str | None = Field(
        None, pattern=r"^\d{2}$", description="Estado: clave INEGI de dos dígitos."
    )
    region: str | None = Field(None, max_length=60, description="Región del programa (slug).")
    q: str | None = Field(
        None,
        max_length=100,
        description="Parte del nombre (sin importar acentos ni mayúsculas) o el inicio de la "
        "clave INEGI.",
    )


@router.get("/regions", response=list[RegionOut], url_name="region_list", summary="Regiones")
def region_list(request: HttpRequest):
    """Las regiones del programa, con su estado y cuántos municipios y organizaciones tienen."""
    return territory_region_list()["regions"]


@router.get(
    "/municipalities",
    response={200: MunicipalityPage, **ERRORS},
    url_name="municipality_list",
    summary="Municipios",
)
def municipality_list(
    request: HttpRequest, filters: Query[MunicipalityFilters], paging: Query[PageParams]
):
    """Los municipios del país (catálogo INEGI), en orden de clave, paginados."""
    found = selectors.municipality_search(
        q=" ".join((filters.q or "").split()),
        state=filters.state or "",
        region=filters.region or "",
    )
    return paginate(request, found, paging)
