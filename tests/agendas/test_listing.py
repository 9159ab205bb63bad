"""The proposals list is kept in the cache (agendas.listing) and read afresh
after every change it shows: a support, a comment, a new, edited or hidden
proposal, a theme. Each test visits the list first, so that a stale copy would
be there to be served."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polo.agendas import services
from polo.agendas.models import Phase
from polo.moderation import services as moderation
from tests import factories as f
from tests.agendas.conftest import make_agenda, make_proposal, set_phase

pytestmark = pytest.mark.django_db


def listing(client, agenda, **params) -> str:
    response = client.get(reverse("agendas:proposals", args=[agenda.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def counts(page: str) -> list[str]:
    return re.findall(r"<p>(\d+ apoyos? · \d+ comentarios?)", page)


def test_a_support_and_its_withdrawal_show_at_once(
    as_visitor, agenda, proposal, resident, django_capture_on_commit_callbacks
):
    assert counts(listing(as_visitor, agenda)) == ["0 apoyos · 0 comentarios"]
    with django_capture_on_commit_callbacks(execute=True):
        services.support_add(proposal=proposal, by=resident)
    assert counts(listing(as_visitor, agenda)) == ["1 apoyo · 0 comentarios"]
    with django_capture_on_commit_callbacks(execute=True):
        services.support_withdraw(proposal=proposal, by=resident)
    assert counts(listing(as_visitor, agenda)) == ["0 apoyos · 0 comentarios"]


def test_a_comment_shows_at_once(as_visitor, agenda, proposal, resident):
    set_phase(agenda, Phase.DELIBERATION)
    listing(as_visitor, agenda)
    services.comment_create(proposal=proposal, by=resident, body="De acuerdo.")
    assert counts(listing(as_visitor, agenda)) == ["0 apoyos · 1 comentario"]


def test_new_edited_and_hidden_proposals_show_at_once(
    as_visitor, agenda, proposal, participant, resident, coordinator
):
    assert "Comités comunitarios del agua" in listing(as_visitor, agenda)
    services.proposal_create(
        agenda=agenda,
        by=resident,
        fields={"title": "Captación de lluvia", "problem": "Sequía.", "proposal": "Cisternas."},
    )
    assert "Captación de lluvia" in listing(as_visitor, agenda)
    services.proposal_update(
        proposal=proposal, by=participant, fields={"title": "Comités del agua reconocidos"}
    )
    page = listing(as_visitor, agenda)
    assert "Comités del agua reconocidos" in page
    assert "Comités comunitarios del agua" not in page
    moderation.item_hide(item=proposal, reason="Datos personales.", by=coordinator)
    page = listing(as_visitor, agenda)
    assert "Comités del agua reconocidos" not in page
    assert "1 propuesta" in page


def test_a_theme_given_to_a_proposal_shows_in_the_filter(as_visitor, agenda, proposal):
    other = f.ThemeFactory(slug="lluvia", name="Lluvia y cosecha")
    assert 'value="lluvia"' not in listing(as_visitor, agenda)
    proposal.themes.add(other)
    assert 'value="lluvia"' in listing(as_visitor, agenda)
    assert "Comités comunitarios del agua" in listing(as_visitor, agenda, tema="lluvia")
    other.agenda_proposals.remove(proposal)  # from the theme's side
    assert 'value="lluvia"' not in listing(as_visitor, agenda)


def test_a_second_visit_reads_only_the_agenda(as_visitor, agenda, proposal):
    listing(as_visitor, agenda)
    with CaptureQueriesContext(connection) as queries:
        page = listing(as_visitor, agenda)
    assert "Comités comunitarios del agua" in page
    assert len(queries) == 1


def test_a_change_in_another_agenda_leaves_this_list_cached(
    as_visitor, agenda, proposal, region, theme, resident
):
    other = make_agenda(region, theme, slug="otra", title="Otra agenda")
    listing(as_visitor, agenda)
    make_proposal(other, resident, title="Otra propuesta")
    with CaptureQueriesContext(connection) as queries:
        listing(as_visitor, agenda)
    assert len(queries) == 1
    assert "Otra propuesta" in listing(as_visitor, other)


def test_pages_past_the_end_or_not_numbers(as_visitor, agenda, participant):
    for n in range(25):
        make_proposal(agenda, participant, title=f"Propuesta número {n:02d}")
    assert "Página 1 de 2" in listing(as_visitor, agenda, page="uno")
    assert "Página 2 de 2" in listing(as_visitor, agenda, page="99")
    assert "Página 1 de 2" in listing(as_visitor, agenda, page="-3")
    last = listing(as_visitor, agenda, page="2")
    assert len(counts(last)) == 5
