"""Double clicks and crowds: parallel ballots from threads, each with its own
database connection, on PostgreSQL (SQLite lets one writer at a time)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from polo.consultations import services
from polo.consultations.models import Ballot, VoterRecord
from tests import factories as f
from tests.conftest import client_for
from tests.consultations.conftest import make_consultation, options, questions

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (TEST_DATABASE_URL)"
    ),
]


def run_together(jobs) -> list:
    start = threading.Barrier(len(jobs))
    results: list = []

    def run(job):
        start.wait()
        try:
            results.append(job())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=[job]) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_ballots_are_each_counted_once(municipality, facilitator):
    consultation = make_consultation(municipality=municipality)
    o = options(consultation)
    single = questions(consultation)[0]
    data = {f"q{single}": [o["Caminos"]]}
    url = reverse("consultations:vote", args=[consultation.slug])
    table = reverse("consultations:vote_code", args=[consultation.slug])
    voters = [f.UserFactory(email=f"p{n}@ejemplo.mx", municipality=municipality) for n in range(8)]
    double = f.UserFactory(email="doble@ejemplo.mx", municipality=municipality)
    code = services.codes_issue(consultation=consultation, count=1, by=facilitator)[0].code

    def post(user, path, extra=None):
        return lambda: client_for(user).post(path, {**data, **(extra or {})}).status_code

    jobs = [post(v, url) for v in voters]
    jobs += [post(double, url) for _ in range(4)]  # a double (quadruple) click
    jobs += [post(None, table, {"code": code}) for _ in range(4)]  # one code, four times
    statuses = run_together(jobs)

    assert sorted(statuses) == [200] * 10 + [409] * 6
    assert VoterRecord.objects.filter(consultation=consultation).count() == 10
    assert Ballot.objects.filter(consultation=consultation).count() == 10
    assert VoterRecord.objects.filter(consultation=consultation, user=double).count() == 1
    result = services.tally(consultation)
    assert result["ballots"] == result["voters"] == 10
    assert {o["text"]: o["count"] for o in result["questions"][0]["options"]}["Caminos"] == 10
