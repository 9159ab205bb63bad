"""Common agendas through the API, read only: public agendas (not drafts) and
their visible proposals (not those hidden by moderation). No personal data:
authors are not named; the published result and the priorities of an adopted
agenda are public."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from polo.agendas.models import Agenda
from polo.agendas.selectors import SORTS
from polo.api.errors import Error
from polo.api.pagination import Page, PageParams, paginate

router = Router(tags=["Agendas comunes"])

ERRORS: dict[int, Any] = {400: Error, 404: Error}


class AgendaItem(Schema):
    slug: str
    title: str
    description: str
    phase: str = Field(description="collecting, deliberation, prioritisation o adopted.")
    region: str | None = Field(description="Región del programa (slug).")
    municipality: str | None = Field(description="Clave INEGI, si la agenda es de un municipio.")
    theme: str = Field(description="Tema (slug).")
    method: str = Field(description="points (reparto de puntos) o ranks (conteo Borda).")
    result: dict | None = Field(description="El resultado publicado al cerrar la priorización.")
    priorities: list[int] = Field(description="Ids de las propuestas adoptadas, en orden.")
    url: str

    @staticmethod
    def resolve_region(obj: Agenda) -> str | None:
        region = obj.municipality.region if obj.municipality_id else obj.region
        return region.slug if region else None

    @staticmethod
    def resolve_municipality(obj: Agenda) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_theme(obj: Agenda) -> str:
        return obj.theme.slug

    @staticmethod
    def resolve_result(obj: Agenda) -> dict | None:
        if not obj.result_is_public:
            return None
        return {k: v for k, v in obj.result.items() if k != "in_person"} | {
            "in_person": [
                {"people": t["people"], "note": t["note"], "at": t["at"]}
                for t in obj.result.get("in_person", [])
            ]
        }

    @staticmethod
    def resolve_priorities(obj: Agenda) -> list[int]:
        return [p.proposal_id for p in obj.priorities.all()]

    @staticmethod
    def resolve_url(obj: Agenda, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class AgendaPage(Page):
    items: list[AgendaItem]


class ProposalItem(Schema):
    id: int
    title: str
    problem: str
    proposal: str = Field(description="Lo que se propone.")
    authority: str = Field(description="La autoridad que puede decidirlo.")
    municipality: str | None = Field(description="Clave INEGI del lugar.")
    themes: list[str]
    indicators: list[str] = Field(description="Indicadores del diagnóstico (slug).")
    organizations: list[int] = Field(description="Ids de las organizaciones vinculadas.")
    supports: int
    comments: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_authority(obj) -> str:
        return obj.authority_label

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_indicators(obj) -> list[str]:
        return [i.slug for i in obj.indicators.all()]

    @staticmethod
    def resolve_organizations(obj) -> list[int]:
        return [o.pk for o in obj.organizations.all()]

    @staticmethod
    def resolve_supports(obj) -> int:
        return obj.support_count

    @staticmethod
    def resolve_comments(obj) -> int:
        return obj.comment_count


class ProposalPage(Page):
    items: list[ProposalItem]


class ProposalQuery(Schema):
    sort: str = Field("apoyos", pattern="^(apoyos|recientes)$", description="apoyos o recientes.")


@router.get(
    "/agendas",
    response={200: AgendaPage, **ERRORS},
    url_name="agenda_list",
    summary="Agendas comunes públicas",
)
def agenda_list(request: HttpRequest, page: Query[PageParams]):
    """Las agendas comunes que ya no son borrador, las más recientes primero."""
    agendas = (
        Agenda.objects.public()
        .select_related("region", "municipality__region", "theme")
        .prefetch_related("priorities")
        .order_by("-created_at", "pk")
    )
    return paginate(request, agendas, page)


@router.get(
    "/agendas/{slug}/proposals",
    response={200: ProposalPage, **ERRORS},
    url_name="agenda_proposals",
    summary="Propuestas de una agenda común",
)
def agenda_proposals(
    request: HttpRequest, slug: str, query: Query[ProposalQuery], page: Query[PageParams]
):
    """Las propuestas visibles de una agenda pública, por apoyos o las más recientes."""
    agenda = get_object_or_404(Agenda.objects.public(), slug=slug)
    proposals = (
        agenda.proposals.visible()
        .select_related("authority", "municipality")
        .prefetch_related("themes", "indicators", "organizations")
        .order_by(*SORTS[query.sort])
    )
    return paginate(request, proposals, page)
