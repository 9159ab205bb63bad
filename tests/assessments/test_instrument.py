"""The instrument: the Incidence Manual in the repository, its download, the
checks an adapted upload must pass (located by sheet, row and column), and
the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from polo.assessments import services
from polo.assessments.definition import Route, check, read
from polo.assessments.instrument.manual import manual_sheets, manual_xlsform
from polo.surveys.models import FormVersion, Instrument
from polo.surveys.workbooks import xlsform_bytes
from polo.surveys.xlsform import XLSFormError, convert_xlsform
from tests.assessments.helpers import mini_sheets, url


def problems_of(sheets) -> list[str]:
    try:
        spec = convert_xlsform(xlsform_bytes(sheets)).spec
    except XLSFormError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in check(spec)]


def test_the_default_instrument_converts_and_holds_together():
    spec = convert_xlsform(manual_xlsform()).spec
    assert check(spec) == []
    assert spec.languages == ["Español (es)", "English (en)"]
    definition = read(spec)
    assert set(definition.route) == {
        Route.PROBLEM,
        Route.AUTHORITY,
        Route.THEME,
        Route.SPACE,
        Route.FIRST_STEP,
    }
    # Every item is followed by its evidence; every area has a file question.
    assert all(item.evidence for item in definition.items.values())
    assert all(area.evidence for area in definition.areas)
    labels = [definition.text(area.label, "en") for area in definition.areas]
    assert "Public-policy advocacy" in labels and "Transparency and accountability" in labels
    assert definition.exercises, "guided reflection exercises between the items"


def test_an_item_row_in_english_reads_in_english():
    definition = read(convert_xlsform(manual_xlsform()).spec)
    item = definition.items["mision"]
    assert definition.text(item.levels[0].label, "en").startswith("1. Starting:")
    assert definition.text(item.levels[3].label, "es-mx").startswith("4. Consolidado:")


def rows_without(sheets, sheet, predicate):
    return {**sheets, sheet: [row for row in sheets[sheet] if not predicate(row)]}


def with_cell(sheets, name, column, value):
    header = sheets["survey"][0]
    index = header.index(column)
    rows = []
    for row in sheets["survey"]:
        row = list(row) + [""] * (len(header) - len(row))
        if row[1] == name:
            row[index] = value
        rows.append(row)
    return {**sheets, "survey": rows}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: {k: v for k, v in s.items() if k != "areas"}, "Falta la hoja «areas»"),
        (lambda s: with_cell(s, "gob_1", "area", "finanzas"), "«finanzas» no está en la hoja"),
        (lambda s: with_cell(s, "gob_1", "weight", "mucho"), "El peso debe ser un número"),
        (lambda s: with_cell(s, "gob_1", "weight", "0"), "El peso debe ser un número"),
        (lambda s: with_cell(s, "gob_1", "weight", "1000"), "El peso debe ser un número"),
        (lambda s: with_cell(s, "ejercicio", "weight", "2"), "tiene peso pero no área"),
        (lambda s: with_cell(s, "ejercicio", "area", "gobernanza"), "debe ser «select_one»"),
        (lambda s: with_cell(s, "gob_1_evidencia", "evidence_for", "nada"), "«nada» no es un ítem"),
        (lambda s: with_cell(s, "ruta_paso", "route", "camino"), "«camino» no es un papel"),
        (
            lambda s: rows_without(s, "choices", lambda r: r[0] == "nivel" and r[1] == "4"),
            "le faltan los niveles 4",
        ),
        (
            lambda s: {**s, "choices": [*s["choices"], ["nivel", "5", "5. Cinco", "5. Five"]]},
            "fuera de la escala de 1 a 4",
        ),
        (
            lambda s: {**s, "acciones": [*s["acciones"], ["nada", "Hacer algo", "Do", ""]]},
            "«nada» no es un ítem del formulario",
        ),
        (
            lambda s: {**s, "acciones": [*s["acciones"], ["gob_1", "Algo", "Do", "otro"]]},
            "«otro» no está en la hoja «materiales»",
        ),
        (
            lambda s: {
                **s,
                "materiales": [*s["materiales"], ["x", "X", "X", "javascript:alert(1)"]],
            },
            "debe empezar con https://",
        ),
        (
            lambda s: {**s, "areas": [*s["areas"], ["gobernanza", "Otra", "Other", ""]]},
            "«gobernanza» está repetida",
        ),
        (
            lambda s: {**s, "areas": [*s["areas"], ["Área de datos", "Datos", "Data", ""]]},
            "«Área de datos» no sirve como nombre de área",
        ),
        (
            lambda s: {**s, "areas": [*s["areas"], ["datos__abiertos", "Datos", "Data", ""]]},
            "no sirve como nombre de área",
        ),
    ],
)
def test_an_adapted_workbook_that_does_not_score_is_refused_with_where_to_fix(change, expected):
    problems = problems_of(change(mini_sheets()))
    assert any(expected in problem for problem in problems), problems


def test_a_problem_names_the_sheet_row_and_column():
    problems = problems_of(with_cell(mini_sheets(), "gob_2", "weight", "x"))
    assert problems == [
        "hoja «survey», fila 5, columna «weight»: El peso debe ser un número mayor que 0 y "
        "hasta 100."
    ]


def test_the_coordinator_downloads_the_manual_as_shipped(as_coordinator):
    response = as_coordinator.get(url("instrument_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('manual_de_incidencia.xlsx"')
    assert check(convert_xlsform(response.content).spec) == []


def upload(client, data: bytes, name="manual.xlsx"):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(url("instrument"), {"file": handle})


def test_an_adapted_version_is_uploaded_as_a_new_version(instrument, as_coordinator):
    response = upload(as_coordinator, xlsform_bytes(mini_sheets(version="2")))
    assert response.status_code == 302
    assert instrument.versions.count() == 2
    assert instrument.current_version.number == 2


def test_a_broken_upload_saves_nothing_and_lists_the_problems(instrument, as_coordinator):
    broken = with_cell(mini_sheets(version="2"), "gob_1", "area", "finanzas")
    response = upload(as_coordinator, xlsform_bytes(broken))
    assert response.status_code == 200
    assert "no está en la hoja «areas»" in response.content.decode()
    assert instrument.versions.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not a workbook at all", "manual.xlsx", "no es un libro de Excel"),
        (b"%PDF-1.4 a pdf", "manual.pdf", "extensi"),
        (b"", "manual.xlsx", "vac"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(instrument, as_coordinator, data, name, message):
    response = upload(as_coordinator, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert instrument.versions.count() == 1


def test_the_same_version_string_twice_is_refused(instrument, as_coordinator):
    response = upload(as_coordinator, xlsform_bytes(mini_sheets(version="1")))
    assert response.status_code == 200
    assert "Ya hay una versión «1»" in response.content.decode()


def test_only_coordinators_manage_the_instrument(instrument, as_facilitator, as_editor):
    for client in (as_facilitator, as_editor):
        assert client.get(url("instrument")).status_code == 403
        assert upload(client, xlsform_bytes(mini_sheets(version="9"))).status_code == 403
        assert client.get(url("instrument_xlsx")).status_code == 403
    assert instrument.versions.count() == 1


def test_installing_the_default_is_idempotent(coordinator, media_root):
    first = services.instrument_install_default(by=coordinator)
    again = services.instrument_install_default(by=coordinator)
    assert first == again
    assert first.kind == Instrument.Kind.ASSESSMENT
    assert FormVersion.objects.filter(instrument=first).count() == 1


def test_the_command_writes_installs_and_uploads(tmp_path: Path, media_root, db):
    out = tmp_path / "manual.xlsx"
    call_command("assessments", "xlsform", str(out), stdout=io.StringIO())
    assert check(convert_xlsform(out.read_bytes()).spec) == []
    call_command("assessments", "install", stdout=io.StringIO())
    call_command("assessments", "install", stdout=io.StringIO())
    instrument = Instrument.objects.get(slug=services.DEFAULT_SLUG)
    assert instrument.versions.count() == 1
    adapted = manual_sheets(version="2026.2")
    adapted["survey"] = [r for r in adapted["survey"] if r[1] not in {"relevo", "relevo_evidencia"}]
    adapted["acciones"] = [r for r in adapted["acciones"] if r[0] != "relevo"]
    changed = tmp_path / "adaptado.xlsx"
    changed.write_bytes(xlsform_bytes(adapted))
    call_command("assessments", "upload", str(changed), stdout=io.StringIO())
    assert instrument.versions.count() == 2
    broken = tmp_path / "roto.xlsx"
    broken.write_bytes(xlsform_bytes(with_cell(mini_sheets(version="3"), "gob_1", "weight", "x")))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("assessments", "upload", str(broken), stdout=io.StringIO(), stderr=errors)
    assert "columna «weight" in errors.getvalue()
    assert instrument.versions.count() == 2
