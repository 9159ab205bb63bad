"""The consultations' demo step: a published consultation per state, with
ballots whose recount matches, and one open where the demo participant votes;
a second run changes nothing."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from polo import demo
from polo.accounts.models import User
from polo.consultations import services
from polo.consultations.models import Ballot, Consultation
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

STEPS = ["polo.demo.directory", "polo.demo.accounts", "polo.demo.consultations"]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_publishes_one_consultation_per_state_and_opens_one(territory):
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=STEPS)
    published = Consultation.objects.filter(status="published")
    assert published.count() == 3
    assert {c.region.state.code for c in published} == {"12", "20", "21"}
    for consultation in published:
        fresh, differences = services.recount(consultation)
        assert not differences and fresh["ballots"] >= 80
    opened = Consultation.objects.get(slug="presupuesto-oaxaca-de-juarez")
    assert opened.is_open and opened.result is None

    ballots = Ballot.objects.count()
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=STEPS)
    assert Ballot.objects.count() == ballots and Consultation.objects.count() == 4

    participant = User.objects.get(email="participante@polo.demo")
    page = client_for(participant).get(reverse("consultations:vote", args=[opened.slug]))
    assert page.status_code == 200
    result_page = client_for(None).get(published.first().get_absolute_url())
    assert "Participación" in result_page.content.decode()
