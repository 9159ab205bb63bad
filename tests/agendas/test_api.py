"""The agendas' API: public agendas and visible proposals, never a draft, a
hidden proposal or an author's name; a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polo.agendas.models import Phase
from tests.agendas.conftest import make_agenda, make_proposal

pytestmark = pytest.mark.django_db


def test_public_agendas_and_their_proposals(
    client, agenda, proposal, second_proposal, facilitator, region, theme
):
    make_agenda(region, theme, slug="borrador", phase=Phase.DRAFT)
    second_proposal.support_count = 4
    second_proposal.save()
    proposal.hide(reason="Spam", by=facilitator)
    body = client.get("/api/v1/agendas").json()
    assert [a["slug"] for a in body["items"]] == ["agua-valles"]
    assert body["items"][0]["result"] is None and body["items"][0]["region"] == "valles-centrales"
    proposals = client.get("/api/v1/agendas/agua-valles/proposals").json()
    assert [p["id"] for p in proposals["items"]] == [second_proposal.pk]
    assert proposals["items"][0]["supports"] == 4
    assert "author" not in proposals["items"][0]
    assert "Carmen" not in str(proposals)
    assert client.get("/api/v1/agendas/borrador/proposals").status_code == 404
    assert client.get("/api/v1/agendas/agua-valles/proposals?sort=nada").status_code in (400, 422)


def test_the_published_result_leaves_out_who_entered_a_tally(client, agenda):
    agenda.phase = Phase.PRIORITISATION
    agenda.result = {
        "method": "points",
        "ballots": 2,
        "rows": [],
        "in_person": [{"people": 3, "note": "n", "by": "Luis", "at": "x"}],
    }
    agenda.result_published_at = timezone.now()
    agenda.save()
    item = client.get("/api/v1/agendas").json()["items"][0]
    assert item["result"]["in_person"] == [{"people": 3, "note": "n", "at": "x"}]


def test_proposal_queries_do_not_grow(
    client, agenda, participant, theme, django_assert_max_num_queries
):
    for n in range(30):
        make_proposal(agenda, participant, title=f"P{n}").themes.add(theme)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/agendas/agua-valles/proposals").status_code == 200
