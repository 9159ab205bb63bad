"""The agreements' source_agenda becomes a foreign key: the text written in it
before survives the migration, as source_note."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("agreements", "0001_initial"), ("agendas", "0001_initial")]
AFTER = [("agreements", "0002_source_agenda_foreign_key")]


def test_the_old_text_is_kept_as_the_note(region):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Agreement = old.get_model("agreements", "Agreement")
    Agreement.objects.create(
        title="Convenio anterior",
        slug="anterior",
        kind="cso_authority",
        status="signed",
        signed_on=datetime.date(2025, 5, 1),
        region_id=region.pk,
        source_agenda="Foro regional de Valles Centrales, 2025",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    migrated = new.get_model("agreements", "Agreement").objects.get(slug="anterior")
    assert migrated.source_note == "Foro regional de Valles Centrales, 2025"
    assert migrated.source_agenda_id is None
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
