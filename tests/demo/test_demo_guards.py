"""`polo demo` refuses to run where it must not, and says why."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polo import demo
from polo.accounts.models import User
from polo.directory.models import Organization
from polo.territory.models import Municipality

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", "--skip-territory", stdout=StringIO())

    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_with_debug_on_it_runs_and_needs_a_territory(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="territorio"):
        call_command("demo", "--skip-territory", stdout=StringIO())

    assert not Organization.objects.exists()


def test_it_says_the_territory_is_empty_when_it_is(settings):
    with pytest.raises(CommandError, match="load-territory"):
        call_command("demo", "--force", "--skip-territory", stdout=StringIO())


def test_codes_before_the_demo_accounts_exist_are_an_error():
    with pytest.raises(CommandError, match="polo demo"):
        call_command("demo", "--codes", stdout=StringIO())


@pytest.mark.parametrize(
    "args",
    [
        ["--scale", "planetary"],
        ["--scale", ""],
        ["--national-size", "-5"],
        ["--national-size", "muchas"],
        ["--seed", "1; DROP TABLE directory_organization"],
    ],
)
def test_it_rejects_bad_options(args):
    with pytest.raises(CommandError):
        call_command("demo", "--force", "--skip-territory", *args, stdout=StringIO())

    assert not Organization.objects.exists()


def test_on_an_empty_database_it_loads_the_territory_first(monkeypatch):
    # The organisations' step alone after the territory: the other steps' data are
    # tests/demo/test_demo_programme.py's, and would add seconds for nothing here.
    monkeypatch.setattr(demo, "STEPS", ["polo.demo.directory"])
    out = StringIO()

    call_command("demo", "--force", stdout=out, stderr=StringIO())

    assert Municipality.objects.count() == 2478
    assert Organization.objects.of_kind(Organization.Kind.CSO).count() == 190
    assert "Catálogo territorial" in out.getvalue()
