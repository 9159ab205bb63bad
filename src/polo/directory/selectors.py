"""Reads of the actor registry: the directory search shared by the page, the
exports and the API, so that all three answer the same question the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from polo.directory.models import Organization
from polo.territory.models import Municipality

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FILTER = 50

SORTS = {
    "relevance": _("Relevancia"),
    "name": _("Nombre (A–Z)"),
    "-name": _("Nombre (Z–A)"),
    "-updated": _("Actualizadas recientemente"),
    "founded": _("Año de fundación"),
}


class FilterError(ValueError):
    """A parameter that cannot be understood; the message says which and why."""


@dataclass(frozen=True)
class DirectoryFilters:
    """What a directory search asks for. Within one filter the values combine
    with OR (any of these themes); different filters combine with AND."""

    q: str = ""
    kind: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()  # Theme.slug
    population: tuple[str, ...] = ()  # Population.slug
    language: tuple[str, ...] = ()  # Language.code
    state: tuple[str, ...] = ()  # State.code (INEGI, two digits)
    region: tuple[str, ...] = ()  # Region.slug
    municipality: tuple[str, ...] = ()  # Municipality.code (INEGI, five digits)
    sort: str = "relevance"
    errors: tuple[str, ...] = field(default=(), compare=False)

    MULTI = ("kind", "theme", "population", "language", "state", "region", "municipality")

    @classmethod
    def from_params(cls, params: Any, *, strict: bool = False) -> DirectoryFilters:
        """Read filters from a QueryDict (or a dict of lists/strings).

        Values that cannot be right (an unknown kind or sort, a malformed INEGI
        key, too many values) raise FilterError when ``strict`` (the API answers
        400); otherwise they are dropped and listed in ``errors`` for the page.
        Unknown slugs simply match nothing, as a search for them should.
        """
        errors: list[str] = []

        def getlist(name: str, *, split: bool = True) -> list[str]:
            if hasattr(params, "getlist"):
                raw = params.getlist(name)
            else:
                value = params.get(name, [])
                raw = value if isinstance(value, list | tuple) else [value]
            values: list[str] = []
            for item in raw:
                # Control characters (a NUL breaks PostgreSQL) never reach a query.
                clean = "".join(char for char in str(item) if char.isprintable())
                parts = clean.split(",") if split else [clean]
                values.extend(part.strip() for part in parts if part.strip())
            return values

        def problem(message: str) -> None:
            if strict:
                raise FilterError(message)
            errors.append(message)

        q = " ".join((getlist("q", split=False) or [""])[0].split())
        if len(q) > MAX_QUERY_LENGTH:
            problem(
                str(
                    _("La búsqueda es demasiado larga (máximo %(n)s caracteres).")
                    % {"n": MAX_QUERY_LENGTH}
                )
            )
            q = q[:MAX_QUERY_LENGTH]

        values: dict[str, tuple[str, ...]] = {}
        checks = {
            "kind": lambda v: v in Organization.Kind.values,
            "state": lambda v: len(v) == 2 and v.isascii() and v.isdigit(),
            "municipality": lambda v: len(v) == 5 and v.isascii() and v.isdigit(),
        }
        for name in cls.MULTI:
            items = list(dict.fromkeys(getlist(name)))
            if len(items) > MAX_VALUES_PER_FILTER:
                problem(str(_("Demasiados valores para el filtro «%(name)s».") % {"name": name}))
                items = items[:MAX_VALUES_PER_FILTER]
            check = checks.get(name)
            good = []
            for item in items:
                if len(item) > 80 or (check and not check(item)):
                    problem(
                        str(
                            _("Valor no válido para «%(name)s»: %(value)s")
                            % {"name": name, "value": item[:80]}
                        )
                    )
                else:
                    good.append(item)
            values[name] = tuple(good)

        sort = (getlist("sort") or ["relevance"])[0]
        if sort not in SORTS:
            problem(str(_("Orden no válido: %(value)s") % {"value": sort[:40]}))
            sort = "relevance"
        return cls(q=q, sort=sort, errors=tuple(errors), **values)

    def without(self, name: str) -> DirectoryFilters:
        """The same search without one filter: a facet's counts ignore its own
        selection, so that choosing one theme still shows the others."""
        return replace(self, **{name: ()})

    def as_params(self) -> list[tuple[str, str]]:
        """For URLs: the filters that are set, in a stable order."""
        params: list[tuple[str, str]] = []
        if self.q:
            params.append(("q", self.q))
        for f in fields(self):
            if f.name in self.MULTI:
                params.extend((f.name, value) for value in getattr(self, f.name))
        if self.sort != "relevance":
            params.append(("sort", self.sort))
        return params

    @property
    def is_empty(self) -> bool:
        return not self.q and not any(getattr(self, name) for name in self.MULTI)


class InSubquery(Expression):
    """``column IN (subquery)``, which PostgreSQL is given as ``column =
    ANY(ARRAY(subquery))``: the subquery runs once, and the condition can then
    be one of an OR of index scans (a BitmapOr), where an IN over a subquery
    would have to be tested row by row."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, queryset: QuerySet) -> None:
        super().__init__(output_field=BooleanField())
        self.column = F(column)
        self.subquery = Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        return f"{column} IN {subquery}", [*column_params, *subquery_params]

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        return f"{column} = ANY(ARRAY{subquery})", [*column_params, *subquery_params]


