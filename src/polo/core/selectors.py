"""Reads for the site's own pages: the home page's figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polo.directory.models import Organization
from polo.territory.maps import programme_map_svg
from polo.territory.models import Region

Kind = Organization.Kind

# The programme's participation targets (the seed): what the home page reports
# progress against. 1,000 students and 300 certified people belong to modules
# not built yet (learning), so they join this list when there is a count.
PROGRAMME_TARGETS: list[tuple[str, Promise, int]] = [
    (Kind.CSO, _("Organizaciones de la sociedad civil"), 190),
    (Kind.COLLECTIVE, _("Colectivos y grupos"), 50),
    (Kind.ACADEMIC, _("Instituciones académicas"), 7),
    (Kind.NETWORK, _("Redes"), 3),
]


@dataclass(frozen=True)
class Target:
    kind: str
    label: Promise
    count: int
    goal: int

    @property
    def percent(self) -> int:
        return min(100, round(self.count * 100 / self.goal)) if self.goal else 0


def home_context() -> dict[str, Any]:
    """Everything the home page shows, in a fixed number of queries (two, plus the map)."""
    published = Q(municipalities__organizations__status=Organization.Status.PUBLISHED)
    regions = list(
        Region.objects.select_related("state")
        .annotate(
            municipality_count=Count("municipalities", distinct=True),
            organization_count=Count(
                "municipalities__organizations", filter=published, distinct=True
            ),
        )
        # The programme's order, which numbers and colours the regions on the map
        # (territory.maps.region_positions); Meta.ordering alone is dropped by GROUP BY.
        .order_by("ordering", "name")
    )
    by_kind = {
        str(kind): Count("id", filter=Q(kind=kind)) for kind, _label, _goal in PROGRAMME_TARGETS
    }
    counts = Organization.objects.published().aggregate(total=Count("id"), **by_kind)
    targets = [
        Target(kind=str(kind), label=label, count=counts[str(kind)], goal=goal)
        for kind, label, goal in PROGRAMME_TARGETS
    ]
    return {
        "regions": regions,
        "organization_total": counts["total"],
        "targets": targets,
        "region_count": len(regions),
        "municipality_count": sum(region.municipality_count for region in regions),
        "map_svg": programme_map_svg(),
        "as_of": timezone.now(),
    }
