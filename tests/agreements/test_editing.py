"""Managing agreements through HTTP: create one with its signed PDF, add parties,
signatories and commitments; broken and hostile input refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polo.agreements.models import Agreement, Commitment
from tests.agreements.conftest import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def agreement_data(place, **extra):
    return {
        "title": "Convenio de consulta",
        "kind": "cso_authority",
        "description": "Institucionalizar la consulta ciudadana.",
        "status": "signed",
        "signed_on": "2026-02-10",
        "region": place.pk,
        "source_note": "Agenda común de Valles Centrales",
        **extra,
    }


def test_a_facilitator_creates_an_agreement_with_its_pdf_parties_and_a_commitment(
    as_facilitator, as_visitor, region, municipality, organization, facilitator
):
    data = agreement_data(
        region,
        municipalities=[municipality.pk],
        document=SimpleUploadedFile("firmado.pdf", PDF, content_type="application/pdf"),
    )
    response = as_facilitator.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.slug == "convenio-de-consulta" and agreement.created_by == facilitator
    assert agreement.document_size == len(PDF)
    document = as_visitor.get(reverse("agreements:document", args=[agreement.slug]))
    assert b"".join(document.streaming_content) == PDF

    parties = reverse("agreements:parties", args=[agreement.slug])
    add_party = {"action": "party", "party-organization": organization.pk, "party-role": "party"}
    assert as_facilitator.post(parties, add_party).status_code == 302
    again = as_facilitator.post(parties, add_party)
    assert again.status_code == 400  # already a party: no longer offered
    cso = agreement.parties.get()
    assert (
        as_facilitator.post(
            parties,
            {
                "action": "signatory",
                "signatory-party": cso.pk,
                "signatory-name": "Rosa Martínez",
                "signatory-post": "Coordinadora",
            },
        ).status_code
        == 302
    )
    response = as_facilitator.post(
        reverse("agreements:commitment_create", args=[agreement.slug]),
        {
            "text": "Talleres de consulta",
            "responsible": cso.pk,
            "due_on": "2026-09-30",
            "indicator": "Listas de asistencia",
            "position": 1,
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.status == "pending"
    page = as_visitor.get(agreement.get_absolute_url()).content.decode()
    assert "Rosa Martínez, Coordinadora" in page and "Talleres de consulta" in page


def test_broken_and_hostile_agreements_are_refused(
    as_facilitator, region, other_region, other_municipality
):
    url = reverse("agreements:agreement_create")
    cases = [
        (
            {"document": SimpleUploadedFile("c.pdf", b"MZ\x90\x00 not a pdf")},
            "El archivo no es un PDF.",
        ),
        (
            {"document": SimpleUploadedFile("c.pdf", b"\x89PNG\r\n\x1a\n....")},
            "El archivo no es un PDF.",
        ),
        (
            {"document": SimpleUploadedFile("c.pdf", PDF + b" " * (10 * 1024 * 1024))},
            "10 MB",
        ),
        ({"signed_on": ""}, "necesita su fecha de firma"),
        ({"signed_on": "2026-13-40"}, "AAAA-MM-DD"),
        ({"region": other_region.pk}, "Seleccione una opción válida"),  # not hers
        ({"municipalities": [other_municipality.pk]}, "Seleccione una opción válida"),
        ({"title": ""}, "Este campo es obligatorio"),
    ]
    for extra, message in cases:
        response = as_facilitator.post(url, agreement_data(region, **extra))
        assert response.status_code == 400, extra
        assert message in response.content.decode(), extra
    assert not Agreement.objects.exists()
    # Reserved words never become a slug that hides a page.
    response = as_facilitator.post(url, agreement_data(region, title="Nuevo"))
    assert Agreement.objects.get().slug == "nuevo-convenio"


def test_a_commitment_needs_a_party_of_its_own_agreement(
    as_facilitator, agreement, draft, organization
):
    foreign = draft.parties.get()
    response = as_facilitator.post(
        reverse("agreements:commitment_create", args=[agreement.slug]),
        {"text": "X", "responsible": foreign.pk, "due_on": "2026-09-30", "indicator": "Y"},
    )
    assert response.status_code == 400
    assert not Commitment.objects.exists()
