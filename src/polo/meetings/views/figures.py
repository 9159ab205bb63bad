"""The participation summary (public: counts only), its export, and the list of
attendances behind each figure (facilitators for their regions, coordinators)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from polo.meetings import exporting, selectors
from polo.meetings.views.access import login_redirect


@require_safe
def summary(request: HttpRequest) -> HttpResponse:
    filters = selectors.MeetingFilters.from_query(request.GET)
    return render(
        request,
        "meetings/figures.html",
        {
            "filters": filters,
            "choices": selectors.filter_choices(),
            "summary": selectors.participation_summary(filters),
            "query": urlencode(filters.as_query()),
            "can_see_people": request.user.has_perm("meetings.view_people"),
        },
    )


@require_safe
def summary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = selectors.MeetingFilters.from_query(request.GET)
    rows = exporting.summary_rows(selectors.participation_summary(filters), filters)
    return exporting.respond(rows, fmt=fmt, name="participacion")


@require_safe
def people(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request)
    if not request.user.has_perm("meetings.view_people"):
        raise PermissionDenied
    filters = selectors.MeetingFilters.from_query(request.GET)
    dimension = request.GET.get("dimension", "")[:20]
    value = request.GET.get("value", "")[:20]
    attendances = selectors.people_counted(
        filters, user=request.user, dimension=dimension, value=value
    )
    page = Paginator(attendances, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/figures_people.html",
        {
            "filters": filters,
            "page": page,
            "dimension": dimension,
            "value": value,
            "query": urlencode({**filters.as_query(), "dimension": dimension, "value": value}),
        },
    )


urlpatterns = [
    path("cifras/", summary, name="figures"),
    path("cifras.<str:fmt>", summary_export, name="figures_export"),
    path("cifras/personas/", people, name="figures_people"),
]
