from __future__ import annotations

from django.db.models import Count, Q

from polo.directory.models import Organization
from polo.territory.models import Region


def home_context() -> dict:
    regions = list(
        Region.objects.select_related("state")
        .annotate(
            municipality_count=Count("municipalities", distinct=True),
            organization_count=Count(
                "municipalities__organizations",
                filter=Q(municipalities__organizations__status=Organization.Status.PUBLISHED),
                distinct=True,
            ),
        )
    )
    counts = Organization.objects.published().aggregate(
        total=Count("id"),
        cso=Count("id", filter=Q(kind=Organization.Kind.CSO)),
        collective=Count("id", filter=Q(kind=Organization.Kind.COLLECTIVE)),
        academic=Count("id", filter=Q(kind=Organization.Kind.ACADEMIC)),
        network=Count("id", filter=Q(kind=Organization.Kind.NETWORK)),
    )
    return {"regions": regions, "counts": counts}
