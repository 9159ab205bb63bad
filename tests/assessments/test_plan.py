"""The improvement plan's life cycle: suggested actions for weak items, the
organisation's own, a person responsible and a date, status updates, the
facilitator's comments; stale edits are refused, not lost."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from polo.assessments.models import PlanAction, PlanComment
from tests.assessments.helpers import url

DUE = "2027-03-31"


def add_suggested(client, assessment, item="gob_2", key="gob_2:1", **fields):
    data = {
        "item": item,
        "suggestion": key,
        "title": "Escribir un reglamento",
        "responsible": "Rosa Martínez",
        "due_on": DUE,
        **fields,
    }
    return client.post(url("plan", assessment.pk), data)


def test_the_plan_offers_suggested_actions_for_the_weak_items(done, as_member):
    page = as_member.get(url("plan", done.pk)).content.decode()
    # gob_2 is at 1 and inc_1 at 2: both weak; gob_1 (4) and inc_2 (3) are not.
    assert "Escribir un reglamento" in page and "Escribir la propuesta" in page
    assert "Calendarizar las reuniones" not in page
    # A member sees the plan but has no form to change it.
    assert "Agregar al plan" not in page


def test_a_suggested_action_shows_its_material(instrument, organization, editor, as_editor):
    from tests.assessments.helpers import completed

    weak = completed(organization, editor, {"gob_1": "1", "gob_2": "3", "inc_1": "3", "inc_2": "3"})
    page = as_editor.get(url("plan", weak.pk)).content.decode()
    assert '<a href="https://example.org/ficha" rel="noopener">Ficha de gobierno</a>' in page


def test_the_editor_adds_a_suggested_action_with_a_person_and_a_date(done, as_editor, editor):
    response = add_suggested(as_editor, done)
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.item, action.suggestion, action.responsible) == (
        "gob_2",
        "gob_2:1",
        "Rosa Martínez",
    )
    assert action.due_on == dt.date(2027, 3, 31)
    assert action.status == PlanAction.Status.PENDING and action.created_by == editor
    page = as_editor.get(url("plan", done.pk)).content.decode()
    assert "Ya está en el plan." in page


def test_an_own_action_for_any_item(done, as_editor):
    response = add_suggested(as_editor, done, item="gob_1", key="", title="Rotar la coordinación")
    assert response.status_code == 302
    assert PlanAction.objects.get().title == "Rotar la coordinación"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"responsible": ""}, "Este campo es obligatorio."),
        ({"due_on": ""}, "Este campo es obligatorio."),
        ({"due_on": "31/31/2027"}, "Introduzca una fecha válida."),
        ({"item": "nada"}, "nada no es una de las opciones disponibles"),
        ({"key": "inc_1:1"}, "Esa acción sugerida no corresponde al ítem."),
        ({"key": "gob_2:99"}, "Esa acción sugerida no corresponde al ítem."),
        ({"title": "   "}, "Este campo es obligatorio."),
        ({"title": "x" * 301}, "Asegúrese de que este valor tenga como máximo 300 caracteres"),
    ],
)
def test_an_action_without_what_it_needs_is_refused(done, as_editor, fields, message):
    key = fields.pop("key", "gob_2:1")
    response = add_suggested(as_editor, done, key=key, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanAction.objects.exists()


def update(client, assessment, action, **fields):
    data = {
        "status": action.status,
        "responsible": action.responsible,
        "due_on": action.due_on.isoformat(),
        "progress_note": "",
        "version": action.version,
        **fields,
    }
    return client.post(url("plan_action", assessment.pk, action.pk), data)


def test_the_life_of_an_action(done, as_editor):
    add_suggested(as_editor, done)
    action = PlanAction.objects.get()
    assert update(as_editor, done, action, status="in_progress").status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" and action.version == 2
    assert (
        update(
            as_editor, done, action, status="done", progress_note="Aprobado en asamblea"
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "done" and action.progress_note == "Aprobado en asamblea"
    statuses = [h.status for h in action.history.order_by("history_date")]
    assert statuses == ["pending", "in_progress", "done"]


def test_a_stale_update_is_refused_and_the_page_says_what_changed(done, as_editor, editor):
    add_suggested(as_editor, done)
    action = PlanAction.objects.get()
    stale_version = action.version
    update(as_editor, done, action, status="in_progress")
    late = update(as_editor, done, action, status="dropped", version=stale_version)
    assert late.status_code == 409
    text = late.content.decode()
    assert "Otra persona cambió esta acción" in text and "ahora: En curso" in text
    action.refresh_from_db()
    assert action.status == "in_progress"
    # The form keeps what this person chose, with the fresh version to save it.
    assert re.search(r'<option value="dropped" selected>', text)
    assert f'name="version" value="{action.version}"' in text


def test_an_overdue_open_action_is_flagged(done, as_editor):
    add_suggested(as_editor, done, due_on="2020-01-01")
    assert "(vencida)" in as_editor.get(url("plan", done.pk)).content.decode()


def test_the_regions_facilitator_sees_and_comments_but_does_not_edit(
    done, as_editor, as_facilitator, facilitator
):
    add_suggested(as_editor, done)
    action = PlanAction.objects.get()
    page = as_facilitator.get(url("plan", done.pk)).content.decode()
    assert "Escribir un reglamento" in page and "Publicar el comentario" in page
    assert add_suggested(as_facilitator, done, key="inc_1:1", item="inc_1").status_code == 403
    assert update(as_facilitator, done, action, status="done").status_code == 403
    response = as_facilitator.post(
        url("plan_comment", done.pk),
        {"text": "Buen avance; revisen la fecha.", "action": action.pk},
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert comment.author == facilitator and comment.action == action
    assert "Buen avance" in as_editor.get(url("plan", done.pk)).content.decode()


@pytest.mark.parametrize(
    ("text", "message"), [("", "Este campo es obligatorio."), ("x" * 2001, "2000")]
)
def test_an_empty_or_long_comment_is_refused(done, as_facilitator, text, message):
    response = as_facilitator.post(url("plan_comment", done.pk), {"text": text})
    assert response.status_code == 200 and message in response.content.decode()
    assert not PlanComment.objects.exists()


def test_a_comment_on_another_plans_action_is_refused(
    done, as_editor, as_facilitator, other_municipality
):
    from tests.assessments.helpers import completed
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    elsewhere = OrganizationFactory(municipality=done.organization.municipality)
    boss = UserFactory()
    MembershipFactory(user=boss, organization=elsewhere)
    theirs = completed(elsewhere, boss)
    add_suggested(as_editor, done)
    foreign = PlanAction.objects.create(
        assessment=theirs, item="gob_2", title="Ajena", responsible="X", due_on=dt.date(2027, 1, 1)
    )
    response = as_facilitator.post(
        url("plan_comment", done.pk), {"text": "Hola", "action": foreign.pk}
    )
    assert response.status_code == 200
    assert not PlanComment.objects.exists()


def test_no_plan_until_the_assessment_is_complete(instrument, organization, editor, as_editor):
    from polo.assessments import services

    ongoing = services.assessment_start(organization=organization, by=editor)
    page = as_editor.get(url("plan", ongoing.pk))
    assert page.status_code == 200 and "El plan se arma cuando" in page.content.decode()
    assert add_suggested(as_editor, ongoing).status_code == 403
