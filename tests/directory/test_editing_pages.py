"""The editing pages stay light with the real catalogue (the municipality select
is the heaviest part), and the lists do a fixed number of queries."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polo.core.budget import weigh_page
from polo.directory.models import Membership, Organization, ProfileRevision
from polo.territory.models import Municipality
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_proposal_form_is_within_the_page_budget(territory, as_participant):
    response = as_participant.get(reverse("directory:propose"))

    assert response.status_code == 200
    assert response.content.decode().count("<option") > 800  # the three states' municipalities
    weight = weigh_page(response.content)
    assert weight.problems() == []


def test_the_edit_form_keeps_a_municipality_outside_the_three_states(territory, as_coordinator):
    elsewhere = Municipality.objects.get(code="09015")  # Cuauhtémoc, Ciudad de México
    organization = f.OrganizationFactory(municipality=elsewhere)

    response = as_coordinator.get(reverse("directory:organization_edit", args=[organization.pk]))

    assert f'<option value="{elsewhere.pk}" selected>' in response.content.decode()
    assert weigh_page(response.content).problems() == []


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_review_queue_costs_the_same_for_2_or_40_items(as_coordinator, municipality, editor):
    url = reverse("directory:review_queue")

    def add(n: int) -> None:
        for _ in range(n):
            f.OrganizationFactory(municipality=municipality, status="pending", created_by=editor)
            ProfileRevision.objects.create(
                organization=f.OrganizationFactory(municipality=municipality),
                data={"acronym": "X", "themes": [1]},
                submitted_by=editor,
            )

    add(2)
    few = queries_for(as_coordinator, url)
    add(38)
    assert queries_for(as_coordinator, url) == few


def test_the_members_page_costs_the_same_for_2_or_60_people(as_editor, organization):
    url = reverse("directory:organization_members", args=[organization.pk])
    f.MembershipFactory(organization=organization, is_editor=False)
    few = queries_for(as_editor, url)

    Membership.objects.bulk_create(
        Membership(user=f.UserFactory(), organization=organization) for _ in range(58)
    )

    assert queries_for(as_editor, url) == few


def test_the_history_page_costs_the_same_for_few_or_many_versions(as_coordinator, organization):
    url = reverse("directory:organization_history", args=[organization.pk])

    def edit(times: int) -> None:
        for number in range(times):
            organization.acronym = f"V{number}"
            organization.save()

    edit(3)
    few = queries_for(as_coordinator, url)
    edit(30)

    assert queries_for(as_coordinator, url) == few
    assert Organization.history.filter(id=organization.pk).count() > 30
