"""A facilitator defines a consultation through the pages, schedules it and
issues codes; every step lands in the append-only audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.consultations.models import AuditLog, Consultation, VotingCode

pytestmark = pytest.mark.django_db


def test_a_facilitator_defines_schedules_and_issues_codes(
    as_facilitator, facilitator, municipality, other_municipality, participant
):
    create = reverse("consultations:create")
    base = {
        "title": "Uso del parque central",
        "slug": "parque-central",
        "description": "¿Qué hacemos con el parque?",
        "municipality": municipality.pk,
        "eligibility": "residents",
        "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-08T18:00",
    }
    # Broken and hostile input first.
    for data, field in [
        ({**base, "closes_at": "2030-02-01T09:00"}, "closes_at"),
        ({**base, "municipality": other_municipality.pk}, "municipality"),  # not their region
        ({**base, "eligibility": "sector"}, "sector"),
        ({**base, "eligibility": "list", "voter_emails": "nadie@ejemplo.mx"}, "voter_emails"),
        ({**base, "slug": "nueva"}, "slug"),
        ({**base, "opens_at": "mañana"}, "opens_at"),
    ]:
        response = as_facilitator.post(create, data)
        assert response.status_code == 200, field
        assert (
            response.context["form"].errors.get(field)
            or response.context["form"].non_field_errors()
        ), field
    assert not Consultation.objects.exists()

    response = as_facilitator.post(create, {**base, "title": "<script>alert(1)</script> Parque"})
    consultation = Consultation.objects.get(slug="parque-central")
    assert response.status_code == 302
    assert consultation.region == municipality.region and consultation.status == "draft"
    detail = as_facilitator.get(consultation.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in detail and "&lt;script&gt;" in detail

    add = reverse("consultations:question_add", args=[consultation.slug])
    bad = as_facilitator.post(
        add, {"text": "¿Qué?", "kind": "single", "max_choices": 1, "options": "Sí"}
    )
    assert bad.status_code == 400 and "al menos dos" in bad.content.decode()
    schedule = reverse("consultations:schedule", args=[consultation.slug])
    as_facilitator.post(schedule)
    consultation.refresh_from_db()
    assert consultation.status == "draft"  # no questions yet

    as_facilitator.post(
        add,
        {
            "text": "¿Qué instalar?",
            "kind": "multiple",
            "max_choices": 2,
            "options": "Juegos\nBancas\nLuz\n\nJuegos",
        },
    )
    as_facilitator.post(
        add, {"text": "¿Borrar?", "kind": "single", "max_choices": 1, "options": "Sí\nNo"}
    )
    first, second = consultation.questions.all()
    assert [o.text for o in first.options.all()] == ["Juegos", "Bancas", "Luz"]
    assert first.max_choices == 2 and second.max_choices == 1
    remove = reverse("consultations:question_remove", args=[consultation.slug, second.pk])
    assert as_facilitator.post(remove).status_code == 302
    assert consultation.questions.count() == 1

    assert as_facilitator.post(schedule).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "scheduled"
    # The definition is frozen now.
    as_facilitator.post(add, {"text": "¿Otra?", "kind": "single", "options": "A\nB"})
    edit = reverse("consultations:edit", args=[consultation.slug])
    as_facilitator.post(edit, {**base, "title": "Otro título"})
    consultation.refresh_from_db()
    assert consultation.questions.count() == 1 and "Parque" in consultation.title

    codes = reverse("consultations:codes", args=[consultation.slug])
    assert as_facilitator.post(codes, {"count": "0"}).status_code == 400
    assert as_facilitator.post(codes, {"count": "25"}).status_code == 302
    issued = VotingCode.objects.filter(consultation=consultation)
    assert issued.count() == 25 and set(issued.values_list("issued_by", flat=True)) == {
        facilitator.pk
    }
    page = as_facilitator.get(codes).content.decode()
    assert all(c.code in page for c in issued)

    actions = list(
        AuditLog.objects.filter(consultation=consultation).values_list("action", flat=True)
    )
    assert actions == [
        "created",
        "question_added",
        "question_added",
        "question_removed",
        "scheduled",
        "codes_issued",
    ]
    assert set(
        AuditLog.objects.filter(consultation=consultation).values_list("actor", flat=True)
    ) == {facilitator.pk}
    log_page = as_facilitator.get(reverse("consultations:audit", args=[consultation.slug]))
    assert "Emitió códigos de mesa" in log_page.content.decode()
    # History keeps the definition's versions too.
    assert consultation.history.count() >= 2


def test_the_audit_log_is_append_only(consultation):
    entry = AuditLog.objects.create(consultation=consultation, action="edited")
    entry.detail = {"forged": True}
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditLog.objects.filter(consultation=consultation).update(action="published")
    with pytest.raises(TypeError):
        AuditLog.objects.filter(consultation=consultation).delete()
    assert AuditLog.objects.get(pk=entry.pk).detail == {}


def test_a_consultation_for_those_at_a_meeting_can_be_saved(
    as_facilitator, municipality, other_municipality
):
    from tests.meetings.factories import MeetingFactory

    ours = MeetingFactory(municipality=municipality)
    theirs = MeetingFactory(municipality=other_municipality)
    create = reverse("consultations:create")
    base = {
        "title": "Foro de juventudes",
        "slug": "foro-juventudes",
        "municipality": municipality.pk,
        "eligibility": "meeting",
        "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-08T18:00",
    }
    for meeting in (theirs.pk, "", "x"):  # another region's meeting, none, garbage
        response = as_facilitator.post(create, {**base, "meeting": meeting})
        assert response.status_code == 200 and response.context["form"].errors, meeting
    page = as_facilitator.get(create).content.decode()
    assert f'value="{ours.pk}"' in page and f'value="{theirs.pk}"' not in page
    response = as_facilitator.post(create, {**base, "meeting": ours.pk})
    assert response.status_code == 302, response.context and response.context["form"].errors
    consultation = Consultation.objects.get(slug="foro-juventudes")
    assert consultation.meeting == ours and consultation.eligibility == "meeting"
    # Editing keeps the meeting.
    edit = reverse("consultations:edit", args=[consultation.slug])
    assert f'value="{ours.pk}" selected' in as_facilitator.get(edit).content.decode()


def test_a_consultation_needs_a_place_that_agrees_with_itself(
    consultation, region, other_municipality
):
    from django.core.exceptions import ValidationError

    consultation.region, consultation.municipality = region, other_municipality
    with pytest.raises(ValidationError) as refused:
        consultation.full_clean()
    assert refused.value.message_dict["municipality"] == [
        "El municipio no pertenece a la región elegida."
    ]
    consultation.region = consultation.municipality = None
    with pytest.raises(ValidationError) as refused:
        consultation.full_clean()
    assert "Elija la región o el municipio de la consulta." in refused.value.messages
