"""Citizen consultations through the API: every consultation that is not a
draft, with its questions and options, dates, state and territory. The result
(votes per option, blanks, turnout and the ballots' fingerprint) only once it is
published; before that ``result`` is null, whatever the state. Nothing about who
voted: not the voters, not the voting codes, not the ballots themselves."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from polo.api.errors import Error
from polo.api.pagination import Page, PageParams, paginate
from polo.consultations.models import Consultation, Question

router = Router(tags=["Consultas ciudadanas"])

ERRORS: dict[int, Any] = {400: Error, 404: Error}


class OptionItem(Schema):
    id: int
    text: str


class QuestionItem(Schema):
    id: int
    text: str
    kind: str = Field(description="single (una opción), multiple (varias) o ranking (ordenar).")
    max_choices: int = Field(description="Cuántas opciones se pueden marcar (multiple).")
    options: list[OptionItem]

    @staticmethod
    def resolve_options(obj: Question) -> list:
        return list(obj.options.all())


class OptionResult(Schema):
    id: int
    text: str
    count: int = Field(
        description="Votos; en una pregunta de ordenar, puntos Borda (la primera de n "
        "opciones recibe n puntos)."
    )
    first: int = Field(description="Veces elegida en primer lugar (preguntas de ordenar).")


class QuestionResult(Schema):
    id: int
    text: str
    kind: str
    blank: int = Field(description="Boletas que dejaron la pregunta en blanco.")
    options: list[OptionResult]


class Result(Schema):
    published_at: datetime.datetime
    ballots: int = Field(description="Boletas contadas.")
    eligible: int = Field(
        description="Personas con derecho a votar: cuentas del padrón más códigos de mesa."
    )
    turnout: float | None = Field(description="Participación: boletas / padrón (0 a 1).")
    fingerprint: str = Field(
        description="Huella SHA-256 de todas las boletas contadas (comprobante y respuestas, "
        "en orden de comprobante): un recuento debe dar la misma."
    )
    questions: list[QuestionResult]


class ConsultationItem(Schema):
    id: int
    slug: str
    title: str
    description: str
    status: str = Field(
        description="scheduled (programada), open (abierta), closed (cerrada, resultado aún "
        "no publicado) o published (resultado publicado); calculado con la hora actual."
    )
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    eligibility: str = Field(description="residents, sector, meeting o list.")
    region: str | None = Field(description="Región del programa (slug), o null.")
    municipality: str | None = Field(description="Clave INEGI del municipio, o null.")
    municipality_name: str | None
    questions: list[QuestionItem]
    result: Result | None = Field(description="null hasta que el resultado se publica.")
    url: str

    @staticmethod
    def resolve_status(obj: Consultation) -> str:
        return obj.current_status

    @staticmethod
    def resolve_region(obj: Consultation) -> str | None:
        if obj.municipality_id:
            region = obj.municipality.region
            return region.slug if region else None
        return obj.region.slug if obj.region_id else None

    @staticmethod
    def resolve_municipality(obj: Consultation) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_municipality_name(obj: Consultation) -> str | None:
        return obj.municipality.name if obj.municipality_id else None

    @staticmethod
    def resolve_questions(obj: Consultation) -> list:
        return list(obj.questions.all())

    @staticmethod
    def resolve_result(obj: Consultation) -> dict | None:
        return published_result(obj)

    @staticmethod
    def resolve_url(obj: Consultation, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


def published_result(consultation: Consultation) -> dict | None:
    """The published result, field by field (never the stored JSON as it is):
    None while the consultation is not published."""
    if not consultation.is_published or not consultation.result:
        return None
    result = consultation.result
    return {
        "published_at": consultation.published_at,
        "ballots": result["ballots"],
        "eligible": result["eligible"],
        "turnout": result["turnout"],
        "fingerprint": result["digest"],
        "questions": [
            {
                "id": q["id"],
                "text": q["text"],
                "kind": q["kind"],
                "blank": q["blank"],
                "options": [
                    {"id": o["id"], "text": o["text"], "count": o["count"], "first": o["first"]}
                    for o in q["options"]
                ],
            }
            for q in result["questions"]
        ],
    }


class ConsultationPage(Page):
    items: list[ConsultationItem]


class ConsultationQuery(Schema):
    region: str = Field("", max_length=60, description="Región (slug).")


def _public():
    return (
        Consultation.objects.public()
        .select_related("region", "municipality__region")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("options"))
        )
        .order_by("-opens_at", "pk")
    )


@router.get(
    "/consultations",
    response={200: ConsultationPage, **ERRORS},
    url_name="consultation_list",
    summary="Consultas ciudadanas",
)
def consultation_list(
    request: HttpRequest, query: Query[ConsultationQuery], page: Query[PageParams]
):
    """Las consultas que no son borradores, de la que abre más tarde a la más antigua,
    con sus preguntas y opciones. `result` es null hasta que se publica el resultado."""
    consultations = _public()
    if query.region:
        consultations = consultations.filter(
            Q(region__slug=query.region) | Q(municipality__region__slug=query.region)
        )
    return paginate(request, consultations, page)


@router.get(
    "/consultations/{slug}",
    response={200: ConsultationItem, **ERRORS},
    url_name="consultation_detail",
    summary="Una consulta ciudadana",
)
def consultation_detail(request: HttpRequest, slug: str):
    """Una consulta que no es borrador; 404 si no existe o es un borrador."""
    consultation = _public().filter(slug=slug[:80]).first()
    if consultation is None:
        raise Http404
    return consultation
