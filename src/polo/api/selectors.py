"""Reads for the public API: only published organisations and only their public
fields, each list in a fixed number of queries whatever its length.

The search itself is the directory's (polo.directory.selectors), so that the
page, the exports and the API answer the same question the same way; here it
only gains what the API prints.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from polo.directory.models import (
    Alliance,
    ContactPoint,
    Identifier,
    Language,
    NetworkMembership,
    Organization,
    Population,
    Theme,
)
from polo.directory.text import fold
from polo.territory.models import Municipality, Region

PUBLISHED = Organization.Status.PUBLISHED
# Heavy columns the API never prints: the boundary and the derived search text.
MUNICIPALITY_GEOMETRY = ("svg_path", "bbox", "label_point")
ORGANIZATION_DEFERRED = (
    "search_name",
    "search_text",
    "name_key",
    *(f"municipality__{name}" for name in MUNICIPALITY_GEOMETRY),
)
MEMBERSHIP_FIELDS = ("network", "member", "start_date", "end_date")
ALLIANCE_FIELDS = ("source", "target", "kind", "description", "start_date", "end_date")


def _public_contacts() -> Prefetch:
    # Into their own attribute, so that no code path can print the unfiltered
    # `contacts` by mistake.
    return Prefetch(
        "contacts",
        queryset=ContactPoint.objects.filter(is_public=True).only(
            "organization_id", "kind", "value", "order"
        ),
        to_attr="public_contacts",
    )


def _vocabularies() -> list[Prefetch]:
    return [
        Prefetch("themes", queryset=Theme.objects.only("slug", "name")),
        Prefetch("populations", queryset=Population.objects.only("slug", "name")),
        Prefetch("languages", queryset=Language.objects.only("code", "name", "is_indigenous")),
    ]


def organization_items(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """What a list prints: six queries for any page (count, page, three
    vocabularies, public contacts)."""
    return (
        queryset.select_related("municipality__state", "municipality__region")
        .defer(*ORGANIZATION_DEFERRED)
        .prefetch_related(*_vocabularies(), _public_contacts())
    )


def organization_public(pk: int) -> Organization | None:
    """One published organisation with everything its profile shows publicly:
    current networks (and members, for a network), alliances confirmed by both
    sides, published partners only."""
    confirmed = Alliance.objects.filter(
        source_confirmed_at__isnull=False, target_confirmed_at__isnull=False
    )
    memberships = NetworkMembership.objects.filter(_current())
    return (
        Organization.objects.published()
        .filter(pk=pk)
        .select_related("municipality__state", "municipality__region", "community")
        .defer(*ORGANIZATION_DEFERRED)
        .prefetch_related(
            *_vocabularies(),
            _public_contacts(),
            Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "value")),
            Prefetch("coverage_municipalities", queryset=Municipality.objects.only("code")),
            Prefetch("coverage_regions", queryset=Region.objects.only("slug")),
            Prefetch(
                "network_memberships",
                queryset=memberships.filter(network__status=PUBLISHED)
                .select_related("network")
                .only(*MEMBERSHIP_FIELDS, "network__name")
                .order_by("network__name"),
                to_attr="public_networks",
            ),
            Prefetch(
                "network_members",
                queryset=memberships.filter(member__status=PUBLISHED)
                .select_related("member")
                .only(*MEMBERSHIP_FIELDS, "member__name")
                .order_by("member__name"),
                to_attr="public_members",
            ),
            Prefetch(
                "alliances_declared",
                queryset=confirmed.filter(target__status=PUBLISHED)
                .select_related("target")
                .only(*ALLIANCE_FIELDS, "target__name"),
                to_attr="public_alliances_declared",
            ),
            Prefetch(
                "alliances_received",
                queryset=confirmed.filter(source__status=PUBLISHED)
                .select_related("source")
                .only(*ALLIANCE_FIELDS, "source__name"),
                to_attr="public_alliances_received",
            ),
        )
        .first()
    )


def _current() -> Q:
    """Memberships that have started and not ended, as the profile page shows them."""
    today = timezone.localdate()
    return (Q(start_date__isnull=True) | Q(start_date__lte=today)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def merged_into(pk: int) -> tuple[bool, int | None]:
    """Whether this record was merged into another, and that one's id if it is
    published. The merge service points every merged record at the one kept,
    so there is no chain to follow."""
    row = (
        Organization.objects.filter(pk=pk, merged_into__isnull=False)
        .exclude(status=PUBLISHED)
        .values("merged_into", "merged_into__status")
        .first()
    )
    if row is None:
        return False, None
    return True, row["merged_into"] if row["merged_into__status"] == PUBLISHED else None


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.annotate(organization_count=_published_count())


def population_list() -> QuerySet[Population]:
    return Population.objects.annotate(organization_count=_published_count())


def language_list() -> QuerySet[Language]:
    return Language.objects.annotate(organization_count=_published_count())


def _published_count() -> Count:
    return Count(
        "organizations",
        filter=Q(organizations__status=PUBLISHED),
    )


def municipality_search(
    *, q: str = "", state: str = "", region: str = ""
) -> QuerySet[Municipality]:
    """Municipalities by state code, region slug and a name (accents and case
    forgiven) or the start of their INEGI key."""
    queryset = (
        Municipality.objects.select_related("state", "region")
        .only("code", "name", "state__code", "region__slug")
        .order_by("code")
    )
    if state:
        queryset = queryset.filter(state__code=state)
    if region:
        queryset = queryset.filter(region__slug=region)
    if q.isascii() and q.isdigit():
        queryset = queryset.filter(code__startswith=q)
    elif q:
        # Names are few (2,478 in the country) and short: folding them here
        # forgives accents on SQLite and PostgreSQL alike, without an extension.
        needles = fold(q).split()
        matches = [
            pk
            for pk, name in queryset.values_list("pk", "name")
            if all(needle in fold(name) for needle in needles)
        ]
        queryset = queryset.filter(pk__in=matches)
    return queryset
