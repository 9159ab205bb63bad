"""/api/v1/consultations: the consultations that are not drafts, with their
questions; the result (turnout, fingerprint) only once published; nothing about
who voted; a fixed number of queries whatever the number of consultations."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from polo.consultations import services
from polo.consultations.models import Consultation
from tests import factories as f
from tests.conftest import client_for
from tests.consultations.conftest import make_consultation, options, questions

pytestmark = pytest.mark.django_db

LIST = "/api/v1/consultations"


@pytest.fixture
def api():
    return client_for(None)


def _close(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(hours=3),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def voted(municipality, facilitator):
    """An open consultation with two ballots (an account and a code)."""
    consultation = make_consultation(municipality=municipality, slug="votada")
    o = options(consultation)
    single = questions(consultation)[0]
    voter = f.UserFactory(
        email="vota-api@ejemplo.mx", full_name="Rosa Vota", municipality=municipality
    )
    code = services.codes_issue(consultation=consultation, count=1, by=facilitator)[0].code
    receipts = [
        services.ballot_cast(
            consultation=consultation, answers={single: [o["Caminos"]]}, user=voter
        ),
        services.ballot_cast(
            consultation=consultation, answers={single: [o["Caminos"]]}, code=code
        ),
    ]
    return consultation, voter, code, receipts


def test_lists_consultations_that_are_not_drafts_with_questions(api, municipality):
    make_consultation(municipality=municipality, slug="abierta")
    make_consultation(municipality=municipality, slug="borrador", status="draft")
    body = api.get(LIST).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == "abierta" and item["status"] == "open"
    assert item["municipality"] == municipality.code
    assert item["region"] == municipality.region.slug
    assert item["eligibility"] == "residents"
    assert [q["kind"] for q in item["questions"]] == ["single", "multiple", "ranking"]
    assert [o["text"] for o in item["questions"][0]["options"]] == [
        "Agua potable",
        "Caminos",
        "Escuela",
    ]
    assert item["questions"][1]["max_choices"] == 2
    assert item["result"] is None
    assert item["url"].endswith("/consultas/abierta/")
    root = api.get("/api/v1/").json()
    assert root["consultations"].endswith("/api/v1/consultations")


def test_a_draft_is_not_there(api, municipality):
    make_consultation(municipality=municipality, slug="borrador", status="draft")
    response = api.get(f"{LIST}/borrador")
    assert response.status_code == 404 and "detail" in response.json()
    assert api.get(f"{LIST}/no-existe").status_code == 404


def test_results_are_hidden_until_published_then_shown_with_turnout_and_fingerprint(api, voted):
    consultation, voter, code, receipts = voted
    # Open, with ballots: no result, and no count of ballots anywhere.
    open_body = api.get(f"{LIST}/{consultation.slug}").json()
    assert open_body["status"] == "open" and open_body["result"] is None
    # Closed but not yet published: still nothing.
    _close(consultation)
    closed_body = api.get(f"{LIST}/{consultation.slug}").json()
    assert closed_body["status"] == "closed" and closed_body["result"] is None
    assert api.get(LIST).json()["items"][0]["result"] is None

    published = services.consultation_publish(consultation=consultation, by=None)
    body = api.get(f"{LIST}/{consultation.slug}").json()
    assert body["status"] == "published"
    result = body["result"]
    assert result["ballots"] == 2
    assert result["eligible"] == published["eligible"]
    assert result["turnout"] == published["turnout"]
    assert result["fingerprint"] == published["digest"] and len(result["fingerprint"]) == 64
    counts = {o["text"]: o["count"] for o in result["questions"][0]["options"]}
    assert counts == {"Agua potable": 0, "Caminos": 2, "Escuela": 0}
    assert result["questions"][1]["blank"] == 2
    assert api.get(LIST).json()["items"][0]["result"] == result


def test_nothing_about_who_voted(api, voted):
    consultation, voter, code, receipts = voted
    services.consultation_publish(consultation=_close(consultation), by=None)
    for path in (LIST, f"{LIST}/{consultation.slug}"):
        text = api.get(path).content.decode()
        for secret in (voter.email, voter.full_name, code, *receipts):
            assert secret not in text
        for word in ("voter", "receipt", "email", "code", '"voters"'):
            assert word not in text


def test_signed_in_staff_get_the_same_answer(municipality, coordinator):
    make_consultation(municipality=municipality, slug="borrador", status="draft")
    assert client_for(coordinator).get(LIST).json()["count"] == 0
    assert client_for(coordinator).get(f"{LIST}/borrador").status_code == 404


def test_region_filter_and_bad_input(api, municipality, other_municipality):
    make_consultation(municipality=municipality, slug="aqui")
    make_consultation(municipality=other_municipality, slug="alla")
    mine = api.get(LIST, {"region": municipality.region.slug}).json()
    assert [i["slug"] for i in mine["items"]] == ["aqui"]
    assert api.get(LIST, {"region": "<script>"}).json()["count"] == 0
    assert api.get(LIST, {"page": "0"}).status_code == 400
    assert api.get(LIST, {"page": "9"}).status_code == 404
    assert api.get(LIST, {"page_size": "1000"}).status_code == 400
    assert api.get(f"{LIST}/%3Cscript%3E").status_code == 404
    assert api.post(LIST).status_code == 405


def test_queries_do_not_grow_with_the_consultations(
    api, municipality, django_assert_max_num_queries
):
    for n in range(2):
        make_consultation(municipality=municipality, slug=f"c{n}")
    with django_assert_max_num_queries(4):  # count, page, questions, options
        assert api.get(LIST).json()["count"] == 2
    for n in range(2, 12):
        make_consultation(municipality=municipality, slug=f"c{n}")
    with django_assert_max_num_queries(4):
        assert api.get(LIST).json()["count"] == 12
    with django_assert_max_num_queries(3):  # consultation, questions, options
        assert api.get(f"{LIST}/c5").status_code == 200
