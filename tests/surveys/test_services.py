"""Writes of the surveys module: versions, aggregate answers, the respondent."""

from __future__ import annotations

import pytest

from polo.surveys import services
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Answer, FormVersion, Instrument, Response
from polo.surveys.xlsform import XLSFormError
from tests.surveys.conftest import baseline_answers


def test_an_upload_becomes_the_first_version_of_a_new_instrument(baseline_version):
    instrument = baseline_version.instrument
    assert instrument.slug == "linea_base_osc"
    assert instrument.title == "Línea base de organizaciones"
    assert baseline_version.number == 1
    assert baseline_version.version == "2026110101"
    assert baseline_version.form.sections[0].name == "identificacion"
    assert 'version="2026110101"' in baseline_version.xform
    assert baseline_version.xlsform.read()[:2] == b"PK"


def test_a_new_upload_is_a_new_version_and_the_old_one_stays(
    baseline_version, coordinator, region, municipality
):
    data = baseline_xlsform(
        regions=[(region.slug, region.name)],
        municipalities=[(municipality.code, municipality.name, region.slug)],
        version="2026120101",
    )
    second = services.form_version_create(
        data=data, filename="v2.xlsx", by=coordinator, instrument=baseline_version.instrument
    )
    assert second.number == 2
    assert baseline_version.instrument.current_version == second
    assert FormVersion.objects.filter(instrument=baseline_version.instrument).count() == 2


def test_the_same_version_string_twice_is_refused_and_nothing_is_saved(
    baseline_version, baseline_xlsx, coordinator
):
    with pytest.raises(services.VersionConflict):
        services.form_version_create(
            data=baseline_xlsx,
            filename="again.xlsx",
            by=coordinator,
            instrument=baseline_version.instrument,
        )
    assert FormVersion.objects.count() == 1


def test_a_bad_form_saves_nothing(coordinator, media_root):
    with pytest.raises(XLSFormError):
        services.form_version_create(data=b"not a workbook", filename="x.xlsx", by=coordinator)
    assert not Instrument.objects.exists()
    assert not FormVersion.objects.exists()


def _response(baseline_round, baseline_version, _municipality, **kwargs):
    return Response.objects.create(
        round=baseline_round,
        form_version=baseline_version,
        respondent_kind="organization",
        source=Response.Source.WEB,
        **kwargs,
    )


def test_answers_are_one_row_per_answer_and_per_chosen_option(
    baseline_round, baseline_version, municipality
):
    response = _response(
        baseline_round,
        baseline_version,
        municipality,
        data=baseline_answers(municipality),
        status=Response.Status.SUBMITTED,
        municipality=municipality,
    )
    services.response_store_answers(response)
    rows = {(a.name, a.row, a.value) for a in Answer.objects.filter(response=response)}
    assert ("fuentes", 0, "donativos") in rows
    assert ("fuentes", 0, "gobierno") in rows
    assert ("proyecto_personas", 1, "40") in rows
    team = Answer.objects.get(response=response, name="personas_equipo")
    assert team.number == 8.0
    assert team.round_id == baseline_round.pk
    assert team.municipality_id == municipality.pk
    assert not Answer.objects.filter(response=response, name="fuentes", number__isnull=False)


def test_drafts_and_rejected_responses_leave_the_aggregates(
    baseline_round, baseline_version, municipality, facilitator
):
    response = _response(
        baseline_round,
        baseline_version,
        municipality,
        data=baseline_answers(municipality),
        status=Response.Status.SUBMITTED,
    )
    services.response_store_answers(response)
    assert Answer.objects.filter(response=response).exists()
    services.response_review(
        response=response, status=Response.Status.REJECTED, comment="Duplicada", by=facilitator
    )
    response.refresh_from_db()
    assert response.status == Response.Status.REJECTED
    assert response.reviewed_by == facilitator
    assert not Answer.objects.filter(response=response).exists()
    services.response_review(
        response=response, status=Response.Status.APPROVED, comment="", by=facilitator
    )
    assert Answer.objects.filter(response=response).exists()
    assert response.history.count() >= 3


def test_a_review_status_must_be_a_verdict(baseline_round, baseline_version, municipality):
    response = _response(baseline_round, baseline_version, municipality, data={})
    with pytest.raises(ValueError):
        response.review(status=Response.Status.DRAFT, comment="", by=None)


def test_the_respondent_comes_from_the_answers(
    baseline_round, baseline_version, municipality, other_municipality, organization
):
    response = _response(
        baseline_round,
        baseline_version,
        municipality,
        data={"municipio": other_municipality.code, "organizacion": str(organization.pk)},
    )
    services.response_link_respondent(response)
    assert response.municipality == other_municipality
    assert response.organization == organization


def test_an_unknown_municipality_key_changes_nothing(
    baseline_round, baseline_version, municipality, organization
):
    response = _response(
        baseline_round,
        baseline_version,
        municipality,
        data={"municipio": "99999"},
        organization=organization,
    )
    services.response_link_respondent(response)
    assert response.municipality == organization.municipality


def test_answers_go_with_their_response_without_database_constraints(
    baseline_round, baseline_version, municipality
):
    """Answer rows have no foreign-key constraints in the database (an import
    writes millions); Django's cascade still deletes them with their response."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Answer._meta.db_table)
    assert not [name for name, c in constraints.items() if c["foreign_key"]]

    kept, deleted = (
        _response(
            baseline_round,
            baseline_version,
            municipality,
            data=baseline_answers(municipality),
            status=Response.Status.SUBMITTED,
            municipality=municipality,
        )
        for _ in range(2)
    )
    for response in (kept, deleted):
        services.response_store_answers(response)
    deleted.delete()
    assert not Answer.objects.filter(response_id=deleted.pk).exists()
    assert Answer.objects.filter(response=kept).exists()
    kept.delete()
    assert not Answer.objects.exists()
