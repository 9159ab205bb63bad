"""The person's own data (ARCO access): their invitations with their own
answers, and the comments they wrote on plans; nothing of anybody else."""

from __future__ import annotations

from django.urls import reverse

from polo.assessments import services
from tests.assessments.helpers import completed


def test_a_member_gets_their_invitations_and_comments(
    instrument, organization, editor, member, as_member, facilitator
):
    first = completed(organization, editor)
    services.plan_comment_add(
        assessment=first, text="Comentario de la facilitadora", by=facilitator
    )
    ongoing = services.assessment_start(organization=organization, by=editor)
    own = services.invitation_create(assessment=ongoing, user=member, by=editor).response
    own.data = {**own.data, "gob_1": "2", "ejercicio": "Lo mío"}
    own.save()
    data = as_member.get(reverse("accounts:my_data")).json()["sections"]["assessments"]
    assert data["invitations"][0]["organization"] == organization.name
    assert data["invitations"][0]["answers"]["ejercicio"] == "Lo mío"
    assert data["plan_comments"] == []


def test_a_facilitator_gets_the_comments_they_wrote(done, facilitator, as_facilitator):
    services.plan_comment_add(assessment=done, text="Revisen la fecha", by=facilitator)
    data = as_facilitator.get(reverse("accounts:my_data")).json()["sections"]["assessments"]
    assert [c["text"] for c in data["plan_comments"]] == ["Revisen la fecha"]
    assert data["invitations"] == []
