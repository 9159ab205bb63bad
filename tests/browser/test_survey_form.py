"""The baseline survey filled in on a phone, with JavaScript: questions appear and
disappear as answers change (plan_estrategico -> plan_anios, indigena -> lengua),
the region filters the municipalities, an answer is checked when leaving it,
what was typed survives a reload, and the response is reviewed and sent; axe on
the form page and on the review page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polo.surveys import services
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Campaign, Response, Round
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def baseline_round(programme, other_region, other_municipality, coordinator, media_root):
    region, municipality = programme["region"], programme["municipality"]
    version = services.form_version_create(
        data=baseline_xlsform(
            regions=[(region.slug, region.name), (other_region.slug, other_region.name)],
            municipalities=[
                (municipality.code, municipality.name, region.slug),
                ("20068", "Santa Lucía del Camino", region.slug),
                (other_municipality.code, other_municipality.name, other_region.slug),
                # Enough for a drop-down, as with the programme's 185 municipalities.
                *(
                    (f"20{n:03d}", f"Municipio {n} de los Valles", region.slug)
                    for n in range(100, 120)
                ),
            ],
        ),
        filename="linea_base.xlsx",
        by=coordinator,
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug="linea-base",
        title="Línea base 2026",
        respondent=Campaign.Respondent.ORGANIZATION,
        status=Campaign.Status.OPEN,
    )
    campaign.regions.set([region])
    return Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )


@pytest.fixture
def editor_phone(new_context, editor, live_server):
    from tests.browser.conftest import PHONE

    context = new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    log_in(context, editor, live_server)
    return context.new_page()


def field(page, name: str):
    return page.locator(f'[data-name="q/{name}"]')


def test_the_baseline_on_a_phone_with_skip_logic_cascade_and_axe(
    editor_phone, baseline_round, organization
):
    page = editor_phone
    page.goto(reverse("surveys:collect_start"))
    page.get_by_role("link", name="Nueva respuesta a Línea base 2026").click()
    expect(page.get_by_label(organization.name, exact=False)).to_be_checked()
    page.get_by_role("button", name="Comenzar").click()

    # Section 1: the organisation's region and municipality are already answered.
    expect(page.get_by_text("Sección 1 de 5")).to_be_visible()
    region = page.get_by_role("group", name="Región")
    municipio = page.get_by_label("Municipio", exact=False)
    options = municipio.locator("option")
    expect(region.get_by_label("Valles Centrales")).to_be_checked()
    expect(municipio).to_have_value(organization.municipality.code)
    expect(options).to_have_count(23)  # "Elija una opción" and the region's 22
    expect(options.filter(has_text="Malinaltepec")).to_have_count(0)

    # Choosing a region filters the municipalities.
    region.get_by_label("La Montaña").check()
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_have_text("Malinaltepec")
    expect(municipio).to_have_value("")
    region.get_by_label("Valles Centrales").check()
    expect(options).to_have_count(23)
    municipio.select_option(label="Oaxaca de Juárez")

    page.get_by_role("group", name="Tipo de actor").get_by_label(
        "Organización de la sociedad civil"
    ).check()
    page.get_by_role("group", name="Sexo de quien responde").get_by_label("Mujer").check()

    # An answer outside its constraint is flagged when leaving it, with the form's message.
    year = page.get_by_label("Año de fundación")
    year.fill("1850")
    year.blur()
    expect(
        field(page, "anio_fundacion").get_by_text("Escriba un año entre 1900 y 2026.")
    ).to_be_visible()
    expect(year).to_have_attribute("aria-invalid", "true")
    year.fill("2009")
    year.blur()
    expect(year).not_to_have_attribute("aria-invalid", "true")

    indigena = page.get_by_role("group", name="¿Quien responde se reconoce como indígena?")
    lengua = field(page, "lengua")
    expect(lengua).to_be_hidden()
    indigena.get_by_label("Sí").check()
    expect(lengua).to_be_visible()
    lengua.get_by_label("Zapoteco").check()
    assert_accessible(page)
    page.get_by_role("button", name="Siguiente", exact=True).click()

    # Section 2: "no" to a strategic plan hides how many years it covers.
    expect(page.get_by_text("Sección 2 de 5")).to_be_visible()
    plan = page.get_by_role("group", name="¿Tiene un plan estratégico escrito?")
    years = field(page, "plan_anios")
    expect(years).to_be_hidden()
    plan.get_by_label("Sí").check()
    expect(years).to_be_visible()
    page.get_by_label("¿Cuántos años abarca el plan?").fill("5")
    plan.get_by_label("No").check()
    expect(years).to_be_hidden()
    page.get_by_label("Personas en el equipo").fill("8")
    page.get_by_label("De ellas, ¿cuántas son mujeres?").fill("4")
    assert_accessible(page)

    # What is typed survives a reload that lost it (a failed send, a closed tab).
    page.goto(page.url)  # a new visit: the browser restores nothing itself
    expect(page.get_by_text("Recuperamos respuestas")).to_be_visible()
    expect(page.get_by_label("Personas en el equipo")).to_have_value("8")
    expect(years).to_be_hidden()
    page.get_by_role("button", name="Siguiente", exact=True).click()

    expect(page.get_by_text("Sección 3 de 5")).to_be_visible()
    page.get_by_role("group", name="¿Participa en consejos o comités de gobierno?").get_by_label(
        "No"
    ).check()
    page.get_by_role("group", name="Temas en los que trabaja").get_by_label("Salud").check()
    page.get_by_role("button", name="Siguiente", exact=True).click()

    expect(page.get_by_text("Sección 4 de 5")).to_be_visible()
    page.get_by_role("button", name="Siguiente", exact=True).click()

    expect(page.get_by_text("Sección 5 de 5")).to_be_visible()
    page.get_by_label("Fecha de la entrevista").fill("2026-11-02")
    page.get_by_label("Acepto que estas respuestas").check()
    page.get_by_role("button", name="Siguiente: revisar y enviar").click()

    expect(
        page.get_by_role("heading", name="Resumen: Línea base de organizaciones")
    ).to_be_visible()
    expect(page.get_by_text("Falta corregir")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Enviar la respuesta").click()
    expect(page.get_by_text("La respuesta se envió")).to_be_visible()

    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    assert response.data["plan_estrategico"] == "no"
    assert "plan_anios" not in response.data  # hidden, and dropped by the server
    assert response.data["lengua"] == "zapoteco"
    assert response.data["municipio"] == organization.municipality.code
    assert response.data["pct_mujeres"] == "50"
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('polo:'))") == []
