"""Facets of the directory search: for each filter, its values and how many
organisations each would find, and the URLs that add or remove a value.

A facet's counts ignore its own selection, so that choosing one theme still
shows how many organisations the other themes have. All seven facets are
counted in one statement (facet_counts), plus one query for the names of the
selected values, so that the page does the same number of queries whatever
the number of results. The counts are kept in the cache for a couple of
minutes under a key that changes whenever an organisation, its themes,
populations or languages change (``directory_changed``, connected to those
models' signals), so a popular search is counted once, not on every visit.

Filters live in the URL: every link here is the current search with one value
added or removed, so a search can be shared and bookmarked.
"""

from __future__ import annotations

import hashlib
import operator
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import reduce
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from polo.directory.models import Language, Organization, Population, Theme
from polo.directory.selectors import DirectoryFilters, filter_conditions, organization_search
from polo.territory.models import Municipality, Region, State

# Cached counts live this long: the signals that change the version reach this
# process's cache at once, and another process's (or a bulk write, which sends
# no signals) within this time.
FACET_CACHE_SECONDS = 120
VERSION_KEY = "directory:facets:version"

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
    facet: str = ""  # the facet's name, for the checkbox's id

    # Worked out here rather than in the template: a page shows ~150 values, and
    # template filters and blocktranslate per value were most of its time.
    @property
    def field_id(self) -> str:
        return slugify(f"f-{self.facet}-{self.value}")

    @property
    def count_display(self) -> str:
        return intcomma(self.count)

    @property
    def action_label(self) -> str:
        values = {"count": self.count_display, "label": self.label}
        if self.selected:
            return gettext("%(count)s: quitar el filtro %(label)s") % values
        return gettext("%(count)s: filtrar por %(label)s") % values


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    note: str = ""

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


def facet_fieldsets(facets: Iterable[Facet]) -> SafeString:
    """The facets' fieldsets: per value a checkbox (for the search form), its
    label and a link with its count that runs the search with it toggled.

    Written here rather than by a template loop: a page shows about two hundred
    values, and as template nodes they were most of the page's time."""
    out: list[str] = []
    for facet in facets:
        if not facet.values:
            continue
        name = escape(facet.name)
        out.append(f'<fieldset class="facet">\n<legend>{escape(facet.label)}</legend>\n')
        if facet.note:
            out.append(f'<p class="field-help">{escape(facet.note)}</p>\n')
        out.append("<ul>\n")
        for value in facet.values:
            field_id = escape(value.field_id)
            url = escape(value.url)
            checked = " checked" if value.selected else ""
            detail = f' <span class="muted">({escape(value.detail)})</span>' if value.detail else ""
            out.append(
                f'<li><input type="checkbox" id="{field_id}" name="{name}" '
                f'value="{escape(value.value)}" form="directory-form"{checked}>\n'
                f'<label for="{field_id}">{escape(value.label)}{detail}</label>\n'
                f'<a class="facet-count" href="{url}" hx-get="{url}" '
                f'aria-label="{escape(value.action_label)}">{escape(value.count_display)}</a></li>\n'
            )
        out.append("</ul>\n</fieldset>\n")
    return mark_safe("".join(out))  # every value above is escaped


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


class _Toggles:
    """toggle_url for every value of every facet of one search: the search's
    own parameters are encoded once, not once per value (a page has a hundred)."""

    def __init__(self, path: str, filters: DirectoryFilters) -> None:
        self.path = path
        self.params = [(pair, urlencode([pair])) for pair in filters.as_params()]
        self.present = {pair for pair, _encoded in self.params}

    def url(self, name: str, value: str, selected: bool) -> str:
        pair = (name, value)
        parts = [encoded for other, encoded in self.params if not (selected and other == pair)]
        if not selected and pair not in self.present:
            parts.append(urlencode([pair]))
        return f"{self.path}?{'&'.join(parts)}" if parts else self.path


# --- Counts -------------------------------------------------------------------


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _label(name: str, name_en: str = "") -> str:
    return name_en if name_en and _english() else name


Counts = dict[str, tuple[str, str, int]]  # value -> (label, detail, count)