def filter_conditions(filters: DirectoryFilters, *, form: str = "and") -> dict[str, Q]:
    """Each facet filter in use, as a condition on an organisation, written for
    where it goes (the rows never repeat, so counts stay exact):

    - ``"and"``, all of them together: the kind and the places as an IN over
      an indexed column, which the database may start from; the themes,
      populations and languages as an EXISTS, tested on the rows those (or the
      text index) lead to. SQLite, which cannot weigh one IN list against
      another, would otherwise follow thousands of ids of a common theme
      rather than the hundreds of organisations of a state.
    - ``"or"``, alternatives: every one an index scan (see InSubquery), so
      that the database starts from their union.
    - ``"flag"``, a column saying whether a row meets it: every one an IN,
      worked out once for all the rows.
    """
    conditions: dict[str, Q] = {}
    if filters.kind:
        conditions["kind"] = Q(kind__in=filters.kind)
    for name, relation, key in (
        ("theme", "themes", "slug"),
        ("population", "populations", "slug"),
        ("language", "languages", "code"),
    ):
        values = getattr(filters, name)
        if values:
            through = getattr(Organization, relation).through
            linked = through.objects.filter(**{f"{name}__{key}__in": values})
            if form == "and":
                conditions[name] = Q(Exists(linked.filter(organization=OuterRef("pk"))))
            elif form == "or":
                conditions[name] = Q(InSubquery("pk", linked.values("organization_id")))
            else:
                conditions[name] = Q(pk__in=linked.values("organization_id"))
    for name, lookup in (
        ("state", "state__code__in"),
        ("region", "region__slug__in"),
        ("municipality", "code__in"),
    ):
        values = getattr(filters, name)
        if values:
            places = Municipality.objects.filter(**{lookup: values}).values("pk")
            conditions[name] = (
                Q(InSubquery("municipality_id", places))
                if form == "or"
                else Q(municipality__in=places)
            )
    return conditions


def organization_search(
    filters: DirectoryFilters, *, base: QuerySet[Organization] | None = None
) -> QuerySet[Organization]:
    """Published organisations matching the filters, annotated with ``relevance``
    and ordered as asked."""
    queryset = base if base is not None else Organization.objects.published()
    conditions = filter_conditions(filters)
    if filters.q:
        # The places and kinds may lead the query (see filter_conditions); if
        # none is chosen, the text index does.
        leaders = conditions.keys() & {"kind", "state", "region", "municipality"}
        queryset = queryset.search(filters.q, narrowed=bool(leaders))
    for condition in conditions.values():
        queryset = queryset.filter(condition)
    return queryset.order_by(*_ordering(filters))


def _ordering(filters: DirectoryFilters) -> list[str]:
    if filters.sort == "relevance":
        return ["-relevance", "name", "pk"] if filters.q else ["name", "pk"]
    return {
        "name": ["name", "pk"],
        "-name": ["-name", "-pk"],
        "-updated": ["-updated_at", "pk"],
        "founded": ["founded_year", "name", "pk"],
    }[filters.sort]
