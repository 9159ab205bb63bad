"""`polo surveys import-form|import-responses|export` from the command line."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from polo.surveys.models import Answer, FormVersion, Instrument, Response, Round
from polo.surveys.workbooks import xlsform_bytes
from tests.surveys.conftest import baseline_answers
from tests.surveys.io_helpers import central_zip, kobo_csv, kobo_xlsx, new_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

SURVEY_HEADER = ["type", "name", "label", "relevant", "constraint"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("surveys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args) -> tuple[int, str, str]:
    """A command that fails: its exit status (what `polo` exits with), output
    and errors. (In process: Django's own runner would close the test database.)"""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("surveys", *args, stdout=out, stderr=err)
    return failure.value.returncode, out.getvalue(), err.getvalue() + str(failure.value)


def polo_process(*args: str, tmp_path) -> subprocess.CompletedProcess:
    """`polo surveys ...` in a process of its own, as a person types it."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SECRET_KEY": "tests-only-secret-key-not-for-production-0123456789abcdef",
        "DEBUG": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    polo = Path(sys.executable).with_name("polo")
    return subprocess.run(
        [str(polo), "surveys", *args], env=env, capture_output=True, text=True, timeout=120
    )


def small_form(*, version="2026010101", relevant="${edad} >= 18") -> bytes:
    return xlsform_bytes(
        {
            "survey": [
                SURVEY_HEADER,
                ["integer", "edad", "Edad", "", ". >= 0 and . < 120"],
                ["select_one sino", "vota", "¿Vota?", relevant, ""],
            ],
            "choices": [["list_name", "name", "label"], ["sino", "si", "Sí"], ["sino", "no", "No"]],
            "settings": [
                ["form_title", "form_id", "version"],
                ["Encuesta breve", "breve", version],
            ],
        }
    )


# ---- import-form ---------------------------------------------------------------------------


def test_import_form_creates_an_instrument_and_then_its_next_version(tmp_path):
    path = tmp_path / "breve.xlsx"
    path.write_bytes(small_form())
    output = run("import-form", str(path))
    instrument = Instrument.objects.get()
    assert f"{instrument.slug}: versión 1 (2026010101), 2 preguntas." in output

    path.write_bytes(small_form(version="2026020101"))
    output = run("import-form", str(path), "--instrument", instrument.slug)
    assert "versión 2 (2026020101)" in output
    assert FormVersion.objects.filter(instrument=instrument).count() == 2

    with pytest.raises(CommandError, match="ya existe"):
        run("import-form", str(path), "--instrument", instrument.slug)


def test_a_bad_form_prints_sheet_row_and_column_and_exits_with_status_1(tmp_path):
    path = tmp_path / "mala.xlsx"
    path.write_bytes(small_form(relevant="${edad} >= = 18"))
    status, _out, err = run_failing("import-form", str(path))
    assert status == 1
    assert "hoja «survey», fila 3, columna «relevant (D)»" in err
    assert "no se guardó" in err
    assert not Instrument.objects.exists()


def test_the_polo_command_itself_exits_with_status_1_on_a_bad_form(tmp_path):
    path = tmp_path / "mala.xlsx"
    path.write_bytes(small_form(relevant="${edad} >= = 18"))
    result = polo_process("import-form", str(path), tmp_path=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "hoja «survey», fila 3, columna «relevant (D)»" in result.stderr
    assert "CommandError" in result.stderr or "no se guardó" in result.stderr


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 no es un xlsx", b"", b"nombre,edad\nAna,3\n"],
    ids=["corrupt", "empty", "csv"],
)
def test_a_file_that_is_no_xlsform_exits_with_status_1(tmp_path, content):
    path = tmp_path / "roto.xlsx"
    path.write_bytes(content)
    status, _out, err = run_failing("import-form", str(path))
    assert status == 1 and "no se guardó" in err
    assert not Instrument.objects.exists()


def test_a_missing_file_or_instrument_is_a_clear_error(tmp_path, baseline_version):
    with pytest.raises(CommandError, match="No existe el archivo"):
        run("import-form", str(tmp_path / "nada.xlsx"))
    with pytest.raises(CommandError, match="No existe el instrumento «nada»"):
        run("import-responses", "nada", str(tmp_path / "x.csv"))


# ---- import-responses ------------------------------------------------------------------------


@pytest.fixture
def export_file(tmp_path, baseline_version, municipality):
    answers = [(new_id(), baseline_answers(municipality)) for _ in range(3)]
    path = tmp_path / "kobo.csv"
    path.write_bytes(kobo_csv(baseline_version.form, answers))
    return path


def test_a_dry_run_prints_the_preview_and_writes_nothing(export_file, baseline_round):
    slug = baseline_round.campaign.instrument.slug
    output = run("import-responses", slug, str(export_file), "--dry-run")
    assert "kobo.csv · CSV (UTF-8, «;») · 3 respuestas" in output
    assert "nuevas: 3  ya importadas: 0  rechazadas: 0" in output
    assert "no se guardó nada" in output
    assert not Response.objects.exists()


def test_an_import_writes_then_a_second_one_skips_everything(
    export_file, baseline_round, coordinator
):
    slug = baseline_round.campaign.instrument.slug
    output = run("import-responses", slug, str(export_file), "--user", coordinator.email)
    assert "Importación hecha: 3 respuestas nuevas, 0 ya estaban." in output
    assert Response.objects.filter(submitted_by=coordinator, round=baseline_round).count() == 3
    answers = Answer.objects.count()
    output = run("import-responses", slug, str(export_file))
    assert "Nada que importar: 3 respuestas ya estaban." in output
    assert Response.objects.count() == 3 and Answer.objects.count() == answers


def test_the_round_is_named_by_id_or_campaign_and_order(
    tmp_path, baseline_round, baseline_version, municipality
):
    slug = baseline_round.campaign.instrument.slug
    midline = Round.objects.create(
        campaign=baseline_round.campaign,
        kind=Round.Kind.MIDLINE,
        name="Medio término",
        order=2,
        is_open=True,
    )
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_xlsx(baseline_version.form, [(new_id(), baseline_answers(municipality))]))
    with pytest.raises(CommandError, match=r"Elige la ronda con --round.*linea-base-2026/2"):
        run("import-responses", slug, str(path))
    with pytest.raises(CommandError, match="No existe la ronda «linea-base-2026/9»"):
        run("import-responses", slug, str(path), "--round", "linea-base-2026/9")
    with pytest.raises(CommandError, match="No existe la versión «v7»"):
        run("import-responses", slug, str(path), "--round", str(midline.pk), "--version", "v7")
    run("import-responses", slug, str(path), "--round", "linea-base-2026/2", "--version", "1")
    assert Response.objects.get().round == midline
    assert Response.objects.get().data["proyectos"][0]["proyecto_nombre"] == "Casa de salud"


def test_rejected_rows_are_printed_and_nothing_is_written(
    tmp_path, baseline_round, baseline_version, municipality
):
    answers = [
        (new_id(), baseline_answers(municipality)),
        (new_id(), baseline_answers(municipality, mujeres_equipo="50")),
    ]
    path = tmp_path / "central.zip"
    path.write_bytes(central_zip(baseline_version.form, answers))
    slug = baseline_round.campaign.instrument.slug
    status, out, err = run_failing("import-responses", slug, str(path))
    assert status == 1
    assert "ZIP de ODK Central" in out
    assert f"Fila 3: rechazada (uuid:{answers[1][0]}): mujeres_equipo: No puede ser mayor" in out
    assert "no se importó nada (todo o nada)" in err
    assert not Response.objects.exists()


def test_a_file_of_another_form_is_a_clear_error(tmp_path, baseline_round):
    path = tmp_path / "otra.csv"
    path.write_text("_uuid,ingresos\nabc,10\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Columnas desconocidas: «ingresos»"):
        run("import-responses", baseline_round.campaign.instrument.slug, str(path))


# ---- export ----------------------------------------------------------------------------------


def test_export_then_import_into_another_round_from_the_command_line(
    tmp_path, export_file, baseline_round
):
    slug = baseline_round.campaign.instrument.slug
    run("import-responses", slug, str(export_file))
    before = {r.instance_id: r.data for r in Response.objects.all()}
    out = tmp_path / "salida.xlsx"
    output = run("export", slug, "--format", "xlsx", "-o", str(out))
    assert f"3 respuestas exportadas → {out}" in output
    assert load_workbook(out).sheetnames[:2] == ["respuestas", "proyectos"]
    Response.objects.all().delete()
    Round.objects.create(campaign=baseline_round.campaign, kind="endline", name="Final", order=3)
    run("import-responses", slug, str(out), "--round", "linea-base-2026/3")
    after = {r.instance_id: r.data for r in Response.objects.filter(round__order=3)}
    assert after == before


def test_export_with_labels_in_english_and_filters(
    tmp_path, export_file, baseline_round, other_region
):
    slug = baseline_round.campaign.instrument.slug
    run("import-responses", slug, str(export_file))
    out = tmp_path / "salida.csv"
    run("export", slug, "--format", "csv", "--labels", "--language", "en", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][1:4] == ["Region", "Municipality", "Kind of actor"]
    assert len(rows) == 4
    run("export", slug, "--format", "csv", "--region", other_region.slug, "-o", str(out))
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1
    run("export", slug, "--format", "csv", "--status", "approved", "-o", str(out))
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1
    run("export", slug, "--format", "csv", "--round", str(baseline_round.pk), "-o", str(out))
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 4


# ---- `polo demo`: the survey step ------------------------------------------------------------


def test_the_demo_survey_is_valid_mixed_idempotent_and_shows_change(
    municipality, other_municipality, coordinator
):
    import random
    from collections import Counter

    from polo import demo
    from polo.demo import surveys as demo_surveys
    from polo.surveys import validation
    from polo.surveys.services import answer_rows
    from tests import factories as f

    for index in range(70):
        f.OrganizationFactory(municipality=municipality, founded_year=1990 + index % 30)
    for _ in range(50):
        f.OrganizationFactory(municipality=other_municipality, kind="collective")
    out = io.StringIO()
    demo_surveys.populate(rng=random.Random(7), scale=demo.Scale(), stdout=out)
    assert "Encuesta «Línea base 2026»: 200 respuestas nuevas" in out.getvalue()

    responses = Response.objects.filter(round__campaign__slug="linea-base-2026").select_related(
        "round", "form_version"
    )
    by_round = Counter(r.round.name for r in responses)
    assert by_round == {"Línea base": 120, "Medio término": 80}
    baseline = Round.objects.get(campaign__slug="linea-base-2026", order=1)
    midline = Round.objects.get(campaign__slug="linea-base-2026", order=2)
    assert not baseline.is_open and midline.is_open
    assert baseline.campaign.instrument.slug == "linea-base-osc"
    statuses = Counter(r.status for r in responses)
    assert statuses["approved"] > 100 and statuses["submitted"] > 10
    assert statuses["on_hold"] and statuses["rejected"]
    assert {r.municipality for r in responses} == {municipality, other_municipality}
    for response in responses:
        spec = response.form_version.form
        assert validation.validate(spec, response.data, today=demo_surveys.LATEST) == []
        assert response.organization.municipality == response.municipality
        expected = [] if response.status == "rejected" else answer_rows(spec, response.data)
        assert response.answers.count() == len(list(expected))

    def share(round_, name, value):
        rows = [r for r in responses if r.round == round_]
        return sum(r.data.get(name) == value for r in rows) / len(rows)

    # The midline is further along: more strategic plans, more council seats.
    assert share(midline, "plan_estrategico", "si") > share(baseline, "plan_estrategico", "si")
    assert share(midline, "participa_consejos", "si") > share(baseline, "participa_consejos", "si")

    again = io.StringIO()
    demo_surveys.populate(rng=random.Random(7), scale=demo.Scale(), stdout=again)
    assert "ya tenía sus respuestas" in again.getvalue()
    assert Response.objects.count() == 200
