from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from polo.audit import selectors
from polo.audit.forms import TrailFilterForm

# Visitors are sent to sign in; signed-in people who are not coordinators get 403.
coordinators_only = permission_required("audit.view_trail", raise_exception=True)


@require_safe
@login_required
@coordinators_only
def index(request: HttpRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET)
    page = None
    if form.is_valid():
        page = selectors.recent_changes(
            filters=form.trail_filter(),
            before=selectors.Cursor.decode(request.GET.get("antes")),
            after=selectors.Cursor.decode(request.GET.get("despues")),
        )
    context = {
        "form": form,
        "page": page,
        "older_url": _page_url(request, "antes", page.older) if page else "",
        "newer_url": _page_url(request, "despues", page.newer) if page else "",
        "first_url": _page_url(request, "", None),
    }
    return render(request, "audit/index.html", context)


@require_safe
@login_required
@coordinators_only
def record(request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
    tracked = selectors.find_tracked(f"{app_label}.{model_name}")
    if tracked is None:
        raise Http404
    page = selectors.record_history(tracked, pk, page_number=request.GET.get("pagina"))
    if page is None:
        raise Http404
    context = {"tracked": tracked, "page": page, "entry": page.object_list[0]}
    return render(request, "audit/record.html", context)


def _page_url(request: HttpRequest, direction: str, cursor) -> str:
    """This page's filters with another position in the trail."""
    if direction and cursor is None:
        return ""
    params = request.GET.copy()
    params.pop("antes", None)
    params.pop("despues", None)
    if direction:
        params[direction] = cursor.encode()
    return f"?{params.urlencode()}" if params else "?"
