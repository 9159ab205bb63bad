"""Page-number pagination with links, the same for every list of the API."""

from __future__ import annotations

from math import ceil
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Número de página, desde 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Resultados por página (máximo {MAX_PAGE_SIZE}).",
    )


class Page(Schema):
    count: int = Field(description="Total de resultados, en todas las páginas.")
    page: int
    page_size: int
    next: str | None = Field(description="URL de la página siguiente, o null.")
    previous: str | None = Field(description="URL de la página anterior, o null.")


def paginate(
    request: HttpRequest, queryset: QuerySet, params: PageParams, *, count: int | None = None
) -> dict[str, Any]:
    """Two queries: the count (unless the caller knows it) and the page. A page
    past the last is a 404; an empty result is one empty page 1."""
    if count is None:
        count = queryset.count()
    pages = max(1, ceil(count / params.page_size))
    if params.page > pages:
        raise HttpError(
            404,
            _("La página %(page)s no existe: hay %(pages)s.")
            % {"page": params.page, "pages": pages},
        )
    start = (params.page - 1) * params.page_size
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "next": _link(request, params.page + 1) if params.page < pages else None,
        "previous": _link(request, params.page - 1) if params.page > 1 else None,
        "items": list(queryset[start : start + params.page_size]),
    }


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
