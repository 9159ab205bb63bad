"""Exporting responses: CSV and XLSX, names or labels, Spanish or English, only
what the person may see; and an export imported again gives the same answers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from polo.surveys import importing, services, validation
from polo.surveys.models import Response, Round
from tests.surveys.conftest import baseline_answers
from tests.surveys.io_helpers import preview_id, read_csv, upload

pytestmark = pytest.mark.usefixtures("media_root")

PROJECTS = [
    {"proyecto_nombre": "Casa de salud", "proyecto_tema": "salud", "proyecto_personas": "40"},
    {"proyecto_nombre": "Huertos escolares", "proyecto_tema": "educacion"},
]


def make_response(round_, municipality, status=Response.Status.APPROVED, **overrides):
    version = round_.campaign.instrument.current_version
    data = validation.compute(version.form, baseline_answers(municipality, **overrides))
    response = Response(
        round=round_,
        form_version=version,
        respondent_kind=round_.campaign.respondent,
        data=data,
        status=status,
        source=Response.Source.WEB,
    )
    data["instanceID"] = response.instance_id
    services.response_link_respondent(response)
    response.save()
    services.response_store_answers(response)
    return response


@pytest.fixture
def responses(baseline_round, municipality, other_municipality):
    return {
        "valles": make_response(baseline_round, municipality, proyectos=PROJECTS),
        "valles_2": make_response(
            baseline_round, municipality, Response.Status.SUBMITTED, fuentes="cuotas"
        ),
        "montana": make_response(baseline_round, other_municipality),
        "draft": make_response(baseline_round, municipality, Response.Status.DRAFT),
    }


def export_url(campaign, **params) -> str:
    url = reverse("surveys:responses_export", args=[campaign.slug])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params, doseq=True)
    return url


def download(client, campaign, **params) -> bytes:
    response = client.get(export_url(campaign, **params))
    assert response.status_code == 200, response.content[:500]
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_export(client, campaign, **params) -> list[dict[str, str]]:
    lines = read_csv(download(client, campaign, formato="csv", **params))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def workbook(client, campaign, **params):
    return load_workbook(io.BytesIO(download(client, campaign, formato="xlsx", **params)))


def sheet_rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# ---- CSV ------------------------------------------------------------------------------


def test_the_csv_has_a_bom_the_form_order_and_only_what_the_facilitator_may_see(
    as_facilitator, campaign, responses
):
    data = download(as_facilitator, campaign, formato="csv")
    assert data.startswith("\ufeff".encode())
    header = read_csv(data)[0]
    assert header[:4] == ["_instance_id", "region", "municipio", "tipo_actor"]
    fuentes = header.index("fuentes")
    assert header[fuentes : fuentes + 5] == [
        "fuentes",
        "fuentes/donativos",
        "fuentes/gobierno",
        "fuentes/cooperacion",
        "fuentes/cuotas",
    ]
    assert "proyecto_nombre" not in header  # repeats are in the XLSX only
    assert header[-9:] == [
        "_round",
        "_status",
        "_source",
        "_region",
        "_municipality_code",
        "_municipality",
        "_organization",
        "_submitted_at",
        "_form_version",
    ]
    rows = csv_export(as_facilitator, campaign)
    # The Montaña response is not in their regions; the draft is not exported.
    assert sorted(row["_instance_id"] for row in rows) == sorted(
        [responses["valles"].instance_id, responses["valles_2"].instance_id]
    )
    first = next(row for row in rows if row["_instance_id"] == responses["valles"].instance_id)
    assert first["municipio"] == "20067" and first["_municipality"] == "Oaxaca de Juárez"
    assert first["fuentes"] == "donativos gobierno"
    assert (first["fuentes/donativos"], first["fuentes/cuotas"]) == ("1", "0")
    assert first["pct_mujeres"] == "62.5" and first["_status"] == "approved"
    second = next(row for row in rows if row["_instance_id"] == responses["valles_2"].instance_id)
    assert (second["fuentes/donativos"], second["fuentes/cuotas"]) == ("0", "1")
    assert second["pct_donativos"] == ""  # not relevant without donations


def test_a_coordinator_exports_every_region_and_filters_narrow_it(
    as_coordinator, campaign, baseline_round, responses, other_region
):
    ids = {row["_instance_id"] for row in csv_export(as_coordinator, campaign)}
    assert ids == {responses[k].instance_id for k in ("valles", "valles_2", "montana")}
    by_region = csv_export(as_coordinator, campaign, region=other_region.slug)
    assert [row["_instance_id"] for row in by_region] == [responses["montana"].instance_id]
    by_status = csv_export(as_coordinator, campaign, estado=["submitted"])
    assert [row["_instance_id"] for row in by_status] == [responses["valles_2"].instance_id]
    drafts = csv_export(as_coordinator, campaign, estado=["draft"])
    assert [row["_instance_id"] for row in drafts] == [responses["draft"].instance_id]
    by_place = csv_export(as_coordinator, campaign, municipio="12041")
    assert [row["_instance_id"] for row in by_place] == [responses["montana"].instance_id]
    later = Round.objects.create(
        campaign=campaign, kind=Round.Kind.MIDLINE, name="Medio término", order=2
    )
    assert csv_export(as_coordinator, campaign, ronda=later.pk) == []


def test_bad_filters_are_refused_with_the_form_and_its_errors(as_coordinator, campaign, responses):
    for params in (
        {"formato": "pdf"},
        {"formato": "csv", "municipio": "99999"},
        {"formato": "csv", "ronda": "123456"},
        {"formato": "csv", "idioma": "fr"},
    ):
        response = as_coordinator.get(export_url(campaign, **params))
        assert response.status_code == 400, params
        assert "errorlist" in response.content.decode()
    page = as_coordinator.get(export_url(campaign)).content.decode()
    assert "Puedes exportar 3 respuestas" in page


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(
    as_coordinator, campaign, baseline_round, municipality
):
    hostile = make_response(
        baseline_round,
        municipality,
        observaciones='=HYPERLINK("http://malo.example","clic")',
        consejos_cuales="@SUM(1+1)",
        participa_consejos="si",
    )
    row = next(
        row
        for row in csv_export(as_coordinator, campaign)
        if row["_instance_id"] == hostile.instance_id
    )
    assert row["observaciones"] == '\'=HYPERLINK("http://malo.example","clic")'
    assert row["consejos_cuales"] == "'@SUM(1+1)"
    assert row["ubicacion"] == "17.0654 -96.7236 1550 10"  # a number stays a number
    book = workbook(as_coordinator, campaign)
    sheet = book.worksheets[0]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    cell = next(sheet.iter_rows(min_row=2, max_row=2))[header.index("observaciones")]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_an_empty_export_still_has_its_header(as_coordinator, campaign):
    lines = read_csv(download(as_coordinator, campaign, formato="csv"))
    assert len(lines) == 1 and lines[0][0] == "_instance_id"


# ---- XLSX, labels, languages -------------------------------------------------------------


def test_the_xlsx_has_a_sheet_per_repeat_linked_by_the_instance_id(
    as_facilitator, campaign, responses
):
    book = workbook(as_facilitator, campaign)
    assert book.sheetnames == ["respuestas", "proyectos", "Acerca de"]
    main = sheet_rows(book["respuestas"])
    assert len(main) == 2
    first = next(row for row in main if row["_instance_id"] == responses["valles"].instance_id)
    assert first["personas_equipo"] == 8 and first["plan_anios"] == 3  # numbers
    assert first["pct_mujeres"] == "62.5"  # a calculation is text, as ODK keeps it
    assert first["fuentes/donativos"] == 1
    projects = sheet_rows(book["proyectos"])
    assert [(p["_parent_instance_id"], p["_row"], p["proyecto_nombre"]) for p in projects] == [
        (responses["valles"].instance_id, 1, "Casa de salud"),
        (responses["valles"].instance_id, 2, "Huertos escolares"),
        (responses["valles_2"].instance_id, 1, "Casa de salud"),
    ]
    about = list(book["Acerca de"].iter_rows(values_only=True))
    assert about[0][0] == "Respuestas de «Línea base de organizaciones»"
    assert ("Respuestas", 2) in [row[:2] for row in about]


def test_labels_in_spanish_and_in_english(as_coordinator, campaign, responses):
    spanish = read_csv(download(as_coordinator, campaign, formato="csv", encabezados="etiquetas"))
    header = spanish[0]
    assert header[:3] == ["Identificador de la respuesta", "Región", "Municipio"]
    assert "Fuentes de financiamiento: Donativos" in header
    assert "Estado" in header and "Clave INEGI del municipio" in header
    row = dict(zip(header, spanish[1], strict=True))
    assert row["Tipo de actor"] == "Organización de la sociedad civil"
    assert row["Fuentes de financiamiento"] in (
        "Donativos; Fondos públicos",
        "Cuotas o venta de servicios",
    )
    assert row["Estado"] in ("Aprobada", "Enviada")

    book = workbook(as_coordinator, campaign, encabezados="etiquetas", idioma="en")
    # Polo's own words come from the catalogue, the form's from the XLSForm.
    with translation.override("en"):
        responses_title, about, status = (
            gettext("Respuestas"),
            gettext("Acerca de"),
            gettext("Estado"),
        )
        approved, submitted = gettext("Aprobada"), gettext("Enviada")
    assert book.sheetnames == [responses_title, "Current projects", about]
    rows = sheet_rows(book[responses_title])
    assert {"Region", "Municipality", "Kind of actor", "Sources of funding: Donations"} <= set(
        rows[0]
    )
    assert {row["Kind of actor"] for row in rows} == {"Civil-society organisation"}
    assert {row[status] for row in rows} == {approved, submitted}
    assert "Project name" in sheet_rows(book["Current projects"])[0]


# ---- who may export ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("as_visitor", 302),
        ("as_participant", 403),
        ("as_editor", 403),
        ("as_facilitator", 200),
        ("as_other_facilitator", 403),
        ("as_coordinator", 200),
    ],
)
@pytest.mark.parametrize("params", [{}, {"formato": "csv"}, {"formato": "xlsx"}])
def test_the_export_is_for_the_campaigns_facilitators_and_coordinators(
    request, campaign, responses, persona, expected, params
):
    client = request.getfixturevalue(persona)
    response = client.get(export_url(campaign, **params))
    assert response.status_code == expected
    if expected == 302:
        assert "/cuentas/login/" in response["Location"]


def test_an_unknown_campaign_is_not_found(as_coordinator):
    assert as_coordinator.get(export_url(type("C", (), {"slug": "nada"}))).status_code == 404


def test_an_export_reads_the_database_in_a_fixed_number_of_queries(
    as_coordinator, campaign, baseline_round, municipality, django_assert_max_num_queries
):
    for _ in range(3):
        make_response(baseline_round, municipality)
    with django_assert_max_num_queries(20) as few:
        download(as_coordinator, campaign, formato="xlsx")
    for _ in range(12):
        make_response(baseline_round, municipality)
    with django_assert_max_num_queries(len(few.captured_queries)):
        download(as_coordinator, campaign, formato="xlsx")


# ---- round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_into_another_round_gives_the_same_answers(
    as_coordinator, campaign, baseline_round, responses, fmt
):
    exported = {
        r.instance_id: dict(r.data) for r in Response.objects.exclude(status=Response.Status.DRAFT)
    }
    data = download(as_coordinator, campaign, formato=fmt)
    # The same instance ids cannot live twice: the responses leave first, as
    # when answers move to another campaign (or another Polo).
    Response.objects.all().delete()
    midline = Round.objects.create(
        campaign=campaign, kind=Round.Kind.MIDLINE, name="Medio término", order=2
    )
    job_id = preview_id(upload(as_coordinator, midline, data, f"exportacion.{fmt}"))
    assert importing.load_plan(job_id)["counts"] == {"create": 3, "skip": 0, "rejected": 0}
    as_coordinator.post(reverse("surveys:responses_import_confirm", args=[job_id]))
    imported = {r.instance_id: r.data for r in Response.objects.filter(round=midline)}
    if fmt == "csv":  # a CSV has no repeats
        for answers in exported.values():
            answers.pop("proyectos", None)
            answers.pop("total_proyectos", None)
        for answers in imported.values():
            answers.pop("total_proyectos", None)
    assert imported == exported


def test_an_export_with_labels_is_refused_by_the_import(
    as_coordinator, campaign, baseline_round, responses
):
    data = download(as_coordinator, campaign, formato="xlsx", encabezados="etiquetas")
    response = upload(as_coordinator, baseline_round, data, "etiquetas.xlsx")
    assert response.status_code == 400
    assert "etiquetas de las preguntas" in response.content.decode()
