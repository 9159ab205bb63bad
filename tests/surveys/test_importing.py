"""Importing responses from KoboToolbox and ODK Central exports, through the web:
upload, preview, confirm, report."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from polo.core.models import Job
from polo.surveys import importing, validation
from polo.surveys.models import Answer, Response, Round
from polo.surveys.tasks import JOB_IMPORT, JOB_IMPORT_APPLY
from tests.surveys.conftest import baseline_answers
from tests.surveys.io_helpers import (
    central_csv,
    central_zip,
    csv_bytes,
    import_job,
    import_url,
    kobo_csv,
    kobo_table,
    kobo_xlsx,
    matrix_round,
    new_id,
    preview_id,
    upload,
)

pytestmark = pytest.mark.usefixtures("media_root")

FILES = Path(__file__).parent / "files"


def preview(client, round_, data, name="respuestas.csv"):
    job_id = preview_id(upload(client, round_, data, name))
    response = client.get(reverse("surveys:responses_import_preview", args=[job_id]))
    assert response.status_code == 200
    return job_id, response.content.decode()


def confirm(client, job_id):
    return client.post(reverse("surveys:responses_import_confirm", args=[job_id]))


def rows_of(job_id, action):
    plan = importing.load_plan(job_id)
    return {row["row"]: row for row in plan["rows"] if row["action"] == action}


def responses_set(municipality, count=3, **overrides):
    return [(new_id(), baseline_answers(municipality, **overrides)) for _ in range(count)]


def stored(spec, answers, instance):
    """What Polo stores for these answers: computed, with the instance id."""
    data = validation.compute(spec, answers)
    data["instanceID"] = f"uuid:{instance}"
    return data


def refused(response) -> str:
    assert response.status_code in (400, 413), response.status_code
    return response.content.decode()


# ---- the happy paths ----------------------------------------------------------------


def test_a_kobo_csv_is_previewed_then_written_with_its_answers_and_aggregates(
    as_facilitator, facilitator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality)
    job_id, page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    assert "Vista previa" in page and "CSV (UTF-8, «;»)" in page
    assert "Oaxaca de Juárez" in page
    assert "no trae las filas de «proyectos»" in page  # a CSV has no repeats
    assert not Response.objects.exists()

    response = confirm(as_facilitator, job_id)
    assert response["Location"] == reverse("surveys:responses_import_report", args=[job_id])
    imported = Response.objects.order_by("submitted_at", "pk")
    assert imported.count() == 3
    for response_obj in imported:
        instance = response_obj.instance_id.removeprefix("uuid:")
        original = dict(answers)[instance]
        expected = stored(spec, {k: v for k, v in original.items() if k != "proyectos"}, instance)
        assert response_obj.data == expected
        assert response_obj.round == baseline_round
        assert response_obj.form_version == baseline_version
        assert response_obj.status == Response.Status.SUBMITTED
        assert response_obj.source == Response.Source.IMPORT
        assert response_obj.municipality == municipality
        assert response_obj.submitted_by == facilitator
        assert response_obj.submitted_at == dt.datetime(2026, 11, 3, 16, 20, tzinfo=dt.UTC)
        record = response_obj.history.get()
        assert record.history_user == facilitator and "respuestas.csv" in (
            record.history_change_reason
        )
    # One aggregate row per answered question, one per chosen option.
    first = imported[0]
    answers_rows = Answer.objects.filter(response=first)
    assert set(answers_rows.filter(name="fuentes").values_list("value", flat=True)) == {
        "donativos",
        "gobierno",
    }
    assert answers_rows.get(name="personas_equipo").number == 8
    assert answers_rows.get(name="pct_mujeres").value == "62.5"  # computed on import
    assert set(answers_rows.values_list("round_id", "municipality_id").distinct()) == {
        (baseline_round.pk, municipality.pk)
    }
    report = as_facilitator.get(response["Location"]).content.decode()
    assert "Informe de la importación" in report and ">3<" in report


def test_a_kobo_xlsx_brings_the_repeats_from_their_sheets(
    as_coordinator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    two_projects = [
        {"proyecto_nombre": "Casa de salud", "proyecto_tema": "salud", "proyecto_personas": "40"},
        {"proyecto_nombre": "Huertos", "proyecto_tema": "medio_ambiente"},
    ]
    answers = [
        (new_id(), baseline_answers(municipality, proyectos=two_projects)),
        (new_id(), baseline_answers(municipality, proyectos=None)),
        (new_id(), baseline_answers(municipality)),
    ]
    job_id, page = preview(as_coordinator, baseline_round, kobo_xlsx(spec, answers), "kobo.xlsx")
    assert "XLSX («Línea base de organizaciones» y 1 hojas más)" in page
    confirm(as_coordinator, job_id)
    for instance, original in answers:
        response = Response.objects.get(instance_id=f"uuid:{instance}")
        assert response.data == stored(spec, original, instance)
    with_two = Response.objects.get(instance_id=f"uuid:{answers[0][0]}")
    assert [row["proyecto_nombre"] for row in with_two.data["proyectos"]] == [
        "Casa de salud",
        "Huertos",
    ]
    assert with_two.data["total_proyectos"] == "2"
    assert with_two.answers.filter(name="proyecto_nombre", row=2).get().value == "Huertos"
    # Excel's numbers (40.0) come back as the integers the form asked for.
    assert with_two.data["proyectos"][0]["proyecto_personas"] == "40"


def test_repeat_rows_linked_only_by_their_parent_index_join_their_response(
    as_coordinator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = [
        (new_id(), baseline_answers(municipality, proyectos=None)),
        (new_id(), baseline_answers(municipality)),
    ]
    data = kobo_xlsx(spec, answers, by_index=True)
    job_id, _page = preview(as_coordinator, baseline_round, data, "kobo.xlsx")
    confirm(as_coordinator, job_id)
    first, second = (Response.objects.get(instance_id=f"uuid:{i}") for i, _a in answers)
    assert "proyectos" not in first.data
    assert second.data["proyectos"] == [
        {"proyecto_nombre": "Casa de salud", "proyecto_tema": "salud", "proyecto_personas": "40"}
    ]


def test_an_odk_central_csv_and_its_zip_with_the_repeat_files(
    as_coordinator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality, 2)
    job_id, page = preview(as_coordinator, baseline_round, central_csv(spec, answers))
    assert "CSV (UTF-8, «,»)" in page
    assert importing.load_plan(job_id)["counts"] == {"create": 2, "skip": 0, "rejected": 0}

    job_id, page = preview(as_coordinator, baseline_round, central_zip(spec, answers), "c.zip")
    assert "ZIP de ODK Central" in page
    confirm(as_coordinator, job_id)
    for instance, original in answers:
        response = Response.objects.get(instance_id=f"uuid:{instance}")
        assert response.data == stored(spec, original, instance)
        assert response.data["ubicacion"] == "17.0654 -96.7236 1550 10"  # from its four parts


def test_a_hand_written_kobo_export_reads_as_kobo_writes_it(
    as_facilitator, baseline_round, municipality
):
    """A file as KoboToolbox writes it, kept in tests/surveys/files/, not made
    by the helpers that the importer was written beside."""
    job_id, _page = preview(
        as_facilitator, baseline_round, (FILES / "kobo_linea_base.csv").read_bytes()
    )
    plan = importing.load_plan(job_id)
    assert plan["counts"] == {"create": 2, "skip": 0, "rejected": 1}
    assert rows_of(job_id, "rejected")[4]["reasons"] == [
        "mujeres_equipo: No puede ser mayor que el equipo."
    ]


def test_columns_are_matched_by_name_whatever_the_group_prefix(
    as_coordinator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality, 2)
    header, rows = kobo_table(spec, answers)
    # A group renamed since the export, names without groups, another separator.
    renamed = [
        title.replace("identificacion/", "datos_generales/")
        .replace("capacidades/", "")
        .replace("incidencia/", "incidencia.")
        for title in header
    ]
    job_id, _page = preview(as_coordinator, baseline_round, csv_bytes([renamed, *rows]))
    confirm(as_coordinator, job_id)
    for instance, original in answers:
        expected = stored(spec, {k: v for k, v in original.items() if k != "proyectos"}, instance)
        assert Response.objects.get(instance_id=f"uuid:{instance}").data == expected


def test_a_multiple_choice_comes_back_from_its_0_1_columns_alone(
    as_coordinator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality, 1, fuentes="gobierno cuotas donativos")
    header, rows = kobo_table(spec, answers)
    keep = [i for i, title in enumerate(header) if title != "capacidades/fuentes"]
    data = csv_bytes([[header[i] for i in keep], *[[row[i] for i in keep] for row in rows]])
    job_id, _page = preview(as_coordinator, baseline_round, data)
    confirm(as_coordinator, job_id)
    # In the order of the choices list.
    assert Response.objects.get().data["fuentes"] == "donativos gobierno cuotas"


# ---- idempotence --------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(
    as_facilitator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality)
    data = kobo_csv(spec, answers)
    job_id, _page = preview(as_facilitator, baseline_round, data)
    confirm(as_facilitator, job_id)
    before = (Response.objects.count(), Answer.objects.count())

    job_id, page = preview(as_facilitator, baseline_round, data)
    assert importing.load_plan(job_id)["counts"] == {"create": 0, "skip": 3, "rejected": 0}
    assert "Ya importada (mismo identificador)." in page
    assert "No hay respuestas nuevas que importar." in page
    response = confirm(as_facilitator, job_id)
    assert response["Location"] == reverse("surveys:responses_import_preview", args=[job_id])
    assert (Response.objects.count(), Answer.objects.count()) == before

    # A later export with one more response imports that one only.
    more = [*answers, (new_id(), baseline_answers(municipality, tipo_actor="red"))]
    job_id, _page = preview(as_facilitator, baseline_round, kobo_csv(spec, more))
    assert importing.load_plan(job_id)["counts"] == {"create": 1, "skip": 3, "rejected": 0}
    confirm(as_facilitator, job_id)
    assert Response.objects.count() == 4
    assert Response.objects.filter(data__tipo_actor="red").count() == 1


def test_a_response_already_in_another_round_is_skipped_with_its_round_named(
    as_coordinator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality, 1)
    job_id, _page = preview(as_coordinator, baseline_round, kobo_csv(spec, answers))
    confirm(as_coordinator, job_id)
    midline = Round.objects.create(
        campaign=baseline_round.campaign, kind=Round.Kind.MIDLINE, name="Medio término", order=2
    )
    job_id, page = preview(as_coordinator, midline, kobo_csv(spec, answers))
    assert importing.load_plan(job_id)["counts"]["skip"] == 1
    assert "Ya existe en otra ronda" in page and "Línea base" in page


# ---- rejected rows: all or nothing -----------------------------------------------------


def test_rows_breaking_the_form_are_listed_with_their_row_numbers_and_nothing_is_written(
    as_facilitator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = [
        (new_id(), baseline_answers(municipality)),
        (new_id(), baseline_answers(municipality, mujeres_equipo="12")),  # more than the team
        (new_id(), baseline_answers(municipality, tipo_actor="empresa")),  # not an option
        (new_id(), baseline_answers(municipality, consentimiento=None)),  # required
        (new_id(), baseline_answers(municipality, anio_fundacion="dos mil")),  # not a number
        (new_id(), baseline_answers(municipality, fecha="2999-01-01")),  # in the future
    ]
    job_id, page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    rejected = rows_of(job_id, "rejected")
    assert sorted(rejected) == [3, 4, 5, 6, 7]
    assert rejected[3]["reasons"] == ["mujeres_equipo: No puede ser mayor que el equipo."]
    assert rejected[4]["reasons"] == ["tipo_actor: «empresa» no es una de las opciones."]
    assert rejected[5]["reasons"] == ["consentimiento: Esta pregunta es obligatoria."]
    assert rejected[6]["reasons"] == ["anio_fundacion: Escriba un número entero."]
    assert rejected[7]["reasons"] == ["fecha: La fecha no puede ser futura."]
    assert "5 respuestas se rechazan" in page and "corrige el archivo" in page
    assert 'action="' + reverse("surveys:responses_import_confirm", args=[job_id]) not in page

    response = confirm(as_facilitator, job_id)  # posted anyway
    assert response.status_code == 302
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_error_in_the_last_row_writes_nothing(
    as_facilitator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    answers = responses_set(municipality, 40)
    answers.append((new_id(), baseline_answers(municipality, plan_anios="45")))
    job_id, _page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    assert rows_of(job_id, "rejected")[42]["reasons"] == ["plan_anios: Entre 1 y 20 años."]
    confirm(as_facilitator, job_id)
    assert not Response.objects.exists()


def test_a_response_imported_by_someone_else_after_the_preview_rolls_back_the_write(
    as_facilitator, baseline_round, baseline_version, municipality, coordinator, monkeypatch
):
    """The write happens in batches inside one transaction: a collision in the
    last batch undoes the first ones too."""
    from polo.surveys.importing import common

    monkeypatch.setattr(common, "BATCH", 2)
    monkeypatch.setattr("polo.surveys.importing.writing.BATCH", 2)
    spec = baseline_version.form
    answers = responses_set(municipality, 5)
    job_id, _page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    importing.import_file(
        io.BytesIO(kobo_csv(spec, answers[-1:])),
        round_=baseline_round,
        version=baseline_version,
        user=coordinator,
    )
    response = confirm(as_facilitator, job_id)
    assert response["Location"] == reverse("surveys:responses_import_preview", args=[job_id])
    page = as_facilitator.get(response["Location"]).content.decode()
    assert "se registró después de la vista previa" in page
    assert list(Response.objects.values_list("instance_id", flat=True)) == [
        f"uuid:{answers[-1][0]}"
    ]
    assert Answer.objects.exclude(response__instance_id=f"uuid:{answers[-1][0]}").count() == 0


def test_the_same_response_twice_in_a_file_is_rejected_the_second_time(
    as_facilitator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    instance = new_id()
    answers = [
        (instance, baseline_answers(municipality)),
        (instance, baseline_answers(municipality)),
    ]
    job_id, _page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    assert rows_of(job_id, "rejected")[3]["reasons"] == [
        f"La misma respuesta (uuid:{instance}) ya está en la fila 2."
    ]


def test_a_facilitator_imports_only_responses_from_their_regions(
    as_facilitator,
    as_coordinator,
    baseline_round,
    baseline_version,
    municipality,
    other_municipality,
):
    spec = baseline_version.form
    answers = [
        (new_id(), baseline_answers(municipality)),
        (new_id(), baseline_answers(other_municipality)),
    ]
    job_id, _page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    assert rows_of(job_id, "rejected")[3]["reasons"] == [
        "El municipio «Malinaltepec» no está en tus regiones; pide a coordinación que importe "
        "esta respuesta."
    ]
    job_id, _page = preview(as_coordinator, baseline_round, kobo_csv(spec, answers))
    assert importing.load_plan(job_id)["counts"]["create"] == 2


# ---- files that do not fit ----------------------------------------------------------------


def test_columns_of_another_form_are_refused_listing_the_unknown_and_the_missing(
    as_facilitator, baseline_round, baseline_version, municipality
):
    data = csv_bytes(
        [
            ["_uuid", "region", "municipio", "ingresos_hogar", "num_hijos"],
            [new_id(), municipality.region.slug, municipality.code, "3000", "2"],
        ]
    )
    page = refused(upload(as_facilitator, baseline_round, data))
    assert "no corresponden al formulario" in page
    assert "Columnas desconocidas: «ingresos_hogar», «num_hijos»" in page
    assert "no están en el archivo: «tipo_actor», «anio_fundacion»" in page
    assert not Job.objects.exists()


def test_a_question_in_two_columns_is_refused(as_facilitator, baseline_round, municipality):
    data = csv_bytes(
        [
            ["_uuid", "identificacion/region", "region", "identificacion/municipio"],
            [new_id(), municipality.region.slug, municipality.region.slug, municipality.code],
        ]
    )
    page = refused(upload(as_facilitator, baseline_round, data))
    assert "La columna «region» aparece dos veces." in page


def test_a_file_with_labels_for_headers_is_refused_saying_how_to_export_names(
    as_facilitator, baseline_round, baseline_version, municipality
):
    data = kobo_csv(baseline_version.form, responses_set(municipality, 1), labels=True)
    page = refused(upload(as_facilitator, baseline_round, data))
    assert "etiquetas de las preguntas" in page
    assert "Valores y encabezados XML" in page


def test_options_written_as_labels_are_rejected_with_a_hint(
    as_facilitator, baseline_round, baseline_version, municipality
):
    answers = responses_set(municipality, 1, indigena="Sí", sexo_respondente="Mujer")
    job_id, page = preview(as_facilitator, baseline_round, kobo_csv(baseline_version.form, answers))
    assert rows_of(job_id, "rejected")[2]["reasons"][0] == (
        "sexo_respondente: «Mujer» no es una de las opciones."
    )
    assert "en «sexo_respondente», «Mujer» en lugar de «mujer»" in page


def test_a_file_without_instance_ids_is_refused(as_facilitator, baseline_round, municipality):
    data = csv_bytes([["region", "municipio"], [municipality.region.slug, municipality.code]])
    page = refused(upload(as_facilitator, baseline_round, data))
    assert "identificador de cada respuesta" in page


def _corrupt_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><broken")
        archive.writestr("[Content_Types].xml", "nonsense")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "El archivo está vacío."),
        (b"   \n\n", "El archivo está vacío."),
        (b"_uuid;region;municipio\r\n", "no tiene respuestas"),
        (b"%PDF-1.7 whatever", "Es un PDF."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "Excel antiguo"),
        (b"PK\x03\x04 this is not a zip at all", "ZIP está dañado"),
        (_corrupt_xlsx(), "XLSX está dañado"),
        (bytes(range(256)) * 40, "no es una hoja de cálculo"),
        (b"_uuid;observaciones\nabc;texto\x00oculto\n", "no es una hoja de cálculo"),
        (b'_uuid,region\n"abc,valles\n', "Revisa las comillas"),
        ("_uuid;región\n1;\x81\x8d\n".encode("latin-1"), "no está en UTF-8 ni en Windows-1252"),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "pdf",
        "xls",
        "bad-zip",
        "corrupt-xlsx",
        "binary",
        "nul-byte",
        "broken-quotes",
        "undecodable",
    ],
)
def test_files_it_cannot_read_are_refused_with_a_clear_message(
    as_facilitator, baseline_round, baseline_version, content, message
):
    page = refused(upload(as_facilitator, baseline_round, content))
    assert message in page
    assert not Response.objects.exists()


def test_windows_1252_text_and_html_are_stored_as_text_and_shown_escaped(
    as_facilitator, baseline_round, baseline_version, municipality
):
    spec = baseline_version.form
    remark = 'Año de sequía; <script>alert("x")</script> & «comillas»'
    answers = responses_set(municipality, 1, observaciones=remark)
    data = kobo_csv(spec, answers, encoding="cp1252")
    job_id, page = preview(as_facilitator, baseline_round, data)
    assert "Windows-1252" in page
    confirm(as_facilitator, job_id)
    assert Response.objects.get().data["observaciones"] == remark

    hostile = responses_set(municipality, 1, tipo_actor="<b>osc</b>", observaciones="a\x1bb\x07c")
    job_id, page = preview(as_facilitator, baseline_round, kobo_csv(spec, hostile))
    reasons = next(iter(rows_of(job_id, "rejected").values()))["reasons"]
    assert reasons == [
        "tipo_actor: «<b>osc</b>» no es una de las opciones.",
        "observaciones: La respuesta contiene caracteres de control no permitidos.",
    ]
    assert "«&lt;b&gt;osc&lt;/b&gt;»" in page and "<b>osc</b>" not in page


@pytest.mark.parametrize(
    ("encoding", "delimiter", "described"),
    [
        ("utf-8-sig", ",", "CSV (UTF-8, «,»)"),
        ("utf-16", "\t", "CSV (UTF-16, tabulador)"),
        ("cp1252", ";", "CSV (Windows-1252, «;»)"),
    ],
)
def test_it_reads_the_encodings_and_separators_spreadsheets_save(
    as_facilitator, baseline_round, baseline_version, municipality, encoding, delimiter, described
):
    answers = responses_set(municipality, 2, observaciones="Reunión en la cabecera; «año» difícil")
    data = kobo_csv(baseline_version.form, answers, delimiter=delimiter, encoding=encoding)
    job_id, page = preview(as_facilitator, baseline_round, data)
    assert described in page
    confirm(as_facilitator, job_id)
    assert {r.data["observaciones"] for r in Response.objects.all()} == {
        "Reunión en la cabecera; «año» difícil"
    }


def test_a_huge_upload_is_refused_before_it_is_read(
    as_facilitator, baseline_round, baseline_version, municipality, monkeypatch
):
    monkeypatch.setattr(importing.common, "MAX_UPLOAD_BYTES", 1024)
    long_remark = "Sin novedad. " * 700
    data = kobo_csv(
        baseline_version.form, responses_set(municipality, 30, observaciones=long_remark)
    )
    assert len(data) > 200_000
    response = upload(as_facilitator, baseline_round, data)
    assert response.status_code == 413
    assert "MB; el máximo es 0 MB" in response.content.decode()
    assert not Job.objects.exists()


def test_an_upload_just_over_the_limit_is_refused_by_the_form(
    as_facilitator, baseline_round, baseline_version, municipality, monkeypatch
):
    data = kobo_csv(baseline_version.form, responses_set(municipality, 20))
    monkeypatch.setattr(importing.common, "MAX_UPLOAD_BYTES", len(data) - 10)
    page = refused(upload(as_facilitator, baseline_round, data))
    assert "Divídelo en partes" in page


def test_too_many_rows_are_refused(
    as_facilitator, baseline_round, baseline_version, municipality, monkeypatch
):
    monkeypatch.setattr(importing.common, "MAX_ROWS", 2)
    page = refused(
        upload(
            as_facilitator,
            baseline_round,
            kobo_csv(baseline_version.form, responses_set(municipality, 4)),
        )
    )
    assert "más de 2 respuestas" in page


# ---- large files in the background ---------------------------------------------------------


def test_a_large_file_is_read_and_written_in_the_background_with_progress(
    as_facilitator, baseline_round, baseline_version, municipality, monkeypatch
):
    from polo.surveys.views import io as views

    monkeypatch.setattr(views, "BACKGROUND_ROWS", 5)
    data = kobo_csv(baseline_version.form, responses_set(municipality, 12))
    response = upload(as_facilitator, baseline_round, data)
    job = Job.objects.get(kind=JOB_IMPORT)
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total == 12
    assert job.result_url == reverse("surveys:responses_import_preview", args=[job.pk])

    response = confirm(as_facilitator, job.pk)
    writer = Job.objects.get(kind=JOB_IMPORT_APPLY)
    assert response["Location"] == writer.get_absolute_url()
    assert writer.status == Job.Status.SUCCEEDED
    assert writer.done == writer.total == 12
    assert writer.result_url == reverse("surveys:responses_import_report", args=[job.pk])
    assert Response.objects.count() == 12


def test_the_upload_and_the_staged_answers_are_deleted_once_used(
    as_facilitator, baseline_round, baseline_version, municipality, media_root
):
    data = kobo_csv(baseline_version.form, responses_set(municipality, 2))
    job_id, _page = preview(as_facilitator, baseline_round, data)
    folder = Path(media_root) / "imports"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"surveys-{job_id}.json",
        f"surveys-{job_id}.rows.gz",
    ]
    confirm(as_facilitator, job_id)
    assert sorted(p.name for p in folder.iterdir()) == [f"surveys-{job_id}.json"]
    # A plan is applied once.
    assert confirm(as_facilitator, job_id)["Location"] == reverse(
        "surveys:responses_import_report", args=[job_id]
    )
    assert Response.objects.count() == 2


# ---- who may import ------------------------------------------------------------------------


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
def test_the_import_page_is_for_the_campaigns_facilitators_and_coordinators(
    request, baseline_round, persona, expected
):
    client = request.getfixturevalue(persona)
    response = client.get(import_url(baseline_round))
    assert response.status_code == expected
    if expected == 302:
        assert "/cuentas/login/" in response["Location"]


def test_a_facilitator_of_another_region_cannot_upload_either(
    as_other_facilitator, baseline_round, baseline_version, municipality
):
    data = kobo_csv(baseline_version.form, responses_set(municipality, 1))
    assert upload(as_other_facilitator, baseline_round, data).status_code == 403
    assert not Job.objects.exists()


def test_a_preview_is_seen_by_whoever_uploaded_it_and_coordinators_and_confirmed_by_the_first(
    as_facilitator,
    as_other_facilitator,
    as_coordinator,
    as_participant,
    baseline_round,
    baseline_version,
    municipality,
):
    data = kobo_csv(baseline_version.form, responses_set(municipality, 1))
    job_id, _page = preview(as_facilitator, baseline_round, data)
    url = reverse("surveys:responses_import_preview", args=[job_id])
    assert as_other_facilitator.get(url).status_code == 404
    assert as_participant.get(url).status_code == 403
    page = as_coordinator.get(url).content.decode()
    assert "Solo quien subió el archivo puede confirmar" in page
    assert confirm(as_coordinator, job_id).status_code == 403
    assert confirm(as_other_facilitator, job_id).status_code == 404
    assert as_facilitator.get(url.replace("/importaciones/", "/importaciones/x")).status_code == 404
    assert not Response.objects.exists()
    assert confirm(as_facilitator, job_id).status_code == 302
    assert Response.objects.count() == 1


# ---- the bulk write and the parallel check -------------------------------------------------


def test_the_bulk_write_stores_what_the_services_would(
    as_facilitator, facilitator, baseline_round, baseline_version, municipality
):
    """Imported rows skip the ORM: the aggregate rows are those of
    ``services.answer_rows`` and the history record is a creation by the
    importing person, as a response saved one by one would have."""
    from polo.surveys.services import answer_rows

    spec = baseline_version.form
    projects = [
        {"proyecto_nombre": "Huertos", "proyecto_tema": "medio_ambiente"},
        {"proyecto_nombre": "Radio", "proyecto_tema": "derechos", "proyecto_personas": "7"},
    ]
    answers = [
        (new_id(), baseline_answers(municipality, proyectos=projects, temas="salud genero")),
        (new_id(), baseline_answers(municipality, ubicacion=None, pct_donativos="12.5")),
    ]
    job_id, _page = preview(as_facilitator, baseline_round, kobo_xlsx(spec, answers), "k.xlsx")
    confirm(as_facilitator, job_id)
    for response in Response.objects.all():
        stored_rows = sorted(
            response.answers.values_list("name", "row", "value", "number"),
            key=lambda r: (r[0], r[1], r[2]),
        )
        expected = sorted(answer_rows(spec, response.data), key=lambda r: (r[0], r[1], r[2]))
        assert stored_rows == expected
        assert set(response.answers.values_list("round_id", "municipality_id")) == {
            (baseline_round.pk, municipality.pk)
        }
        record = response.history.get()
        assert (record.history_type, record.history_user) == ("+", facilitator)
        assert record.data == response.data and record.instance_id == response.instance_id
        assert record.status == Response.Status.SUBMITTED
        assert response.updated_at is not None and response.started_at == response.submitted_at
    # Ids come from the sequence: the next response saved one by one follows.
    later = Response.objects.create(
        round=baseline_round,
        form_version=baseline_version,
        respondent_kind="organization",
        source=Response.Source.WEB,
    )
    assert later.pk > max(Response.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_a_place_deleted_after_the_preview_refuses_the_write_in_words_and_writes_nothing(
    as_facilitator, baseline_round, baseline_version, municipality
):
    """PostgreSQL checks the imported rows' foreign keys batch by batch (not at
    the commit, which a test's transaction never reaches): a municipality gone
    since the preview fails the write with a message, and nothing stays."""
    from django.db import connection

    from polo.territory.models import Municipality

    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks foreign keys at the commit, after the test's transaction")
    spec = baseline_version.form
    job_id, _page = preview(
        as_facilitator, baseline_round, kobo_csv(spec, responses_set(municipality))
    )
    Municipality.objects.filter(pk=municipality.pk).delete()
    response = confirm(as_facilitator, job_id)
    assert response["Location"] == reverse("surveys:responses_import_preview", args=[job_id])
    page = as_facilitator.get(response["Location"]).content.decode()
    assert "la base de datos rechazó un dato" in page
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Response.history.exists()


HOSTILE_TEXTS = [
    "tabulador\tdentro, barra \\ invertida y\nsalto de línea",
    "\\N",
    '«comillas» "dobles" \\t \\n ; 100% 🌽',
]


@pytest.mark.parametrize("path", ["preview_then_confirm", "one_pass_in_workers"])
def test_texts_with_tabs_backslashes_and_line_breaks_are_stored_as_written(
    path, as_facilitator, baseline_round, baseline_version, municipality, monkeypatch
):
    """The bulk write sends rows to PostgreSQL as COPY text: a tab, a newline
    or a backslash in an answer must not split or shift a row, and a text «\\N»
    is a text, not a missing value, whichever process made the rows."""
    from polo.surveys.importing import checking
    from polo.surveys.services import answer_rows

    spec = baseline_version.form
    answers = [
        (new_id(), baseline_answers(municipality, observaciones=text)) for text in HOSTILE_TEXTS
    ]
    data = kobo_csv(spec, answers)
    if path == "preview_then_confirm":
        job_id, _page = preview(as_facilitator, baseline_round, data)
        confirm(as_facilitator, job_id)
    else:
        monkeypatch.setattr(checking, "PARALLEL_ROWS", 1)
        monkeypatch.setattr(checking, "MAX_WORKERS", 2)
        importing.import_file(io.BytesIO(data), round_=baseline_round, version=baseline_version)
    stored_texts = {
        response.instance_id: response.data["observaciones"] for response in Response.objects.all()
    }
    assert stored_texts == {
        f"uuid:{instance}": text
        for instance, text in zip([a[0] for a in answers], HOSTILE_TEXTS, strict=True)
    }
    for response in Response.objects.all():
        assert sorted(response.answers.values_list("name", "row", "value", "number")) == sorted(
            answer_rows(spec, response.data)
        )
        assert response.history.get().data == response.data
    assert Answer.objects.filter(value="\\N", name="observaciones").count() == 1


def test_in_one_process_responses_are_written_as_checked_and_a_late_rejection_undoes_them(
    baseline_round, baseline_version, municipality, monkeypatch
):
    """``import_file`` (the command line) writes each batch as soon as it is
    checked, inside one transaction: a row rejected in the last batch leaves
    nothing written, as the preview-then-write did; a clean file is written
    whole, with the history and the aggregate rows of every response."""
    from polo.surveys.importing import common
    from polo.surveys.services import answer_rows

    monkeypatch.setattr(common, "BATCH", 2)
    spec = baseline_version.form
    answers = responses_set(municipality, 5)
    answers.append((new_id(), baseline_answers(municipality, plan_anios="45")))

    def run(rows):
        return importing.import_file(
            io.BytesIO(kobo_csv(spec, rows)), round_=baseline_round, version=baseline_version
        )

    plan = run(answers)
    assert plan["counts"] == {"create": 5, "skip": 0, "rejected": 1}
    assert plan["applied"] is None
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Response.history.exists()

    answers[-1] = (answers[-1][0], baseline_answers(municipality))
    plan = run(answers)
    assert plan["applied"]["created"] == 6
    assert Response.objects.count() == 6 and Response.history.count() == 6
    for response in Response.objects.all():
        assert sorted(response.answers.values_list("name", "row", "value", "number")) == sorted(
            answer_rows(spec, response.data)
        )
    # Idempotent: the same file again skips every response and writes nothing.
    again = run(answers)
    assert again["counts"] == {"create": 0, "skip": 6, "rejected": 0}
    assert again["applied"] is None and Response.objects.count() == 6


def test_large_files_are_checked_by_worker_processes_with_the_same_outcome(
    as_facilitator, baseline_round, baseline_version, municipality, monkeypatch
):
    from polo.surveys.importing import checking

    spec = baseline_version.form
    answers = responses_set(municipality, 6)
    answers[4] = (new_id(), baseline_answers(municipality, mujeres_equipo="99"))
    monkeypatch.setattr(checking, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(checking, "MAX_WORKERS", 2)
    assert checking.workers_for(10) == min(2, checking.workers_for(10))
    job_id, _page = preview(as_facilitator, baseline_round, kobo_csv(spec, answers))
    plan = importing.load_plan(job_id)
    assert plan["counts"] == {"create": 5, "skip": 0, "rejected": 1}
    assert rows_of(job_id, "rejected")[6]["reasons"] == [
        "mujeres_equipo: No puede ser mayor que el equipo."
    ]
    assert [row["row"] for row in plan["rows"] if row["action"] == "create"] == [2, 3, 4, 5, 7]


# ---- the rows this module adds to tests/test_authorization_matrix.py -------------------------

LOGIN = "login"
MATRIX_ROWS = {
    "surveys:responses_import": (
        "get",
        lambda w: {"round_pk": matrix_round(w).pk},
        [LOGIN, 403, 403, 200, 403, 200],
    ),
    "surveys:responses_import_preview": (
        "get",
        lambda w: {"job_id": import_job(w["facilitator"], matrix_round(w)).pk},
        [LOGIN, 403, 403, 200, 404, 200],
    ),
    "surveys:responses_import_confirm": (
        "post",
        lambda w: {"job_id": import_job(w["facilitator"], matrix_round(w)).pk},
        [LOGIN, 403, 403, 302, 404, 403],
    ),
    "surveys:responses_import_report": (
        "get",
        lambda w: {"job_id": import_job(w["facilitator"], matrix_round(w), applied=True).pk},
        [LOGIN, 403, 403, 200, 404, 200],
    ),
    "surveys:responses_export": (
        "get",
        lambda w: {"slug": matrix_round(w).campaign.slug},
        [LOGIN, 403, 403, 200, 403, 200],
    ),
}
ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]


@pytest.mark.parametrize("url_name", sorted(MATRIX_ROWS))
def test_the_rows_for_the_authorization_matrix(
    url_name, participant, editor, facilitator, other_facilitator, coordinator, organization
):
    from tests.conftest import client_for

    world = {
        "visitor": None,
        "participant": participant,
        "editor": editor,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": coordinator,
        "organization": organization,
    }
    method, kwargs, expected = MATRIX_ROWS[url_name]
    for role, status in zip(ROLES, expected, strict=True):
        url = reverse(url_name, kwargs=kwargs(world))
        response = getattr(client_for(world[role]), method)(url)
        if status == LOGIN:
            assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
        else:
            assert response.status_code == status, (url_name, role, response.status_code)
