"""Registration: one's own and on behalf of someone, capacity and waiting list,
double registration, consent, e-mails with the .ics, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from polo.meetings.models import Person, Registration
from tests import factories as f
from tests.conftest import client_for
from tests.meetings.factories import MeetingFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "full_name": "María López",
        "sex": "woman",
        "age_band": "30-44",
        "sector": "community",
        "indigenous": "yes",
        "language": "Zapoteco",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_participant_registers_and_gets_an_email_with_the_ics(
    as_participant, participant, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_participant.post(reverse("meetings:register", args=[meeting.pk]), form_data())
    registration = Registration.objects.get(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert registration.status == "confirmed"
    assert registration.person.user == participant
    assert registration.person.language == "Zapoteco" and registration.person.indigenous is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participant.email]
    assert "confirmada" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    events = Calendar.from_ical(content).walk("VEVENT")
    assert str(events[0]["summary"]) == meeting.title
    qr_name, qr_content, qr_type = message.attachments[1]
    assert qr_type == "image/png" and qr_content.startswith(b"\x89PNG")
    # The participant's page shows the QR code.
    page = as_participant.get(registration.get_absolute_url()).content.decode()
    assert "<svg" in page


def test_consent_is_required(as_participant, meeting):
    data = form_data()
    del data["consent"]
    response = as_participant.post(reverse("meetings:register", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "aviso de privacidad" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_double_registration_is_refused_with_a_clear_message(as_participant, meeting):
    url = reverse("meetings:register", args=[meeting.pk])
    as_participant.post(url, form_data())
    response = as_participant.post(url, form_data())
    assert response.status_code == 200
    assert "ya está inscrita" in response.content.decode()
    assert Registration.objects.count() == 1


def test_beyond_capacity_people_go_to_the_waiting_list_and_move_up(as_facilitator, meeting):
    url = reverse("meetings:register_other", args=[meeting.pk])
    for n in range(5):
        as_facilitator.post(url, form_data(full_name=f"Persona {n}"))
    statuses = list(
        Registration.objects.order_by("created_at", "pk").values_list("status", flat=True)
    )
    assert statuses == ["confirmed"] * 3 + ["waiting"] * 2
    first = Registration.objects.order_by("pk").first()
    response = as_facilitator.post(reverse("meetings:registration_cancel", args=[first.pk]))
    assert response.status_code == 302
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["cancelled", "confirmed", "confirmed", "confirmed", "waiting"]


def test_a_facilitator_registers_someone_without_an_account_once(
    as_facilitator, facilitator, meeting
):
    url = reverse("meetings:register_other", args=[meeting.pk])
    as_facilitator.post(url, form_data(full_name="José  Pérez", birth_year="1980"))
    response = as_facilitator.post(url, form_data(full_name="jose perez", birth_year="1980"))
    assert "ya está inscrita" in response.content.decode()
    person = Person.objects.get()
    assert person.user is None and person.name_key == "jose perez"
    assert Registration.objects.get().registered_by == facilitator


def test_the_same_person_is_found_again_across_meetings(as_facilitator, meeting, municipality):
    second = MeetingFactory(municipality=municipality)
    second.organizers.set(meeting.organizers.all())
    for m in (meeting, second):
        as_facilitator.post(
            reverse("meetings:register_other", args=[m.pk]),
            form_data(full_name="Rosa Díaz", birth_year="1975", municipality=municipality.pk),
        )
    assert Person.objects.count() == 1
    assert Registration.objects.count() == 2


def test_a_closed_meeting_takes_no_self_registration(as_participant, municipality):
    closed = MeetingFactory(municipality=municipality, registration="closed")
    response = as_participant.post(reverse("meetings:register", args=[closed.pk]), form_data())
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_hostile_text_is_kept_as_text(as_facilitator, as_coordinator, meeting):
    hostile = '<script>alert(1)</script> Robert"); DROP TABLE personas;--'
    as_facilitator.post(
        reverse("meetings:register_other", args=[meeting.pk]), form_data(full_name=hostile)
    )
    assert Person.objects.get().full_name == hostile
    html = as_coordinator.get(reverse("meetings:checkin", args=[meeting.pk])).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_bad_choices_are_refused(as_facilitator, meeting):
    response = as_facilitator.post(
        reverse("meetings:register_other", args=[meeting.pk]),
        form_data(sex="robot", age_band="999"),
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_reminders_are_sent_once(meeting, participant, django_capture_on_commit_callbacks):
    person = Person.objects.create(
        user=participant, full_name="Ana Pérez", sex="woman", age_band="30-44", sector="cso"
    )
    meeting.start = in_days(1)
    meeting.end = meeting.start + datetime.timedelta(hours=2)
    meeting.save()
    RegistrationFactory(meeting=meeting, person=person)
    RegistrationFactory(meeting=meeting)  # no account: no e-mail
    far = MeetingFactory(municipality=meeting.municipality, start=in_days(20))
    RegistrationFactory(meeting=far, person=person)
    call_command("meetings", "send-reminders")
    call_command("meetings", "send-reminders")
    assert len(mail.outbox) == 1
    assert "Recordatorio" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][2] == "text/calendar"


def test_my_registrations_lists_only_mine(participant, meeting):
    mine = Person.objects.create(
        user=participant, full_name="Ana Pérez", sex="woman", age_band="30-44", sector="cso"
    )
    RegistrationFactory(meeting=meeting, person=mine)
    RegistrationFactory(meeting=meeting, person__full_name="Otra Persona")
    html = client_for(participant).get(reverse("meetings:my_registrations")).content.decode()
    assert meeting.title in html
    other = client_for(f.UserFactory()).get(reverse("meetings:my_registrations")).content.decode()
    assert meeting.title not in other
