"""Evidence files: sent with the answers through the surveys web form, judged
by what they are (type and size), and served only to those who may see the
assessment."""

from __future__ import annotations

import io

import pytest

from polo.assessments import services
from polo.surveys.models import Attachment
from polo.surveys.rendering import uploads
from tests.assessments.helpers import url
from tests.surveys.collect_helpers import post_section


@pytest.fixture
def ongoing(instrument, organization, editor):
    return services.assessment_start(organization=organization, by=editor)


def named(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def send(client, assessment, upload):
    return post_section(
        client,
        assessment.response,
        0,
        {"gob_1": "3"},
        action="guardar",
        **{"q/gob_archivo": upload},
    )


def test_a_pdf_is_kept_and_shown_with_the_area(ongoing, as_editor, as_member):
    response = send(as_editor, ongoing, named(b"%PDF-1.4\nacta de asamblea\n", "acta.pdf"))
    assert response.status_code == 302
    attachment = Attachment.objects.get(response=ongoing.response)
    assert attachment.name == "gob_archivo" and attachment.content_type == "application/pdf"
    page = as_member.get(url("profile", ongoing.pk)).content.decode()
    link = url("evidence", ongoing.pk, attachment.pk)
    assert link in page
    served = as_member.get(link)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF-1.4")
    assert "private" in served["Cache-Control"] and "no-store" in served["Cache-Control"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a document", "programa.exe", "Este tipo de archivo no se acepta aquí"),
        (b"plain text", "notas.txt", "Este tipo de archivo no se acepta aquí"),
        (b"\x89PNG\r\n\x1a\n a picture", "acta.pdf", "no corresponde a su extensión .pdf"),
        (b"<html><script>alert(1)</script>", "acta.pdf", "no corresponde a su extensión .pdf"),
        (b"", "vacio.pdf", "El archivo está vacío."),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_the_answers_kept(
    ongoing, as_editor, content, name, message
):
    response = send(as_editor, ongoing, named(content, name))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_too_large_is_refused(ongoing, as_editor, monkeypatch):
    # A smaller limit than the real 10 MB, so the test does not build a 10 MB file.
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    response = send(as_editor, ongoing, named(b"%PDF-1.4\n" + b"0" * 2048, "grande.pdf"))
    assert response.status_code == 200
    assert "El archivo pesa más de" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_real_limit_is_ten_megabytes():
    assert uploads.MAX_UPLOAD_BYTES == 10 * 1024 * 1024


def test_outsiders_and_other_assessments_do_not_get_the_file(
    ongoing, as_editor, as_participant, as_other_facilitator, organization, coordinator
):
    from tests import factories as f

    send(as_editor, ongoing, named(b"%PDF-1.4\n", "acta.pdf"))
    attachment = Attachment.objects.get()
    link = url("evidence", ongoing.pk, attachment.pk)
    assert as_participant.get(link).status_code == 404
    assert as_other_facilitator.get(link).status_code == 404
    # Through another assessment's address, even one the person may see.
    other_org = f.OrganizationFactory(municipality=organization.municipality)
    other = services.assessment_start(organization=other_org, by=coordinator)
    from tests.conftest import client_for

    assert client_for(coordinator).get(url("evidence", other.pk, attachment.pk)).status_code == 404
