"""Taking an assessment through the pages: start it (by the organisation, or
by the region's facilitator in a workshop), answer it in the surveys web
form, save and resume, invite members who answer alone, complete it, repeat
it later."""

from __future__ import annotations

import pytest

from polo.assessments.models import Assessment, Invitation
from polo.surveys.models import Response
from tests.assessments.helpers import completed, url
from tests.surveys.collect_helpers import post_section

GOB = {"gob_1": "4", "gob_2": "1", "gob_1_evidencia": "Actas de las asambleas"}
INC = {"inc_1": "2", "inc_2": "3", "ruta_problema": "Falta agua potable"}


def start(client, organization, mode="self"):
    return client.post(url("start", organization.pk), {"mode": mode})


def test_an_editor_starts_an_assessment_of_their_organization(
    instrument, organization, editor, as_editor
):
    response = start(as_editor, organization)
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    assert assessment.mode == Assessment.Mode.SELF and assessment.started_by == editor
    assert assessment.status == Assessment.Status.IN_PROGRESS
    consensus = assessment.response
    assert consensus.organization == organization and consensus.is_draft
    assert consensus.round.campaign.instrument == instrument
    assert consensus.round.order == 1


def test_a_second_start_goes_back_to_the_one_in_progress(instrument, organization, as_editor):
    start(as_editor, organization)
    again = start(as_editor, organization)
    assert Assessment.objects.count() == 1
    assert again["Location"] == Assessment.objects.get().get_absolute_url()


def test_an_editor_cannot_record_a_facilitated_assessment(instrument, organization, as_editor):
    response = start(as_editor, organization, mode="facilitated")
    assert response.status_code == 200
    assert "facilitated no es una de las opciones disponibles" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_regions_facilitator_records_one_in_a_workshop_and_the_record_says_so(
    instrument, organization, facilitator, as_facilitator
):
    start(as_facilitator, organization, mode="facilitated")
    assessment = Assessment.objects.get()
    assert assessment.mode == Assessment.Mode.FACILITATED
    assert assessment.facilitator == facilitator
    page = as_facilitator.get(assessment.get_absolute_url()).content.decode()
    assert "registrado por Luis Hernández en nombre de la organización" in page
    assert assessment.history.first().history_change_reason.startswith("Autodiagnóstico facilitado")


@pytest.mark.parametrize("persona", ["as_participant", "as_other_facilitator", "as_member"])
def test_others_cannot_start_one(request, instrument, organization, persona):
    response = start(request.getfixturevalue(persona), organization)
    assert response.status_code in {403, 404}
    assert not Assessment.objects.exists()


def test_answering_in_the_web_form_then_completing(instrument, organization, as_editor):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    consensus = assessment.response
    # The hub links to the surveys web form for the consensus response.
    hub = as_editor.get(assessment.get_absolute_url()).content.decode()
    assert f"/encuestas/respuestas/{consensus.pk}/seccion/0/" in hub
    post_section(as_editor, consensus, 0, GOB, action="guardar")
    consensus.refresh_from_db()
    assert consensus.data["gob_1"] == "4" and consensus.is_draft
    # Resume later: the hub counts what is answered.
    assert "2 de 4 ítems con nivel" in as_editor.get(assessment.get_absolute_url()).content.decode()
    post_section(as_editor, consensus, 1, INC)
    done = as_editor.post(url("complete", assessment.pk))
    assert done.status_code == 302 and done["Location"] == url("profile", assessment.pk)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED and assessment.is_current
    assert assessment.response.status == Response.Status.SUBMITTED
    assert assessment.overall_score == pytest.approx(2.875)


def test_completing_with_items_unanswered_lists_them_with_a_link_to_their_section(
    instrument, organization, as_editor
):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    post_section(as_editor, assessment.response, 0, GOB, action="guardar")
    page = as_editor.post(url("complete", assessment.pk))
    text = page.content.decode()
    assert page.status_code == 200 and "Falta algo antes de completar" in text
    assert f"/encuestas/respuestas/{assessment.response.pk}/seccion/1/" in text
    assert "Propuesta" in text and "Esta pregunta es obligatoria." in text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert assessment.response.is_draft


def test_a_response_sent_from_the_surveys_review_page_is_completed_from_here(
    instrument, organization, as_editor
):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    consensus = assessment.response
    post_section(as_editor, consensus, 0, GOB)
    post_section(as_editor, consensus, 1, INC)
    consensus.refresh_from_db()
    as_editor.post(
        f"/encuestas/respuestas/{consensus.pk}/resumen/",
        {"_version": consensus.updated_at.isoformat()},
    )
    consensus.refresh_from_db()
    assert consensus.status == Response.Status.SUBMITTED
    assert as_editor.post(url("complete", assessment.pk)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_completed


def test_invited_members_answer_alone_and_are_seen_side_by_side(
    instrument, organization, editor, member, as_editor, as_member
):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    assert as_editor.post(url("members", assessment.pk), {"user": member.pk}).status_code == 302
    invitation = Invitation.objects.get()
    own = invitation.response
    assert own.submitted_by == member and own.round.order == 2
    assert own.form_version == assessment.response.form_version
    index = as_member.get(url("index")).content.decode()
    assert f"/encuestas/respuestas/{own.pk}/seccion/0/" in index
    post_section(as_member, own, 0, {"gob_1": "2", "gob_2": "3"})
    # The member does not see the others' answers nor record the consensus.
    assert as_member.get(url("consensus", assessment.pk)).status_code == 403
    table = as_editor.get(url("consensus", assessment.pk)).content.decode()
    assert "Juana López: <strong>2</strong>" in table


def test_only_members_of_the_organization_can_be_invited(
    instrument, organization, participant, as_editor
):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    response = as_editor.post(url("members", assessment.pk), {"user": participant.pk})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_withdrawing_an_invitation_drops_answers_not_sent(
    instrument, organization, member, as_editor
):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    as_editor.post(url("members", assessment.pk), {"user": member.pk})
    invitation = Invitation.objects.get()
    response = as_editor.post(url("invitation_remove", assessment.pk, invitation.pk))
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert not Response.objects.filter(pk=invitation.response_id).exists()


def test_repeating_the_assessment_shows_the_change(instrument, organization, editor, as_editor):
    first = completed(
        organization, editor, {"gob_1": "2", "gob_2": "2", "inc_1": "1", "inc_2": "1"}
    )
    second = completed(organization, editor)
    first.refresh_from_db()
    assert second.previous == first
    assert second.is_current and not first.is_current
    page = as_editor.get(url("profile", second.pk)).content.decode()
    assert "Cambio desde el autodiagnóstico" in page
    # gobernanza 2.0 → 3.0, incidencia 1.0 → 2.75
    assert "sube 1.0" in page and "sube 1.8" in page


def test_the_surveys_form_returns_to_the_assessment(
    instrument, organization, member, as_editor, as_member, as_participant
):
    start(as_editor, organization)
    assessment = Assessment.objects.get()
    as_editor.post(url("members", assessment.pk), {"user": member.pk})
    own = Invitation.objects.get().response
    back = as_editor.get(url("from_response", assessment.response.pk))
    assert back["Location"] == assessment.get_absolute_url()
    assert as_member.get(url("from_response", own.pk))["Location"] == url("index")
    assert as_participant.get(url("from_response", assessment.response.pk)).status_code == 404
