"""The agreements' demo step: two signed agreements per region with commitments
in every status (overdue ones included) and updates with evidence; idempotent."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from polo import demo
from polo.agreements.models import Agreement, Commitment, CommitmentUpdate

pytestmark = pytest.mark.django_db

STEPS = ["polo.demo.directory", "polo.demo.accounts", "polo.demo.agreements"]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_makes_agreements_in_every_region_and_twice_changes_nothing(territory, as_visitor):
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=STEPS)
    assert Agreement.objects.public().count() == 12
    assert Agreement.objects.values("region").distinct().count() == 6
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Commitment.Status}
    assert Commitment.objects.overdue(datetime.date(2026, 11, 27)).count() == 24
    reviews = set(CommitmentUpdate.objects.values_list("review", flat=True))
    assert reviews == {"confirmed", "pending", "disputed"}
    assert not CommitmentUpdate.objects.filter(note="").exists()
    # The demo editor's organisation is a party: she can review in the demo.
    assert Agreement.objects.filter(
        parties__organization__memberships__user__email="editora@polo.demo"
    ).exists()
    before = (Agreement.objects.count(), Commitment.objects.count())
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=["polo.demo.agreements"])
    assert (Agreement.objects.count(), Commitment.objects.count()) == before
    region = Agreement.objects.first().region
    assert as_visitor.get(f"/convenios/region/{region.slug}/").status_code == 200


def test_with_the_meetings_demo_a_meetings_agreement_becomes_a_commitment(territory, as_visitor):
    from polo.meetings.models import MeetingAgreement

    steps = ["polo.demo.directory", "polo.demo.accounts", "polo.demo.meetings"]
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=[*steps, "polo.demo.agreements"])
    linked = MeetingAgreement.objects.filter(commitment__isnull=False).select_related(
        "commitment__agreement", "meeting"
    )
    assert linked.exists()
    reached = linked.first()
    assert reached.commitment.agreement.parties.filter(
        organization__in=reached.meeting.organizers.all()
    ).exists()
    page = as_visitor.get(reached.commitment.get_absolute_url()).content.decode()
    assert "Surge del encuentro" in page
    before = linked.count()
    demo.run(scale=demo.Scale(), stdout=io.StringIO(), steps=["polo.demo.agreements"])
    assert linked.count() == before
