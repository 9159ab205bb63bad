"""An agreement reached at a meeting becomes a commitment: of an agreement in
force that the meeting's organiser is party to, or of a new draft; linked both
ways (the commitment says which meeting it arises from, the minutes show the
commitment and its status). Per role, bad input and double submissions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polo.agreements.models import Agreement, Commitment
from polo.meetings.models import MeetingAgreement
from tests import factories as f
from tests.agreements.conftest import party
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> Publicar el calendario'


@pytest.fixture
def meeting(municipality, organization):
    meeting = MeetingFactory(title="Foro de seguimiento del convenio", municipality=municipality)
    meeting.organizers.add(organization)
    return meeting


@pytest.fixture
def reached(meeting):
    return MeetingAgreement.objects.create(
        meeting=meeting,
        position=1,
        text=HOSTILE,
        responsible="Mujeres de los Valles",
        due_date=datetime.date(2027, 9, 30),
    )


def url(reached):
    return reverse("agreements:from_meeting", args=[reached.pk])


def existing_data(responsible, **extra):
    return {
        "action": "existing",
        "convenio-responsible": responsible.pk,
        "convenio-text": HOSTILE,
        "convenio-due_on": "2027-09-30",
        "convenio-indicator": "Calendario publicado en el sitio del municipio",
        **extra,
    }


def new_data(organization, **extra):
    return {
        "action": "new",
        "borrador-title": "Convenio de seguimiento del foro",
        "borrador-kind": "cso_authority",
        "borrador-responsible": organization.pk,
        "borrador-text": "Instalar la mesa de seguimiento",
        "borrador-due_on": "2027-10-15",
        "borrador-indicator": "Acta de instalación",
        **extra,
    }


def test_the_organisers_editor_sees_agreements_in_force_not_drafts(
    as_editor, as_facilitator, reached, agreement, draft
):
    page = as_editor.get(url(reached))
    assert page.status_code == 200
    html = page.content.decode()
    assert agreement.title in html
    assert draft.title not in html  # drafts are for those who manage agreements
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert 'value="2027-09-30"' in html  # the meeting's date, proposed
    assert draft.title in as_facilitator.get(url(reached)).content.decode()


def test_a_commitment_of_an_agreement_in_force_linked_both_ways(
    as_editor, as_visitor, editor, reached, agreement, organization, meeting
):
    responsible = party(agreement, organization)
    response = as_editor.post(url(reached), existing_data(responsible))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:write_up", args=[meeting.pk])
    reached.refresh_from_db()
    commitment = reached.commitment
    assert commitment.agreement == agreement and commitment.responsible == responsible
    assert commitment.text == HOSTILE and commitment.due_on == datetime.date(2027, 9, 30)
    assert commitment.position == agreement.commitments.count()
    assert commitment.history.count() == 1 and reached.history.count() == 2

    # The commitment says which meeting it arises from.
    page = as_visitor.get(commitment.get_absolute_url()).content.decode()
    assert "Surge del encuentro" in page and meeting.get_absolute_url() in page
    # The minutes (public page and write-up) show the commitment and its status.
    public = as_visitor.get(meeting.get_absolute_url()).content.decode()
    assert commitment.get_absolute_url() in public and "Pendiente" in public
    write_up = as_editor.get(reverse("meetings:write_up", args=[meeting.pk])).content.decode()
    assert commitment.get_absolute_url() in write_up
    assert url(reached) not in write_up  # no second conversion offered
    assert "<script>alert" not in public + write_up + page


def test_the_write_up_offers_the_button_to_those_who_run_the_meeting(
    as_editor, as_visitor, reached, meeting
):
    write_up = as_editor.get(reverse("meetings:write_up", args=[meeting.pk])).content.decode()
    assert url(reached) in write_up and "Convertir en compromiso de convenio" in write_up
    assert url(reached) not in as_visitor.get(meeting.get_absolute_url()).content.decode()


def test_a_double_submission_makes_one_commitment(as_editor, reached, agreement, organization):
    data = existing_data(party(agreement, organization))
    assert as_editor.post(url(reached), data).status_code == 302
    again = as_editor.post(url(reached), data)
    assert again.status_code == 409
    assert "ya es un compromiso" in again.content.decode()
    assert Commitment.objects.filter(text=HOSTILE).count() == 1


def test_an_agreement_the_organisers_are_not_party_to_is_refused(
    as_editor, reached, municipality, region
):
    stranger = f.OrganizationFactory(name="Otra red", municipality=municipality)
    other = Agreement.objects.create(
        title="Convenio ajeno",
        slug="ajeno",
        kind="academic",
        status="signed",
        signed_on=datetime.date(2026, 1, 1),
        region=region,
    )
    foreign = other.parties.create(organization=stranger)
    response = as_editor.post(url(reached), existing_data(foreign))
    assert response.status_code == 400
    assert not Commitment.objects.filter(agreement=other).exists()
    reached.refresh_from_db()
    assert reached.commitment is None


@pytest.mark.parametrize(
    "bad",
    [
        {"convenio-due_on": "mañana"},
        {"convenio-indicator": ""},
        {"convenio-responsible": "999999"},
        {"convenio-text": "x" * 2001},
        {"action": "otra"},
    ],
)
def test_bad_input_counts_nothing(as_editor, reached, agreement, organization, bad):
    response = as_editor.post(url(reached), existing_data(party(agreement, organization), **bad))
    assert response.status_code == 400
    reached.refresh_from_db()
    assert reached.commitment is None


def test_a_concluded_agreement_takes_no_new_commitment(as_editor, reached, agreement, organization):
    Agreement.objects.filter(pk=agreement.pk).update(status="concluded")
    response = as_editor.post(url(reached), existing_data(party(agreement, organization)))
    assert response.status_code == 400  # not among the choices any more
    reached.refresh_from_db()
    assert reached.commitment is None


def test_a_new_draft_agreement_from_the_meeting(
    as_facilitator, as_editor, as_visitor, facilitator, reached, meeting, organization, region
):
    response = as_facilitator.post(url(reached), new_data(organization))
    assert response.status_code == 302
    reached.refresh_from_db()
    commitment = reached.commitment
    draft = commitment.agreement
    assert draft.status == Agreement.Status.DRAFT and draft.region == region
    assert draft.created_by == facilitator
    assert list(draft.parties.values_list("organization", flat=True)) == [organization.pk]
    assert commitment.responsible.organization == organization
    assert list(draft.municipalities.all()) == [meeting.municipality]
    # The draft's title stays with those who manage it.
    public = as_visitor.get(meeting.get_absolute_url()).content.decode()
    assert "Compromiso de un convenio en borrador" in public and draft.title not in public
    assert as_visitor.get(draft.get_absolute_url()).status_code == 404


def test_a_new_draft_needs_an_organiser_as_responsible(as_editor, reached, municipality):
    stranger = f.OrganizationFactory(name="Otra red", municipality=municipality)
    response = as_editor.post(url(reached), new_data(stranger))
    assert response.status_code == 400
    assert not Agreement.objects.filter(title="Convenio de seguimiento del foro").exists()


def test_who_does_not_run_the_meeting_cannot(
    as_participant, as_other_facilitator, as_visitor, reached, agreement, organization
):
    data = existing_data(party(agreement, organization))
    assert as_participant.post(url(reached), data).status_code == 403
    assert as_other_facilitator.post(url(reached), data).status_code == 403
    assert as_visitor.post(url(reached), data).status_code == 302
    reached.refresh_from_db()
    assert reached.commitment is None


def test_a_draft_meetings_agreement_is_not_there_for_others(
    as_participant, as_editor, municipality, organization
):
    hidden = MeetingFactory(title="Borrador", municipality=municipality, status="draft")
    hidden.organizers.add(organization)
    reached = MeetingAgreement.objects.create(meeting=hidden, text="Algo")
    assert as_participant.get(url(reached)).status_code == 404
    assert as_editor.get(url(reached)).status_code == 200


def test_the_minutes_keep_a_fixed_number_of_queries(
    as_editor, meeting, agreement, organization, django_assert_max_num_queries
):
    responsible = party(agreement, organization)
    write_up = reverse("meetings:write_up", args=[meeting.pk])

    def add(n):
        for i in range(n):
            reached = MeetingAgreement.objects.create(meeting=meeting, text=f"Acuerdo {i}")
            as_editor.post(url(reached), existing_data(responsible))

    add(2)
    with CaptureQueriesContext(connection) as few:
        as_editor.get(write_up)
        as_editor.get(meeting.get_absolute_url())
    counted = len(few)  # now: the log is emptied by the next request
    assert counted <= 30
    add(6)
    with django_assert_max_num_queries(counted):
        as_editor.get(write_up)
        as_editor.get(meeting.get_absolute_url())
