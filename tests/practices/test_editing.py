"""The organisation's side with broken and hostile input: a forged organisation,
impossible years, evidence files of the wrong type or too large, a draft's file
kept from the public; the meetings where a practice was presented, from either
side; the personal data of the contact."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polo.accounts import personal_data
from polo.practices.models import Evidence, GoodPractice
from tests import factories as f
from tests.meetings.factories import MeetingFactory
from tests.practices.test_lifecycle import form_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def test_a_forged_organisation_or_impossible_period_is_refused(
    as_editor, as_participant, organization, other_municipality, municipality, theme
):
    foreign = f.OrganizationFactory(name="Otra A.C.", municipality=other_municipality)
    create = reverse("practices:practice_create")
    response = as_editor.post(create, form_data(foreign, municipality, theme))
    assert response.status_code == 400
    assert (
        "No puedes registrar prácticas a nombre de esa organización." in response.content.decode()
    )
    response = as_editor.post(
        create, form_data(organization, municipality, theme, start_year="2023", end_year="2020")
    )
    assert response.status_code == 400
    assert "no puede ser anterior" in response.content.decode()
    response = as_editor.post(create, form_data(organization, municipality, theme, title=" \x00 "))
    assert response.status_code == 400
    assert (
        as_participant.post(create, form_data(organization, municipality, theme)).status_code == 403
    )
    assert not GoodPractice.objects.exists()


def test_evidence_notes_links_and_checked_files(
    as_editor, as_visitor, as_facilitator, draft, media_root
):
    url = reverse("practices:practice_evidence", args=[draft.slug])
    ok = as_editor.post(url, {"kind": "note", "title": "Testimonio", "note": "«Ya sabemos.»"})
    assert ok.status_code == 302
    assert (
        as_editor.post(
            url, {"kind": "link", "title": "Informe", "url": "javascript:alert(1)"}
        ).status_code
        == 400
    )
    assert (
        as_editor.post(
            url, {"kind": "link", "title": "Informe", "url": "https://ejemplo.mx/informe"}
        ).status_code
        == 302
    )

    def upload(name, content, kind="file"):
        return as_editor.post(
            url, {"kind": kind, "title": name, "file": SimpleUploadedFile(name, content)}
        )

    # A script named .png, an executable, a file too large, a missing file: refused.
    bad = upload("foto.png", b"<script>alert(1)</script>")
    assert bad.status_code == 400 and "Solo se aceptan" in bad.content.decode()
    assert upload("programa.pdf", b"MZ\x90\x00" * 10).status_code == 400
    big = upload("grande.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert big.status_code == 400 and "10 MB" in big.content.decode()
    assert as_editor.post(url, {"kind": "file", "title": "Nada"}).status_code == 400
    assert upload("informe.pdf", PDF).status_code == 302
    assert upload("foto.png", PNG).status_code == 302
    assert list(draft.evidence.values_list("kind", flat=True)) == ["note", "link", "file", "file"]
    pdf = draft.evidence.get(title="informe.pdf")
    assert pdf.content_type == "application/pdf" and pdf.size == len(PDF)

    # The draft's file: its editors and reviewers, not the public.
    file_url = reverse("practices:evidence_file", args=[draft.slug, pdf.pk])
    assert as_visitor.get(file_url).status_code == 404
    served = as_facilitator.get(file_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert "sandbox" in served["Content-Security-Policy"]
    # Once published, everyone.
    draft.status = GoodPractice.Status.PUBLISHED
    draft.save()
    assert as_visitor.get(file_url).status_code == 200
    # Removing; one of another practice cannot be removed through this one.
    other = GoodPractice.objects.create(
        organization=draft.organization,
        municipality=draft.municipality,
        title="Otra",
        problem="p",
        actions="a",
        results="r",
    )
    foreign = Evidence.objects.create(practice=other, kind="note", title="Ajena", note="n")
    assert as_editor.post(url, {"action": "remove", "evidence": foreign.pk}).status_code == 404
    assert as_editor.post(url, {"action": "remove", "evidence": pdf.pk}).status_code == 302
    assert not Evidence.objects.filter(pk=pdf.pk).exists()
    assert Evidence.objects.filter(pk=foreign.pk).exists()


def test_where_it_was_presented_from_either_side(
    as_editor, as_facilitator, as_other_facilitator, organization, municipality, practice, draft
):
    meeting = MeetingFactory(municipality=municipality, title="Reunión abierta de buenas prácticas")
    hidden = MeetingFactory(municipality=municipality, status="draft", title="Borrador de foro")

    # The practice's side: public meetings only.
    url = reverse("practices:practice_meetings", args=[practice.slug])
    assert as_editor.post(url, {"meetings": [hidden.pk]}).status_code == 400
    assert as_editor.post(url, {"meetings": [meeting.pk]}).status_code == 302
    assert list(practice.meetings.all()) == [meeting]

    # The meeting's side: published practices found by a search, added, removed.
    manage = reverse("practices:meeting_practices", args=[meeting.pk])
    page = as_facilitator.get(manage, {"buscar": "comites agua"}).content.decode()
    assert practice.title in page  # already linked
    draft.title = "Comités de huertos"
    draft.save()
    found = as_facilitator.get(manage, {"buscar": "huertos"}).content.decode()
    assert "Ninguna práctica publicada coincide" in found  # a draft is not offered
    assert as_facilitator.post(manage, {"action": "add", "practice": draft.pk}).status_code == 404
    assert (
        as_other_facilitator.post(manage, {"action": "remove", "practice": practice.pk}).status_code
        == 403
    )
    assert (
        as_facilitator.post(manage, {"action": "remove", "practice": practice.pk}).status_code
        == 302
    )
    assert not practice.meetings.exists()
    assert (
        as_facilitator.post(manage, {"action": "add", "practice": practice.pk}).status_code == 302
    )
    assert list(meeting.practices.all()) == [practice]


def test_the_contact_is_in_the_personal_data_export_and_goes_on_cancellation(
    organization, municipality, practice
):
    person = f.UserFactory(email="Lucia.Privada@ejemplo.mx")
    exported = personal_data.export(person)["sections"]["practices"]
    assert [row["contact_email"] for row in exported] == ["lucia.privada@ejemplo.mx"]
    personal_data.anonymize(person)
    practice.refresh_from_db()
    assert (practice.contact_name, practice.contact_email, practice.contact_phone) == ("", "", "")
    assert not practice.history.filter(contact_email="lucia.privada@ejemplo.mx").exists()
    assert practice.title == "Comités del agua en los Valles"


def test_evidence_changed_by_an_editor_sends_a_published_practice_back_to_review(
    as_editor, as_facilitator, as_visitor, practice
):
    url = reverse("practices:practice_evidence", args=[practice.slug])
    assert "al guardar cambios vuelve a revisión" in as_editor.get(url).content.decode()

    # A reviewer's evidence keeps it published.
    note = {"kind": "note", "title": "Acta", "note": "Firmada por el comité."}
    assert as_facilitator.post(url, note).status_code == 302
    practice.refresh_from_db()
    assert practice.status == "published"
    kept = practice.evidence.get()

    # An editor's new evidence does not go live unreviewed.
    link = {"kind": "link", "title": "Video", "url": "https://ejemplo.mx/video"}
    response = as_editor.post(url, link, follow=True)
    practice.refresh_from_db()
    assert practice.status == "pending"
    assert "vuelve a revisión" in response.content.decode()
    assert as_visitor.get(practice.get_absolute_url()).status_code == 404
    assert practice.history.first().history_change_reason.startswith("Evidencia cambiada")

    # Nor does an editor's removal, once published again.
    practice.status = GoodPractice.Status.PUBLISHED
    practice.save()
    assert as_editor.post(url, {"action": "remove", "evidence": kept.pk}).status_code == 302
    practice.refresh_from_db()
    assert practice.status == "pending"
    assert list(practice.evidence.values_list("title", flat=True)) == ["Video"]
