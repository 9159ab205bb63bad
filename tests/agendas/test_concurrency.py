"""Supports under concurrency, on PostgreSQL: N people supporting at once give
exactly N supports and a count of N; one person's many simultaneous clicks
give one. Threads, each with its own connection, through HTTP."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from polo.agendas.models import Support
from tests import factories as f
from tests.agendas.conftest import make_agenda, make_proposal
from tests.conftest import client_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (TEST_DATABASE_URL)"
    ),
]

THREADS = 12


def _at_once(clients, url, data=None):
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(client):
        start.wait()
        try:
            statuses.append(client.post(url, data or {}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=[c]) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def proposal(region, participant):
    agenda = make_agenda(region, f.ThemeFactory(slug="agua", name="Agua"))
    return make_proposal(agenda, participant)


def test_n_people_at_once_give_n_supports(proposal):
    people = [f.UserFactory(email=f"apoyo{n}@ejemplo.mx") for n in range(THREADS)]
    url = reverse("agendas:support", args=[proposal.agenda.slug, proposal.pk])
    statuses = _at_once([client_for(p) for p in people], url)
    assert statuses == [302] * THREADS
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == THREADS == proposal.support_count


def test_a_frantic_double_click_gives_one(proposal):
    person = f.UserFactory(email="impaciente@ejemplo.mx")
    url = reverse("agendas:support", args=[proposal.agenda.slug, proposal.pk])
    statuses = _at_once([client_for(person) for _ in range(THREADS)], url)
    assert statuses == [302] * THREADS
    proposal.refresh_from_db()
    assert Support.objects.filter(proposal=proposal).count() == 1 == proposal.support_count


def test_supports_and_withdrawals_at_once_keep_the_count(proposal):
    people = [f.UserFactory(email=f"ida{n}@ejemplo.mx") for n in range(THREADS)]
    url = reverse("agendas:support", args=[proposal.agenda.slug, proposal.pk])
    clients = [client_for(p) for p in people]
    for client in clients[: THREADS // 2]:
        client.post(url)
    # The first half withdraws while the second half supports.
    start = threading.Barrier(THREADS)

    def act(client, withdraw):
        start.wait()
        try:
            client.post(url, {"retirar": "1"} if withdraw else {})
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=[c, n < THREADS // 2]) for n, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    proposal.refresh_from_db()
    assert (
        Support.objects.filter(proposal=proposal).count() == THREADS // 2 == proposal.support_count
    )
