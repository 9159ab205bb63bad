"""Reads for the audit trail: who changed what, and when, on every domain record.

Every domain model in Polo's apps carries django-simple-history's
``HistoricalRecords``. The trail finds those models in the app registry, so a
later module's models appear here without touching this app.

Cost: the trail merges the newest rows of every history table (one query per
table per page, keyset-paginated so a deep page costs the same as the first),
then, for the rows on the page only, one query per table for the previous
versions, one per table for the live records, one per related model named in
the changes and one per many-to-many field. It never grows with the page size.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_app_model_primary_key_name, get_m2m_reverse_field_name

PER_PAGE = 50
RECORD_PER_PAGE = 25
VALUE_CHARS = 160  # long texts are cut in the table; the record page has the same cut

CHANGE_TYPES = {
    "+": ("+", _("Creación"), "badge-add"),
    "~": ("~", _("Modificación"), ""),
    "-": ("−", _("Eliminación"), "badge-del"),
}


@dataclass(frozen=True)
class Tracked:
    """A domain model with a history, and its history model."""

    model: type[models.Model]
    history: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower  # "directory.organization"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def pk_name(self) -> str:
        return get_app_model_primary_key_name(self.model)

    @property
    def m2m_fields(self) -> list[models.ManyToManyField]:
        return list(getattr(self.history, "_history_m2m_fields", []))


@functools.cache
def tracked_models() -> tuple[Tracked, ...]:
    """Every model of Polo's own apps that keeps a history, by label."""
    found = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager and model._meta.app_config.name.startswith("polo."):
            found.append(Tracked(model=model, history=getattr(model, manager).model))
    return tuple(sorted(found, key=lambda tracked: tracked.label))


def find_tracked(label: str) -> Tracked | None:
    return next((t for t in tracked_models() if t.label == label), None)


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class Entry:
    """One historical row: a creation, a change or a deletion of one record."""

    tracked: Tracked
    record: Any  # the simple-history row
    previous: Any = None  # the version before it, when there is one
    target: models.Model | None = None  # the live record; None once deleted
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def key(self) -> tuple[datetime, str, int]:
        return (self.record.history_date, self.tracked.label, self.record.history_id)

    @property
    def who(self):
        return self.record.history_user

    @property
    def change(self) -> tuple[str, str, str]:
        """(symbol, label, badge class) of the kind of change."""
        return CHANGE_TYPES.get(self.record.history_type, ("?", _("Cambio"), ""))

    @property
    def object_pk(self) -> Any:
        return getattr(self.record, self.tracked.pk_name)

    @property
    def title(self) -> str:
        return str(self.target if self.target is not None else self.record.instance)

    @property
    def url(self) -> str:
        """The record's own page, when it has one and still exists."""
        if self.target is None or not hasattr(self.target, "get_absolute_url"):
            return ""
        try:
            return self.target.get_absolute_url()
        except NoReverseMatch:
            return ""

    @property
    def history_url(self) -> str:
        meta = self.tracked.model._meta
        return reverse("audit:record", args=[meta.app_label, meta.model_name, self.object_pk])


@dataclass(frozen=True)
class TrailFilter:
    label: str = ""  # one record type, e.g. "directory.organization"; "" for all
    person: str = ""  # part of the e-mail or name of who made the change
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class Cursor:
    """A position in the merged trail: the key of the row a page starts after."""

    date: datetime
    label: str
    history_id: int

    SEPARATOR = "~"

    @classmethod
    def of(cls, entry: Entry) -> Cursor:
        return cls(*entry.key)

    def encode(self) -> str:
        return self.SEPARATOR.join([self.date.isoformat(), self.label, str(self.history_id)])

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        """A cursor from the query string, or None for anything malformed."""
        parts = (raw or "").split(cls.SEPARATOR)
        if len(parts) != 3 or find_tracked(parts[1]) is None:
            return None
        try:
            date = datetime.fromisoformat(parts[0])
            history_id = int(parts[2])
        except ValueError:
            return None
        if date.tzinfo is None or history_id < 0:
            return None
        return cls(date, parts[1], history_id)


