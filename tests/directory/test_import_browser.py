"""The import in a real browser (Chromium through Playwright): upload through the
form, read the preview, tick a duplicate, confirm; axe on every page of the way.

Marked ``browser`` (run with ``pytest -m browser``); the fixtures are the browser
suite's own (tests/browser/conftest.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.directory.models import Organization
from tests.browser.axe import assert_accessible
from tests.browser.conftest import browser, log_in, new_context  # noqa: F401 (fixtures)
from tests.directory.helpers_io import csv_bytes, media_root_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("media_root")]


def test_a_facilitator_previews_and_confirms_an_import(
    new_context,  # noqa: F811 (the browser suite's fixture, imported above)
    live_server,
    facilitator,
    organization,
    tmp_path,
):
    path = tmp_path / "organizaciones.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Colectivo Luna", "colectivo", "Oaxaca de Juárez", "Oaxaca", "", "Salud", "", ""],
                ["Mujeres de los Valles", "OSC", "Oaxaca de Juárez", "", "", "", "", ""],
                ["Sin lugar", "OSC", "Oaxaca de Juares", "", "", "", "", ""],
            ]
        )
    )
    context = new_context()
    log_in(context, facilitator, live_server)
    page = context.new_page()

    page.goto(reverse("directory:import"))
    assert_accessible(page)
    page.get_by_label("Archivo (CSV o XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Revisar el archivo").click()

    page.wait_for_url("**/importar/*/")
    assert_accessible(page)
    table = page.get_by_role("table")
    assert "¿Quisiste decir «Oaxaca de Juárez» (20067)?" in table.inner_text()
    assert page.get_by_role("row", name="4").is_visible()  # the row as the sheet numbers it
    page.get_by_label("Fila 3: Mujeres de los Valles").check()
    page.get_by_role("button", name="Importar").click()

    page.wait_for_url("**/informe/")
    assert_accessible(page)
    assert page.get_by_role("heading", name="Informe de la importación").is_visible()
    assert set(
        Organization.objects.filter(status=Organization.Status.PENDING).values_list(
            "name", flat=True
        )
    ) == {"Colectivo Luna", "Mujeres de los Valles"}
