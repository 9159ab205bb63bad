"""Builders for the tests of the surveys' management side (instruments,
campaigns, responses, review): small XLSForms written as tables, responses in
a given place and state, attachments, and the rows the authorization matrix
needs (``survey_world``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polo.surveys import services
from polo.surveys.models import Attachment, Campaign, Response, Round
from polo.surveys.workbooks import xlsform_bytes
from tests.surveys.conftest import baseline_answers

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The smallest PNG there is: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def small_form(
    *,
    form_id: str = "encuesta_corta",
    version: str | None = "1",
    title: str = "Encuesta corta",
    survey: list | None = None,
    choices: list | None = None,
) -> bytes:
    """A two-question form; `survey` and `choices` replace its rows."""
    sheets: dict[str, list] = {
        "survey": [
            ["type", "name", "label::Español (es)", "label::English (en)", "relevant"],
            *(
                survey
                or [
                    ["select_one sino", "acepta", "¿Acepta?", "Agrees?"],
                    ["text", "motivo", "¿Por qué?", "Why?", "${acepta} = 'no'"],
                ]
            ),
        ],
        "choices": [
            ["list_name", "name", "label::Español (es)", "label::English (en)"],
            *(choices or [["sino", "si", "Sí", "Yes"], ["sino", "no", "No", "No"]]),
        ],
    }
    settings = ["form_title", "form_id"] + (["version"] if version is not None else [])
    values = [title, form_id] + ([version] if version is not None else [])
    sheets["settings"] = [settings, values]
    return xlsform_bytes(sheets)


def upload(data: bytes, name: str = "formulario.xlsx", content_type: str = XLSX_TYPE):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_response(
    round_: Round,
    municipality=None,
    *,
    data: dict | None = None,
    status: str = Response.Status.SUBMITTED,
    source: str = Response.Source.WEB,
    submitted_by=None,
    organization=None,
    when: dt.datetime | None = None,
) -> Response:
    """A response of `round_` in `municipality`, with its aggregate rows."""
    version = round_.campaign.instrument.current_version
    if data is None:
        data = baseline_answers(municipality) if municipality is not None else {}
    response = Response.objects.create(
        round=round_,
        form_version=version,
        respondent_kind=round_.campaign.respondent,
        organization=organization,
        municipality=municipality,
        data=data,
        status=status,
        source=source,
        submitted_by=submitted_by,
        started_at=when or timezone.now(),
        submitted_at=None if status == Response.Status.DRAFT else (when or timezone.now()),
    )
    services.response_store_answers(response)
    return response


def add_attachment(
    response: Response,
    *,
    filename: str = "foto.png",
    content: bytes = PNG,
    content_type="image/png",
) -> Attachment:
    attachment = Attachment(
        response=response,
        name="foto",
        filename=filename,
        content_type=content_type,
        size=len(content),
    )
    attachment.file.save(filename, ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture(name="programme_campaign")
def programme_campaign_fixture(baseline_version):
    """A campaign of the whole programme (no regions), open, with a baseline round."""
    campaign = Campaign.objects.create(
        instrument=baseline_version.instrument,
        slug="linea-base-programa",
        title="Línea base del programa",
        respondent=Campaign.Respondent.ORGANIZATION,
        status=Campaign.Status.OPEN,
    )
    Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )
    return campaign


def survey_world(*, coordinator, facilitator, organization, region) -> dict:
    """What the authorization matrix needs for the surveys' management views:
    an instrument with one version, a campaign of `region` with a round, and
    a submitted response from `organization` (in `region`) with an
    attachment. Call it inside a test that has a temporary MEDIA_ROOT."""
    from polo.surveys.instruments.baseline import baseline_xlsform

    municipality = organization.municipality
    version = services.form_version_create(
        data=baseline_xlsform(
            regions=[(region.slug, region.name)],
            municipalities=[(municipality.code, municipality.name, region.slug)],
        ),
        filename="linea_base.xlsx",
        by=coordinator,
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug="matriz",
        title="Campaña de la matriz",
        status=Campaign.Status.OPEN,
    )
    campaign.regions.set([region])
    round_ = Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )
    response = make_response(
        round_, municipality, submitted_by=facilitator, organization=organization
    )
    return {
        "instrument": version.instrument,
        "form_version": version,
        "campaign": campaign,
        "round": round_,
        "response": response,
        "attachment": add_attachment(response),
    }
