"""The surveys' management side in a browser, as a coordinator: upload an
XLSForm with a mistake and read where it is, upload a good one and land on the
instrument's page, read the questionnaire; a response's page with its review.
axe on each page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polo.surveys.models import FormVersion, Instrument, Response
from tests.browser.axe import assert_accessible, assert_all_accessible
from tests.browser.conftest import log_in
from tests.surveys import conftest as survey_fixtures
from tests.surveys.manage_helpers import add_attachment, make_response, small_form

# The surveys tests' fixtures, for this module (their conftest is not on this path).
baseline_xlsx = survey_fixtures.baseline_xlsx
baseline_version = survey_fixtures.baseline_version
campaign = survey_fixtures.campaign
baseline_round = survey_fixtures.baseline_round

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def coordinator_page(new_context, coordinator, live_server):
    context = new_context()
    log_in(context, coordinator, live_server)
    return context.new_page()


def test_an_upload_with_a_mistake_shows_where_then_a_good_one_is_kept(
    coordinator_page, tmp_path, baseline_xlsx
):
    page = coordinator_page
    broken = tmp_path / "encuesta_con_error.xlsx"
    broken.write_bytes(
        small_form(
            survey=[
                ["select_one sino", "acepta", "¿Acepta?", "Agrees?"],
                ["text", "motivo", "¿Por qué?", "Why?", "${acepta} = = 'no'"],
            ]
        )
    )
    page.goto(reverse("surveys:instrument_upload"))
    assert_accessible(page)
    page.get_by_label("Archivo XLSForm (.xlsx)").set_input_files(broken)
    page.get_by_role("button", name="Subir y convertir").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("El formulario tiene 1 problema; no se guardó.")
    row = page.get_by_role("table", name="Qué corregir en la hoja de cálculo").get_by_role("row")
    expect(row.nth(1)).to_contain_text("survey")
    expect(row.nth(1)).to_contain_text("3")
    expect(row.nth(1)).to_contain_text("relevant (E)")
    expect(row.nth(1)).to_contain_text("${acepta} = = 'no'")
    assert_accessible(page)
    assert not Instrument.objects.exists()

    good = tmp_path / "linea_base.xlsx"
    good.write_bytes(baseline_xlsx)
    page.get_by_label("Archivo XLSForm (.xlsx)").set_input_files(good)
    page.get_by_role("button", name="Subir y convertir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Línea base de organizaciones")
    expect(page.get_by_role("status")).to_contain_text("Se guardó la versión 1")
    instrument = Instrument.objects.get()
    assert page.url.endswith(instrument.get_absolute_url())
    assert FormVersion.objects.filter(instrument=instrument).count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Leer el cuestionario").click()
    expect(page.get_by_role("heading", name="1. Identificación")).to_be_visible()
    expect(page.get_by_role("heading", name="¿Tiene un plan estratégico escrito?")).to_be_visible()
    assert_accessible(page)


def test_a_response_page_and_its_review(
    coordinator_page, baseline_round, municipality, organization, facilitator
):
    response = make_response(
        baseline_round, municipality, organization=organization, submitted_by=facilitator
    )
    add_attachment(response)
    page = coordinator_page
    assert_all_accessible(
        page,
        {
            "campaigns": reverse("surveys:campaigns"),
            "campaign": baseline_round.campaign.get_absolute_url(),
            "responses": reverse("surveys:responses", args=[baseline_round.campaign.slug]),
            "instruments": reverse("surveys:instruments"),
            "response": response.get_absolute_url(),
        },
    )
    page.goto(response.get_absolute_url())
    expect(page.get_by_role("table", name="Proyectos en curso")).to_contain_text("Casa de salud")
    page.get_by_label("Rechazada").check()
    page.get_by_role("button", name="Registrar la revisión").click()
    # Without a comment the decision is not taken, and the page says why.
    expect(page.get_by_text("Explica la decisión en un comentario.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rechazada").check()
    page.get_by_label("Comentario").fill("La organización respondió dos veces.")
    page.get_by_role("button", name="Registrar la revisión").click()
    expect(page.get_by_role("status")).to_contain_text("Se registró la revisión: Rechazada.")
    response.refresh_from_db()
    assert response.status == Response.Status.REJECTED
    expect(page.locator("#historial ~ ol")).to_contain_text("Rechazada")
    assert_accessible(page)
