"""`polo agreements remind`: the parties' editors are told once per commitment
and threshold (due soon, overdue), and never twice."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from polo.agreements import services
from polo.agreements.models import Reminder

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_per_commitment_and_threshold(
    agreement, cso_commitment, authority_commitment, editor, authority_editor, time_machine
):
    # 15 June: the CSO's commitment (31 May) is overdue; the authority's (30 June)
    # is due within 14 days... at 16 June, not yet at 15 June (15 days).
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    out = StringIO()
    call_command("agreements", "remind", stdout=out)
    assert "Avisos enviados: 2" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == [editor.email, authority_editor.email]
    assert mail.outbox[0].subject.startswith("Compromiso vencido")
    assert "Capacitar a cuarenta personas" in mail.outbox[0].body
    assert f"/convenios/compromisos/{cso_commitment.pk}/" in mail.outbox[0].body

    call_command("agreements", "remind", stdout=StringIO())
    assert len(mail.outbox) == 2  # nothing twice

    time_machine.move_to(datetime.datetime(2026, 6, 16, 12, tzinfo=datetime.UTC))
    assert services.send_reminders() == 2
    assert all(m.subject.startswith("Compromiso por vencer") for m in mail.outbox[2:])
    assert services.send_reminders() == 0

    # Once past its date, the authority's commitment is reminded as overdue, once.
    time_machine.move_to(datetime.datetime(2026, 7, 2, 12, tzinfo=datetime.UTC))
    assert services.send_reminders(days=3) == 2
    assert services.send_reminders(days=3) == 0
    assert set(Reminder.objects.values_list("commitment", "threshold")) == {
        (cso_commitment.pk, "overdue"),
        (authority_commitment.pk, "due_soon"),
        (authority_commitment.pk, "overdue"),
    }


def test_closed_commitments_and_drafts_are_not_reminded(
    agreement, cso_commitment, draft, editor, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    cso_commitment.status = "fulfilled"
    cso_commitment.save()
    draft.commitments.create(
        text="Borrador", responsible=draft.parties.get(), due_on=datetime.date(2026, 6, 1)
    )
    assert services.send_reminders() == 0
    assert mail.outbox == []
