"""Indexes for the directory page (issue 3).

- Published organisations by name: the first page of the directory without a
  query is read in order from the index instead of sorted.
- Published organisations by municipality and kind: the facets count by place
  and by kind from the index alone.
- SQLite only: the same columns keyed by id. SQLite keeps a table's rows in a
  tree keyed by id, and an organisation's row is wide (its descriptions and
  search text), so following the ids that the text index or a filter gives
  (often thousands) to read three small columns touches a page per row; this
  narrow copy holds them in a few pages. PostgreSQL reaches the same rows
  through bitmaps of its own indexes and has no use for it. Like the search
  index's triggers (0005), it goes when SQLite rebuilds the table: a later
  migration that makes it do so must create it again.
"""

from django.db import migrations, models

SQLITE_INDEX = "organization_id_place"
CREATE_SQLITE = (
    f"CREATE INDEX {SQLITE_INDEX} ON directory_organization (id, status, municipality_id, kind)"
)
DROP_SQLITE = f"DROP INDEX IF EXISTS {SQLITE_INDEX}"


def create_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_SQLITE, params=None)


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP_SQLITE, params=None)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_search_index")]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["status", "name"], name="organization_status_name"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["status", "municipality", "kind"], name="organization_status_place"
            ),
        ),
        migrations.RunPython(create_sqlite_index, drop_sqlite_index, elidable=False),
    ]
