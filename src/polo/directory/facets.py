"""Facets of the directory search: for each filter, its values and how many
organisations each would find, and the URLs that add or remove a value.

A facet's counts ignore its own selection (``filters.without(name)``), so that
choosing one theme still shows how many organisations the other themes have.
Each facet is one aggregate query (GROUP BY over the matching organisations),
plus one query for the names of the selected values, so that the page does the
same number of queries whatever the number of results.

Filters live in the URL: every link here is the current search with one value
added or removed, so a search can be shared and bookmarked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, F, IntegerField, QuerySet, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polo.directory.models import Language, Organization, Population, Theme
from polo.directory.selectors import DirectoryFilters, organization_search
from polo.territory.models import Municipality, Region, State

# The municipality facet lists the municipalities with most results, plus the
# selected ones: a state has hundreds.
MUNICIPALITY_TOP = 20

LABELS = {
    "q": _("Texto"),
    "kind": _("Tipo de actor"),
    "theme": _("Tema"),
    "population": _("Población atendida"),
    "language": _("Lengua de trabajo"),
    "state": _("Estado"),
    "region": _("Región del programa"),
    "municipality": _("Municipio sede"),
    "sort": _("Orden"),
}
FACET_ORDER = ("kind", "theme", "population", "language", "state", "region", "municipality")


@dataclass(frozen=True)
class FacetValue:
    value: str  # as in the URL: a slug, a code, an INEGI key
    label: str
    count: int
    selected: bool
    url: str  # the search with this value added, or removed when selected
    detail: str = ""  # e.g. the state of a municipality


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    note: str = ""

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in use, with the URL of the same search without it."""

    name: str
    label: str
    value_label: str
    remove_url: str


# --- URLs ---------------------------------------------------------------------


def search_url(
    path: str,
    filters: DirectoryFilters,
    *,
    add: tuple[str, str] | None = None,
    remove: tuple[str, str] | None = None,
    page: int | None = None,
) -> str:
    """The URL of a search: `path` with the filters, one value added or removed,
    and a page number (dropped when it is the first page)."""
    params = filters.as_params()
    if remove is not None:
        params = [pair for pair in params if pair != remove]
    if add is not None and add not in params:
        params.append(add)
    if page and page > 1:
        params.append(("page", str(page)))
    return f"{path}?{urlencode(params)}" if params else path


def toggle_url(path: str, filters: DirectoryFilters, name: str, value: str, selected: bool) -> str:
    pair = (name, value)
    return (
        search_url(path, filters, remove=pair) if selected else search_url(path, filters, add=pair)
    )


# --- Counts -------------------------------------------------------------------


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _label(name: str, name_en: str = "") -> str:
    return name_en if name_en and _english() else name


def _matching(filters: DirectoryFilters, name: str) -> QuerySet[Organization]:
    """The search without this facet's own filter, ready for grouping."""
    return organization_search(filters.without(name)).order_by()


def _count_kinds(filters: DirectoryFilters) -> dict[str, tuple[str, str, int]]:
    rows = _matching(filters, "kind").values_list("kind").annotate(n=Count("pk"))
    labels = dict(Organization.Kind.choices)
    return {kind: (str(labels.get(kind, kind)), "", n) for kind, n in rows}


def _count_related(filters: DirectoryFilters, name: str) -> dict[str, tuple[str, str, int]]:
    """Counts through a many-to-many table: one GROUP BY over its rows whose
    organisation matches, joined to the value's names."""
    field, key = {
        "theme": ("themes", "slug"),
        "population": ("populations", "slug"),
        "language": ("languages", "code"),
    }[name]
    through = getattr(Organization, field).through
    target = {"themes": "theme", "populations": "population", "languages": "language"}[field]
    rows = (
        through.objects.filter(organization__in=_matching(filters, name).values("pk"))
        .values_list(f"{target}__{key}", f"{target}__name", f"{target}__name_en")
        .annotate(n=Count("organization_id"))
        .order_by()
    )
    return {value: (_label(label, label_en), "", n) for value, label, label_en, n in rows}


def _count_states(filters: DirectoryFilters) -> dict[str, tuple[str, str, int]]:
    rows = (
        _matching(filters, "state")
        .values_list("municipality__state__code", "municipality__state__name")
        .annotate(n=Count("pk"))
    )
    return {code: (label, "", n) for code, label, n in rows}


def _count_regions(filters: DirectoryFilters) -> dict[str, tuple[str, str, int]]:
    rows = (
        _matching(filters, "region")
        .filter(municipality__region__isnull=False)
        .values_list(
            "municipality__region__slug",
            "municipality__region__name",
            "municipality__region__state__abbreviation",
        )
        .annotate(n=Count("pk"))
    )
    return {slug: (label, state, n) for slug, label, state, n in rows}