@dataclass
class TrailPage:
    entries: list[Entry]
    older: Cursor | None  # where the next, older page starts; None at the end
    newer: Cursor | None  # where the previous, newer page starts; None on the first


def recent_changes(
    *,
    filters: TrailFilter = TrailFilter(),
    before: Cursor | None = None,
    after: Cursor | None = None,
    per_page: int = PER_PAGE,
) -> TrailPage:
    """A page of the merged trail, newest first: the first page, the page of
    rows older than `before`, or the page of rows newer than `after`."""
    tables = [t for t in tracked_models() if not filters.label or t.label == filters.label]
    newest_first = after is None
    cursor = before if newest_first else after
    candidates: list[Entry] = []
    for tracked in tables:
        rows = _filtered(tracked, filters)
        if cursor is not None:
            rows = rows.filter(_beyond(cursor, tracked, older=newest_first))
        order = ["-history_date", "-history_id"] if newest_first else ["history_date", "history_id"]
        candidates += [Entry(tracked, row) for row in rows.order_by(*order)[: per_page + 1]]
    candidates.sort(key=lambda entry: entry.key, reverse=newest_first)
    more = len(candidates) > per_page
    entries = candidates[:per_page]
    if not newest_first:
        if not more:  # nothing newer than a full page: that is the first page
            return recent_changes(filters=filters, per_page=per_page)
        entries.reverse()
    _attach_details(entries)
    if newest_first:
        older = Cursor.of(entries[-1]) if more else None
        newer = Cursor.of(entries[0]) if before is not None and entries else None
    else:
        older = Cursor.of(entries[-1]) if entries else None
        newer = Cursor.of(entries[0])
    return TrailPage(entries=entries, older=older, newer=newer)


