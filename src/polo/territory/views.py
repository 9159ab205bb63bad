"""Public territory pages: regions, states and municipalities, with their maps.

Everything here is INEGI data or published directory data: visitors may read it.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from polo.territory import maps, selectors
from polo.territory.geo import project


def _directory_url(**filters: str) -> str:
    """The directory's search, filtered to a place."""
    return f"{reverse('directory:index')}?{urlencode(filters)}"


@require_safe
def region_list(request: HttpRequest) -> HttpResponse:
    context = selectors.region_list()
    context["programme_map"] = maps.programme_map_svg()
    return render(request, "territory/region_list.html", context)


@require_safe
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.region_detail(slug)
    region = context["region"]
    context["directory_url"] = _directory_url(region=region.slug)
    context["more_organizations"] = context["totals"]["organizations"] > len(
        context["organizations"]
    )
    colour = maps.region_colour(maps.region_positions().get(region.pk, 1))
    context["map"] = maps.render_map(
        context["municipalities"],
        title=_("Municipios de la región %(region)s") % {"region": region.name},
        description=_(
            "Mapa de los %(count)d municipios de la región; cada uno enlaza a su página, "
            "como en la tabla."
        )
        % {"count": len(context["municipalities"])},
        fills=dict.fromkeys((m.code for m in context["municipalities"]), colour),
        links={m.code: m.get_absolute_url() for m in context["municipalities"]},
    )
    return render(request, "territory/region_detail.html", context)


@require_safe
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = selectors.municipality_detail(code)
    municipality = context["municipality"]
    context["directory_url"] = _directory_url(municipality=municipality.code)
    points = [
        maps.MapPoint(*project(c.longitude, c.latitude), label=c.name)
        for c in context["communities"]
        if c.longitude is not None and c.latitude is not None
    ]
    context["map"] = maps.render_map(
        context["neighbours"],
        title=_("Ubicación de %(name)s") % {"name": municipality.name},
        description=_(
            "Mapa de %(name)s, resaltado, con los municipios vecinos; los puntos son sus "
            "localidades de la tabla."
        )
        % {"name": municipality.name},
        highlight=municipality.code,
        points=points,
        view_box=context["map_window"],
        links={
            m.code: reverse("territory:municipality", args=[m.code])
            for m in context["neighbours"]
            if m.code != municipality.code
        },
    )
    return render(request, "territory/municipality_detail.html", context)


@require_safe
def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = selectors.state_detail(code)
    context["map"] = maps.programme_map_svg(states=[context["state"].code])
    return render(request, "territory/state_detail.html", context)
