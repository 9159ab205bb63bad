"""The public Thematic Directory: the search with its facets, the map of the same
search, and an organisation's profile.

Every filter lives in the URL (a GET form), so a search can be shared and works
without JavaScript; with htmx the form updates the results in place, and the
view answers with the results fragment only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import rules
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from polo.directory import facets, public_maps, sections
from polo.directory.models import (
    Alliance,
    ContactPoint,
    KeyCommunity,
    NetworkMembership,
    Organization,
    Theme,
)
from polo.directory.selectors import SORTS, DirectoryFilters, organization_search
from polo.territory import maps
from polo.territory.geo import project
from polo.territory.models import Municipality

PAGE_SIZE = 20


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx update of the results; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render_search(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["fragment"] = _wants_fragment(request)
    if context["fragment"]:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _search_context(request: HttpRequest, filters: DirectoryFilters) -> dict:
    facet_set = facets.directory_facets(filters, path=request.path)
    return {
        "filters": filters,
        "facet_fieldsets": facets.facet_fieldsets(facet_set.facets),
        "active_filters": facet_set.active,
        "total": facet_set.total,
        "sorts": [(key, str(label)) for key, label in SORTS.items()],
        "list_path": reverse("directory:index"),
        "map_path": reverse("directory:map"),
        "clear_url": request.path,
        "list_url": facets.search_url(reverse("directory:index"), filters),
        "map_url": facets.search_url(reverse("directory:map"), filters),
        "export_urls": [
            (label, facets.search_url(reverse("directory:export", args=[fmt]), filters))
            for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON"))
        ],
        "print_url": facets.search_url(reverse("directory:print"), filters),
        # rules alone: Django's model backend would add two permission queries.
        "can_import": rules.has_perm("directory.import_organizations", request.user),
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters.from_params(request.GET)
    results = (
        organization_search(filters)
        .select_related("municipality__state")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    )
    context = _search_context(request, filters)
    paginator = Paginator(results, PAGE_SIZE)
    paginator.count = context["total"]  # counted with the facets: no second count
    # Not a number: the first page; past the end (or below 1): the last one.
    page = paginator.get_page(request.GET.get("page"))
    context["page"] = page
    context["page_links"] = _page_links(request.path, filters, page)
    if page.has_previous():
        context["previous_url"] = facets.search_url(
            request.path, filters, page=page.previous_page_number()
        )
    if page.has_next():
        context["next_url"] = facets.search_url(request.path, filters, page=page.next_page_number())
    return _render_search(request, "directory/index.html", context)


def _page_links(path_: str, filters: DirectoryFilters, page) -> list[dict]:
    """Links to the first, previous, nearby, next and last pages, keeping the filters."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return []
    wanted = {1, paginator.num_pages, *range(page.number - 2, page.number + 3)}
    links = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= paginator.num_pages):
        if number - previous > 1:
            links.append({"gap": True})
        links.append(
            {
                "number": number,
                "url": facets.search_url(path_, filters, page=number),
                "current": number == page.number,
            }
        )
        previous = number
    return links


