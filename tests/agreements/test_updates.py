"""The life of a commitment update through HTTP: the responsible party reports
with evidence, another party confirms or disputes; who may not is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polo.agreements.models import Commitment, CommitmentUpdate, Party
from tests import factories as f
from tests.agreements.conftest import PDF
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def post_update(client, commitment, **data):
    payload = {"status": "fulfilled", "note": "Se publicó el reglamento.", **data}
    return client.post(reverse("agreements:update_create", args=[commitment.pk]), payload)


def review(client, update, decision, reason=""):
    return client.post(
        reverse("agreements:update_review", args=[update.pk]),
        {"decision": decision, "reason": reason},
    )


def test_the_authority_reports_the_cso_confirms_and_the_status_moves(
    as_authority, as_editor, as_visitor, authority_commitment, editor
):
    response = post_update(
        as_authority,
        authority_commitment,
        link="https://gaceta.oaxaca.gob.mx/reglamento.pdf",
        file=SimpleUploadedFile("gaceta.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    update = CommitmentUpdate.objects.get()
    assert (update.status, update.review, update.on_behalf) == ("fulfilled", "pending", False)
    assert update.file.name.endswith("evidencia.pdf") and update.file_size == len(PDF)
    authority_commitment.refresh_from_db()
    assert authority_commitment.status == "pending"  # not until another party confirms

    # The authority cannot confirm its own update.
    assert review(as_authority, update, "confirm").status_code == 403
    assert review(as_editor, update, "confirm").status_code == 302
    update.refresh_from_db()
    authority_commitment.refresh_from_db()
    assert update.review == "confirmed" and update.reviewed_by == editor
    assert update.reviewed_party.organization.name == "Mujeres de los Valles A.C."
    assert authority_commitment.status == "fulfilled"
    assert authority_commitment.closed_on is not None

    # A second review is refused with a message, not counted again.
    again = review(as_editor, update, "dispute", "No está publicado.")
    assert again.status_code == 409
    assert "ya fue revisado" in again.content.decode()

    # Each person's data export says what they entered or reviewed.
    section = as_editor.get(reverse("accounts:my_data")).json()["sections"]["agreements"]
    assert section == [
        {
            "agreement": "Convenio de consulta ciudadana en Oaxaca de Juárez",
            "commitment": "Publicar el reglamento municipal de consulta ciudadana",
            "status": "fulfilled",
            "reported_at": section[0]["reported_at"],
            "entered_by_me": False,
            "reviewed_by_me": True,
            "review": "confirmed",
            "reviewed_at": section[0]["reviewed_at"],
        }
    ]

    page = as_visitor.get(authority_commitment.get_absolute_url()).content.decode()
    assert "Confirmado" in page and "Mujeres de los Valles A.C." in page
    assert 'href="https://gaceta.oaxaca.gob.mx/reglamento.pdf" rel="nofollow ugc noopener"' in page
    evidence = as_visitor.get(reverse("agreements:evidence", args=[update.pk]))
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content) == PDF
    assert "attachment" in evidence["Content-Disposition"]


def test_a_dispute_needs_a_reason_stays_public_and_changes_nothing(
    as_authority, as_editor, as_visitor, authority_commitment
):
    post_update(as_authority, authority_commitment, status="in_progress")
    update = CommitmentUpdate.objects.get()
    no_reason = review(as_editor, update, "dispute", "   ")
    assert no_reason.status_code == 400
    assert "Explique por qué impugna" in no_reason.content.decode()
    assert review(as_editor, update, "dispute", "El cabildo no ha sesionado.").status_code == 302
    update.refresh_from_db()
    authority_commitment.refresh_from_db()
    assert update.review == "disputed" and authority_commitment.status == "pending"
    page = as_visitor.get(authority_commitment.get_absolute_url()).content.decode()
    assert "Impugnado" in page and "El cabildo no ha sesionado." in page


def test_a_party_that_is_not_responsible_is_refused_with_a_clear_message(
    as_editor, as_participant, authority_commitment
):
    response = post_update(as_editor, authority_commitment)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Solo la parte responsable de este compromiso" in text
    assert "Municipio de Oaxaca de Juárez" in text
    assert post_update(as_participant, authority_commitment).status_code == 403
    assert not CommitmentUpdate.objects.exists()


def test_a_facilitator_reports_on_behalf_of_the_party_and_it_is_recorded(
    as_facilitator, as_other_facilitator, as_visitor, facilitator, cso_commitment
):
    assert post_update(as_other_facilitator, cso_commitment).status_code == 403
    assert post_update(as_facilitator, cso_commitment, status="in_progress").status_code == 302
    update = CommitmentUpdate.objects.get()
    assert update.on_behalf and update.entered_by == facilitator
    assert update.party == cso_commitment.responsible
    page = as_visitor.get(cso_commitment.get_absolute_url()).content.decode()
    assert "a nombre de la parte" in page


def test_broken_and_hostile_updates_are_refused(
    as_authority, as_visitor, agreement, authority_commitment
):
    cases = [
        ({"status": "done"}, "Seleccione una opción válida"),
        ({"note": ""}, "Este campo es obligatorio"),
        ({"link": "javascript:alert(1)"}, "URL válida"),
        (
            {"file": SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>")},
            "Solo se aceptan documentos PDF",
        ),
        ({"file": SimpleUploadedFile("vacio.pdf", b"")}, "vacío"),
        (
            {"file": SimpleUploadedFile("grande.pdf", PDF + b"0" * (10 * 1024 * 1024))},
            "10 MB",
        ),
    ]
    for data, message in cases:
        response = post_update(as_authority, authority_commitment, **data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not CommitmentUpdate.objects.exists()

    # Script in a note is shown as text.
    post_update(as_authority, authority_commitment, note="<script>alert('x')</script>")
    page = as_visitor.get(authority_commitment.get_absolute_url()).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page

    # No updates on an agreement that is no longer in force.
    agreement.status = "concluded"
    agreement.save()
    response = post_update(as_authority, authority_commitment)
    assert response.status_code == 400
    assert "convenios firmados y en vigor" in response.content.decode()


def test_a_late_confirmation_of_an_older_update_does_not_undo_a_newer_one(
    as_authority, as_editor, authority_commitment
):
    post_update(as_authority, authority_commitment, status="in_progress")
    post_update(as_authority, authority_commitment, status="fulfilled")
    older, newer = CommitmentUpdate.objects.order_by("created_at", "pk")
    review(as_editor, newer, "confirm")
    review(as_editor, older, "confirm")
    assert Commitment.objects.get(pk=authority_commitment.pk).status == "fulfilled"


def test_only_another_signing_party_reviews_never_the_reporter_nor_a_witness(
    agreement, authority, authority_commitment, cso_commitment, organization, facilitator
):
    # A person who edits both signing parties cannot confirm the update she entered.
    both = f.UserFactory(email="doble@ejemplo.mx")
    f.MembershipFactory(user=both, organization=authority, is_editor=True)
    f.MembershipFactory(user=both, organization=organization, is_editor=True)
    as_both = client_for(both)
    assert post_update(as_both, authority_commitment).status_code == 302
    update = CommitmentUpdate.objects.get()
    page = as_both.get(authority_commitment.get_absolute_url()).content.decode()
    assert "Confirmar o impugnar" not in page
    refused = review(as_both, update, "confirm")
    assert refused.status_code == 403
    assert "avance que usted mismo capturó" in refused.content.decode()

    # Nor an editor of the reporting party who did not enter it, while also editing another.
    colleague = f.UserFactory(email="colega@ejemplo.mx")
    f.MembershipFactory(user=colleague, organization=authority, is_editor=True)
    f.MembershipFactory(user=colleague, organization=organization, is_editor=True)
    refused = review(client_for(colleague), update, "dispute", "No.")
    assert refused.status_code == 403
    assert "de la parte que informa este avance" in refused.content.decode()

    # A witness or technical support party does not confirm or dispute.
    witness_org = f.OrganizationFactory(name="Observatorio Ciudadano")
    Party.objects.create(agreement=agreement, organization=witness_org, role="witness")
    witness = f.UserFactory(email="testigo@ejemplo.mx")
    f.MembershipFactory(user=witness, organization=witness_org, is_editor=True)
    refused = review(client_for(witness), update, "confirm")
    assert refused.status_code == 403
    assert "no testigo ni acompañamiento técnico" in refused.content.decode()

    # Programme staff who entered an update on behalf of a party cannot confirm it
    # either, even as an editor of another signing party.
    f.MembershipFactory(user=facilitator, organization=authority, is_editor=True)
    as_staff = client_for(facilitator)
    assert post_update(as_staff, cso_commitment, status="in_progress").status_code == 302
    on_behalf = CommitmentUpdate.objects.get(commitment=cso_commitment)
    assert on_behalf.on_behalf and on_behalf.entered_by == facilitator
    assert review(as_staff, on_behalf, "confirm").status_code == 403

    assert set(CommitmentUpdate.objects.values_list("review", flat=True)) == {"pending"}
    assert Commitment.objects.filter(status="pending").count() == 2


def test_no_review_once_the_agreement_is_no_longer_in_force(
    as_authority, as_editor, agreement, authority_commitment
):
    post_update(as_authority, authority_commitment, status="in_progress")
    post_update(as_authority, authority_commitment, status="fulfilled")
    first, second = CommitmentUpdate.objects.order_by("pk")
    agreement.status = "concluded"
    agreement.save()
    page = as_editor.get(authority_commitment.get_absolute_url()).content.decode()
    assert "Confirmar o impugnar" not in page
    for response in (
        review(as_editor, first, "confirm"),
        review(as_editor, second, "dispute", "No se publicó."),
    ):
        assert response.status_code == 409
        assert "convenios firmados y en vigor" in response.content.decode()
    assert set(CommitmentUpdate.objects.values_list("review", flat=True)) == {"pending"}
    assert Commitment.objects.get(pk=authority_commitment.pk).status == "pending"
