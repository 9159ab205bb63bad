"""The meetings' world: a published forum in the facilitator's region, organised
by the editor's organisation, with room for three."""

from __future__ import annotations

import pytest

from tests.meetings.factories import MeetingFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(municipality, organization):
    meeting = MeetingFactory(
        title="Foro de participación ciudadana", municipality=municipality, capacity=3
    )
    meeting.organizers.add(organization)
    return meeting


@pytest.fixture
def past_meeting(municipality, organization):
    meeting = MeetingFactory(
        title="Grupo focal en Tlacolula",
        kind="focus_group",
        municipality=municipality,
        start=in_days(-10),
    )
    meeting.organizers.add(organization)
    return meeting


@pytest.fixture
def other_meeting(other_municipality):
    return MeetingFactory(title="Encuentro en La Montaña", municipality=other_municipality)


@pytest.fixture
def registration(meeting):
    return RegistrationFactory(meeting=meeting, person__full_name="Juana Gómez")


@pytest.fixture
def other_registration(other_meeting):
    return RegistrationFactory(meeting=other_meeting, person__full_name="Pedro Sánchez")
