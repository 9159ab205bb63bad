"""The audit trail of bulk writes, done by the database.

simple-history's ``bulk_create_with_history`` builds one historical object per
row in Python and inserts them through the ORM: for an import of 10,000
organisations with their contacts that is most of the import's time. Here the
historical rows are copied from the rows just written with one
``INSERT … SELECT`` per batch, on SQLite and PostgreSQL alike: the same
columns, the same values, the same ``history_date`` for the whole write.

Use it right after a bulk write (``bulk_create``, ``polo.core.bulk``), inside
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import CharField, DateTimeField, IntegerField, Model, Value
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

BATCH = 500
_HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def _chunks(values: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def record_history(
    model: type[Model],
    ids: Sequence[int],
    *,
    history_type: str,
    when: dt.datetime,
    user: Any = None,
    reason: str = "",
) -> None:
    """A historical row for each object ``ids`` of ``model`` as it is now, with
    the given type ("+", "~", "-"), date, user and change reason."""
    history = model.history.model
    fields = [field for field in history._meta.concrete_fields if field.name not in _HISTORY_FIELDS]
    rows = model._base_manager.order_by().values_list(
        *(field.attname for field in fields),
        Value(when, output_field=DateTimeField()),
        Value(history_type, output_field=CharField()),
        Value(getattr(user, "pk", None), output_field=IntegerField()),
        Value(reason or None, output_field=CharField()),
    )
    qn = connection.ops.quote_name
    columns = [field.column for field in fields]
    columns += ["history_date", "history_type", "history_user_id", "history_change_reason"]
    into = "INSERT INTO {} ({}) ".format(
        qn(history._meta.db_table), ", ".join(qn(column) for column in columns)
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(list(ids)):
            select_sql, params = rows.filter(pk__in=chunk).query.sql_with_params()
            cursor.execute(into + select_sql, params)


def record_m2m_history(
    model: type[Model], ids: Sequence[int], *, history_type: str, when: dt.datetime
) -> None:
    """The many-to-many state of the historical rows written at ``when`` with
    ``history_type`` for the objects ``ids`` (simple-history's ``m2m_fields``),
    copied from the link tables."""
    history = model.history.model
    qn = connection.ops.quote_name
    date = connection.ops.adapt_datetimefield_value(when)
    for model_field in history._history_m2m_fields:
        m2m_history = getattr(history, model_field.name).model
        through = model_field.remote_field.through
        source = get_m2m_field_name(model_field) + "_id"
        target = get_m2m_reverse_field_name(model_field) + "_id"
        # The chunk's historical rows are picked first (MATERIALIZED: once), then
        # joined to their links through the links' index. Written as one join,
        # PostgreSQL estimated the historical rows of a date it had not analysed
        # yet at one, and read all of this write's rows for every chunk.
        sql = (
            f"WITH h AS MATERIALIZED (SELECT id, history_id FROM {qn(history._meta.db_table)} "
            "WHERE id IN ({}) AND history_date = %s AND history_type = %s) "
            f"INSERT INTO {qn(m2m_history._meta.db_table)} (id, {qn(source)}, {qn(target)}, "
            f"history_id) SELECT link.id, link.{qn(source)}, link.{qn(target)}, h.history_id "
            f"FROM h JOIN {qn(through._meta.db_table)} link ON link.{qn(source)} = h.id"
        )
        with connection.cursor() as cursor:
            for chunk in _chunks(list(ids)):
                cursor.execute(
                    sql.format(", ".join(["%s"] * len(chunk))), (*chunk, date, history_type)
                )
