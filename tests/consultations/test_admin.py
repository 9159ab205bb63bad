"""The admin, for coordinators: once a consultation leaves the draft its
definition is fixed (only the description may be corrected): no field, question
or option changes, none is added or removed, and the receipt cannot be made to
show the choices after ballots were cast under the promise that it would not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from polo.consultations.models import Consultation, Option, Question
from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db


def post_data(response) -> dict:
    """What the change page would post back unchanged (every form of it)."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, datetime.datetime):
                local = timezone.localtime(value)
                data[f"{bound.html_name}_0"] = local.strftime("%Y-%m-%d")
                data[f"{bound.html_name}_1"] = local.strftime("%H:%M:%S")
            elif value is True:
                data[bound.html_name] = "on"
            elif value not in (None, False):
                data[bound.html_name] = getattr(value, "pk", value)
    return data


def test_a_scheduled_consultation_is_read_only_in_the_admin(
    municipality, as_coordinator, coordinator
):
    consultation = make_consultation(municipality=municipality)
    draft = make_consultation(municipality=municipality, slug="borrador", status="draft")
    question = consultation.questions.first()
    option = question.options.first()
    url = f"/admin/consultations/consultation/{consultation.pk}/change/"
    data = post_data(as_coordinator.get(url))
    later = timezone.localtime(consultation.closes_at + datetime.timedelta(days=30))
    data.update(
        {
            "title": "Otro título",
            "description": "Con una errata corregida.",
            "receipt_shows_choices": "on",
            "status": "draft",
            "closes_at_0": later.strftime("%Y-%m-%d"),
            "questions-0-text": "¿Otra pregunta?",
            "questions-0-DELETE": "on",
        }
    )
    # An extra question in the inline.
    total = int(data["questions-TOTAL_FORMS"])
    data["questions-TOTAL_FORMS"] = total + 1
    data.update(
        {
            f"questions-{total}-text": "¿Y esta?",
            f"questions-{total}-kind": "single",
            f"questions-{total}-position": 9,
            f"questions-{total}-max_choices": 1,
            f"questions-{total}-consultation": consultation.pk,
        }
    )
    response = as_coordinator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert fresh.description == "Con una errata corregida."
    assert fresh.title == consultation.title and fresh.status == "scheduled"
    assert not fresh.receipt_shows_choices and fresh.closes_at == consultation.closes_at
    assert list(fresh.questions.values_list("text", flat=True)) == [
        "¿Qué obra primero?",
        "¿Qué temas importan?",
        "Ordene las propuestas",
    ]

    # A question's page: neither it nor its options change, none is added.
    url = f"/admin/consultations/question/{question.pk}/change/"
    data = post_data(as_coordinator.get(url))
    total = int(data["options-TOTAL_FORMS"])
    data.update(
        {
            "text": "¿Renombrada?",
            "options-0-text": "Drenaje",
            "options-TOTAL_FORMS": total + 1,
            f"options-{total}-text": "Nueva",
            f"options-{total}-position": 9,
            f"options-{total}-question": question.pk,
        }
    )
    assert as_coordinator.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.text == "¿Qué obra primero?"
    assert Option.objects.get(pk=option.pk).text == "Agua potable"
    assert question.options.count() == 3

    # No question is added to it, nor moved into it.
    add = {"consultation": consultation.pk, "position": 4, "text": "¿Nueva?"}
    add |= {"kind": "single", "max_choices": 1, "options-TOTAL_FORMS": 0}
    add |= {"options-INITIAL_FORMS": 0}
    response = as_coordinator.post("/admin/consultations/question/add/", add)
    assert response.status_code == 200 and "borrador" in response.content.decode()
    assert not Question.objects.filter(text="¿Nueva?").exists()

    # A draft is still edited in full.
    url = f"/admin/consultations/consultation/{draft.pk}/change/"
    data = post_data(as_coordinator.get(url))
    data |= {"receipt_shows_choices": "on", "questions-0-text": "¿Cuál obra primero?"}
    assert as_coordinator.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.receipt_shows_choices
    assert draft.questions.first().text == "¿Cuál obra primero?"
