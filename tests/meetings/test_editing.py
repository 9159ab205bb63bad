"""Creating and changing meetings: who may, where, and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {
        "kind": "forum",
        "title": "Foro de juventudes",
        "description": "Un foro.",
        "start": "2027-03-10T10:00",
        "end": "2027-03-10T14:00",
        "registration": "open",
        "status": "published",
        "agenda_text": "Bienvenida\n\nMesas de trabajo\nAcuerdos",
    }
    values.update(overrides)
    return values


def test_a_facilitator_creates_a_meeting_in_their_region(as_facilitator, municipality):
    response = as_facilitator.post(
        reverse("meetings:meeting_create"), data(municipality=municipality.pk)
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert [a.text for a in meeting.agenda.all()] == ["Bienvenida", "Mesas de trabajo", "Acuerdos"]
    assert meeting.start.isoformat() == "2027-03-10T16:00:00+00:00"  # 10:00 in Mexico City


def test_a_facilitator_cannot_place_a_meeting_in_another_region(as_other_facilitator, municipality):
    response = as_other_facilitator.post(
        reverse("meetings:meeting_create"), data(municipality=municipality.pk)
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_an_editor_must_name_their_organisation(as_editor, organization, municipality):
    url = reverse("meetings:meeting_create")
    assert as_editor.post(url, data(municipality=municipality.pk)).status_code == 400
    response = as_editor.post(url, data(municipality=municipality.pk, organizers=[organization.pk]))
    assert response.status_code == 302
    assert list(Meeting.objects.get().organizers.all()) == [organization]


def test_malformed_dates_and_a_reversed_span_are_said(as_coordinator, municipality):
    url = reverse("meetings:meeting_create")
    response = as_coordinator.post(
        url, data(municipality=municipality.pk, start="2027-02-30T10:00")
    )
    assert response.status_code == 400 and "no son válidas" in response.content.decode()
    response = as_coordinator.post(url, data(municipality=municipality.pk, end="2027-03-09T10:00"))
    assert response.status_code == 400 and "después del inicio" in response.content.decode()
    response = as_coordinator.post(url, data())
    assert response.status_code == 400 and "enlace para conectarse" in response.content.decode()
    assert not Meeting.objects.exists()


def test_those_who_run_a_meeting_change_it(as_editor, meeting):
    response = as_editor.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        data(
            title="Foro renombrado",
            municipality=meeting.municipality.pk,
            organizers=[o.pk for o in meeting.organizers.all()],
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Foro renombrado"
