"""The practices' demo step: thirty published practices over the six regions
and a few in review, with themes, evidence and meetings; twice changes nothing."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from polo import demo
from polo.practices.models import Evidence, GoodPractice

pytestmark = pytest.mark.django_db

STEPS = ["polo.demo.directory", "polo.demo.accounts", "polo.demo.practices"]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_records_practices_over_the_regions_and_twice_changes_nothing(
    territory, as_visitor
):
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=STEPS)
    published = GoodPractice.objects.published()
    assert published.count() == 30
    assert 1 <= GoodPractice.objects.filter(status="pending").count() <= 6
    per_region = published.values("municipality__region").annotate(n=Count("pk"))
    assert sorted(row["n"] for row in per_region) == [5] * 6
    assert GoodPractice.themes.through.objects.exists()
    assert Evidence.objects.count() == 2 * GoodPractice.objects.count()
    assert GoodPractice.history.count() == GoodPractice.objects.count()
    # The demo's practices are found by the search (search_text filled in bulk).
    assert as_visitor.get("/buenas-practicas/", {"q": "comites"}).context["page"].paginator.count
    before = (GoodPractice.objects.count(), Evidence.objects.count())
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=["polo.demo.practices"])
    assert (GoodPractice.objects.count(), Evidence.objects.count()) == before
