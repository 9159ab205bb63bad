"""The demo needs the real territory catalogue; loading it takes seconds, so each
test module loads it once, inside a transaction rolled back when the module ends
(each test still runs in its own nested transaction)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def run_demo(*args: str) -> str:
    """`polo demo` as the CLI runs it, on the territory already loaded; its output."""
    out = StringIO()
    call_command("demo", "--force", "--skip-territory", *args, stdout=out, stderr=StringIO())
    return out.getvalue()