@require_safe
def directory_map(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters.from_params(request.GET)
    context = _search_context(request, filters)
    context["map"] = public_maps.directory_map(
        filters, map_path=request.path, list_path=reverse("directory:index")
    )
    return _render_search(request, "directory/map.html", context)


# --- The profile ----------------------------------------------------------------

# The editing pages, shown to those who may edit, once they exist.
CHANGE = "directory.change_organization"
EDIT_ACTIONS = (
    ("directory:organization_edit", CHANGE, gettext_lazy("Editar")),
    ("directory:organization_members", CHANGE, gettext_lazy("Integrantes")),
    ("directory:organization_networks", CHANGE, gettext_lazy("Redes")),
    ("directory:organization_alliances", CHANGE, gettext_lazy("Alianzas")),
    ("directory:organization_history", "directory.revert_organization", gettext_lazy("Historial")),
)


def _edit_links(request: HttpRequest, organization: Organization) -> list[tuple[str, str]]:
    links = []
    allowed: dict[str, bool] = {}
    for url_name, perm, label in EDIT_ACTIONS:
        if perm not in allowed:
            allowed[perm] = request.user.has_perm(perm, organization)
        if not allowed[perm]:
            continue
        try:
            links.append((reverse(url_name, args=[organization.pk]), str(label)))
        except NoReverseMatch:  # that page is not there (yet): leave it out
            continue
    return links


def _current() -> Q:
    """Memberships that have started and not ended."""
    today = timezone.localdate()
    return (Q(start_date__isnull=True) | Q(start_date__lte=today)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _safe_href(contact: ContactPoint) -> str:
    """A link for a contact, only with a scheme that cannot run script."""
    value = contact.value.strip()
    kind = ContactPoint.Kind
    if contact.kind == kind.EMAIL and "@" in value and ":" not in value:
        return f"mailto:{value}"
    if contact.kind in {kind.PHONE, kind.WHATSAPP}:
        digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if len(digits) >= 7 else ""
    if contact.kind in {
        kind.WEBSITE,
        kind.FACEBOOK,
        kind.INSTAGRAM,
        kind.X,
        kind.YOUTUBE,
        kind.OTHER,
    }:
        parts = urlsplit(value)
        if parts.scheme in {"http", "https"} and parts.netloc:
            return value
    return ""


def _description(organization: Organization) -> tuple[str, str]:
    """The description in the reader's language when there is one, and the
    language to mark it with when it differs from the page's."""
    english = (get_language() or "").startswith("en")
    if english and organization.description_en:
        return organization.description_en, ""
    return organization.description, "es-MX" if english else ""


@require_safe
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.select_related(
            "municipality__state", "municipality__region", "community", "merged_into"
        ),
        pk=pk,
    )
    if organization.merged_into_id and organization.status == Organization.Status.ARCHIVED:
        # Links and bookmarks to a merged record lead to the one that was kept.
        return HttpResponsePermanentRedirect(organization.merged_into.get_absolute_url())
    if not request.user.has_perm("directory.view_organization", organization):
        raise Http404
    return render(
        request,
        "directory/organization_detail.html",
        {
            **_profile_context(request, organization),
            "extra_sections": sections.render_sections(request, organization),
        },
    )


def _profile_context(request: HttpRequest, organization: Organization) -> dict:
    """Everything public about an organisation, in a fixed number of queries."""
    published = Organization.Status.PUBLISHED
    show_private = request.user.has_perm("directory.view_private_contacts", organization)
    contacts = (
        organization.contacts.all()
        if show_private
        else organization.contacts.filter(is_public=True)
    )
    networks = list(
        NetworkMembership.objects.filter(_current(), member=organization, network__status=published)
        .select_related("network__municipality__state")
        .order_by("network__name")
    )
    members = []
    if organization.kind == Organization.Kind.NETWORK:
        members = list(
            NetworkMembership.objects.filter(
                _current(), network=organization, member__status=published
            )
            .select_related("member__municipality__state")
            .order_by("member__name")
        )
    alliances = [
        {
            "alliance": alliance,
            "partner": alliance.target
            if alliance.source_id == organization.pk
            else alliance.source,
        }
        for alliance in Alliance.objects.filter(
            Q(source=organization, target__status=published)
            | Q(target=organization, source__status=published),
            source_confirmed_at__isnull=False,
            target_confirmed_at__isnull=False,
        ).select_related("source", "target")
    ]
    alliances.sort(key=lambda item: item["partner"].name.casefold())
    coverage_regions = list(organization.coverage_regions.select_related("state"))
    coverage = list(organization.coverage_municipalities.select_related("state").order_by("name"))
    description, description_lang = _description(organization)
    return {
        "organization": organization,
        "description": description,
        "description_lang": description_lang,
        "identifiers": list(organization.identifiers.order_by("scheme", "value")),
        "themes": list(organization.themes.all()),
        "populations": list(organization.populations.all()),
        "languages": list(organization.languages.all()),
        "contacts": [(contact, _safe_href(contact)) for contact in contacts],
        "show_private": show_private,
        "networks": networks,
        "members": members,
        "alliances": alliances,
        "coverage_regions": coverage_regions,
        "coverage": coverage,
        "coverage_map": _coverage_map(organization) if coverage or coverage_regions else "",
        "key_communities": list(
            KeyCommunity.objects.filter(organizations=organization)
            .select_related("community__municipality")
            .order_by("community__name")
        ),
        "edit_links": _edit_links(request, organization),
        "directory_url": reverse("directory:index"),
    }


def _coverage_map(organization: Organization) -> str:
    """A small map of the municipalities it works in (named or through a region),
    its seat highlighted and, when known, its exact place marked."""
    seat = organization.municipality
    shapes = list(
        Municipality.objects.filter(
            Q(covering_organizations=organization)
            | Q(region__covering_organizations=organization)
            | Q(pk=seat.pk)
        )
        .distinct()
        .only("code", "name", "svg_path", "bbox")
    )
    points = []
    if organization.latitude is not None and organization.longitude is not None:
        x, y = project(organization.longitude, organization.latitude)
        points.append(
            maps.MapPoint(x, y, label=_("Sede de %(name)s") % {"name": organization.name})
        )
    return maps.render_map(
        shapes,
        title=_("Dónde trabaja %(name)s") % {"name": organization.name},
        description=_(
            "En color, los municipios donde trabaja, como en la lista; resaltado, %(seat)s, "
            "su sede."
        )
        % {"seat": seat.name},
        fills={m.code: public_maps.COVERAGE_FILL for m in shapes if m.code != seat.code},
        highlight=seat.code,
        points=points,
    )


urlpatterns = [
    path("", index, name="index"),
    path("mapa/", directory_map, name="map"),
    path("organizaciones/<int:pk>/", organization_detail, name="organization"),
]
