"""An agreement reached at a meeting turned into a commitment in a browser: the
button on the write-up, the form (axe), the commitment shown in the minutes and
the commitment page pointing back at the meeting (axe)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from polo.meetings.models import MeetingAgreement
from tests.agreements import conftest as world
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in
from tests.meetings.factories import MeetingFactory

agreement = world.agreement
authority = world.authority


def test_the_editor_turns_a_meetings_agreement_into_a_commitment(
    new_context, live_server, editor, agreement, organization, municipality
):
    meeting = MeetingFactory(title="Foro de seguimiento", municipality=municipality)
    meeting.organizers.add(organization)
    reached = MeetingAgreement.objects.create(
        meeting=meeting,
        position=1,
        text="Publicar el calendario de las consultas",
        due_date=datetime.date(2027, 3, 31),
    )
    context = new_context()
    log_in(context, editor, live_server)
    page = context.new_page()
    page.goto(reverse("meetings:write_up", args=[meeting.pk]))
    page.get_by_role("link", name="Convertir en compromiso de convenio").click()
    page.wait_for_url(f"**{reverse('agreements:from_meeting', args=[reached.pk])}")
    assert_accessible(page)
    page.get_by_label("Indicador de cumplimiento").first.fill("Calendario publicado")
    page.get_by_role("button", name="Añadir el compromiso al convenio").click()
    page.wait_for_url(f"**{reverse('meetings:write_up', args=[meeting.pk])}")
    reached.refresh_from_db()
    assert reached.commitment is not None
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name=f"Compromiso en «{agreement.title}»").click()
    page.wait_for_url(f"**{reached.commitment.get_absolute_url()}")
    assert page.get_by_text("Surge del encuentro").is_visible()
    assert_accessible(page)
