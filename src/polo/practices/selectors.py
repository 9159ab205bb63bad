"""Reads over good practices: the public list's search and filters, the review
queue, an organisation's practices."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from polo.directory.models import Organization, Theme
from polo.practices.models import GoodPractice
from polo.territory.models import Region, State

# The list shows the problem, not the long texts.
LIST_DEFERRED = ("search_text", "actions", "results", "reusable", "review_note")


@dataclass
class PracticeFilters:
    q: str = ""
    region: str = ""
    state: str = ""
    theme: str = ""
    kind: str = ""
    organization: int | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryDict) -> PracticeFilters:
        filters = cls(
            q=query.get("q", "").strip()[:100],
            region=query.get("region", "").strip()[:60],
            state=query.get("state", "").strip()[:2],
            theme=query.get("theme", "").strip()[:60],
            kind=query.get("kind", "").strip()[:20],
        )
        if filters.kind and filters.kind not in Organization.Kind.values:
            filters.errors.append(
                _("El tipo de organización «%(v)s» no existe.") % {"v": filters.kind}
            )
            filters.kind = ""
        raw = query.get("organizacion", "").strip()
        if raw:
            if raw.isdigit() and len(raw) < 10:
                filters.organization = int(raw)
            else:
                filters.errors.append(_("La organización «%(v)s» no existe.") % {"v": raw[:20]})
        return filters

    def as_query(self) -> dict[str, str]:
        values = {
            "q": self.q,
            "region": self.region,
            "state": self.state,
            "theme": self.theme,
            "kind": self.kind,
            "organizacion": str(self.organization or ""),
        }
        return {k: v for k, v in values.items() if v}

    def apply(self, practices: QuerySet) -> QuerySet:
        if self.q:
            practices = practices.matching(self.q)
        if self.region:
            practices = practices.filter(municipality__region__slug=self.region)
        if self.state:
            practices = practices.filter(municipality__state__code=self.state)
        if self.theme:
            practices = practices.filter(
                pk__in=GoodPractice.themes.through.objects.filter(theme__slug=self.theme).values(
                    "goodpractice_id"
                )
            )
        if self.kind:
            practices = practices.filter(organization__kind=self.kind)
        if self.organization:
            practices = practices.filter(organization_id=self.organization)
        return practices


def public_practices(filters: PracticeFilters) -> QuerySet:
    return (
        filters.apply(GoodPractice.objects.published())
        .select_related("organization", "municipality__region", "municipality__state")
        .defer(*LIST_DEFERRED)
        .order_by("-published_at", "pk")
    )


def filter_choices() -> dict:
    return {
        "regions": list(Region.objects.order_by("ordering", "name").values_list("slug", "name")),
        "states": list(
            State.objects.filter(regions__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("code", "name")
        ),
        "themes": list(Theme.objects.order_by("name").values_list("slug", "name")),
        "kinds": Organization.Kind.choices,
    }


def reviewable(user) -> QuerySet:
    """Practices in this reviewer's scope: their regions' (facilitators), all (coordinators)."""
    practices = GoodPractice.objects.all()
    if not user.is_coordinator:
        practices = practices.filter(municipality__region__in=user.regions.all())
    return practices


def review_queue(user) -> QuerySet:
    return (
        reviewable(user)
        .filter(status=GoodPractice.Status.PENDING)
        .select_related("organization", "municipality__region", "created_by")
        .order_by("updated_at", "pk")
    )


def organizations_edited_by(user) -> QuerySet:
    return Organization.objects.filter(
        memberships__user=user, memberships__is_editor=True
    ).order_by("name")


def practices_of(organizations) -> QuerySet:
    return (
        GoodPractice.objects.filter(organization__in=organizations)
        .exclude(status=GoodPractice.Status.ARCHIVED)
        .select_related("organization", "municipality")
        .order_by("organization__name", "-updated_at", "pk")
    )
