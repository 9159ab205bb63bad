"""Reads over meetings: the public list's filters, a person's registrations, the
check-in list, and the participation figures (aggregate queries only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from polo.directory.models import Theme
from polo.meetings.models import AgeBand, Meeting, Person, Registration, Sector, Sex
from polo.territory.models import Region


class FilterError(ValueError):
    """A filter value that cannot be right (a malformed date...): said to the person."""


@dataclass
class MeetingFilters:
    region: str = ""
    kind: str = ""
    theme: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryDict) -> MeetingFilters:
        filters = cls(
            region=query.get("region", "").strip()[:60],
            kind=query.get("kind", "").strip()[:20],
            theme=query.get("theme", "").strip()[:60],
        )
        if filters.kind and filters.kind not in Meeting.Kind.values:
            filters.errors.append(
                _("El tipo de encuentro «%(v)s» no existe.") % {"v": filters.kind}
            )
            filters.kind = ""
        for name, label in (("date_from", _("Desde")), ("date_to", _("Hasta"))):
            raw = query.get(name, "").strip()
            if not raw:
                continue
            try:
                setattr(filters, name, datetime.date.fromisoformat(raw[:10]))
            except ValueError:
                filters.errors.append(
                    _("«%(label)s»: la fecha «%(v)s» no es válida; use AAAA-MM-DD.")
                    % {"label": label, "v": raw[:20]}
                )
        return filters

    def as_query(self) -> dict[str, str]:
        values = {
            "region": self.region,
            "kind": self.kind,
            "theme": self.theme,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}

    def apply(self, meetings: QuerySet, *, prefix: str = "") -> QuerySet:
        p = prefix
        if self.region:
            meetings = meetings.filter(**{f"{p}municipality__region__slug": self.region})
        if self.kind:
            meetings = meetings.filter(**{f"{p}kind": self.kind})
        if self.theme:
            meetings = meetings.filter(**{f"{p}themes__slug": self.theme})
        if self.date_from:
            meetings = meetings.filter(**{f"{p}start__date__gte": self.date_from})
        if self.date_to:
            meetings = meetings.filter(**{f"{p}start__date__lte": self.date_to})
        return meetings


def public_meetings(filters: MeetingFilters) -> QuerySet[Meeting]:
    meetings = filters.apply(Meeting.objects.public())
    if filters.theme:
        meetings = meetings.distinct()
    return meetings.select_related("municipality__region", "municipality__state").prefetch_related(
        "themes", "organizers"
    )


def filter_choices() -> dict[str, Any]:
    return {
        "regions": list(Region.objects.order_by("ordering", "name").values_list("slug", "name")),
        "kinds": Meeting.Kind.choices,
        "themes": list(Theme.objects.order_by("name").values_list("slug", "name")),
    }


def meeting_counts(meeting: Meeting) -> dict[str, int]:
    return meeting.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
    )


def meeting_evaluation(meeting: Meeting) -> dict[str, Any]:
    from polo.meetings.models import Evaluation

    return Evaluation.objects.filter(registration__meeting=meeting).aggregate(
        count=Count("pk"), usefulness=Avg("usefulness"), organisation=Avg("organisation")
    )


def checkin_list(meeting: Meeting, query: str = "") -> QuerySet[Registration]:
    registrations = (
        meeting.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person__municipality")
        .order_by("person__name_key", "pk")
    )
    if query:
        from polo.meetings.models import normalise_name

        for word in normalise_name(query).split()[:5]:
            registrations = registrations.filter(person__name_key__contains=word)
    return registrations


def own_registrations(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person__user=user)
        .select_related("meeting__municipality")
        .order_by("-meeting__start")
    )


# --- figures ------------------------------------------------------------------------------

DIMENSIONS = {
    "sex": ("person__sex", Sex),
    "age_band": ("person__age_band", AgeBand),
    "sector": ("person__sector", Sector),
}


def attendances_for(filters: MeetingFilters) -> QuerySet[Registration]:
    """Attendances (not registrations) at published meetings that match the filters."""
    attendances = Registration.objects.filter(
        attended_at__isnull=False, meeting__status=Meeting.Status.PUBLISHED
    )
    return filters.apply(attendances, prefix="meeting__")


def participation_summary(filters: MeetingFilters) -> dict[str, Any]:
    """Meetings held, attendances and unique people, and unique people by sex,
    age band, sector and indigenous self-identification; organisations represented.
    A few GROUP BY queries whatever the size of the data."""
    meetings = filters.apply(
        Meeting.objects.filter(status=Meeting.Status.PUBLISHED, start__lte=timezone.now())
    )
    held = meetings.values("pk").distinct().count() if filters.theme else meetings.count()
    attendances = attendances_for(filters).order_by()
    # Unique people once: everything below is about them, in one GROUP BY.
    people = Person.objects.filter(pk__in=attendances.values("person_id")).order_by()
    groups = list(
        people.values_list("sex", "age_band", "sector", "indigenous").annotate(n=Count("pk"))
    )
    organizations = people.aggregate(
        ids=Count("organization_id", distinct=True),
        names=Count(
            "organization_name",
            distinct=True,
            filter=Q(organization_id__isnull=True) & ~Q(organization_name=""),
        ),
    )
    totals = {
        "attendances": attendances.count(),
        "people": sum(n for *_, n in groups),
        "organizations": organizations["ids"] + organizations["names"],
    }
    breakdowns = {}
    for position, (name, (_lookup, choices)) in enumerate(DIMENSIONS.items()):
        rows: dict[str, int] = {}
        for group in groups:
            rows[group[position]] = rows.get(group[position], 0) + group[-1]
        breakdowns[name] = [
            {"value": value, "label": str(label), "count": rows.get(value, 0)}
            for value, label in choices.choices
        ]
    indigenous_rows: dict[bool | None, int] = {}
    for group in groups:
        indigenous_rows[group[3]] = indigenous_rows.get(group[3], 0) + group[-1]
    breakdowns["indigenous"] = [
        {"value": "yes", "label": _("Se reconoce indígena"), "count": indigenous_rows.get(True, 0)},
        {
            "value": "no",
            "label": _("No se reconoce indígena"),
            "count": indigenous_rows.get(False, 0),
        },
        {"value": "unknown", "label": _("Sin dato"), "count": indigenous_rows.get(None, 0)},
    ]
    return {
        "meetings_held": held,
        "attendances": totals["attendances"],
        "people": totals["people"],
        "organizations": totals["organizations"],
        "breakdowns": breakdowns,
    }


def people_counted(
    filters: MeetingFilters, *, user, dimension: str = "", value: str = ""
) -> QuerySet:
    """The attendances behind a figure, as far as this person may see them."""
    attendances = attendances_for(filters).select_related("person__municipality", "meeting")
    if not user.is_coordinator:
        attendances = attendances.filter(meeting__municipality__region__in=user.regions.all())
    if dimension in DIMENSIONS and value:
        attendances = attendances.filter(**{DIMENSIONS[dimension][0]: value})
    elif dimension == "indigenous" and value in ("yes", "no", "unknown"):
        attendances = attendances.filter(
            person__indigenous={"yes": True, "no": False, "unknown": None}[value]
        )
    return attendances.order_by("-meeting__start", "person__name_key").prefetch_related(
        Prefetch("meeting__themes")
    )