def _count_municipalities(filters: DirectoryFilters) -> dict[str, tuple[str, str, int]]:
    """The municipalities with most results, the selected ones first so that the
    limit never drops them."""
    selected = (
        Case(
            When(municipality__code__in=filters.municipality, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if filters.municipality
        else Value(0, output_field=IntegerField())
    )
    rows = (
        _matching(filters, "municipality")
        .values_list(
            "municipality__code",
            "municipality__name",
            "municipality__state__abbreviation",
        )
        .annotate(n=Count("pk"), chosen=selected)
        .order_by("-chosen", "-n", "municipality__name")[
            : MUNICIPALITY_TOP + len(filters.municipality)
        ]
    )
    return {code: (label, state, n) for code, label, state, n, _chosen in rows}


def selected_labels(filters: DirectoryFilters) -> dict[tuple[str, str], tuple[str, str]]:
    """(filter, value) -> (label, detail) for every selected value that names
    something: one query (a UNION), none when nothing is selected."""
    text = CharField()
    blank = Value("", output_field=text)
    parts = []

    def add(name: str, queryset: QuerySet, key: str, label_en=blank, detail=blank) -> None:
        values = getattr(filters, name)
        if values:
            parts.append(
                queryset.filter(**{f"{key}__in": values})
                .order_by()
                .values_list(Value(name, output_field=text), F(key), F("name"), label_en, detail)
            )

    add("theme", Theme.objects, "slug", F("name_en"))
    add("population", Population.objects, "slug", F("name_en"))
    add("language", Language.objects, "code", F("name_en"))
    add("state", State.objects, "code")
    add("region", Region.objects, "slug", detail=F("state__abbreviation"))
    add("municipality", Municipality.objects, "code", detail=F("state__abbreviation"))
    if not parts:
        return {}
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {
        (name, value): (_label(label, label_en or ""), detail or "")
        for name, value, label, label_en, detail in query
    }


COUNTERS = {
    "kind": _count_kinds,
    "theme": lambda filters: _count_related(filters, "theme"),
    "population": lambda filters: _count_related(filters, "population"),
    "language": lambda filters: _count_related(filters, "language"),
    "state": _count_states,
    "region": _count_regions,
    "municipality": _count_municipalities,
}


@dataclass(frozen=True)
class FacetSet:
    facets: list[Facet]
    active: list[ActiveFilter]

    @property
    def by_name(self) -> dict[str, Facet]:
        return {facet.name: facet for facet in self.facets}


def directory_facets(filters: DirectoryFilters, *, path: str) -> FacetSet:
    """Every facet of the search, with counts and toggle URLs on `path`, and the
    filters in use with the URL that removes each."""
    names = selected_labels(filters)
    kinds = dict(Organization.Kind.choices)
    facets = []
    for name in FACET_ORDER:
        counts = COUNTERS[name](filters)
        chosen = getattr(filters, name)
        values = []
        for value in dict.fromkeys([*chosen, *counts]):
            label, detail, count = counts.get(value, (None, "", 0))
            if label is None:  # selected, and nothing matches it now
                fallback = str(kinds.get(value, value)) if name == "kind" else value
                label, detail = names.get((name, value), (fallback, ""))
            selected = value in chosen
            values.append(
                FacetValue(
                    value=value,
                    label=label,
                    count=count,
                    selected=selected,
                    url=toggle_url(path, filters, name, value, selected),
                    detail=detail,
                )
            )
        values.sort(key=_facet_order(name))
        note = ""
        if name == "municipality" and len(counts) >= MUNICIPALITY_TOP:
            note = _("Los %(n)s municipios con más resultados.") % {"n": MUNICIPALITY_TOP}
        facets.append(Facet(name=name, label=str(LABELS[name]), values=values, note=str(note)))
    return FacetSet(facets=facets, active=active_filters(filters, path=path, facets=facets))


def _facet_order(name: str):
    if name in {"municipality", "theme", "population", "language"}:
        # The largest first: what most people are looking for.
        return lambda value: (not value.selected, -value.count, value.label.casefold())
    if name == "kind":
        order = {kind: i for i, kind in enumerate(Organization.Kind.values)}
        return lambda value: (order.get(value.value, 99), value.label.casefold())
    return lambda value: value.label.casefold()


def active_filters(
    filters: DirectoryFilters, *, path: str, facets: Iterable[Facet] = ()
) -> list[ActiveFilter]:
    """The filters in use, each with the URL of the search without it."""
    labels = {(facet.name, value.value): value.label for facet in facets for value in facet.values}
    active = []
    if filters.q:
        active.append(
            ActiveFilter(
                name="q",
                label=str(LABELS["q"]),
                value_label=f"«{filters.q}»",
                remove_url=search_url(path, replace(filters, q="")),
            )
        )
    for name in FACET_ORDER:
        for value in getattr(filters, name):
            active.append(
                ActiveFilter(
                    name=name,
                    label=str(LABELS[name]),
                    value_label=labels.get((name, value), value),
                    remove_url=search_url(path, filters, remove=(name, value)),
                )
            )
    return active
