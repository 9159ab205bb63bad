"""Attendance: the check-in list (with and without htmx), walk-ins, the QR code,
the paper sheet; refusals for someone not registered or another region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.meetings import services
from polo.meetings.models import Registration
from tests.meetings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_ticking_marks_attendance_once(as_facilitator, facilitator, registration):
    url = reverse("meetings:checkin_mark", args=[registration.meeting.pk, registration.pk])
    as_facilitator.post(url)
    registration.refresh_from_db()
    first = registration.attended_at
    assert first is not None and registration.checked_in_by == facilitator
    as_facilitator.post(url)  # sent again on a weak connection
    registration.refresh_from_db()
    assert registration.attended_at == first


def test_with_htmx_the_row_comes_back_ticked(as_facilitator, registration):
    url = reverse("meetings:checkin_mark", args=[registration.meeting.pk, registration.pk])
    response = as_facilitator.post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="r-{registration.pk}"' in html and "Asistió" in html
    assert "<html" not in html


def test_unticking_takes_attendance_back(as_facilitator, registration):
    url = reverse("meetings:checkin_mark", args=[registration.meeting.pk, registration.pk])
    as_facilitator.post(url)
    as_facilitator.post(url, {"attended": "0"})
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_the_list_is_searched_by_name_without_accents(as_facilitator, meeting):
    RegistrationFactory(meeting=meeting, person__full_name="Juana Gómez")
    RegistrationFactory(meeting=meeting, person__full_name="Pedro Ruiz")
    html = as_facilitator.get(
        reverse("meetings:checkin", args=[meeting.pk]), {"q": "gomez"}
    ).content.decode()
    assert "Juana Gómez" in html and "Pedro Ruiz" not in html


def test_a_mark_for_someone_not_registered_here_is_refused(
    as_coordinator, meeting, other_registration
):
    url = reverse("meetings:checkin_mark", args=[meeting.pk, other_registration.pk])
    response = as_coordinator.post(url, follow=True)
    assert "no está inscrita en este encuentro" in response.content.decode()
    other_registration.refresh_from_db()
    assert other_registration.attended_at is None
    response = as_coordinator.post(
        reverse("meetings:checkin_mark", args=[meeting.pk, 999999]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409


def test_a_facilitator_of_another_region_cannot_mark(as_other_facilitator, registration):
    url = reverse("meetings:checkin_mark", args=[registration.meeting.pk, registration.pk])
    assert as_other_facilitator.post(url).status_code == 403
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_a_walk_in_is_added_and_counted_as_attended(as_editor, meeting):
    response = as_editor.post(
        reverse("meetings:walk_in", args=[meeting.pk]),
        {"full_name": "Luisa Cruz", "sex": "woman", "age_band": "18-29", "sector": "student"},
    )
    assert response.status_code == 302
    walk_in = Registration.objects.get(person__full_name="Luisa Cruz")
    assert walk_in.walk_in and walk_in.attended


def test_a_walk_in_with_missing_fields_says_what_is_missing(as_editor, meeting):
    response = as_editor.post(
        reverse("meetings:walk_in", args=[meeting.pk]), {"full_name": "Luisa"}
    )
    assert response.status_code == 400
    assert "obligatorio" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_qr_code_opens_a_confirmation_then_marks(as_facilitator, registration):
    url = reverse("meetings:checkin_qr", args=[services.checkin_token(registration)])
    page = as_facilitator.get(url)
    assert "Juana Gómez" in page.content.decode()
    registration.refresh_from_db()
    assert registration.attended_at is None  # only after the facilitator confirms
    as_facilitator.post(url)
    registration.refresh_from_db()
    assert registration.attended


def test_a_forged_or_foreign_qr_code_is_refused(as_facilitator, other_registration):
    forged = as_facilitator.get(reverse("meetings:checkin_qr", args=["abc:def"]))
    assert forged.status_code == 400 and "no es válido" in forged.content.decode()
    foreign = reverse("meetings:checkin_qr", args=[services.checkin_token(other_registration)])
    response = as_facilitator.post(foreign)
    assert response.status_code == 403 and "no coordina" in response.content.decode()
    other_registration.refresh_from_db()
    assert other_registration.attended_at is None


def test_the_paper_sheet_ticks_and_adds_rows(as_facilitator, meeting):
    came = RegistrationFactory(meeting=meeting, person__full_name="Vino")
    RegistrationFactory(meeting=meeting, person__full_name="No vino")
    response = as_facilitator.post(
        reverse("meetings:paper_sheet", args=[meeting.pk]),
        {
            "attended": [came.pk],
            "new-0-full_name": "Escrita a mano",
            "new-0-sex": "man",
            "new-0-age_band": "60+",
            "new-0-sector": "community",
        },
    )
    assert response.status_code == 302
    attended = set(Registration.objects.attended().values_list("person__full_name", flat=True))
    assert attended == {"Vino", "Escrita a mano"}


def test_the_paper_sheet_refuses_someone_of_another_meeting_and_keeps_nothing(
    as_facilitator, meeting, other_registration
):
    response = as_facilitator.post(
        reverse("meetings:paper_sheet", args=[meeting.pk]),
        {
            "attended": [other_registration.pk],
            "new-0-full_name": "Alguien",
            "new-0-sex": "man",
            "new-0-age_band": "60+",
            "new-0-sector": "community",
        },
    )
    assert response.status_code == 400
    assert "no está inscrita" in response.content.decode()
    assert not Registration.objects.attended().exists()
    assert not Registration.objects.filter(person__full_name="Alguien").exists()


def test_the_sign_in_sheet_is_a_pdf(as_facilitator, registration):
    response = as_facilitator.get(reverse("meetings:sign_in_sheet", args=[registration.meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_long_list_says_to_search(as_facilitator, meeting, monkeypatch):
    from polo.meetings.views import checkin

    monkeypatch.setattr(checkin, "LIST_LIMIT", 1)
    RegistrationFactory(meeting=meeting, person__full_name="Ana Uno")
    RegistrationFactory(meeting=meeting, person__full_name="Beto Dos")
    html = as_facilitator.get(reverse("meetings:checkin", args=[meeting.pk])).content.decode()
    assert "busque por nombre" in html
    assert "Ana Uno" in html and "Beto Dos" not in html
