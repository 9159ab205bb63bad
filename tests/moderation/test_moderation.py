"""Moderation through HTTP: a report (one per person), the queue of those who
moderate the item, hiding with a reason the author sees, restoring."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.agendas.models import Comment
from polo.moderation.models import Decision, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(proposal, editor):
    return Comment.objects.create(
        proposal=proposal, author=editor, body="Compren en mitienda.example"
    )


def report_url(item, kind="agendas.comment"):
    return reverse("moderation:report", args=[kind, item.pk])


def test_a_report_reaches_the_region_s_facilitator_queue(
    as_participant, as_facilitator, as_other_facilitator, comment
):
    response = as_participant.post(report_url(comment), {"reason": "spam", "note": "Publicidad"})
    assert response.status_code == 302
    assert as_participant.post(report_url(comment), {"reason": "offensive"}).status_code == 409
    assert Report.objects.count() == 1
    queue = reverse("moderation:queue")
    assert "Publicidad" in as_facilitator.get(queue).content.decode()
    assert "Publicidad" not in as_other_facilitator.get(queue).content.decode()


def test_a_bad_reason_or_kind_is_refused(as_participant, comment, proposal):
    assert as_participant.post(report_url(comment), {"reason": "boring"}).status_code == 400
    bad = reverse("moderation:report", args=["accounts.user", 1])
    assert as_participant.get(bad).status_code == 404
    assert not Report.objects.exists()


def test_hidden_with_a_reason_the_author_sees(
    as_facilitator,
    as_editor,
    as_visitor,
    as_participant,
    comment,
    proposal,
):
    as_participant.post(report_url(comment), {"reason": "spam"})
    hide = reverse("moderation:hide", args=["agendas.comment", comment.pk])
    assert as_facilitator.post(hide, {"reason": ""}).status_code == 400  # a reason is needed
    assert as_facilitator.post(hide, {"reason": "Publicidad comercial"}).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden
    assert Report.objects.get().status == Report.Status.HIDDEN
    public = as_visitor.get(proposal.get_absolute_url()).content.decode()
    assert "Ocultado por moderación." in public and "mitienda" not in public
    assert "Publicidad comercial" not in public
    own = as_editor.get(proposal.get_absolute_url()).content.decode()
    assert "Motivo: Publicidad comercial" in own
    restore = reverse("moderation:restore", args=["agendas.comment", comment.pk])
    assert as_facilitator.post(restore).status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert list(Decision.objects.values_list("action", flat=True)) == ["restore", "hide"]


def test_a_hidden_proposal_shows_only_that_to_others(
    as_facilitator, as_visitor, as_participant, proposal
):
    hide = reverse("moderation:hide", args=["agendas.proposal", proposal.pk])
    assert as_facilitator.post(hide, {"reason": "Fuera de tema"}).status_code == 302
    assert (
        "Propuesta ocultada por moderación"
        in as_visitor.get(proposal.get_absolute_url()).content.decode()
    )
    own = as_participant.get(proposal.get_absolute_url()).content.decode()
    assert "Motivo: Fuera de tema" in own and proposal.problem in own


def test_others_may_not_hide(as_other_facilitator, as_participant, comment):
    hide = reverse("moderation:hide", args=["agendas.comment", comment.pk])
    assert as_other_facilitator.post(hide, {"reason": "x"}).status_code == 403
    assert as_participant.post(hide, {"reason": "x"}).status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden
