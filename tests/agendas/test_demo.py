"""The agendas' demo step: one agenda per phase in the demo regions, with
proposals, comments and supports; the adopted one linked from an agreement;
idempotent."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from polo import demo
from polo.agendas.models import Agenda, Comment, Phase, Proposal, Support
from polo.agreements.models import Agreement

pytestmark = pytest.mark.django_db

STEPS = [
    "polo.demo.directory",
    "polo.demo.accounts",
    "polo.demo.agreements",
    "polo.demo.agendas",
]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_makes_an_agenda_in_every_phase_and_twice_changes_nothing(territory, as_visitor):
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=STEPS)
    assert set(Agenda.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert Proposal.objects.count() >= 40
    assert Comment.objects.filter(parent__isnull=False).exists()
    for proposal in Proposal.objects.all():
        assert proposal.support_count == Support.objects.filter(proposal=proposal).count()
    adopted = Agenda.objects.get(phase=Phase.ADOPTED)
    assert adopted.priorities.count() == 3 and adopted.result["ballots"] > 0
    assert Agreement.objects.filter(source_agenda=adopted).exists()
    before = (Agenda.objects.count(), Proposal.objects.count(), Support.objects.count())
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=["polo.demo.agendas"])
    assert (Agenda.objects.count(), Proposal.objects.count(), Support.objects.count()) == before
    for agenda in Agenda.objects.public():
        assert as_visitor.get(agenda.get_absolute_url()).status_code == 200
        assert as_visitor.get(f"/agendas/{agenda.slug}/propuestas/").status_code == 200
    assert as_visitor.get(f"/agendas/{adopted.slug}/agenda-adoptada/").status_code == 200
