"""Bulk writes without the ORM's per-object cost, for imports of thousands of rows.

``bulk_create`` and above all ``bulk_update`` (one CASE WHEN per field and row)
spend most of an import's time building SQL in Python; these send one
prepared statement with many rows (``executemany``). The audit trail of such a
write is ``polo.audit.bulk``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH = 2_000


def _chunks(values: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT plain rows (ids, numbers, text: values the database takes as
    they are) into ``model``'s table without building model instances: for
    link tables and the like. Returns the number of rows."""
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    rows = list(rows)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.executemany(sql, chunk)
    return len(rows)


def update_rows(objects: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of ``objects`` (saved instances of one model) with one
    ``UPDATE … WHERE pk = %s`` sent for all of them; values are prepared by each
    field as ``save()`` would. Returns the number of objects."""
    if not objects:
        return 0
    meta = type(objects[0])._meta
    model_fields = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(meta.db_table),
        ", ".join(f"{qn(field.column)} = %s" for field in model_fields),
        qn(meta.pk.column),
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in model_fields]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.executemany(sql, chunk)
    return len(rows)
