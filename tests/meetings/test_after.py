"""After the meeting: minutes, agreements, validated uploads, evaluations."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from polo.meetings.models import Evaluation, MeetingFile, Person
from tests.meetings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_minutes_and_agreements_appear_on_the_page(as_editor, as_visitor, past_meeting):
    url = reverse("meetings:write_up", args=[past_meeting.pk])
    as_editor.post(url, {"action": "minutes", "minutes-minutes": "Se habló del agua."})
    as_editor.post(
        url,
        {
            "action": "agreement",
            "agreement-text": "Mesa con el cabildo",
            "agreement-responsible": "Comité",
            "agreement-due_date": "2027-02-01",
        },
    )
    html = as_visitor.get(past_meeting.get_absolute_url()).content.decode()
    assert "Se habló del agua." in html and "Mesa con el cabildo" in html
    assert past_meeting.agreements.get().due_date.isoformat() == "2027-02-01"


def test_a_malformed_agreement_date_is_said(as_editor, past_meeting):
    response = as_editor.post(
        reverse("meetings:write_up", args=[past_meeting.pk]),
        {"action": "agreement", "agreement-text": "Algo", "agreement-due_date": "31/31/2027"},
    )
    assert response.status_code == 400
    assert "no es válida" in response.content.decode()
    assert not past_meeting.agreements.exists()


def test_uploads_are_checked_by_content(as_editor, past_meeting, media_root):
    url = reverse("meetings:write_up", args=[past_meeting.pk])
    fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = as_editor.post(url, {"action": "file", "file-title": "Foto", "file-file": fake})
    assert response.status_code == 400 and "Solo se aceptan" in response.content.decode()
    real = SimpleUploadedFile("foto.png", PNG, content_type="application/octet-stream")
    response = as_editor.post(url, {"action": "file", "file-title": "Foto", "file-file": real})
    assert response.status_code == 302
    stored = MeetingFile.objects.get()
    assert stored.kind == "photo" and stored.content_type == "image/png"


def test_an_attendee_evaluates_once_and_organisers_see_the_average(
    participant, as_participant, as_editor, as_visitor, past_meeting
):
    person = Person.objects.create(
        user=participant, full_name="Ana", sex="woman", age_band="30-44", sector="cso"
    )
    RegistrationFactory(meeting=past_meeting, person=person, attended_at=timezone.now())
    url = reverse("meetings:evaluate", args=[past_meeting.pk])
    assert as_participant.post(url, {"usefulness": "9", "organisation": "4"}).status_code == 400
    assert (
        as_participant.post(
            url, {"usefulness": "5", "organisation": "4", "comments": "Útil"}
        ).status_code
        == 302
    )
    assert "Ya evaluó" in as_participant.get(url).content.decode()
    assert Evaluation.objects.count() == 1
    assert "utilidad 5.0 de 5" in as_editor.get(past_meeting.get_absolute_url()).content.decode()
    assert "utilidad" not in as_visitor.get(past_meeting.get_absolute_url()).content.decode()


def test_someone_who_did_not_attend_cannot_evaluate(as_participant, past_meeting):
    response = as_participant.post(
        reverse("meetings:evaluate", args=[past_meeting.pk]),
        {"usefulness": "5", "organisation": "5"},
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()
