"""Reads for the territory pages: each a fixed number of queries, whatever the size."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from polo.directory.models import Organization
from polo.territory.models import Community, Municipality, Region, State

GEOMETRY = ("svg_path", "bbox", "label_point")
PUBLISHED = Q(organizations__status=Organization.Status.PUBLISHED)
# A place's page lists this many of its organisations and links to the
# directory, filtered to the place, for all of them.
ORGANIZATIONS_SHOWN = 20


def published_organizations(**where: Any) -> QuerySet[Organization]:
    """The published organisations of a place, light enough for a list."""
    return (
        Organization.objects.published()
        .filter(**where)
        .select_related("municipality__state")
        .only(
            "pk",
            "name",
            "acronym",
            "kind",
            "municipality__name",
            "municipality__state__name",
            "municipality__state__abbreviation",
        )
        .order_by("name", "pk")
    )


def theme_counts(**where: Any) -> list[dict[str, Any]]:
    """How many published organisations of a place work on each theme (one
    query, grouped over the themes table); most first."""
    english = (get_language() or "").startswith("en")
    rows = (
        Organization.themes.through.objects.filter(
            organization__status=Organization.Status.PUBLISHED,
            **{f"organization__{key}": value for key, value in where.items()},
        )
        .values_list("theme__slug", "theme__name", "theme__name_en")
        .annotate(count=Count("organization_id"))
        .order_by("-count", "theme__name")
    )
    return [
        {"slug": slug, "name": name_en if english and name_en else name, "count": count}
        for slug, name, name_en, count in rows
    ]


KEY_PROFILE_DETAILS = (
    "key_profile__languages",
    Prefetch(
        "key_profile__organizations",
        queryset=Organization.objects.published().only("pk", "name").order_by("name"),
    ),
)


def key_communities(communities: QuerySet[Community]) -> list[Community]:
    """Key communities with what makes them key (directory.KeyCommunity, when
    recorded): the reason, the languages spoken and the published organisations
    that work there. Three queries whatever their number."""
    return list(
        communities.filter(Q(is_key=True) | Q(key_profile__isnull=False))
        .select_related("municipality", "key_profile")
        .prefetch_related(*KEY_PROFILE_DETAILS)
        .order_by("municipality__name", "name")
    )


def region_list() -> dict[str, Any]:
    """Regions with their size and published organisations; the states."""
    regions = list(
        Region.objects.select_related("state").annotate(
            municipality_count=Count("municipalities"),
            population=Sum("municipalities__population"),
        )
    )
    organizations = dict(
        Organization.objects.published()
        .filter(municipality__region__isnull=False)
        .values_list("municipality__region")
        .annotate(count=Count("id"))
        .values_list("municipality__region", "count")
    )
    for region in regions:
        region.organization_count = organizations.get(region.pk, 0)
    states = State.objects.annotate(
        municipality_count=Count("municipalities"),
        population=Sum("municipalities__population"),
    )
    return {"regions": regions, "states": list(states)}


def region_detail(slug: str) -> dict[str, Any]:
    region = get_object_or_404(Region.objects.select_related("state"), slug=slug)
    municipalities = list(
        region.municipalities.annotate(organization_count=Count("organizations", filter=PUBLISHED))
    )
    return {
        "region": region,
        "municipalities": municipalities,
        "key_communities": key_communities(Community.objects.filter(municipality__region=region)),
        "organizations": list(
            published_organizations(municipality__region=region)[:ORGANIZATIONS_SHOWN]
        ),
        "themes": theme_counts(municipality__region=region),
        "totals": {
            "population": sum(m.population for m in municipalities),
            "organizations": sum(m.organization_count for m in municipalities),
        },
    }


def municipality_detail(code: str) -> dict[str, Any]:
    municipality = get_object_or_404(
        Municipality.objects.select_related("state", "region"), code=code
    )
    communities = list(
        municipality.communities.select_related("key_profile").order_by(
            "-is_key", "-population", "name"
        )
    )
    key = [c for c in communities if c.is_key or hasattr(c, "key_profile")]
    prefetch_related_objects(key, *KEY_PROFILE_DETAILS)
    # One more than shown: enough to know whether to link to the rest.
    organizations = list(
        published_organizations(municipality=municipality)[: ORGANIZATIONS_SHOWN + 1]
    )
    nearby, window = neighbours(municipality)
    return {
        "municipality": municipality,
        "communities": communities,
        "key_communities": key,
        "organizations": organizations[:ORGANIZATIONS_SHOWN],
        "more_organizations": len(organizations) > ORGANIZATIONS_SHOWN,
        "themes": theme_counts(municipality=municipality),
        "neighbours": nearby,
        "map_window": window,
    }


def neighbours(municipality: Municipality) -> tuple[list[Municipality], list[float] | None]:
    """The municipalities in a window around this one, and that window.

    Two queries: the bounding boxes (small; neighbours may lie in another state),
    then the boundaries of the municipalities that reach into the window. The map
    is cropped to the window.
    """
    if not municipality.bbox:
        return [], None
    minx, miny, maxx, maxy = municipality.bbox
    half = max(maxx - minx, maxy - miny) * 0.85
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    window = [cx - half, cy - half * 0.8, cx + half, cy + half * 0.8]
    near = [
        code
        for code, box in Municipality.objects.exclude(bbox=None).values_list("code", "bbox")
        if box
        and box[0] <= window[2]
        and box[2] >= window[0]
        and box[1] <= window[3]
        and box[3] >= window[1]
    ]
    found = Municipality.objects.filter(code__in=near).only("code", "name", "svg_path", "bbox")
    return list(found), window


def state_detail(code: str) -> dict[str, Any]:
    state = get_object_or_404(State, code=code)
    municipalities: QuerySet[Municipality] = (
        state.municipalities.select_related("region").defer(*GEOMETRY).order_by("name")
    )
    municipalities_list = list(municipalities)
    return {
        "state": state,
        "municipalities": municipalities_list,
        "population": sum(m.population for m in municipalities_list),
        "regions": list(state.regions.all()),
    }
