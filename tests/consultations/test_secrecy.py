"""Ballot secrecy: nothing stored, exported, shown or administered puts a
person beside what they voted."""

from __future__ import annotations

import json
import uuid

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from polo.accounts import personal_data
from polo.consultations import services
from polo.consultations.models import Ballot, VoterRecord
from tests.conftest import client_for
from tests.consultations.conftest import options, questions

pytestmark = pytest.mark.django_db


def test_a_ballot_stores_nothing_that_leads_to_its_voter():
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"id", "consultation", "receipt", "choices"}
    # No user, no time, no sequence: the key is a random UUID.
    assert isinstance(Ballot._meta.pk.default(), uuid.UUID)
    assert not Ballot._meta.ordering
    # The voter record knows the voter and the day, never the ballot.
    record_fields = {f.name for f in VoterRecord._meta.get_fields()}
    assert record_fields == {"id", "consultation", "user", "code", "voted_on"}
    assert VoterRecord._meta.get_field("voted_on").get_internal_type() == "DateField"
    assert isinstance(VoterRecord._meta.pk.default(), uuid.UUID)
    # No history tables (they would keep the exact time and the user of each row).
    models = {m.__name__ for m in apps.get_app_config("consultations").get_models()}
    assert "HistoricalBallot" not in models and "HistoricalVoterRecord" not in models
    assert {"HistoricalConsultation", "HistoricalQuestion", "HistoricalOption"} <= models
    # The admin shows neither ballots nor who voted.
    registered = {m for m in admin.site._registry if m._meta.app_label == "consultations"}
    assert Ballot not in registered and VoterRecord not in registered
    assert {m.__name__ for m in registered} == {"Consultation", "Question", "AuditLog"}


def test_no_page_or_export_puts_a_voter_beside_a_choice(
    consultation, voter, facilitator, as_facilitator, as_coordinator
):
    o = options(consultation)
    single, _multiple, _ranking = questions(consultation)
    receipt = services.ballot_cast(
        consultation=consultation, answers={single: [o["Escuela"]]}, user=voter
    )
    # The voter's own data export says that they voted, not how, nor the receipt.
    export = json.dumps(personal_data.export(voter), default=str)
    assert consultation.title in export
    assert receipt not in export and "Escuela" not in export
    # Managers' pages: the audit log, the codes, the definition, the admin.
    pages = [
        reverse("consultations:audit", args=[consultation.slug]),
        reverse("consultations:codes", args=[consultation.slug]),
        reverse("consultations:edit", args=[consultation.slug]),
        reverse("consultations:detail", args=[consultation.slug]),
        f"/admin/consultations/consultation/{consultation.pk}/change/",
        "/admin/consultations/auditlog/",
    ]
    for client in (as_facilitator, as_coordinator):
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue  # the admin is for coordinators only
            assert receipt not in response.content.decode(), url
    assert as_coordinator.get("/admin/consultations/ballot/").status_code == 404
    assert as_coordinator.get("/admin/consultations/voterrecord/").status_code == 404
    # The simple-history trail of the coordinators (/bitacora/) finds no ballots.
    trail = as_coordinator.get(reverse("audit:index")).content.decode()
    assert receipt not in trail
    # The voter's own page of the consultation says they voted, nothing more.
    page = client_for(voter).get(reverse("consultations:detail", args=[consultation.slug]))
    text = page.content.decode()
    assert "Ya votó" in text and receipt not in text
