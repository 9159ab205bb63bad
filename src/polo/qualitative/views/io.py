"""Downloads for staff: the codings of the passages they may see, with the same
filters as the list of passages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from polo.qualitative import exporting, selectors
from polo.qualitative.views._shared import passage_filters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@never_cache
@require_safe
@login_required
@permission_required("qualitative.export_codings", raise_exception=True)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    found, _chosen, _query = passage_filters(request, selectors.passages_visible_to(request.user))
    codings = exporting.codings_for(found)
    filename = f"polo-codificaciones-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exporting.csv_lines(codings), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(exporting.xlsx_bytes(codings), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [path("exportar/<str:fmt>/", export, name="export")]
