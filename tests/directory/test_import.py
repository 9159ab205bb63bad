"""Importing organisations through the web: upload, preview, confirm, report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from polo.core.models import Job
from polo.directory import importing
from polo.directory.models import ContactPoint, Identifier, Organization
from polo.directory.tasks import JOB_IMPORT
from tests import factories as f
from tests.directory.helpers_io import (  # noqa: F401 (fixtures)
    csv_bytes,
    distinct_names,
    media_root_fixture,
    preview_id,
    puebla_fixture,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("media_root")

LUNA = ["Colectivo Luna", "colectivo", "Oaxaca de Juárez", "Oaxaca", "", "Salud; educacion"]


def row(name="Colectivo Luna", kind="colectivo", place="Oaxaca de Juárez", state="Oaxaca", **more):
    values = [name, kind, place, state, more.get("rfc", ""), more.get("themes", "")]
    return values + [more.get("email", ""), more.get("phone", "")]


def preview(client, data, name="organizaciones.csv", **fields):
    job_id = preview_id(upload(client, data, name, **fields))
    response = client.get(reverse("directory:import_preview", args=[job_id]))
    assert response.status_code == 200
    return job_id, response.content.decode()


def confirm(client, job_id, **data):
    return client.post(reverse("directory:import_confirm", args=[job_id]), data)


def plan_of(job_id):
    return importing.load_plan(job_id)


def rejected_reasons(job_id) -> dict[int, list[str]]:
    return {r["row"]: r["reasons"] for r in plan_of(job_id)["rows"] if r["action"] == "rejected"}


# ---- the happy path ----------------------------------------------------------------


def test_the_preview_writes_nothing_and_confirming_writes_everything(
    as_facilitator, facilitator, municipality
):
    data = csv_bytes(
        [row(themes="Salud; educación", email="luna@ejemplo.mx", phone="951 123 4567")]
    )
    before = Organization.objects.count()
    job_id, page = preview(as_facilitator, data)
    assert "Colectivo Luna" in page and "Vista previa" in page
    assert Organization.objects.count() == before
    assert plan_of(job_id)["counts"] == {"create": 1, "update": 0, "duplicate": 0, "rejected": 0}

    response = confirm(as_facilitator, job_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:import_report", args=[job_id])
    luna = Organization.objects.get(name="Colectivo Luna")
    assert luna.status == Organization.Status.PENDING
    assert luna.kind == Organization.Kind.COLLECTIVE
    assert luna.municipality == municipality
    assert sorted(luna.themes.values_list("slug", flat=True)) == ["educacion", "salud"]
    assert " salud " in luna.search_text  # search fields refreshed with the themes
    assert Organization.objects.search("educacion").filter(pk=luna.pk).exists()
    report = as_facilitator.get(response["Location"]).content.decode()
    assert "Colectivo Luna" in report and "en revisión" in report


def test_imported_records_are_in_the_audit_trail_with_the_importing_person(
    as_facilitator, facilitator, municipality
):
    job_id, _page = preview(as_facilitator, csv_bytes([row(themes="Salud", email="a@ejemplo.mx")]))
    confirm(as_facilitator, job_id)
    luna = Organization.objects.get(name="Colectivo Luna")
    record = luna.history.get()
    assert record.history_type == "+"
    assert record.history_user == facilitator
    assert "organizaciones.csv" in record.history_change_reason
    assert list(record.themes.values_list("theme__slug", flat=True)) == ["salud"]
    contact = luna.contacts.get()
    assert contact.history.get().history_user == facilitator


def test_a_coordinator_may_publish_at_once_and_a_facilitator_may_not(
    as_coordinator, as_facilitator, municipality
):
    job_id, page = preview(as_coordinator, csv_bytes([row(name="Red Pública")]))
    assert 'name="publish"' in page
    confirm(as_coordinator, job_id, publish="on")
    assert Organization.objects.get(name="Red Pública").status == Organization.Status.PUBLISHED

    job_id, page = preview(as_facilitator, csv_bytes([row(name="Red Revisada")]))
    assert 'name="publish"' not in page
    confirm(as_facilitator, job_id, publish="on")
    assert Organization.objects.get(name="Red Revisada").status == Organization.Status.PENDING


def test_contacts_follow_the_default_visibility_rule_unless_a_column_says(
    as_facilitator, municipality
):
    header = [
        "nombre",
        "tipo",
        "municipio",
        "correo",
        "teléfono",
        "dirección",
        "público_teléfono",
        "correo publico",
    ]
    data = csv_bytes(
        [
            ["Uno", "OSC", "20067", "uno@ejemplo.mx", "951 111 1111", "Calle 1", "", ""],
            ["Dos", "OSC", "20067", "dos@ejemplo.mx", "951 222 2222", "Calle 2", "sí", "no"],
        ],
        header,
    )
    job_id, _page = preview(as_facilitator, data)
    confirm(as_facilitator, job_id)
    visibility = dict(ContactPoint.objects.values_list("value", "is_public"))
    assert visibility == {
        "uno@ejemplo.mx": True,
        "951 111 1111": False,
        "Calle 1": False,
        "dos@ejemplo.mx": False,
        "951 222 2222": True,
        "Calle 2": False,
    }


# ---- the shapes files come in ------------------------------------------------------------


def test_it_reads_windows_1252_with_accents(as_facilitator, municipality):
    data = csv_bytes([row(name="Niñez y Educación", themes="Niñez y juventud")], encoding="cp1252")
    assert b"Ni\xf1ez" in data  # really Windows-1252, not UTF-8
    job_id, page = preview(as_facilitator, data)
    assert "Niñez y Educación" in page
    assert "Windows-1252" in page
    assert plan_of(job_id)["counts"]["create"] == 1


def test_it_reads_utf8_with_a_bom_semicolons_and_english_headers(as_facilitator, municipality):
    header = ["Name", "Type", "Municipality", "State", "Founded", "Themes", "E-mail"]
    data = "\ufeff".encode() + csv_bytes(
        [
            [
                "  Youth Network  ",
                "network",
                "oaxaca de juarez",
                "OAX",
                "2010",
                "health",
                "y@ejemplo.mx",
            ]
        ],
        header,
        delimiter=";",
    )
    job_id, page = preview(as_facilitator, data)
    assert "«;»" in page
    confirm(as_facilitator, job_id)
    network = Organization.objects.get(name="Youth Network")  # stray spaces trimmed
    assert network.kind == Organization.Kind.NETWORK
    assert network.founded_year == 2010
    assert list(network.themes.values_list("slug", flat=True)) == ["salud"]


def test_it_reads_an_xlsx_with_a_title_row_merged_cells_blank_rows_and_excel_dates(
    as_facilitator, municipality
):
    header = ["Nombre", "Tipo", "Municipio", "Año de fundación"]
    rows = [
        ["Fecha como fecha", "OSC", "Oaxaca de Juárez", dt.date(1998, 3, 15)],
        ["Fecha como número", "OSC", "Oaxaca de Juárez", 36000],  # Excel serial: 1998-07-23
        ["Fecha como texto", "OSC", "Oaxaca de Juárez", "15/03/2001"],
        ["Clave con el cero perdido", "OSC", 20067, 1999],
        ["Sin municipio", "OSC", None, 1999],
    ]
    data = xlsx_bytes(
        rows, header, title="Directorio de organizaciones 2024", blank_rows=(2,), merge="A1:D1"
    )
    job_id, _page = preview(as_facilitator, data, name="datos.xls")  # the name is not trusted
    plan = plan_of(job_id)
    assert plan["header_row"] == 3
    by_row = {r["row"]: r for r in plan["rows"]}
    # Title (1), blank (2), header (3), data from 4; a blank row before the third.
    assert sorted(by_row) == [4, 5, 7, 8, 9]
    assert by_row[9]["reasons"] == ["Falta el municipio."]
    confirm(as_facilitator, job_id)
    years = dict(Organization.objects.values_list("name", "founded_year"))
    assert years["Fecha como fecha"] == 1998
    assert years["Fecha como número"] == 1998
    assert years["Fecha como texto"] == 2001
    assert years["Clave con el cero perdido"] == 1999


def test_a_municipality_name_repeated_in_two_states_needs_the_state(
    as_coordinator, municipality, puebla
):
    f.MunicipalityFactory(code="21114", name="Oaxaca de Juárez", state=puebla.state)
    data = csv_bytes(
        [
            row(name="Sin estado", state=""),
            row(name="Con estado", state="Oax."),
            row(name="Con clave", place="21114", state=""),
        ]
    )
    job_id, _page = preview(as_coordinator, data)
    reasons = rejected_reasons(job_id)
    assert list(reasons) == [2]
    assert "Hay varios municipios «Oaxaca de Juárez»" in reasons[2][0]
    assert "20067" in reasons[2][0] and "21114" in reasons[2][0]


# ---- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "El archivo está vacío."),
        (b"  \r\n\r\n", "El archivo está vacío."),
        (b"PK\x03\x04" + b"\x00garbage" * 50, "El archivo XLSX está dañado"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "Es una imagen."),
        (b"%PDF-1.7\n1 0 obj", "Es un PDF."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel antiguo (.xls)"),
        (bytes(range(256)) * 40, "no es una hoja de cálculo"),
        (
            b"nombre,tipo,municipio\nX\x81\x8d\x8f,OSC,20067\n\xc3(",
            "no está en UTF-8 ni en Windows-1252",
        ),
    ],
    ids=["empty", "blank", "broken-xlsx", "png", "pdf", "xls", "binary", "undecodable"],
)
def test_it_refuses_files_it_cannot_read_with_a_clear_message(
    as_facilitator, municipality, data, message
):
    response = upload(as_facilitator, data, name="organizaciones.csv")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.filter(kind=JOB_IMPORT).exists()


def test_it_names_the_missing_required_columns(as_facilitator, municipality):
    response = upload(as_facilitator, csv_bytes([["X", "OSC"]], ["nombre", "tipo"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Faltan columnas obligatorias: «municipio»" in page
    assert "«nombre», «tipo»" in page


def test_a_missing_kind_column_needs_a_default_kind(as_facilitator, municipality):
    data = csv_bytes([["Sin tipo", "20067"]], ["nombre", "municipio"])
    assert "Falta la columna «tipo»" in upload(as_facilitator, data).content.decode()
    job_id, _page = preview(as_facilitator, data, default_kind="collective")
    confirm(as_facilitator, job_id)
    assert Organization.objects.get(name="Sin tipo").kind == Organization.Kind.COLLECTIVE


def test_a_file_without_a_header_row_is_refused(as_facilitator, municipality):
    response = upload(as_facilitator, b"uno,dos,tres\n1,2,3\n")
    assert "No se encontró la fila de encabezados" in response.content.decode()


def test_a_row_with_a_bad_rfc_gives_its_row_number_the_value_and_the_format(
    as_facilitator, municipality
):
    data = csv_bytes([row(name="Buena", rfc="MUV120315AB1"), row(name="Mala", rfc="MUV-12-XYZ")])
    job_id, page = preview(as_facilitator, data)
    reasons = rejected_reasons(job_id)
    assert list(reasons) == [3]
    assert "El RFC «MUV-12-XYZ» no tiene el formato válido" in reasons[3][0]
    assert "MUV120315AB1" in reasons[3][0]  # the example of the expected format
    assert "MUV-12-XYZ" in page


def test_an_unknown_municipality_suggests_the_closest_names(as_facilitator, municipality):
    job_id, page = preview(as_facilitator, csv_bytes([row(place="Oaxaca de Juares", state="")]))
    (reason,) = rejected_reasons(job_id)[2]
    assert reason == (
        "Municipio desconocido: «Oaxaca de Juares». ¿Quisiste decir «Oaxaca de Juárez» (20067)?"
    )
    assert "¿Quisiste decir" in page


def test_unknown_themes_kinds_and_emails_are_reasons_too(as_facilitator, municipality):
    data = csv_bytes([row(kind="sindicato", themes="Salú; Deportes", email="no-es-correo")])
    job_id, _page = preview(as_facilitator, data)
    reasons = " | ".join(rejected_reasons(job_id)[2])
    assert "Tipo desconocido: «sindicato»" in reasons
    assert "Tema desconocido: «Salú». ¿Quisiste decir «Salud»?" in reasons
    assert "Tema desconocido: «Deportes»" in reasons
    assert "Correo electrónico no válido: «no-es-correo»" in reasons


def test_hostile_html_is_stored_as_text_and_escaped_on_display(
    as_facilitator, as_visitor, municipality
):
    name = '<script>alert("x")</script><b>Colectivo</b>'
    job_id, page = preview(as_facilitator, csv_bytes([row(name=name)]))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    confirm(as_facilitator, job_id)
    org = Organization.objects.get(name=name)  # kept exactly as text
    org.status = Organization.Status.PUBLISHED
    org.save()
    profile = as_visitor.get(org.get_absolute_url()).content.decode()
    assert "<script>alert" not in profile and "&lt;script&gt;" in profile


def test_control_characters_and_huge_texts_are_rejected_with_the_column(
    as_facilitator, municipality
):
    header = ["nombre", "tipo", "municipio", "descripción", "web"]
    data = csv_bytes(
        [
            ["Campana\x07", "OSC", "20067", "", ""],
            ["Texto enorme", "OSC", "20067", "x" * 100_000, ""],
            ["Inversión\u202egnp.exe", "OSC", "20067", "", ""],
            ["Enlace hostil", "OSC", "20067", "", "javascript:alert(1)"],
            ["Salto de línea\nen la descripción", "OSC", "20067", "línea 1\nlínea 2\ttab", ""],
        ],
        header,
    )
    job_id, _page = preview(as_facilitator, data)
    reasons = rejected_reasons(job_id)
    assert reasons[2] == [
        "«nombre» contiene un carácter de control invisible (U+0007); quítalo y vuelve a "
        "subir el archivo."
    ]
    assert reasons[3] == ["«descripción» tiene 100,000 caracteres; el máximo es 10,000."]
    assert "U+202E" in reasons[4][0]
    assert "Dirección web no válida: «javascript:alert(1)»" in reasons[5][0]
    assert 6 not in reasons
    confirm(as_facilitator, job_id)
    org = Organization.objects.get(name="Salto de línea en la descripción")
    assert org.description == "línea 1\nlínea 2\ttab"


def test_a_huge_upload_is_refused_before_it_is_read(as_facilitator, municipality, monkeypatch):
    data = b"nombre,tipo,municipio\n" + b"x" * (importing.common.MAX_UPLOAD_BYTES + 100 * 1024)
    read = []
    monkeypatch.setattr(importing, "open_table", lambda data: read.append(data))
    response = upload(as_facilitator, data)
    assert response.status_code == 413
    assert "el máximo es 20 MB" in response.content.decode()
    assert read == []
    assert not Job.objects.exists()


def test_an_upload_just_over_the_limit_is_refused_by_the_form(
    as_facilitator, municipality, monkeypatch
):
    monkeypatch.setattr(importing.common, "MAX_UPLOAD_BYTES", 2**20)
    response = upload(as_facilitator, b"nombre,tipo,municipio\n" + b"x" * (2**20 + 10_000))
    assert response.status_code == 400
    assert "el máximo es 1 MB" in response.content.decode()
    assert not Job.objects.exists()


def test_too_many_rows_are_refused(as_facilitator, municipality, monkeypatch):
    monkeypatch.setattr(importing.common, "MAX_ROWS", 3)
    data = csv_bytes([row(name=f"Org {i}") for i in range(5)])
    response = upload(as_facilitator, data)
    assert response.status_code == 400
    assert "El archivo tiene más de 3 filas" in response.content.decode()


def test_a_facilitator_imports_only_into_their_regions(
    as_facilitator, municipality, other_municipality
):
    data = csv_bytes([row(name="Aquí"), row(name="Allá", place="12041", state="")])
    job_id, _page = preview(as_facilitator, data)
    assert rejected_reasons(job_id) == {
        3: ["«Malinaltepec» no está en tus regiones; pide a coordinación que importe esta fila."]
    }


# ---- updates and duplicates --------------------------------------------------------------


def test_rows_naming_an_existing_record_update_it_and_empty_cells_erase_nothing(
    as_facilitator, organization
):
    organization.rfc = "MUV120315AB1"
    organization.description = "Descripción original"
    organization.save()
    ContactPoint.objects.create(
        organization=organization, kind="phone", value="951 000 0000", is_public=False
    )
    header = ["id", "nombre", "tipo", "municipio", "rfc", "descripción", "temas", "correo"]
    data = csv_bytes(
        [
            [
                "",
                "Mujeres de los Valles",
                "OSC",
                "20067",
                "MUV120315AB1",
                "",
                "Género y derechos de las mujeres",
                "mv@ejemplo.mx",
            ],
            [organization.pk, "Otra con el mismo id", "OSC", "20067", "", "", "", ""],
        ],
        header,
    )
    job_id, _page = preview(as_facilitator, data)
    plan = plan_of(job_id)
    assert [r["action"] for r in plan["rows"]] == ["update", "rejected"], [
        r["reasons"] for r in plan["rows"]
    ]
    assert plan["rows"][1]["reasons"] == ["La fila 2 ya actualiza esta misma organización."]
    confirm(as_facilitator, job_id)
    organization.refresh_from_db()
    assert organization.name == "Mujeres de los Valles"
    assert organization.description == "Descripción original"
    assert organization.status == Organization.Status.PUBLISHED  # unchanged by an update
    assert list(organization.themes.values_list("slug", flat=True)) == ["genero-derechos-mujeres"]
    assert set(organization.contacts.values_list("value", flat=True)) == {
        "951 000 0000",
        "mv@ejemplo.mx",
    }
    assert organization.history.first().history_type == "~"


def test_possible_duplicates_against_the_registry_and_within_the_file(as_facilitator, organization):
    data = csv_bytes(
        [
            row(name="MUJERES DE LOS VALLES, AC"),
            row(name="Colectivo Nuevo"),
            row(name="Colectivo Nuevo A.C."),
            row(name="Otro Colectivo"),
        ]
    )
    job_id, page = preview(as_facilitator, data)
    rows = {r["row"]: r for r in plan_of(job_id)["rows"]}
    assert rows[2]["action"] == "duplicate"
    assert rows[2]["matches"][0]["id"] == organization.pk
    assert rows[3]["action"] == "create"
    assert rows[4]["action"] == "duplicate" and rows[4]["same_as_row"] == 3
    assert "importar de todos modos" in page

    confirm(as_facilitator, job_id, duplicates="selected", selected=["4"])
    names = set(Organization.objects.values_list("name", flat=True))
    assert "Colectivo Nuevo A.C." in names  # ticked
    assert "MUJERES DE LOS VALLES, AC" not in names  # skipped
    assert Organization.objects.filter(name="Mujeres de los Valles A.C.").count() == 1


def test_all_duplicates_can_be_imported_with_one_choice(as_facilitator, organization):
    job_id, _page = preview(as_facilitator, csv_bytes([row(name="Mujeres de los Valles")]))
    confirm(as_facilitator, job_id, duplicates="all")
    assert Organization.objects.filter(name__startswith="Mujeres de los Valles").count() == 2


# ---- all or nothing ----------------------------------------------------------------------


def test_a_failure_in_the_middle_of_the_import_writes_nothing(as_facilitator, organization):
    """A row that passed the preview collides at write time (someone registered
    the same identifier in between): the whole import is rolled back."""
    header = ["nombre", "tipo", "municipio", "correo", "otros identificadores"]
    data = csv_bytes(
        [
            ["Primera", "OSC", "20067", "p@ejemplo.mx", "Donataria: DA-001"],
            ["Segunda", "OSC", "20067", "s@ejemplo.mx", "Donataria: DA-002"],
            ["Tercera", "OSC", "20067", "t@ejemplo.mx", "Donataria: DA-003"],
        ],
        header,
    )
    job_id, _page = preview(as_facilitator, data)
    assert plan_of(job_id)["counts"]["create"] == 3
    Identifier.objects.create(organization=organization, scheme="Donataria", value="DA-003")
    counts = (
        Organization.objects.count(),
        ContactPoint.objects.count(),
        Organization.history.count(),
    )

    response = confirm(as_facilitator, job_id)
    assert response["Location"] == reverse("directory:import_preview", args=[job_id])
    page = as_facilitator.get(response["Location"]).content.decode()
    assert "no se guardó nada" in page
    assert "fila 4" in page and "Donataria: DA-003" in page
    assert (
        Organization.objects.count(),
        ContactPoint.objects.count(),
        Organization.history.count(),
    ) == counts
    assert not Organization.objects.filter(name="Primera").exists()


def test_a_plan_is_applied_once(as_facilitator, municipality):
    job_id, _page = preview(as_facilitator, csv_bytes([row()]))
    confirm(as_facilitator, job_id)
    again = confirm(as_facilitator, job_id)
    assert again["Location"] == reverse("directory:import_report", args=[job_id])
    assert Organization.objects.filter(name="Colectivo Luna").count() == 1
    preview_page = as_facilitator.get(reverse("directory:import_preview", args=[job_id]))
    assert preview_page["Location"] == reverse("directory:import_report", args=[job_id])


def test_the_upload_is_deleted_once_read_and_the_report_keeps_no_private_data(
    as_facilitator, municipality, media_root
):
    data = csv_bytes([row(phone="951 999 9999"), row(name="Rechazada", place="Nowhere")])
    job_id, _page = preview(as_facilitator, data)
    files = sorted(p.name for p in (media_root / "imports").iterdir())
    assert files == [f"{job_id}.json"]
    confirm(as_facilitator, job_id)
    stored = (media_root / "imports" / f"{job_id}.json").read_text()
    assert "951 999 9999" not in stored
    report = as_facilitator.get(reverse("directory:import_report", args=[job_id])).content.decode()
    assert "Rechazada" in report and "Municipio desconocido: «Nowhere»" in report


# ---- large files ---------------------------------------------------------------------------


def test_the_preview_is_paginated_and_filtered_by_action(as_facilitator, municipality):
    names = distinct_names(230)
    rows = [row(name=name) for name in names] + [row(name="Mala", rfc="X")]
    job_id, page = preview(as_facilitator, csv_bytes(rows))
    assert "página 1 de 3" in page
    url = reverse("directory:import_preview", args=[job_id])
    last = as_facilitator.get(url, {"page": 3}).content.decode()
    assert names[229] in last and names[0] not in last
    rejected = as_facilitator.get(url, {"accion": "rejected"}).content.decode()
    assert "Mala" in rejected and names[1] not in rejected


def test_a_large_file_is_read_and_written_in_the_background_with_progress(
    as_facilitator, municipality, monkeypatch
):
    from polo.directory.views import io

    monkeypatch.setattr(io, "BACKGROUND_ROWS", 5)
    data = csv_bytes([row(name=name) for name in distinct_names(12, "Grupo")])
    response = upload(as_facilitator, data)
    job = Job.objects.get(kind=JOB_IMPORT)
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total == 12
    assert job.result_url == reverse("directory:import_preview", args=[job.pk])
    page = as_facilitator.get(job.get_absolute_url()).content.decode()
    assert "<progress" in page and job.result_url in page

    response = confirm(as_facilitator, job.pk)
    writer = Job.objects.get(kind="directory.import.apply")
    assert response["Location"] == writer.get_absolute_url()
    assert writer.status == Job.Status.SUCCEEDED
    assert writer.done == writer.total == 12
    assert writer.result_url == reverse("directory:import_report", args=[job.pk])
    assert Organization.objects.filter(name__startswith="Grupo ").count() == 12


def test_a_background_preview_of_a_bad_file_fails_the_job_with_the_reason(
    as_facilitator, municipality, monkeypatch
):
    from polo.directory.views import io

    monkeypatch.setattr(io, "BACKGROUND_ROWS", 1)
    monkeypatch.setattr(importing.common, "MAX_ROWS", 2)
    upload(as_facilitator, csv_bytes([row(name=f"Grupo {i}") for i in range(4)]))
    job = Job.objects.get(kind=JOB_IMPORT)
    assert job.status == Job.Status.FAILED
    assert "más de 2 filas" in job.message


def test_it_reads_excel_unicode_text_utf16_tab_separated_and_short_keys(
    as_facilitator, municipality
):
    text = "nombre\ttipo\tclave municipio\testado\nColectivo Tab\tcolectivo\t067\tOaxaca\n"
    job_id, page = preview(as_facilitator, text.encode("utf-16"))
    assert "UTF-16" in page and "tabulador" in page
    confirm(as_facilitator, job_id)
    assert Organization.objects.get(name="Colectivo Tab").municipality == municipality
