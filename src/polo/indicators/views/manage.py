"""Coordinators' pages: the list of every indicator, the form to define or
change one (a survey indicator over a campaign's form, or one over Polo's own
data), publishing and withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from polo.indicators import selectors, services, sources
from polo.indicators.compute import IndicatorError
from polo.indicators.forms import IndicatorForm, PublishForm
from polo.indicators.models import Indicator


def _require_manager(request) -> None:
    if not request.user.has_perm("indicators.manage_indicators"):
        raise PermissionDenied


@login_required
@require_safe
def manage(request):
    _require_manager(request)
    indicators = Indicator.objects.select_related("campaign").order_by("ordering", "name")
    return render(request, "indicators/manage_list.html", {"indicators": indicators})


@login_required
def indicator_create(request):
    _require_manager(request)
    from polo.surveys.models import Campaign

    source = request.GET.get("fuente", "")
    campaign = None
    if source != Indicator.Source.POLO:
        slug = selectors.slug_param(request.GET.get("campana"))
        campaign = Campaign.objects.select_related("instrument").filter(slug=slug).first()
        if campaign is None:
            # First step: what the indicator is about.
            campaigns = Campaign.objects.select_related("instrument").order_by("title")
            return render(
                request,
                "indicators/indicator_source.html",
                {"campaigns": campaigns, "metrics": sources.metrics(), "unknown": bool(slug)},
                status=404 if slug else 200,
            )
        source = Indicator.Source.SURVEY
    return _edit(request, Indicator(source=source, campaign=campaign), source, campaign)


@login_required
def indicator_edit(request, slug):
    _require_manager(request)
    indicator = get_object_or_404(
        Indicator.objects.select_related("campaign__instrument"), slug=slug
    )
    return _edit(request, indicator, indicator.source, indicator.campaign)


def _edit(request, indicator: Indicator, source: str, campaign):
    form = IndicatorForm(request.POST or None, instance=indicator, source=source, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_save(indicator=form.save(commit=False), by=request.user)
        except IndicatorError:
            form.add_error(None, _("El indicador no se pudo calcular con estos datos."))
        else:
            messages.success(request, _("Indicador guardado y calculado."))
            return redirect(indicator)
    context = {"form": form, "indicator": indicator, "campaign": campaign, "source": source}
    status = 400 if request.method == "POST" else 200
    return render(request, "indicators/indicator_form.html", context, status=status)


@login_required
@require_POST
def indicator_publish(request, slug):
    _require_manager(request)
    indicator = get_object_or_404(Indicator, slug=slug)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Acción desconocida."))
        return redirect("indicators:manage")
    services.indicator_publish(
        indicator=indicator, published=form.cleaned_data["publish"], by=request.user
    )
    if indicator.is_published:
        messages.success(request, _("«%(name)s» está publicado.") % {"name": indicator.name})
    else:
        messages.success(request, _("«%(name)s» salió del tablero.") % {"name": indicator.name})
    return redirect("indicators:manage")


urlpatterns = [
    path("gestion/", manage, name="manage"),
    path("gestion/nuevo/", indicator_create, name="create"),
    path("gestion/<slug:slug>/editar/", indicator_edit, name="edit"),
    path("gestion/<slug:slug>/publicar/", indicator_publish, name="publish"),
]
