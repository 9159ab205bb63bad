"""Who may vote: residents of the territory (municipality or region), a sector
there, those registered at a meeting, or a list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.consultations import selectors
from polo.consultations.models import EligibleVoter
from polo.meetings.models import Person
from tests import factories as f
from tests.conftest import client_for
from tests.consultations.conftest import make_consultation
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_each_kind_of_eligibility(municipality, other_municipality, participant):
    region = municipality.region
    neighbour = f.MunicipalityFactory(
        code="20068", name="Santa Lucía", state=region.state, region=region
    )
    here = f.UserFactory(email="aqui@ejemplo.mx", municipality=municipality)
    next_door = f.UserFactory(email="vecina@ejemplo.mx", municipality=neighbour)
    far = f.UserFactory(email="lejos@ejemplo.mx", municipality=other_municipality)
    gone = f.UserFactory(email="inactiva@ejemplo.mx", municipality=municipality, is_active=False)

    town = make_consultation(municipality=municipality, slug="municipio")
    whole_region = make_consultation(municipality=municipality, slug="region")
    whole_region.municipality = None
    whole_region.save()
    assert [selectors.is_eligible(town, u) for u in (here, next_door, far, gone)] == [
        True,
        False,
        False,
        False,
    ]
    assert [selectors.is_eligible(whole_region, u) for u in (here, next_door, far)] == [
        True,
        True,
        False,
    ]

    youth = make_consultation(
        municipality=municipality, slug="sector", eligibility="sector", sector="student"
    )
    Person.objects.create(
        user=here, full_name="Aquí", sex="woman", age_band="18-29", sector="student"
    )
    Person.objects.create(
        user=next_door, full_name="Vecina", sex="woman", age_band="18-29", sector="cso"
    )
    assert selectors.is_eligible(youth, here) and not selectors.is_eligible(youth, next_door)

    meeting = MeetingFactory(municipality=other_municipality)
    at_meeting = make_consultation(
        municipality=municipality, slug="foro", eligibility="meeting", meeting=meeting
    )
    registration = RegistrationFactory(meeting=meeting, person__user=far)
    cancelled = RegistrationFactory(meeting=meeting, person__user=participant, status="cancelled")
    assert registration and cancelled
    assert selectors.is_eligible(at_meeting, far)
    assert not selectors.is_eligible(at_meeting, participant)
    assert not selectors.is_eligible(at_meeting, here)

    listed = make_consultation(municipality=municipality, slug="lista", eligibility="list")
    EligibleVoter.objects.create(consultation=listed, user=far)
    assert selectors.is_eligible(listed, far) and not selectors.is_eligible(listed, here)
    assert selectors.electorate(listed) == 1

    # Through the pages: on the roll, a ballot; off it, 403 and the reason.
    url = reverse("consultations:vote", args=[listed.slug])
    assert client_for(far).get(url).status_code == 200
    refused = client_for(here).get(url)
    assert refused.status_code == 403 and "padrón" in refused.content.decode()
