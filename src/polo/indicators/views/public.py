"""The diagnosis dashboard: published indicators for everyone, each with its
figures by region and municipality, baseline against later rounds, a bar
chart, a map and the same figures in tables; downloads; the printed report of
a region. Staff see drafts and, where rules.py says so, exact figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from polo.core.models import Job
from polo.indicators import charts, exporting, selectors, services, tasks
from polo.indicators.compute import IndicatorError
from polo.indicators.forms import ReportForm
from polo.indicators.models import MUNICIPALITY, REGION, TOTAL


@require_safe
def index(request):
    filters = selectors.DashboardFilters.from_params(request.GET)
    context = selectors.dashboard(request.user, filters)
    context["can_manage"] = request.user.has_perm("indicators.manage_indicators")
    return render(request, "indicators/index.html", context)


def _region(slug: str):
    from polo.territory.models import Region

    return Region.objects.filter(slug=slug).first() if slug else None


@require_safe
def indicator_detail(request, slug):
    indicator = selectors.indicator_for(request.user, slug)
    region = _region(selectors.slug_param(request.GET.get("region")))
    view = selectors.indicator_view(indicator, request.user, region=region)
    columns = view.columns
    column = len(columns) - 1
    wanted = request.GET.get("ronda", "")
    for i, candidate in enumerate(columns):
        if str(candidate.pk) == wanted:
            column = i
    charts_by_table = {}
    for table in view.tables:
        if table.breakdown == TOTAL or not table.charted:
            continue
        charts_by_table[table.breakdown] = charts.bar_chart(
            view,
            table,
            title=f"{indicator.name}: {table.title}",
            description=_g(
                "Gráfica de barras: una barra por grupo y ronda, con la cifra escrita al final. "
                "La tabla que sigue tiene las mismas cifras."
            ),
        )
    choropleth = None
    if column >= 0 and view.table(MUNICIPALITY) is not None:
        choropleth = charts.choropleth(view, column, charts.map_municipalities(view))
    from polo.territory.models import Region

    context = {
        "indicator": indicator,
        "view": view,
        "definition_lines": selectors.definition_lines(indicator),
        "region": region,
        "regions": list(Region.objects.order_by("ordering", "name")),
        "charts": charts_by_table,
        "map": choropleth,
        "map_column": column,
        "can_manage": request.user.has_perm("indicators.manage_indicators"),
        "can_refresh": request.user.has_perm("indicators.refresh_indicator", indicator),
        "region_breakdown": REGION,
        "municipality_breakdown": MUNICIPALITY,
        "total_breakdown": TOTAL,
    }
    return render(request, "indicators/indicator_detail.html", context)


@require_safe
def indicator_export(request, slug, fmt):
    if fmt not in exporting.FORMATS:
        raise Http404
    indicator = selectors.indicator_for(request.user, slug)
    if fmt == "csv":
        response = HttpResponse(
            exporting.csv_bytes(indicator, request.user), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{exporting.filename(indicator, "csv")}"'
        )
        return response
    return FileResponse(
        exporting.xlsx_file(indicator, request.user),
        as_attachment=True,
        filename=exporting.filename(indicator, "xlsx"),
        content_type=exporting.XLSX_TYPE,
    )


@login_required
@require_POST
def indicator_refresh(request, slug):
    indicator = selectors.indicator_for(request.user, slug)
    if not request.user.has_perm("indicators.refresh_indicator", indicator):
        raise PermissionDenied
    try:
        services.indicator_refresh(indicator)
    except IndicatorError:
        messages.error(request, _("No se pudo calcular: revise la definición del indicador."))
    else:
        messages.success(request, _("Cifras recalculadas."))
    return redirect(indicator)


@login_required
def report(request):
    """Ask for the printed diagnosis report of a region (made in the background)."""
    if not request.user.has_perm("indicators.print_report"):
        raise PermissionDenied
    from polo.territory.models import Region

    regions = list(Region.objects.order_by("ordering", "name"))
    form = ReportForm(
        request.POST or None, regions=regions, initial={"region": request.GET.get("region", "")}
    )
    if request.method == "POST" and form.is_valid():
        running = Job.objects.filter(
            owner=request.user,
            kind=tasks.JOB_REPORT,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        ).first()
        if running:  # one report at a time per person
            return redirect(running)
        region = next(r for r in regions if r.slug == form.cleaned_data["region"])
        job = Job.objects.create(
            kind=tasks.JOB_REPORT,
            title=_g("Informe de diagnóstico: %(region)s") % {"region": region.name},
            owner=request.user,
        )
        tasks.print_report.enqueue(str(job.pk), region.slug)
        return redirect(job)
    status = 400 if request.method == "POST" else 200
    return render(request, "indicators/report_form.html", {"form": form}, status=status)


@login_required
@require_safe
def report_download(request, job_id):
    job = get_object_or_404(Job, pk=job_id, kind=tasks.JOB_REPORT)
    if not request.user.has_perm("core.view_job", job):
        raise Http404
    from polo.indicators import printing

    name = printing.pdf_path(job.pk)
    if job.status != Job.Status.SUCCEEDED or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"diagnostico-{job.created_at:%Y%m%d}.pdf",
        content_type="application/pdf",
    )


urlpatterns = [
    path("", index, name="index"),
    path("indicadores/<slug:slug>/", indicator_detail, name="indicator"),
    path("indicadores/<slug:slug>/datos.<str:fmt>", indicator_export, name="export"),
    path("indicadores/<slug:slug>/recalcular/", indicator_refresh, name="refresh"),
    path("informe/", report, name="report"),
    path("informe/<uuid:job_id>/pdf/", report_download, name="report_download"),
]