def record_history(tracked: Tracked, pk: Any, *, page_number: Any = 1) -> Page | None:
    """One record's versions, newest first, each with what it changed; None when
    the key is malformed or the record never had a history."""
    try:
        pk = tracked.model._meta.pk.to_python(pk)
    except ValidationError:
        return None
    rows = _with_previous_id(
        tracked.history._default_manager.filter(**{tracked.pk_name: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id"),
        tracked,
    )
    page = Paginator(rows, RECORD_PER_PAGE).get_page(page_number)
    if not page.object_list:
        return None
    entries = [Entry(tracked, row) for row in page.object_list]
    _attach_details(entries)
    page.object_list = entries
    return page


# --- Queries -----------------------------------------------------------------


def _filtered(tracked: Tracked, filters: TrailFilter) -> QuerySet:
    rows = tracked.history._default_manager.select_related("history_user")
    if filters.person:
        rows = rows.filter(
            Q(history_user__email__icontains=filters.person)
            | Q(history_user__full_name__icontains=filters.person)
        )
    if filters.since:
        rows = rows.filter(history_date__gte=filters.since)
    if filters.until:
        rows = rows.filter(history_date__lt=filters.until)
    return _with_previous_id(rows, tracked)


def _with_previous_id(rows: QuerySet, tracked: Tracked) -> QuerySet:
    """Annotate each version with the id of the version of the same record before it."""
    same_record = {tracked.pk_name: OuterRef(tracked.pk_name)}
    earlier = (
        tracked.history._default_manager.filter(**same_record)
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return rows.annotate(previous_history_id=Subquery(earlier))


def _beyond(cursor: Cursor, tracked: Tracked, *, older: bool) -> Q:
    """Rows of `tracked` past the cursor in the merged order (date, label, id)."""
    if older:
        if tracked.label < cursor.label:
            return Q(history_date__lte=cursor.date)
        if tracked.label > cursor.label:
            return Q(history_date__lt=cursor.date)
        return Q(history_date__lt=cursor.date) | Q(
            history_date=cursor.date, history_id__lt=cursor.history_id
        )
    if tracked.label > cursor.label:
        return Q(history_date__gte=cursor.date)
    if tracked.label < cursor.label:
        return Q(history_date__gt=cursor.date)
    return Q(history_date__gt=cursor.date) | Q(
        history_date=cursor.date, history_id__gt=cursor.history_id
    )


def _relations(model: type[models.Model]) -> list[str]:
    # Most __str__ methods name a related record (a municipality's state):
    # join them here rather than query once per row.
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def _in_bulk(model: type[models.Model], pks: Iterable[Any]) -> dict[Any, models.Model]:
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return {}
    return model._base_manager.select_related(*_relations(model)).in_bulk(pks)


def _attach_details(entries: list[Entry]) -> None:
    """Previous versions, live records and readable diffs for the rows on a page."""
    by_table: dict[Tracked, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_table[entry.tracked].append(entry)

    raw: list[tuple[Entry, models.Field, Any, Any]] = []
    for tracked, group in by_table.items():
        ids = {e.record.previous_history_id for e in group} - {None}
        previous = tracked.history._default_manager.in_bulk(ids) if ids else {}
        live = _in_bulk(tracked.model, (e.object_pk for e in group))
        m2m_names = [f.name for f in tracked.m2m_fields]
        for entry in group:
            entry.previous = previous.get(entry.record.previous_history_id)
            entry.target = live.get(entry.object_pk)
            if entry.previous is None or entry.record.history_type == "-":
                continue
            delta = entry.record.diff_against(entry.previous, excluded_fields=m2m_names)
            for change in delta.changes:
                model_field = tracked.model._meta.get_field(change.field)
                raw.append((entry, model_field, change.old, change.new))
        raw += _m2m_changes(tracked, group)

    related: dict[type[models.Model], set[Any]] = defaultdict(set)
    for _entry, model_field, old, new in raw:
        if model_field.is_relation:
            for value in (old, new):
                related[model_field.related_model].update(
                    value if isinstance(value, list | set | tuple) else [value]
                )
    names = {model: _in_bulk(model, pks) for model, pks in related.items()}
    for entry, model_field, old, new in raw:
        entry.changes.append(
            FieldChange(
                field=str(model_field.verbose_name),
                old=_display(model_field, old, names),
                new=_display(model_field, new, names),
            )
        )


def _m2m_changes(tracked: Tracked, group: list[Entry]) -> list[tuple]:
    """Many-to-many differences (an organisation's themes): one query per field."""
    pairs = [
        (e, e.previous) for e in group if e.previous is not None and e.record.history_type != "-"
    ]
    if not pairs or not tracked.m2m_fields:
        return []
    history_ids = {e.record.history_id for e, _p in pairs} | {p.history_id for _e, p in pairs}
    found = []
    for m2m_field in tracked.m2m_fields:
        through = getattr(tracked.history, m2m_field.name).model
        target = get_m2m_reverse_field_name(m2m_field)
        members: dict[Any, set] = defaultdict(set)
        for history_id, member in through._default_manager.filter(
            history_id__in=history_ids
        ).values_list("history_id", f"{target}_id"):
            members[history_id].add(member)
        for entry, previous in pairs:
            old, new = members[previous.history_id], members[entry.record.history_id]
            if old != new:
                found.append((entry, m2m_field, sorted(old), sorted(new)))
    return found


def _display(model_field: models.Field, value: Any, names: dict) -> Any:
    """A value as a person reads it; dates and numbers stay typed so that the
    template localizes them."""
    if value is None or value == "" or value == []:
        return None
    if model_field.is_relation:
        found = names.get(model_field.related_model, {})
        values = value if isinstance(value, list) else [value]
        return ", ".join(
            str(found[pk]) if pk in found else str(_("#%(pk)s (eliminado)") % {"pk": pk})
            for pk in values
        )
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("sí") if value else _("no")
    if isinstance(value, str):
        return Truncator(value).chars(VALUE_CHARS)
    return value
