"""A practice's life through the pages: an editor records it (draft), sends it
to review, the region's facilitator returns it with a reason the editor reads,
the editor corrects and sends it again, the facilitator publishes it; an
editor's change to a published practice sends it back to review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.practices.models import GoodPractice

pytestmark = pytest.mark.django_db


def form_data(organization, municipality, theme, **extra):
    return {
        "organization": organization.pk,
        "title": "Mesa de transparencia con el ayuntamiento",
        "problem": "Las solicitudes de información no recibían respuesta.",
        "actions": "Una mesa mensual revisó las solicitudes pendientes.",
        "results": "El 90 % se respondió en plazo.",
        "reusable": "El reglamento de la mesa.",
        "municipality": municipality.pk,
        "themes": [theme.pk],
        "start_year": "2021",
        "end_year": "2023",
        "contact_name": "Rosa Martínez",
        "contact_email": "rosa.privada@ejemplo.mx",
        "contact_phone": "951 222 3333",
        **extra,
    }


def test_draft_review_returned_corrected_and_published(
    as_editor, as_facilitator, as_visitor, organization, municipality, theme
):
    response = as_editor.post(
        reverse("practices:practice_create"), form_data(organization, municipality, theme)
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert response["Location"] == reverse("practices:practice_evidence", args=[practice.slug])
    assert (
        practice.status == "draft" and practice.slug == "mesa-de-transparencia-con-el-ayuntamiento"
    )
    assert practice.created_by.email == "editora@ejemplo.mx"
    public_url = practice.get_absolute_url()
    assert as_visitor.get(public_url).status_code == 404

    # Sent to review: in the facilitator's queue, still not public.
    as_editor.post(reverse("practices:practice_submit", args=[practice.slug]))
    practice.refresh_from_db()
    assert practice.status == "pending"
    queue = as_facilitator.get(reverse("practices:review_queue")).content.decode()
    assert "Mesa de transparencia" in queue
    assert as_visitor.get(public_url).status_code == 404

    # Returning it without a reason is refused; with one, the editor reads it.
    review = reverse("practices:practice_review", args=[practice.slug])
    refused = as_facilitator.post(review, {"decision": "reject", "note": ""})
    assert refused.status_code == 400
    practice.refresh_from_db()
    assert practice.status == "pending"
    as_facilitator.post(review, {"decision": "reject", "note": "Faltan las evidencias."})
    practice.refresh_from_db()
    assert practice.status == "returned" and practice.review_note == "Faltan las evidencias."
    page = as_editor.get(public_url).content.decode()
    assert "Devuelta para corregir" in page and "Faltan las evidencias." in page
    assert (
        "Faltan las evidencias."
        in as_editor.get(reverse("practices:my_practices")).content.decode()
    )
    assert as_visitor.get(public_url).status_code == 404

    # Corrected and sent again; published.
    as_editor.post(
        reverse("practices:practice_edit", args=[practice.slug]),
        form_data(organization, municipality, theme, results="El 90 % en plazo; ver informe."),
    )
    as_editor.post(reverse("practices:practice_submit", args=[practice.slug]))
    response = as_facilitator.post(review, {"decision": "approve", "note": ""})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "published" and practice.published_at is not None
    assert practice.reviewed_by.email == "facilitador@ejemplo.mx"
    assert as_visitor.get(public_url).status_code == 200
    assert "Mesa de transparencia" in as_visitor.get(reverse("practices:index")).content.decode()
    reasons = list(practice.history.values_list("history_change_reason", flat=True))
    assert any("Devuelta" in (r or "") for r in reasons)
    assert any("Publicada" in (r or "") for r in reasons)

    # An editor's change to the published practice goes back to review.
    as_editor.post(
        reverse("practices:practice_edit", args=[practice.slug]),
        form_data(organization, municipality, theme, title="Mesa de transparencia (2024)"),
    )
    practice.refresh_from_db()
    assert practice.status == "pending"
    assert as_visitor.get(public_url).status_code == 404


def test_wrong_moves_are_refused_with_a_message(as_editor, as_facilitator, practice):
    # A published practice cannot be "sent to review" again, nor reviewed.
    response = as_editor.post(
        reverse("practices:practice_submit", args=[practice.slug]), follow=True
    )
    assert "Solo un borrador" in response.content.decode()
    response = as_facilitator.post(
        reverse("practices:practice_review", args=[practice.slug]),
        {"decision": "approve", "note": ""},
    )
    assert response.status_code == 400
    practice.refresh_from_db()
    assert practice.status == "published"
    # Archived: no longer public, no longer editable.
    as_editor.post(reverse("practices:practice_archive", args=[practice.slug]))
    practice.refresh_from_db()
    assert practice.status == "archived"
    assert (
        as_editor.get(reverse("practices:practice_edit", args=[practice.slug])).status_code == 403
    )
