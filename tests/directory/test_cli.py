"""`polo directory import|export|purge` from the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polo.directory.models import ContactPoint, Organization
from tests import factories as f
from tests.directory.helpers_io import csv_bytes, media_root_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def run(*args) -> str:
    out = io.StringIO()
    call_command("directory", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sheet(tmp_path, municipality):
    path = tmp_path / "organizaciones.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Colectivo Luna", "colectivo", "Oaxaca de Juárez", "Oaxaca", "", "Salud", "", ""],
                ["Mala", "OSC", "Oaxaca de Juárez", "", "XX12", "", "", ""],
            ]
        )
    )
    return path


def test_a_dry_run_prints_the_preview_and_writes_nothing(sheet):
    output = run("import", str(sheet), "--dry-run")
    assert "nuevas: 1" in output and "rechazadas: 1" in output
    assert "Fila 3: rechazada — Mala: El RFC «XX12» no tiene el formato válido" in output
    assert "no se guardó nada" in output
    assert not Organization.objects.filter(name="Colectivo Luna").exists()


def test_an_import_writes_with_the_person_in_the_audit_trail(sheet, coordinator):
    output = run("import", str(sheet), "--user", coordinator.email, "--publish")
    assert "Importación hecha: 1 nuevas" in output
    luna = Organization.objects.get(name="Colectivo Luna")
    assert luna.status == Organization.Status.PUBLISHED
    assert luna.history.get().history_user == coordinator


def test_strict_refuses_a_file_with_rejected_rows(sheet):
    with pytest.raises(CommandError, match="--strict"):
        run("import", str(sheet), "--strict")
    assert not Organization.objects.filter(name="Colectivo Luna").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "El archivo está vacío."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Es una imagen."),
        (b"nombre,tipo\nX,OSC\n", "Faltan columnas obligatorias"),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path, municipality, content, message):
    path = tmp_path / "malo.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import", str(path))


def test_a_missing_file_or_an_unknown_person_is_a_clear_error(sheet, participant):
    with pytest.raises(CommandError, match="No existe el archivo"):
        run("import", "/nowhere/file.csv")
    with pytest.raises(CommandError, match="No hay ninguna cuenta"):
        run("import", str(sheet), "--user", "nadie@ejemplo.mx")
    with pytest.raises(CommandError, match="no tiene permiso"):
        run("import", str(sheet), "--user", participant.email)


def test_an_export_imported_again_updates_every_record_and_creates_none(tmp_path, organization):
    organization.rfc = "MUV120315AB1"
    organization.save()
    ContactPoint.objects.create(
        organization=organization, kind="email", value="a@muva.mx", is_public=True
    )
    f.OrganizationFactory(name="Segunda Organización", municipality=organization.municipality)
    target = tmp_path / "directorio.csv"
    output = run("export", "--format", "csv", "-o", str(target))
    assert "2 organizaciones exportadas" in output
    output = run("import", str(target), "--dry-run")
    assert "nuevas: 0  actualizaciones: 2  posibles duplicados: 0  rechazadas: 0" in output
    output = run("import", str(target))
    assert "0 nuevas, 2 actualizadas" in output
    assert Organization.objects.count() == 2
    assert organization.contacts.count() == 1  # the exported e-mail is not added twice


def test_the_export_in_every_format_with_filters(tmp_path, organization, other_municipality):
    f.OrganizationFactory(name="Red de la Montaña", municipality=other_municipality)
    run("export", "--format", "csv", "--state", "12", "-o", str(tmp_path / "a.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text("utf-8-sig"))))
    assert [row["Nombre"] for row in rows] == ["Red de la Montaña"]

    run(
        "export", "--format", "json", "--region", "valles-centrales", "-o", str(tmp_path / "a.json")
    )
    data = json.loads((tmp_path / "a.json").read_text())
    assert [o["name"] for o in data["organizations"]] == ["Mujeres de los Valles A.C."]

    run("export", "--format", "xlsx", "--lang", "en", "-o", str(tmp_path / "a.xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert sheet["B1"].value == "Name" and sheet.max_row == 3

    output = run("export", "--format", "pdf", "-o", str(tmp_path / "a.pdf"))
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert "PDF: 2 organizaciones en" in output


def test_bad_filters_are_refused(tmp_path, organization):
    with pytest.raises(CommandError, match="Valor no válido"):
        run("export", "--format", "csv", "--municipality", "abc", "-o", str(tmp_path / "x.csv"))


def test_purge_deletes_old_files_only(media_root):
    folder = media_root / "imports"
    folder.mkdir(parents=True)
    old, new = folder / "old.json", folder / "new.json"
    old.write_text("{}")
    new.write_text("{}")
    past = time.time() - 10 * 86400
    os.utime(old, (past, past))
    assert "1 archivos borrados" in run("purge", "--days", "7")
    assert not old.exists() and new.exists()
