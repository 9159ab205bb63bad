"""Reporting an item (any signed-in person), and the moderators' queue with
hide and restore. Items are named in URLs by their model's label
(``agendas.comment``) and key; only registered models are found."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from polo.moderation import registry, services
from polo.moderation.forms import DecisionForm, ReportForm
from polo.moderation.models import Report


def item_for(kind: str, pk: int):
    entry = next((e for e in registry.entries() if registry.key(e.model) == kind), None)
    if entry is None:
        raise Http404
    item = entry.model.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def _back(request: HttpRequest, item) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return item.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = item_for(kind, pk)
    if not request.user.has_perm("moderation.report", item):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                item=item,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 409
        else:
            messages.success(request, _("Gracias: el equipo revisará el contenido reportado."))
            return redirect(_back(request, item))
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "moderation/report_form.html",
        {
            "item": item,
            "form": form,
            "label": registry.entry_for(type(item)).label,
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
        status=status,
    )


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Open reports grouped by item, for the items this moderator moderates."""
    if not request.user.has_perm("moderation.view_queue"):
        raise PermissionDenied
    groups: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for ct_id, object_id, reason, note in Report.objects.filter(
        status=Report.Status.OPEN
    ).values_list("content_type", "object_id", "reason", "note")[:2000]:
        groups.setdefault((ct_id, object_id), []).append((Report.Reason(reason).label, note))
    types = {ct.pk: ct for ct in ContentType.objects.filter(pk__in={k[0] for k in groups})}
    items = {}
    for ct_id, ct in types.items():
        model = ct.model_class()
        if model is None or registry.entry_for(model) is None:
            continue
        ids = [object_id for (c, object_id) in groups if c == ct_id]
        for obj in model.objects.filter(pk__in=ids):
            items[(ct_id, obj.pk)] = obj
    rows = []
    for key_, reasons in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        item = items.get(key_)
        if item is None or not request.user.has_perm("moderation.moderate_item", item):
            continue
        rows.append(
            {
                "item": item,
                "kind": registry.key(type(item)),
                "label": registry.entry_for(type(item)).label,
                "reports": len(reasons),
                "reasons": reasons,
            }
        )
    return render(request, "moderation/queue.html", {"rows": rows, "form": DecisionForm()})


def _decide(request: HttpRequest, kind: str, pk: int, action) -> HttpResponse:
    item = item_for(kind, pk)
    if not request.user.has_perm("moderation.moderate_item", item):
        raise PermissionDenied(_("Modera este contenido el equipo facilitador de su región."))
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        action(item=item, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        return render(
            request,
            "moderation/refused.html",
            {"message": " ".join(error.messages), "item": item},
            status=400,
        )
    messages.success(request, _("Decisión registrada."))
    return redirect(_back(request, item))


@login_required
@require_POST
def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _decide(request, kind, pk, services.item_hide)


@login_required
@require_POST
def restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _decide(request, kind, pk, services.item_restore)


app_name = "moderation"

urlpatterns = [
    path("", queue, name="queue"),
    path("reportar/<str:kind>/<int:pk>/", report, name="report"),
    path("ocultar/<str:kind>/<int:pk>/", hide, name="hide"),
    path("restaurar/<str:kind>/<int:pk>/", restore, name="restore"),
]
