"""Public agreements through the API: signed agreements (in force, concluded or
cancelled) with their parties and commitments, each with its status and the
derived ``overdue`` (an open commitment past its due date). No drafts, no
people's accounts: parties are organisations of the directory."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from polo.agreements.models import Agreement, Commitment, Party
from polo.api.errors import Error
from polo.api.pagination import Page, PageParams, paginate

router = Router(tags=["Convenios"])

ERRORS: dict[int, Any] = {400: Error, 404: Error}


class PartyItem(Schema):
    organization: int = Field(description="Id de la organización en el directorio.")
    name: str
    kind: str = Field(description="Tipo de organización (local_authority, cso...).")
    role: str = Field(description="party, witness o support.")
    signatories: list[str] = Field(description="Quién firmó, con su cargo.")

    @staticmethod
    def resolve_organization(obj: Party) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_name(obj: Party) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind(obj: Party) -> str:
        return obj.organization.kind

    @staticmethod
    def resolve_signatories(obj: Party) -> list[str]:
        return [f"{s.name}, {s.post}" for s in obj.signatories.all()]


class CommitmentItem(Schema):
    id: int
    text: str
    responsible: int = Field(description="Id de la organización responsable.")
    due_on: datetime.date
    indicator: str
    status: str = Field(
        description="Estado confirmado: pending, in_progress, fulfilled, partly_fulfilled "
        "o not_fulfilled."
    )
    overdue: bool = Field(description="Abierto y con la fecha límite vencida (hoy).")
    derived_status: str = Field(description="overdue si está vencido; si no, status.")
    closed_on: datetime.date | None
    fulfilled_on_time: bool
    updates: int = Field(description="Avances informados (con su evidencia en la página).")
    url: str

    @staticmethod
    def resolve_responsible(obj: Commitment) -> int:
        return obj.responsible.organization_id

    @staticmethod
    def resolve_overdue(obj: Commitment) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_derived_status(obj: Commitment) -> str:
        return "overdue" if obj.is_overdue() else obj.status

    @staticmethod
    def resolve_updates(obj: Commitment) -> int:
        return obj.update_count

    @staticmethod
    def resolve_url(obj: Commitment, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class AgreementItem(Schema):
    id: int
    slug: str
    title: str
    kind: str
    status: str = Field(description="signed (en vigor), concluded o cancelled.")
    signed_on: datetime.date | None
    region: str = Field(description="Región del programa (slug).")
    municipalities: list[str] = Field(description="Claves INEGI.")
    themes: list[str] = Field(description="Temas (slug).")
    source_agenda: str | None = Field(
        description="La agenda común adoptada de la que proviene (slug)."
    )
    source_note: str
    document_url: str | None
    parties: list[PartyItem]
    commitments: list[CommitmentItem]
    url: str

    @staticmethod
    def resolve_source_agenda(obj: Agreement) -> str | None:
        return obj.source_agenda.slug if obj.source_agenda_id else None

    @staticmethod
    def resolve_region(obj: Agreement) -> str:
        return obj.region.slug

    @staticmethod
    def resolve_municipalities(obj: Agreement) -> list[str]:
        return [m.code for m in obj.municipalities.all()]

    @staticmethod
    def resolve_themes(obj: Agreement) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_document_url(obj: Agreement, context: dict) -> str | None:
        from django.urls import reverse

        if not obj.document:
            return None
        return context["request"].build_absolute_uri(
            reverse("agreements:document", args=[obj.slug])
        )

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[Party]:
        return list(obj.parties.all())

    @staticmethod
    def resolve_commitments(obj: Agreement) -> list[Commitment]:
        return list(obj.commitments.all())

    @staticmethod
    def resolve_url(obj: Agreement, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class AgreementPage(Page):
    items: list[AgreementItem]


class AgreementQuery(Schema):
    region: str = Field("", max_length=60, description="Región (slug).")


@router.get(
    "/agreements",
    response={200: AgreementPage, **ERRORS},
    url_name="agreement_list",
    summary="Convenios firmados",
)
def agreement_list(request: HttpRequest, query: Query[AgreementQuery], page: Query[PageParams]):
    """Convenios firmados (en vigor, concluidos o cancelados), del más reciente al
    más antiguo, con sus partes y compromisos; `overdue` se calcula con la fecha de hoy."""
    agreements = Agreement.objects.public()
    if query.region:
        agreements = agreements.filter(region__slug=query.region)
    agreements = (
        agreements.select_related("region", "source_agenda")
        .prefetch_related(
            "municipalities",
            "themes",
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization").prefetch_related(
                    "signatories"
                ),
            ),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("responsible").annotate(
                    update_count=Count("updates")
                ),
            ),
        )
        .order_by("-signed_on", "title", "pk")
    )
    return paginate(request, agreements, page)
