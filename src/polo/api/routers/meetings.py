"""Public meetings through the API: the calendar's list with the same filters
(region, kind, theme, date range). Public fields only: no participant data,
only counts."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from polo.api.errors import Error
from polo.api.pagination import Page, PageParams, paginate
from polo.meetings.models import Meeting, Registration
from polo.meetings.selectors import MeetingFilters

router = Router(tags=["Encuentros"])

ERRORS: dict[int, Any] = {400: Error, 404: Error}

Kind = Literal[tuple(Meeting.Kind.values)]  # type: ignore[valid-type]


class MeetingItem(Schema):
    id: int
    title: str
    kind: Kind  # type: ignore[valid-type]
    description: str
    start: datetime.datetime
    end: datetime.datetime
    status: str = Field(description="published o cancelled.")
    registration: str = Field(description="open, invitation o closed.")
    capacity: int | None
    municipality: str | None = Field(description="Clave INEGI del municipio, o null.")
    municipality_name: str | None
    region: str | None = Field(description="Región del programa (slug), o null.")
    address: str
    latitude: float | None
    longitude: float | None
    online_url: str
    organizers: list[int] = Field(description="Ids de las organizaciones convocantes.")
    themes: list[str] = Field(description="Temas (slug).")
    registered: int = Field(description="Personas inscritas (solo el número).")
    attended: int = Field(description="Asistencias registradas (solo el número).")
    url: str
    ics_url: str

    @staticmethod
    def resolve_municipality(obj: Meeting) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_municipality_name(obj: Meeting) -> str | None:
        return obj.municipality.name if obj.municipality_id else None

    @staticmethod
    def resolve_region(obj: Meeting) -> str | None:
        region = obj.region
        return region.slug if region else None

    @staticmethod
    def resolve_latitude(obj: Meeting) -> float | None:
        return None if obj.latitude is None else float(obj.latitude)

    @staticmethod
    def resolve_longitude(obj: Meeting) -> float | None:
        return None if obj.longitude is None else float(obj.longitude)

    @staticmethod
    def resolve_organizers(obj: Meeting) -> list[int]:
        return [o.pk for o in obj.organizers.all()]

    @staticmethod
    def resolve_themes(obj: Meeting) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_url(obj: Meeting, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_ics_url(obj: Meeting, context: dict) -> str:
        from django.urls import reverse

        return context["request"].build_absolute_uri(reverse("meetings:meeting_ics", args=[obj.pk]))


class MeetingPage(Page):
    items: list[MeetingItem]


class MeetingQuery(Schema):
    region: str = Field("", max_length=60, description="Región (slug).")
    kind: str = Field("", max_length=20, description="Tipo de encuentro.")
    theme: str = Field("", max_length=60, description="Tema (slug).")
    date_from: str = Field("", max_length=10, description="Desde (AAAA-MM-DD).")
    date_to: str = Field("", max_length=10, description="Hasta (AAAA-MM-DD).")


@router.get(
    "/meetings",
    response={200: MeetingPage, **ERRORS},
    url_name="meeting_list",
    summary="Encuentros públicos",
)
def meeting_list(request: HttpRequest, query: Query[MeetingQuery], page: Query[PageParams]):
    """Foros, grupos focales y encuentros publicados, del más próximo al más lejano,
    con los filtros del calendario. Solo datos públicos: ningún dato de participantes."""
    filters = MeetingFilters.from_query(request.GET)
    if filters.errors:
        raise HttpError(400, " ".join(filters.errors))
    meetings = filters.apply(Meeting.objects.public())
    if filters.theme:
        meetings = meetings.distinct()
    meetings = (
        meetings.select_related("municipality__region")
        .prefetch_related("organizers", "themes")
        .annotate(
            registered=_registrations(status="confirmed"),
            attended=_registrations(attended_at__isnull=False),
        )
        .order_by("start", "pk")
    )
    return paginate(request, meetings, page)


def _registrations(**condition) -> Coalesce:
    """A meeting's registrations meeting a condition, counted for the rows of the
    page only (a join and GROUP BY would count every meeting's before the LIMIT)."""
    counted = (
        Registration.objects.filter(meeting=OuterRef("pk"), **condition)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)
