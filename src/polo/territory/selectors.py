"""Reads for the territory pages: each a fixed number of queries, whatever the size."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from polo.directory.models import Organization
from polo.territory.models import Community, Municipality, Region, State

GEOMETRY = ("svg_path", "bbox", "label_point")
PUBLISHED = Q(organizations__status=Organization.Status.PUBLISHED)


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
    key_communities = list(
        Community.objects.key()
        .filter(municipality__region=region)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    return {
        "region": region,
        "municipalities": municipalities,
        "key_communities": key_communities,
        "totals": {
            "population": sum(m.population for m in municipalities),
            "organizations": sum(m.organization_count for m in municipalities),
        },
    }


def municipality_detail(code: str) -> dict[str, Any]:
    municipality = get_object_or_404(
        Municipality.objects.select_related("state", "region"), code=code
    )
    communities = list(municipality.communities.order_by("-is_key", "-population", "name"))
    organizations = list(
        Organization.objects.published()
        .filter(municipality=municipality)
        .order_by("name")
        .only("pk", "name", "acronym", "kind")
    )
    nearby, window = neighbours(municipality)
    return {
        "municipality": municipality,
        "communities": communities,
        "organizations": organizations,
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
