"""The self-assessment in a browser, on a phone: an editor starts it, answers
the short instrument in the surveys web form, completes it and sees the
profile with its charts; axe on every page of the assessment and on the
public aggregates."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polo.assessments.models import Assessment
from tests.assessments.helpers import install_mini
from tests.browser.axe import assert_accessible, assert_all_accessible
from tests.browser.conftest import PHONE, log_in


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def instrument(programme, coordinator, media_root):
    return install_mini(coordinator)


@pytest.fixture
def editor_phone(new_context, editor, live_server):
    context = new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    log_in(context, editor, live_server)
    return context.new_page()


def choose(page, item: str, level: str) -> None:
    page.get_by_role("group", name=item).get_by_label(f"{level}. Nivel {level}").check()


def test_an_editor_completes_a_short_assessment_and_sees_the_profile(
    editor_phone, instrument, organization
):
    page = editor_phone
    page.goto(reverse("assessments:index"))
    page.get_by_role("link", name=organization.name).click()
    page.get_by_role("link", name="Empezar el autodiagnóstico").click()
    assert_accessible(page)
    page.get_by_role("button", name="Empezar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Autodiagnóstico de")
    assert_accessible(page)

    page.get_by_role("link", name="Empezar a responder").click()
    choose(page, "Órgano de gobierno", "4")
    choose(page, "Reglas internas", "1")
    page.get_by_label("Evidencia").fill("Actas de las asambleas de 2025")
    page.get_by_role("button", name="Siguiente", exact=True).last.click()
    choose(page, "Propuesta", "2")
    choose(page, "Quién decide", "3")
    page.get_by_label("¿Qué problema?").fill("Falta agua potable en la colonia")
    page.get_by_role("button", name="Siguiente: revisar y enviar").click()

    assessment = Assessment.objects.get()
    page.goto(reverse("assessments:consensus", args=[assessment.pk]))
    assert_accessible(page)
    page.goto(reverse("assessments:complete", args=[assessment.pk]))
    assert_accessible(page)
    page.get_by_role("button", name="Completar el autodiagnóstico").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Perfil de")
    expect(page.locator("svg.assessment-chart").first).to_be_visible()
    table = page.get_by_role("table", name="Puntaje por área (de 1 a 4)")
    expect(table.get_by_role("row", name="Gobernanza")).to_contain_text("3.0")
    expect(table.get_by_role("row", name="Incidencia")).to_contain_text("2.8")
    expect(page.get_by_text("Actas de las asambleas de 2025")).to_be_visible()
    assert_accessible(page)

    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.overall_score == pytest.approx(2.875)
    assert_all_accessible(
        page,
        {
            "plan": reverse("assessments:plan", args=[assessment.pk]),
            "route": reverse("assessments:route", args=[assessment.pk]),
            "hub": reverse("assessments:detail", args=[assessment.pk]),
            "history": reverse("assessments:organization", args=[organization.pk]),
            "index": reverse("assessments:index"),
        },
    )


def test_the_public_pages_have_no_serious_accessibility_violations(page, instrument):
    assert_all_accessible(
        page,
        {
            "landing": reverse("assessments:index"),
            "aggregates": reverse("assessments:aggregates"),
            "aggregates by theme": reverse("assessments:aggregates") + "?por=tema",
        },
    )
