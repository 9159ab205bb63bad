"""Meetings in a browser: axe on the public pages and the forms; the facilitator's
check-in on a phone (search, tick in place with htmx, a walk-in), and the same
tick without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.meetings.models import Registration
from tests.browser.axe import assert_accessible, assert_all_accessible
from tests.browser.conftest import PHONE, log_in
from tests.meetings.factories import MeetingFactory, RegistrationFactory


@pytest.fixture
def meeting(municipality, organization, privacy_notice):
    meeting = MeetingFactory(
        title="Foro de participación ciudadana", municipality=municipality, capacity=30
    )
    meeting.organizers.add(organization)
    RegistrationFactory(meeting=meeting, person__full_name="Juana Gómez")
    RegistrationFactory(meeting=meeting, person__full_name="Pedro Ruiz")
    return meeting


def test_the_public_pages_are_accessible(page, meeting):
    assert_all_accessible(
        page,
        {
            "calendar": reverse("meetings:index"),
            "meeting": meeting.get_absolute_url(),
            "figures": reverse("meetings:figures"),
        },
    )


def test_the_forms_are_accessible(new_context, live_server, facilitator, meeting):
    context = new_context()
    log_in(context, facilitator, live_server)
    page = context.new_page()
    assert_all_accessible(
        page,
        {
            "register someone": reverse("meetings:register_other", args=[meeting.pk]),
            "check-in": reverse("meetings:checkin", args=[meeting.pk]),
            "paper sheet": reverse("meetings:paper_sheet", args=[meeting.pk]),
            "write-up": reverse("meetings:write_up", args=[meeting.pk]),
        },
    )


def test_check_in_on_a_phone(new_context, live_server, facilitator, meeting):
    context = new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    log_in(context, facilitator, live_server)
    page = context.new_page()
    page.goto(reverse("meetings:checkin", args=[meeting.pk]))
    page.get_by_label("Buscar por nombre").fill("gomez")
    juana = page.locator("li", has_text="Juana Gómez")
    pedro = page.locator("li", has_text="Pedro Ruiz")
    pedro.wait_for(state="detached")
    juana.get_by_role("button", name="Marcar asistencia de Juana Gómez").tap()
    juana.get_by_role("button", name="Quitar asistencia de Juana Gómez").wait_for()
    assert Registration.objects.get(person__full_name="Juana Gómez").attended
    assert_accessible(page)
    # A walk-in in a few taps.
    page.get_by_text("Añadir a alguien que llegó sin inscripción").tap()
    page.get_by_label("Nombre completo").fill("Luisa Cruz")
    page.get_by_label("Sexo").select_option("woman")
    page.get_by_label("Edad").select_option("18-29")
    page.get_by_label("Sector").select_option("student")
    page.get_by_role("button", name="Añadir y marcar asistencia").tap()
    page.get_by_text("Asistencia registrada: Luisa Cruz.").wait_for()
    assert Registration.objects.get(person__full_name="Luisa Cruz").attended


def test_check_in_works_without_javascript(new_context, live_server, facilitator, meeting):
    context = new_context(java_script_enabled=False, viewport=PHONE)
    log_in(context, facilitator, live_server)
    page = context.new_page()
    page.goto(reverse("meetings:checkin", args=[meeting.pk]))
    page.get_by_role("button", name="Marcar asistencia de Pedro Ruiz").click()
    page.get_by_text("Asistencia registrada: Pedro Ruiz.").wait_for()
    assert Registration.objects.get(person__full_name="Pedro Ruiz").attended
