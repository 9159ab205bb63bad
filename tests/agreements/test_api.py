"""/api/v1/agreements: signed agreements only, with parties, commitments and the
derived overdue status; bad input answered in JSON."""

from __future__ import annotations

import datetime

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_lists_signed_agreements_with_commitments_and_derived_status(
    as_visitor, agreement, draft, cso_commitment, authority_commitment, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    body = as_visitor.get("/api/v1/agreements").json()
    assert body["count"] == 1  # the draft is not there
    item = body["items"][0]
    assert item["slug"] == "consulta-oaxaca" and item["region"] == "valles-centrales"
    assert item["municipalities"] == ["20067"]
    assert {p["name"] for p in item["parties"]} == {
        "Mujeres de los Valles A.C.",
        "Municipio de Oaxaca de Juárez",
    }
    assert "Carmen López, Regidora de participación" in item["parties"][1]["signatories"]
    by_text = {c["text"][:9]: c for c in item["commitments"]}
    assert by_text["Capacitar"]["overdue"] is True
    assert by_text["Capacitar"]["derived_status"] == "overdue"
    assert by_text["Capacitar"]["status"] == "pending"
    assert by_text["Publicar "]["derived_status"] == "pending"
    url = by_text["Publicar "]["url"]
    assert url.endswith(f"/convenios/compromisos/{authority_commitment.pk}/")
    assert "email" not in str(body) and "entered_by" not in str(body)

    assert as_visitor.get("/api/v1/agreements", {"region": "montana"}).json()["count"] == 0
    bad = as_visitor.get("/api/v1/agreements", {"page": "0"})
    assert bad.status_code == 400 and "detail" in bad.json()
    assert as_visitor.get("/api/v1/agreements", {"page": "9"}).status_code == 404
    root = as_visitor.get("/api/v1/").json()
    assert root["agreements"].endswith("/api/v1/agreements")
