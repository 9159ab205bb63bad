"""`polo demo --scale national`, on a reduced size so that the test stays fast."""

from __future__ import annotations

import pytest
from django.db.models import Count

from polo.directory.models import Organization
from polo.territory.models import Municipality, State
from tests.demo.conftest import run_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]


def test_the_national_scale_spreads_organisations_over_every_municipality():
    output = run_demo("--scale", "national", "--national-size", "6000")

    assert Organization.objects.count() == 6000
    assert not Municipality.objects.filter(organizations__isnull=True).exists()
    assert Organization.objects.filter(municipality__region__isnull=True).count() > 3000
    assert Organization.objects.values("municipality__state").distinct().count() == (
        State.objects.count()
    )
    assert not Organization.objects.filter(themes__isnull=True).exists()
    assert "Organizaciones: 6000 nuevas" in output


def test_the_national_scale_keeps_the_programme_actors():
    run_demo("--scale", "national", "--national-size", "3000")

    assert Organization.objects.count() == 3000
    assert Organization.objects.of_kind(Organization.Kind.ACADEMIC).count() == 7
    assert (
        Organization.objects.of_kind(Organization.Kind.COLLECTIVE)
        .filter(municipality__region__isnull=True)
        .exists()
    )
    largest = Municipality.objects.order_by("-population").first()
    busiest = Municipality.objects.annotate(n=Count("organizations")).order_by("-n", "code").first()
    assert busiest.population >= largest.population / 4


def test_a_national_run_after_a_programme_run_adds_only_the_national_set():
    run_demo()
    programme = set(Organization.objects.values_list("name", flat=True))

    run_demo("--scale", "national", "--national-size", "3000")
    run_demo("--scale", "national", "--national-size", "3000")

    names = set(Organization.objects.values_list("name", flat=True))
    assert programme < names
    assert len(names) == Organization.objects.count() == 3000
