"""The demo needs the real territory catalogue; loading it takes seconds, so each
test module loads it once, inside a transaction rolled back when the module ends
(each test still runs in its own nested transaction).

Building the demo takes seconds too: modules whose tests only read what one build
made share it (``programme_demo``), built once on the module's territory inside
the same transaction, so it is rolled back with it. What a test writes on top of
it is rolled back with the test's own nested transaction."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(scope="module")
def module_db(territory, django_db_blocker):
    """For module-scoped builds: the database open, with the suite's fast password
    hasher (the function-scoped `settings` fixture is not there yet)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(scope="module")
def programme_demo(module_db) -> str:
    """`polo demo` at the programme's scale, run once for the module; its output.
    A current privacy notice is there first (the migration's, unless a test that
    flushes the database ran before on this worker), so demo accounts consent to it."""
    from polo.accounts.models import PrivacyNotice
    from tests.factories import PrivacyNoticeFactory

    if PrivacyNotice.current() is None:
        PrivacyNoticeFactory()
    return run_demo()


def run_demo(*args: str) -> str:
    """`polo demo` as the CLI runs it, on the territory already loaded; its output."""
    out = StringIO()
    call_command("demo", "--force", "--skip-territory", *args, stdout=out, stderr=StringIO())
    return out.getvalue()