def _base_rows(filters: DirectoryFilters) -> tuple[list[str], str, tuple]:
    """The organisations some facet counts, each with a flag per filter in use
    saying whether it meets it: the filter names and the SQL with its params.

    A facet counts the organisations that meet every filter but its own, so an
    organisation counts somewhere only if it fails at most one filter: with two
    filters or more, those are the rows that meet all of them but one (an OR of
    ANDs the database answers from its indexes).
    """
    conditions = filter_conditions(filters, form="flag")
    names = list(conditions)
    rows = Organization.objects.published()
    if filters.q:
        rows = rows.matching(filters.q, narrowed=len(names) > 1)
    if len(names) > 1:
        either = filter_conditions(filters, form="or")
        rows = rows.filter(
            reduce(
                operator.or_,
                (
                    reduce(operator.and_, [either[other] for other in names if other != name])
                    for name in names
                ),
            )
        )
    flags = {
        f"in_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in conditions.items()
    }
    rows = rows.annotate(**flags).order_by().values_list("pk", "kind", "municipality_id", *flags)
    sql, params = rows.query.sql_with_params()
    return names, sql, tuple(params)


def directory_changed(**kwargs) -> None:
    """A new version for the facet counts: the cached ones are not read again."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _search_key(what: str, filters: DirectoryFilters) -> tuple[DirectoryFilters, str]:
    """The search as counted (sort and errors do not change a count) and its
    cache key, which the directory's version makes stale at every change."""
    asked = replace(filters, sort="relevance", errors=())
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    return asked, f"directory:{what}:{_version()}:{digest}"


def facet_counts(filters: DirectoryFilters, *, fresh: bool = False) -> dict[str, Counts]:
    """Every facet's counts (see count_facets), from the cache when this search
    was counted since the directory last changed, unless ``fresh``."""
    asked, key = _search_key(f"facets:{get_language()}", filters)
    counts = None if fresh else cache.get(key)
    if counts is None:
        counts = count_facets(asked)
        cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts


def result_count(filters: DirectoryFilters) -> int:
    """How many published organisations a search finds, from the cache when the
    same search was counted since the directory last changed (the facets' key
    and lifetime): the API's pages count once per search, not once per page."""
    asked, key = _search_key("count", filters)
    count = cache.get(key)
    if count is None:
        count = organization_search(asked).count()
        cache.set(key, count, FACET_CACHE_SECONDS)
    return count


