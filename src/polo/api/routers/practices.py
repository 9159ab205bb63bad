"""Published good practices through the API, with the public list's search and
filters. Public data only: a contact datum appears only if it was marked public;
evidence files are linked to the practice's own door (which serves them only
while the practice is published)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from polo.api.errors import Error
from polo.api.pagination import Page, PageParams, paginate
from polo.meetings.models import Meeting
from polo.practices.models import Evidence, GoodPractice
from polo.practices.selectors import PracticeFilters, public_practices

router = Router(tags=["Buenas prácticas"])

ERRORS: dict[int, Any] = {400: Error, 404: Error}


class EvidenceItem(Schema):
    kind: str = Field(description="note, link o file.")
    title: str
    note: str
    url: str = Field(description="El enlace, o la dirección del archivo; vacío en una nota.")

    @staticmethod
    def resolve_url(obj: Evidence, context: dict) -> str:
        if obj.kind == Evidence.Kind.FILE:
            path = reverse("practices:evidence_file", args=[obj.practice.slug, obj.pk])
            return context["request"].build_absolute_uri(path)
        return obj.url


class PracticeItem(Schema):
    id: int
    slug: str
    title: str
    organization: int = Field(
        description="Id de la organización que la registró (ver /organizations)."
    )
    organization_name: str
    problem: str
    actions: str = Field(description="Lo que se hizo.")
    results: str
    reusable: str = Field(description="Lo que otras organizaciones pueden retomar.")
    municipality: str = Field(description="Clave INEGI del municipio.")
    municipality_name: str
    state: str = Field(description="Clave INEGI del estado.")
    region: str | None = Field(description="Región del programa (slug), o null.")
    themes: list[str] = Field(description="Temas (slug).")
    start_year: int | None
    end_year: int | None
    contact: dict[str, str] = Field(
        description="Solo los datos de contacto marcados como públicos (name, email, phone)."
    )
    evidence: list[EvidenceItem]
    meetings: list[int] = Field(description="Ids de los encuentros públicos donde se presentó.")
    published_at: datetime.datetime | None
    url: str

    @staticmethod
    def resolve_organization(obj: GoodPractice) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj: GoodPractice) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_municipality(obj: GoodPractice) -> str:
        return obj.municipality.code

    @staticmethod
    def resolve_municipality_name(obj: GoodPractice) -> str:
        return obj.municipality.name

    @staticmethod
    def resolve_state(obj: GoodPractice) -> str:
        return obj.municipality.state.code

    @staticmethod
    def resolve_region(obj: GoodPractice) -> str | None:
        region = obj.municipality.region
        return region.slug if region else None

    @staticmethod
    def resolve_themes(obj: GoodPractice) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_contact(obj: GoodPractice) -> dict[str, str]:
        return {
            key: getattr(obj, f"contact_{key}")
            for key in ("name", "email", "phone")
            if getattr(obj, f"contact_{key}") and getattr(obj, f"contact_{key}_public")
        }

    @staticmethod
    def resolve_evidence(obj: GoodPractice) -> list[Evidence]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_meetings(obj: GoodPractice) -> list[int]:
        return [m.pk for m in obj.meetings.all()]

    @staticmethod
    def resolve_url(obj: GoodPractice, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class PracticePage(Page):
    items: list[PracticeItem]


class PracticeQuery(Schema):
    q: str = Field(
        "", max_length=100, description="Texto en título, problema, acciones o resultados."
    )
    region: str = Field("", max_length=60, description="Región (slug).")
    state: str = Field("", max_length=2, description="Estado (clave INEGI).")
    theme: str = Field("", max_length=60, description="Tema (slug).")
    kind: str = Field("", max_length=20, description="Tipo de organización.")


@router.get(
    "/practices",
    response={200: PracticePage, **ERRORS},
    url_name="practice_list",
    summary="Buenas prácticas publicadas",
)
def practice_list(request: HttpRequest, query: Query[PracticeQuery], page: Query[PageParams]):
    """Buenas prácticas revisadas y publicadas, las más recientes primero, con los
    filtros de la página pública. Solo datos públicos."""
    filters = PracticeFilters.from_query(request.GET)
    if filters.errors:
        raise HttpError(400, " ".join(filters.errors))
    practices = (
        public_practices(filters)
        .defer(None)
        .prefetch_related(
            "themes",
            Prefetch("evidence", queryset=Evidence.objects.select_related("practice")),
            Prefetch("meetings", queryset=Meeting.objects.public().only("pk")),
        )
    )
    return paginate(request, practices, page)
