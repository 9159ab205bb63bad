"""The demo's qualitative step on the real territory catalogue: a codebook,
about fifteen sessions over the six regions, their coding and some quotes;
running it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from polo import demo
from polo.qualitative.models import Code, Coding, FocusGroup, Passage

# The step on its own (the directory's and the accounts' steps take minutes): it
# needs only the territory; without the demo accounts, nobody is the facilitator.
STEPS = ["polo.demo.qualitative"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def run() -> str:
    out = StringIO()
    demo.run(scale=demo.Scale(), stdout=out, steps=STEPS)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        Code.objects.count(),
        FocusGroup.objects.count(),
        Passage.objects.count(),
        Coding.objects.count(),
        Passage.objects.filter(is_published=True).count(),
    )


def test_the_demo_makes_sessions_in_every_region_and_is_idempotent(client):
    output = run()

    sessions = FocusGroup.objects.select_related("municipality__region")
    assert sessions.count() == 15
    assert {s.municipality.region.slug for s in sessions} == {
        "valles-centrales",
        "mixteca-huajuapan",
        "tehuacan",
        "puebla",
        "acapulco",
        "montana",
    }
    assert Code.objects.count() == 11
    assert Code.objects.filter(parent__isnull=False).count() == 3
    assert all(len(s.paragraphs()) >= 6 for s in sessions)
    assert all(s.participant_total > 0 for s in sessions)
    assert not Passage.objects.filter(is_stale=True).exists()
    assert Passage.objects.filter(is_published=True).count() >= 4
    assert "Grupos focales: 15 nuevos" in output
    before = counts()

    run()

    assert counts() == before
    page = client.get(reverse("qualitative:dashboard"))
    assert page.status_code == 200
    assert page.context["data"].rows