def count_facets(filters: DirectoryFilters) -> dict[str, Counts]:
    """Every facet's counts, in one statement.

    The organisations some facet counts are read once (``base``, see
    _base_rows), so the text index and the filters' indexes are read once per
    page and not once per facet; each facet groups the rows of base whose flags
    say they meet the other filters. The territory facets group by
    municipality first (``by_place``), so that only the municipalities found
    are joined to their names, states and regions.
    """
    names, base_sql, base_params = _base_rows(filters)
    flags = "".join(f", in_{name}" for name in names)
    qn = connection.ops.quote_name

    def table(model) -> str:
        return qn(model._meta.db_table)

    def others(facet: str) -> str:
        return "".join(f" AND in_{name}" for name in names if name != facet)

    def rows(facet: str) -> tuple[str, str]:
        """Where a facet's organisations are: a facet with a filter of its own in
        use counts the rows of base that meet the others; any other facet, the
        rows that meet them all (``found``, the search's results)."""
        if facet in names:
            return "base", others(facet)
        return ("found", "") if names else ("base", "")

    municipality, state, region = table(Municipality), table(State), table(Region)
    chosen = filters.municipality
    chosen_sql = (
        f"CASE WHEN m.code IN ({', '.join(['%s'] * len(chosen))}) THEN 1 ELSE 0 END"
        if chosen
        else "0"
    )
    # The many-to-many facets count the links of the organisations found. With
    # a filter in use they are few, and are looked up in the links' index on
    # the organisation (PostgreSQL is given their ids as an array, so that it
    # knows); without one they may be every published organisation, and the
    # database is left to join the two as it sees fit (SQLite in the order
    # written: CROSS JOIN).
    any_of = "= ANY(ARRAY({}))" if connection.vendor == "postgresql" else "IN ({})"
    # Each part gives: facet, value, label, English label, detail, count, and
    # whether the value is selected (the municipalities'); they are UNION'ed.
    source, condition = rows("kind")
    parts = [
        "SELECT 'kind', kind, '', '', '', COUNT(*), 0 "
        f"FROM {source} WHERE 1 = 1{condition} GROUP BY kind"
    ]
    for facet, model, key in (
        ("theme", Theme, "slug"),
        ("population", Population, "slug"),
        ("language", Language, "code"),
    ):
        through = getattr(Organization, f"{model._meta.model_name}s").through
        source, condition = rows(facet)
        if names:
            ids = f"SELECT id FROM {source} WHERE 1 = 1{condition}"
            tables = f"{table(through)} x CROSS JOIN {table(model)} v"
            links = f"x.organization_id {any_of.format(ids)}"
        else:
            tables = f"base CROSS JOIN {table(through)} x CROSS JOIN {table(model)} v"
            links = "x.organization_id = base.id"
        parts.append(
            f"SELECT '{facet}', v.{key}, v.name, v.name_en, '', COUNT(*), 0 FROM {tables} "
            f"WHERE {links} AND v.id = x.{facet}_id GROUP BY v.{key}, v.name, v.name_en"
        )
    parts += [
        "SELECT 'state', s.code, s.name, '', '', SUM(n), 0 "
        f"FROM by_place CROSS JOIN {municipality} m CROSS JOIN {state} s "
        f"WHERE m.id = by_place.municipality_id AND s.id = m.state_id{others('state')} "
        "GROUP BY s.code, s.name",
        "SELECT 'region', r.slug, r.name, '', s.abbreviation, SUM(n), 0 "
        f"FROM by_place CROSS JOIN {municipality} m CROSS JOIN {region} r "
        f"CROSS JOIN {state} s WHERE m.id = by_place.municipality_id AND r.id = m.region_id "
        f"AND s.id = r.state_id{others('region')} GROUP BY r.slug, r.name, s.abbreviation",
        # The municipalities with most results, the selected ones first so that
        # the limit never drops them.
        "SELECT * FROM (SELECT 'municipality', m.code, m.name, '', s.abbreviation, "
        f"SUM(n) AS n, {chosen_sql} AS chosen "
        f"FROM by_place CROSS JOIN {municipality} m CROSS JOIN {state} s "
        f"WHERE m.id = by_place.municipality_id AND s.id = m.state_id{others('municipality')} "
        "GROUP BY m.code, m.name, s.abbreviation "
        f"ORDER BY chosen DESC, n DESC, m.name, m.code LIMIT {MUNICIPALITY_TOP + len(chosen)}"
        ") AS top",
    ]
    found = (
        "found (id, kind, municipality_id) AS (SELECT id, kind, municipality_id FROM base "
        f"WHERE {' AND '.join(f'in_{name}' for name in names)}), "
        if names
        else ""
    )
    sql = (
        f"WITH base (id, kind, municipality_id{flags}) AS ({base_sql}), {found}"
        f"by_place (municipality_id{flags}, n) AS ("
        f"SELECT municipality_id{flags}, COUNT(*) FROM base GROUP BY municipality_id{flags}) "
        + " UNION ALL ".join(parts)
    )
    counts: dict[str, Counts] = {name: {} for name in FACET_ORDER}
    kinds = dict(Organization.Kind.choices)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*base_params, *chosen))
        for facet, value, label, label_en, detail, n, _chosen in cursor.fetchall():
            if facet == "kind":
                label = str(kinds.get(value, value))
            counts[facet][value] = (_label(label, label_en), detail or "", int(n))
    return counts


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


@dataclass(frozen=True)
class FacetSet:
    facets: list[Facet]
    active: list[ActiveFilter]
    # How many organisations the search finds. Every organisation has one kind,
    # so the kind facet's counts add up to it (those of the kinds chosen, when
    # some are: the kind facet ignores its own filter). The page reads it here,
    # from the cached counts, instead of counting its results again.
    total: int = 0

    @property
    def by_name(self) -> dict[str, Facet]:
        return {facet.name: facet for facet in self.facets}


def directory_facets(filters: DirectoryFilters, *, path: str) -> FacetSet:
    """Every facet of the search, with counts and toggle URLs on `path`, and the
    filters in use with the URL that removes each."""
    names = selected_labels(filters)
    kinds = dict(Organization.Kind.choices)
    counts_by_facet = facet_counts(filters)
    toggles = _Toggles(path, filters)
    facets = []
    for name in FACET_ORDER:
        counts = counts_by_facet[name]
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
                    url=toggles.url(name, value, selected),
                    detail=detail,
                    facet=name,
                )
            )
        values.sort(key=_facet_order(name))
        note = ""
        if name == "municipality" and len(counts) >= MUNICIPALITY_TOP:
            note = _("Los %(n)s municipios con más resultados.") % {"n": MUNICIPALITY_TOP}
        facets.append(Facet(name=name, label=str(LABELS[name]), values=values, note=str(note)))
    kinds_found = counts_by_facet["kind"]
    total = sum(
        count
        for value, (_label, _detail, count) in kinds_found.items()
        if not filters.kind or value in filters.kind
    )
    return FacetSet(
        facets=facets, active=active_filters(filters, path=path, facets=facets), total=total
    )


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
