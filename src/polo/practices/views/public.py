"""The public list (search and filters in the URL, no JavaScript needed), a
practice's page, and its evidence files."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from polo.practices import selectors
from polo.practices.models import Evidence
from polo.practices.views.access import with_practice

PAGE_SIZE = 20
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters = selectors.PracticeFilters.from_query(request.GET)
    page = Paginator(selectors.public_practices(filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "practices/practice_list.html",
        {
            "filters": filters,
            "choices": selectors.filter_choices(),
            "page": page,
            "query": urlencode(filters.as_query()),
            "can_create": request.user.has_perm("practices.create_practice"),
            "can_review": request.user.has_perm("practices.review_queue"),
        },
        status=400 if filters.errors else 200,
    )


@require_safe
@with_practice()
def practice_detail(request: HttpRequest, practice) -> HttpResponse:
    user = request.user
    return render(
        request,
        "practices/practice_detail.html",
        {
            "practice": practice,
            "themes": practice.themes.all(),
            "evidence": practice.evidence.all(),
            "meetings": practice.meetings.public().select_related("municipality"),
            "show_private": user.has_perm("practices.view_private_contact", practice),
            "public_contacts": practice.public_contacts(),
            "can_change": user.has_perm("practices.change_practice", practice),
            "can_review": user.has_perm("practices.review_practice", practice),
        },
    )


@require_safe
@with_practice()
def evidence_file(request: HttpRequest, practice, pk: int) -> HttpResponse:
    """A file sent as evidence, for whoever may see the practice (served here,
    never from a public media folder, so that a draft's files stay private)."""
    found = get_object_or_404(Evidence, pk=pk, practice=practice, kind=Evidence.Kind.FILE)
    if not found.file or not default_storage.exists(found.file.name):
        raise Http404
    inline = found.content_type in INLINE_TYPES
    served = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.file.name.rsplit("/", 1)[-1],
        content_type=found.content_type if inline else "application/octet-stream",
    )
    served["Content-Security-Policy"] = "default-src 'none'; sandbox"
    served["X-Content-Type-Options"] = "nosniff"
    if not practice.is_published:
        served["Cache-Control"] = "private, no-store"
    return served


urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", practice_detail, name="practice"),
    path("<slug:slug>/evidencias/<int:pk>/", evidence_file, name="evidence_file"),
]
