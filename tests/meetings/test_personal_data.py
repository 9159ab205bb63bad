"""A person's registrations in their data export, and their cancellation keeps
the counts but not the name."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polo.accounts import personal_data
from polo.meetings.models import Person, Registration
from tests.meetings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_export_has_my_registrations_only(participant, meeting):
    mine = Person.objects.create(
        user=participant, full_name="Ana Pérez", sex="woman", age_band="30-44", sector="cso"
    )
    RegistrationFactory(meeting=meeting, person=mine, accessibility_needs="rampa")
    RegistrationFactory(meeting=meeting, person__full_name="Otra")
    section = personal_data.export(participant)["sections"]["meetings"]
    assert len(section) == 1
    assert section[0]["meeting"] == meeting.title and section[0]["accessibility_needs"] == "rampa"


def test_cancellation_keeps_the_attendance_and_drops_the_name(participant, meeting):
    mine = Person.objects.create(
        user=participant,
        full_name="Ana Pérez",
        sex="woman",
        age_band="30-44",
        sector="cso",
        birth_year=1990,
    )
    RegistrationFactory(
        meeting=meeting, person=mine, attended_at=timezone.now(), accessibility_needs="rampa"
    )
    personal_data.anonymize(participant)
    mine.refresh_from_db()
    assert mine.full_name == "Persona anonimizada" and mine.birth_year is None and mine.user is None
    assert mine.sex == "woman"
    registration = Registration.objects.get()
    assert registration.attended and registration.accessibility_needs == ""
    assert not mine.history.filter(full_name="Ana Pérez").exists()
