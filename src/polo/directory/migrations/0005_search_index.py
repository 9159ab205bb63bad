"""A full-text index behind the directory search (issue 3).

Organization.search_text holds accent-folded words and their stems between
single spaces (polo.directory.text.search_document); a query stem matches a
word that starts with it. Until now that was ``LIKE '% stem%'``, a scan of
every organisation for every query and for each of the seven facet counts.

- SQLite: an FTS5 table over search_text, with external content (the text
  stays in directory_organization; the FTS5 table holds only the index) and
  prefix indexes, so that a prefix query ("derech"*) reads one list. Three
  triggers keep it in step with every write: save(), bulk_create and
  bulk_update (the import, the demo), QuerySet.update (the admin), deletes and
  cascades. A later migration that makes SQLite rebuild directory_organization
  (Django copies the table to change a column) drops these triggers with the
  old table: it must run CREATE_SQLITE again. The search tests fail on SQLite
  if it does not, since they create, change and delete through the ORM.
- PostgreSQL: search_vector, a stored generated column (not in the model:
  Django never reads or writes it) with the tsvector of search_text in the
  'simple' configuration (no stemming, no stop words: the text is stemmed
  already), and a GIN index on it. PostgreSQL keeps both up to date itself. A
  later migration that changes search_text's type must drop the column first.

Reversible: the index, its triggers and its table are dropped.
"""

from django.db import OperationalError, migrations

TABLE = "directory_organization_search"
# Prefix indexes for query stems of 2 to 10 letters; longer ones are rare words.
CREATE_SQLITE = [
    f"""CREATE VIRTUAL TABLE {TABLE} USING fts5(
        search_text,
        content='directory_organization', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0',
        detail='none', columnsize=0, prefix='2 3 4 5 6 7 8 9 10'
    )""",
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON directory_organization BEGIN
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON directory_organization BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF id, search_text ON directory_organization
    WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
DROP_SQLITE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]
# The vector is stored (a generated column, unknown to the model), so that a
# query that starts from another filter tests it per row without parsing the
# text again; stripped of word positions, which no query here uses, so that it
# stays small enough to be kept in the row; the GIN index lets a query start
# from it.
CREATE_POSTGRESQL = [
    """ALTER TABLE directory_organization ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_text))) STORED""",
    f"CREATE INDEX {TABLE} ON directory_organization USING gin (search_vector)",
]
DROP_POSTGRESQL = [
    f"DROP INDEX IF EXISTS {TABLE}",
    "ALTER TABLE directory_organization DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def create_index(apps, schema_editor):
    try:
        _run(schema_editor, {"sqlite": CREATE_SQLITE, "postgresql": CREATE_POSTGRESQL})
    except OperationalError as error:
        if "fts5" not in str(error):
            raise
        raise RuntimeError(
            "Polo's directory search needs SQLite with FTS5 (built into the sqlite3 "
            "module of python.org, Debian and most distributions)."
        ) from error


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": DROP_SQLITE, "postgresql": DROP_POSTGRESQL})


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_populations_languages")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
