"""The meetings' demo step: about sixty meetings over the six regions, past ones
with attendance and write-up, future ones open; idempotent."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from polo import demo
from polo.meetings.models import Evaluation, Meeting, MeetingAgreement, Registration

pytestmark = pytest.mark.django_db

STEPS = ["polo.demo.directory", "polo.demo.accounts", "polo.demo.meetings"]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_makes_meetings_over_the_regions_and_twice_changes_nothing(territory):
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=STEPS)
    meetings = Meeting.objects.count()
    assert 50 <= meetings <= 70
    regions = Meeting.objects.values("municipality__region").annotate(n=Count("pk"))
    assert len(regions) == 6
    now = timezone.now()
    past = Meeting.objects.filter(start__lt=now)
    future = Meeting.objects.filter(start__gte=now, registration="open")
    assert past.exists() and future.exists()
    assert Registration.objects.filter(meeting__in=past, attended_at__isnull=False).exists()
    assert MeetingAgreement.objects.filter(meeting__in=past).exists()
    assert Evaluation.objects.exists()
    assert not Registration.objects.filter(meeting__in=future, attended_at__isnull=False).exists()
    before = (Meeting.objects.count(), Registration.objects.count())
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=["polo.demo.meetings"])
    assert (Meeting.objects.count(), Registration.objects.count()) == before
