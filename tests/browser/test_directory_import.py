"""Importing organisations in the browser, as a facilitator who signs in through the
real login form with a TOTP code: upload a CSV, read the preview (row numbers, reasons,
a suggestion for a misspelt municipality), confirm, read the report; and axe on the
upload, preview and report pages and on the review queue the import fills."""

from __future__ import annotations

import csv
import re
import time

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polo.directory.models import Organization
from tests.browser.axe import describe, serious_violations
from tests.factories import PASSWORD, TOTP_SECRET

HEADER = ["nombre", "tipo", "municipio", "estado", "rfc", "correo"]
GOOD = [
    ["Colectivo Tequio Verde", "colectivo", "Oaxaca de Juárez", "Oaxaca", "", "tequio@ejemplo.mx"],
    ["Fundación Guelaguetza Solidaria", "OSC", "Oaxaca de Juárez", "Oaxaca", "FGS150101AB1", ""],
    ["Huerto Comunitario del Camino", "colectivo", "Santa Lucía del Camino", "Oaxaca", "", ""],
]
BAD_RFC = ["Tejedoras del Istmo", "OSC", "Oaxaca de Juárez", "Oaxaca", "TDI-15-XYZ", ""]
MISSPELT = ["Radio Comunitaria La Voz", "colectivo", "Oaxaca de Juares", "Oaxaca", "", ""]
ROWS = [*GOOD, BAD_RFC, MISSPELT]  # file rows 2 to 6 (row 1 is the header)
GOOD_NAMES = [row[0] for row in GOOD]
REJECTED_NAMES = [BAD_RFC[0], MISSPELT[0]]


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads and import plans go to a folder of the test's own (the live server
    runs in this process, so it writes there too)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def upload_file(tmp_path):
    path = tmp_path / "organizaciones.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def totp_code() -> str:
    """The current code, not one about to expire between typing and checking (Polo
    accepts only the code of the current 30-second window)."""
    totp = pyotp.TOTP(TOTP_SECRET)
    remaining = totp.interval - time.time() % totp.interval
    if remaining < 3:
        time.sleep(remaining + 0.1)
    return totp.now()


def log_in_with_totp(page, user) -> None:
    """Through the login form and then the two-factor form, as staff must."""
    page.goto(reverse("account_login"))
    form = page.locator("form").filter(has=page.locator("[name=password]"))
    form.locator("[name=login]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").last.click()
    code = page.locator("[name=code]")
    expect(code).to_be_visible()  # the second step: a code from the app
    code.fill(totp_code())
    # Not .last: allauth's "Cancel" there is a submit button of the logout form.
    page.locator("form").filter(has=code).locator("[type=submit]:not([form])").click()
    expect(page.locator("header").get_by_role("link", name="Mi cuenta")).to_be_visible()


def upload(page, path) -> None:
    page.goto(reverse("directory:import"))
    page.get_by_label("Archivo (CSV o XLSX)").set_input_files(path)
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vista previa de la importación")


def preview_rows(page) -> dict[int, dict[str, str]]:
    """Row number -> what the preview says of it."""
    rows = {}
    for row in page.locator("main table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows[int(row.locator("th").inner_text())] = {
            "action": cells[0].strip(),
            "name": cells[1].strip(),
            "detail": cells[3].strip(),
        }
    return rows


def test_a_facilitator_previews_confirms_and_reads_the_report_of_an_import(
    page, programme, facilitator, media_root, upload_file
):
    log_in_with_totp(page, facilitator)
    before = Organization.objects.count()
    upload(page, upload_file)

    stats = page.get_by_role("list", name="Resumen")
    expect(stats).to_contain_text("3 Nuevas")
    expect(stats).to_contain_text("2 Rechazadas")
    expect(page.locator("main")).to_contain_text("2 filas se rechazan y no se importarán")
    rows = preview_rows(page)
    assert sorted(rows) == [2, 3, 4, 5, 6]
    for number in (2, 3, 4):
        assert rows[number]["action"] == "Nueva", rows[number]
    assert [rows[number]["name"] for number in (2, 3, 4)] == GOOD_NAMES
    assert rows[5]["action"] == "Rechazada"
    assert "El RFC «TDI-15-XYZ» no tiene el formato válido" in rows[5]["detail"]
    assert rows[6]["action"] == "Rechazada"
    assert "Municipio desconocido: «Oaxaca de Juares»." in rows[6]["detail"]
    assert "¿Quisiste decir «Oaxaca de Juárez» (20067)?" in rows[6]["detail"]
    assert Organization.objects.count() == before, "the preview wrote to the database"

    # The rejected rows alone, through the preview's own filter.
    page.get_by_role("link", name="Ver las filas rechazadas").click()
    assert sorted(preview_rows(page)) == [5, 6]

    page.get_by_role("button", name="Importar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informe de la importación")
    expect(page).to_have_url(re.compile(r"/directorio/importar/[0-9a-f-]+/informe/$"))
    report = page.locator("main")
    expect(report.get_by_role("list", name="Resumen")).to_contain_text("3 creadas")
    expect(report).to_contain_text("quedaron en revisión")  # a facilitator does not publish
    created = report.locator("section[aria-labelledby=creadas]")
    for number, name in zip((2, 3, 4), GOOD_NAMES, strict=True):
        expect(created.locator("li", has_text=f"Fila {number}:")).to_contain_text(name)
    rejected = report.locator("section[aria-labelledby=rechazadas] tbody tr")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0).locator("th")).to_have_text("5")
    expect(rejected.nth(1)).to_contain_text("¿Quisiste decir «Oaxaca de Juárez» (20067)?")

    imported = Organization.objects.filter(name__in=GOOD_NAMES)
    assert sorted(imported.values_list("name", flat=True)) == sorted(GOOD_NAMES)
    assert set(imported.values_list("status", flat=True)) == {Organization.Status.PENDING}
    assert set(imported.values_list("created_by", flat=True)) == {facilitator.pk}
    assert imported.get(name="Fundación Guelaguetza Solidaria").rfc == "FGS150101AB1"
    assert not Organization.objects.filter(name__in=REJECTED_NAMES).exists()
    assert Organization.objects.count() == before + 3


def test_the_import_pages_and_the_review_queue_have_no_serious_accessibility_violations(
    page, programme, facilitator, media_root, upload_file
):
    reports = []

    def check(name: str) -> None:
        violations = serious_violations(page)
        if violations:
            reports.append(describe(violations, f"{name} ({page.url})"))

    log_in_with_totp(page, facilitator)
    page.goto(reverse("directory:import"))
    check("import upload")
    # The upload form showing its error: an empty file.
    page.get_by_label("Archivo (CSV o XLSX)").set_input_files(
        {"name": "vacio.csv", "mimeType": "text/csv", "buffer": b""}
    )
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    check("import upload with an error")
    upload(page, upload_file)
    check("import preview")
    page.get_by_role("button", name="Importar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informe de la importación")
    check("import report")
    page.goto(reverse("directory:review_queue"))
    expect(page.locator("main")).to_contain_text(GOOD_NAMES[0])  # the queue has rows
    check("review queue")
    assert not reports, "\n\n".join(reports)
