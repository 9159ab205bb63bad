"""`polo demo --scale national`, on a reduced size so that the test stays fast.

One build for the module: the programme's demo, then the national scale twice
(the second run must add nothing); the tests read what each run made and said."""

from __future__ import annotations

import pytest
from django.db.models import Count

from polo.demo import assessments as demo_assessments
from polo.directory.models import Organization
from polo.territory.models import Municipality, State
from tests.demo.conftest import run_demo

pytestmark = pytest.mark.django_db

# Enough for one organisation in every municipality first (twice the 2,478 of them).
SIZE = 6000


@pytest.fixture(scope="module")
def national(module_db) -> dict:
    with pytest.MonkeyPatch.context() as patch:
        # Assessments written in bulk at this scale are tests/assessments/test_demo.py's.
        patch.setattr(demo_assessments, "NATIONAL_ASSESSMENTS", 60)
        run_demo()
        programme = set(Organization.objects.values_list("name", flat=True))
        args = ("--scale", "national", "--national-size", str(SIZE))
        first = run_demo(*args)
        second = run_demo(*args)
    return {"programme": programme, "first": first, "second": second}


def test_the_national_scale_spreads_organisations_over_every_municipality(national):
    assert Organization.objects.count() == SIZE
    assert not Municipality.objects.filter(organizations__isnull=True).exists()
    assert Organization.objects.filter(municipality__region__isnull=True).count() > SIZE / 2
    assert Organization.objects.values("municipality__state").distinct().count() == (
        State.objects.count()
    )
    assert not Organization.objects.filter(themes__isnull=True).exists()
    added = SIZE - len(national["programme"])
    assert f"Organizaciones: {added} nuevas" in national["first"]


def test_the_national_scale_keeps_the_programme_actors(national):
    assert Organization.objects.of_kind(Organization.Kind.ACADEMIC).count() == 7
    assert (
        Organization.objects.of_kind(Organization.Kind.COLLECTIVE)
        .filter(municipality__region__isnull=True)
        .exists()
    )
    largest = Municipality.objects.order_by("-population").first()
    busiest = Municipality.objects.annotate(n=Count("organizations")).order_by("-n", "code").first()
    assert busiest.population >= largest.population / 4


def test_a_national_run_after_a_programme_run_adds_only_the_national_set(national):
    names = set(Organization.objects.values_list("name", flat=True))
    assert national["programme"] < names
    assert len(names) == Organization.objects.count() == SIZE
    assert "Organizaciones: 0 nuevas" in national["second"]
