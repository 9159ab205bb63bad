"""Proposing and editing organisations, per role, through the pages people use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.directory.models import (
    ContactPoint,
    Language,
    Membership,
    Organization,
    Population,
    ProfileRevision,
)
from tests import factories as f
from tests.directory.helpers_editing import contact, messages_of, profile_data, theme

pytestmark = pytest.mark.django_db

PROPOSE = reverse("directory:propose")


@pytest.fixture
def organization(organization):
    """The shared persona's organisation, with a theme (the form asks for one)."""
    organization.themes.add(theme())
    return organization


def edit_url(organization: Organization) -> str:
    return reverse("directory:organization_edit", args=[organization.pk])


# --- propose ---------------------------------------------------------------------


def test_a_visitor_is_asked_to_sign_in_before_proposing(as_visitor, municipality):
    response = as_visitor.get(PROPOSE)

    assert response.status_code == 302
    assert "/cuentas/login/" in response["Location"]
    assert as_visitor.post(PROPOSE, profile_data(municipality=municipality.pk)).status_code == 302
    assert not Organization.objects.exists()


def test_a_participant_proposes_an_organisation_that_waits_and_they_edit(
    as_participant, participant, municipality, as_visitor
):
    women = Population.objects.get(slug="mujeres")
    nahuatl = Language.objects.get(code="nahuatl")

    response = as_participant.post(
        PROPOSE,
        profile_data(
            municipality=municipality.pk,
            populations=[women.pk],
            languages=[nahuatl.pk],
            contacts=[("email", "Hola@Colectivo.MX", True), ("phone", "951 123 4567", False)],
        ),
    )

    organization = Organization.objects.get(name="Colectivo Nueva Esperanza")
    assert response.status_code == 302
    assert response["Location"] == edit_url(organization)
    assert organization.status == Organization.Status.PENDING
    assert organization.created_by == participant
    assert Membership.objects.get(organization=organization, user=participant).is_editor
    assert list(organization.populations.all()) == [women]
    assert list(organization.languages.all()) == [nahuatl]
    assert set(organization.contacts.values_list("kind", "value", "is_public")) == {
        ("email", "hola@colectivo.mx", True),
        ("phone", "951 123 4567", False),
    }
    assert " esperanz" in organization.search_text
    first = organization.history.earliest()
    assert first.history_type == "+" and first.history_user == participant
    assert "Propuesta por" in first.history_change_reason
    # Not public until reviewed.
    assert as_visitor.get(organization.get_absolute_url()).status_code == 404
    assert as_participant.get(edit_url(organization)).status_code == 200


def test_a_likely_duplicate_is_shown_and_needs_confirmation(
    as_participant, organization, municipality
):
    data = profile_data(municipality=municipality.pk, name="VALLES, MUJERES DE LOS")

    response = as_participant.post(PROPOSE, data)

    assert response.status_code == 200
    assert Organization.objects.count() == 1
    assert response.context["duplicates"][0].pk == organization.pk
    assert organization.name in response.content.decode()

    response = as_participant.post(PROPOSE, {**data, "sure": "on"})

    assert response.status_code == 302
    assert Organization.objects.count() == 2


def test_an_invalid_proposal_says_what_is_wrong_and_creates_nothing(as_participant, municipality):
    response = as_participant.post(
        PROPOSE,
        profile_data(
            municipality=municipality.pk,
            name="   ",
            themes=[],
            rfc="NO-ES-UN-RFC",
            cluni="123",
            latitude="40.4",
            longitude="-3.7",
        ),
    )

    form = response.context["forms"].profile
    assert response.status_code == 200
    assert set(form.errors) >= {"name", "themes", "rfc", "cluni", "latitude", "longitude"}
    assert not Organization.objects.exists()


def test_a_municipality_the_select_did_not_offer_is_refused(as_participant):
    elsewhere = f.MunicipalityFactory(
        code="09015", name="Cuauhtémoc", state=f.StateFactory(code="09", name="CDMX")
    )

    response = as_participant.post(PROPOSE, profile_data(municipality=elsewhere.pk))

    assert "municipality" in response.context["forms"].profile.errors
    assert not Organization.objects.exists()


def test_the_community_must_be_one_of_the_municipality(
    as_participant, municipality, other_municipality
):
    f.CommunityFactory(municipality=municipality, name="San Felipe del Agua", code="200670002")
    f.CommunityFactory(municipality=other_municipality, name="Iliatenco", code="120410001")

    response = as_participant.post(
        PROPOSE, profile_data(municipality=municipality.pk, community="Iliatenco")
    )
    assert "community" in response.context["forms"].profile.errors

    response = as_participant.post(
        PROPOSE, profile_data(municipality=municipality.pk, community="san felipe del agua")
    )
    assert response.status_code == 302
    assert Organization.objects.get().community.code == "200670002"


def test_coverage_is_typed_as_keys_or_names_and_unknown_ones_are_named(
    as_participant, municipality, other_municipality
):
    response = as_participant.post(
        PROPOSE,
        profile_data(
            municipality=municipality.pk, coverage_municipalities="Malinaltepec\nNingunlado"
        ),
    )
    errors = response.context["forms"].profile.errors["coverage_municipalities"]
    assert any("Ningunlado" in error for error in errors)

    as_participant.post(
        PROPOSE,
        profile_data(municipality=municipality.pk, coverage_municipalities="malinaltepec; 20067"),
    )
    assert set(Organization.objects.get().coverage_municipalities.all()) == {
        municipality,
        other_municipality,
    }


# --- editing a published profile: through review -------------------------------------


def test_an_editors_change_to_a_published_profile_waits_for_review(
    as_editor, editor, organization, as_visitor
):
    response = as_editor.post(
        edit_url(organization),
        profile_data(organization=organization, name="Mujeres Zapotecas de los Valles A.C."),
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Mujeres de los Valles A.C."
    revision = ProfileRevision.objects.get(organization=organization)
    assert revision.status == ProfileRevision.Status.PENDING
    assert revision.submitted_by == editor
    assert revision.data == {"name": "Mujeres Zapotecas de los Valles A.C."}
    public = as_visitor.get(organization.get_absolute_url()).content.decode()
    assert "Zapotecas" not in public
    # The form shows the pending change; a second edit replaces it.
    page = as_editor.get(edit_url(organization))
    assert page.context["pending"] == revision
    assert page.context["forms"].profile["name"].value() == "Mujeres Zapotecas de los Valles A.C."
    as_editor.post(
        edit_url(organization),
        profile_data(organization=organization, name="Mujeres de los Valles Unidas A.C."),
    )
    assert ProfileRevision.objects.get().data == {"name": "Mujeres de los Valles Unidas A.C."}


def test_a_facilitator_of_the_region_approves_and_the_change_is_published(
    as_editor, as_facilitator, facilitator, organization, as_visitor
):
    as_editor.post(
        edit_url(organization),
        profile_data(organization=organization, description="Defendemos derechos."),
    )
    revision = ProfileRevision.objects.get()
    url = reverse("directory:revision_review", args=[revision.pk])

    page = as_facilitator.get(url)
    assert page.status_code == 200
    assert "Defendemos derechos." in page.content.decode()
    response = as_facilitator.post(url, {"decision": "approve", "note": ""})

    assert response.status_code == 302
    revision.refresh_from_db()
    organization.refresh_from_db()
    assert revision.status == ProfileRevision.Status.APPROVED
    assert revision.reviewed_by == facilitator
    assert organization.description == "Defendemos derechos."
    assert " defend" in organization.search_text
    latest = organization.history.latest()
    assert latest.history_user == facilitator
    assert "aprobados por" in latest.history_change_reason
    assert (
        "Defendemos derechos." in as_visitor.get(organization.get_absolute_url()).content.decode()
    )


def test_the_facilitator_of_another_region_cannot_review(
    as_editor, as_other_facilitator, organization
):
    as_editor.post(edit_url(organization), profile_data(organization=organization, acronym="MV"))
    revision = ProfileRevision.objects.get()
    url = reverse("directory:revision_review", args=[revision.pk])

    assert as_other_facilitator.get(url).status_code == 403
    assert as_other_facilitator.post(url, {"decision": "approve"}).status_code == 403
    revision.refresh_from_db()
    assert revision.status == ProfileRevision.Status.PENDING


def test_a_rejection_needs_a_note_and_the_editor_reads_it(as_editor, as_coordinator, organization):
    as_editor.post(edit_url(organization), profile_data(organization=organization, acronym="MV"))
    revision = ProfileRevision.objects.get()
    url = reverse("directory:revision_review", args=[revision.pk])

    response = as_coordinator.post(url, {"decision": "reject", "note": " "})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors

    as_coordinator.post(url, {"decision": "reject", "note": "Las siglas no coinciden con el acta."})

    revision.refresh_from_db()
    organization.refresh_from_db()
    assert revision.status == ProfileRevision.Status.REJECTED
    assert organization.acronym == ""
    page = as_editor.get(edit_url(organization)).content.decode()
    assert "Las siglas no coinciden con el acta." in page


def test_a_revision_already_decided_cannot_be_decided_again(
    as_editor, as_coordinator, as_facilitator, organization
):
    as_editor.post(edit_url(organization), profile_data(organization=organization, acronym="MV"))
    url = reverse("directory:revision_review", args=[ProfileRevision.objects.get().pk])
    as_coordinator.post(url, {"decision": "reject", "note": "No."})

    response = as_facilitator.post(url, {"decision": "approve"})

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.acronym == ""


# --- direct edits ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_programme_staff_edit_a_published_profile_directly(request, persona, organization):
    client = request.getfixturevalue(f"as_{persona}")
    user = request.getfixturevalue(persona)

    response = client.post(
        edit_url(organization), profile_data(organization=organization, acronym="MUVA")
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.acronym == "MUVA"
    assert not ProfileRevision.objects.exists()
    latest = organization.history.latest()
    assert latest.history_user == user
    assert latest.history_change_reason.startswith("Editada por")


def test_an_editor_changes_a_pending_proposal_directly(as_participant, participant, municipality):
    as_participant.post(PROPOSE, profile_data(municipality=municipality.pk))
    organization = Organization.objects.get()

    as_participant.post(
        edit_url(organization), profile_data(organization=organization, acronym="CNE")
    )

    organization.refresh_from_db()
    assert organization.acronym == "CNE"
    assert organization.status == Organization.Status.PENDING
    assert not ProfileRevision.objects.exists()


def test_themes_changed_by_staff_refresh_the_search(as_coordinator, organization):
    culture = f.ThemeFactory(slug="cultura-prueba", name="Cultura comunitaria")

    as_coordinator.post(
        edit_url(organization), profile_data(organization=organization, themes=[culture.pk])
    )

    organization.refresh_from_db()
    assert list(organization.themes.all()) == [culture]
    assert " comunitari" in organization.search_text
    assert Organization.objects.search("comunitaria").filter(pk=organization.pk).exists()


def test_an_edit_that_changes_nothing_records_nothing(as_coordinator, organization):
    before = organization.history.count()

    response = as_coordinator.post(
        edit_url(organization), profile_data(organization=organization), follow=True
    )

    assert "No hubo cambios que guardar." in messages_of(response)
    assert organization.history.count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("participant", 403), ("other_facilitator", 403), ("editor", 200), ("coordinator", 200)],
)
def test_who_may_open_the_edit_page(request, persona, status, organization):
    client = request.getfixturevalue(f"as_{persona}")

    assert client.get(edit_url(organization)).status_code == status


def test_an_unpublished_organisation_is_not_found_for_outsiders(as_participant, municipality):
    draft = f.OrganizationFactory(municipality=municipality, status=Organization.Status.DRAFT)

    assert as_participant.get(edit_url(draft)).status_code == 404
    assert (
        as_participant.get(reverse("directory:organization_edit", args=[99999])).status_code == 404
    )


def test_a_draft_is_sent_to_review_by_its_editor(municipality):
    draft = f.OrganizationFactory(municipality=municipality, status=Organization.Status.DRAFT)
    user = f.UserFactory()
    f.MembershipFactory(user=user, organization=draft)
    from tests.conftest import client_for

    client = client_for(user)
    url = reverse("directory:organization_submit", args=[draft.pk])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Organization.Status.PENDING
    client.post(url)  # twice: nothing breaks, a message says why
    draft.refresh_from_db()
    assert draft.status == Organization.Status.PENDING


# --- review of new organisations --------------------------------------------------------


def test_the_queue_shows_facilitators_their_regions_and_coordinators_everything(
    as_facilitator,
    as_other_facilitator,
    as_coordinator,
    as_editor,
    municipality,
    other_municipality,
):
    here = f.OrganizationFactory(
        name="Propuesta de los Valles", municipality=municipality, status="pending"
    )
    there = f.OrganizationFactory(
        name="Propuesta de La Montaña", municipality=other_municipality, status="pending"
    )
    url = reverse("directory:review_queue")

    assert list(as_facilitator.get(url).context["proposals"]) == [here]
    assert list(as_other_facilitator.get(url).context["proposals"]) == [there]
    assert set(as_coordinator.get(url).context["proposals"]) == {here, there}
    assert as_editor.get(url).status_code == 403


def test_approving_a_proposal_publishes_it(as_facilitator, facilitator, municipality, as_visitor):
    proposal = f.OrganizationFactory(
        name="Colectivo por Revisar", municipality=municipality, status="pending"
    )
    url = reverse("directory:organization_review", args=[proposal.pk])

    assert "Colectivo por Revisar" in as_facilitator.get(url).content.decode()
    as_facilitator.post(url, {"decision": "approve"})

    proposal.refresh_from_db()
    assert proposal.status == Organization.Status.PUBLISHED
    decision = proposal.revisions.get()
    assert decision.status == ProfileRevision.Status.APPROVED
    assert decision.reviewed_by == facilitator
    assert as_visitor.get(proposal.get_absolute_url()).status_code == 200


def test_rejecting_a_proposal_sends_it_back_to_draft_with_the_note(as_coordinator, municipality):
    proposal = f.OrganizationFactory(municipality=municipality, status="pending")
    url = reverse("directory:organization_review", args=[proposal.pk])

    as_coordinator.post(url, {"decision": "reject", "note": "Falta la descripción."})

    proposal.refresh_from_db()
    assert proposal.status == Organization.Status.DRAFT
    assert proposal.revisions.get().review_note == "Falta la descripción."


def test_a_proposal_of_another_region_cannot_be_reviewed(as_other_facilitator, municipality):
    proposal = f.OrganizationFactory(municipality=municipality, status="pending")
    url = reverse("directory:organization_review", args=[proposal.pk])

    assert as_other_facilitator.post(url, {"decision": "approve"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Organization.Status.PENDING


# --- contacts are public or private each ---------------------------------------------------


def test_private_contacts_never_reach_the_public_profile(as_visitor, as_coordinator, organization):
    contact(organization, ContactPoint.Kind.EMAIL, "contacto@mujeresvalles.org", public=True)
    contact(organization, ContactPoint.Kind.PHONE, "951 555 0101", public=False)
    contact(organization, ContactPoint.Kind.ADDRESS, "Calle Secreta 12", public=False)

    public = as_visitor.get(organization.get_absolute_url()).content.decode()

    assert "contacto@mujeresvalles.org" in public
    assert "951 555 0101" not in public
    assert "Calle Secreta" not in public
    # The editing form keeps each contact's own visibility.
    forms = as_coordinator.get(edit_url(organization)).context["forms"]
    assert {(row["value"].value(), row["is_public"].value()) for row in forms.contacts} >= {
        ("contacto@mujeresvalles.org", True),
        ("951 555 0101", False),
        ("Calle Secreta 12", False),
    }


def test_a_contact_edit_keeps_the_visibility_chosen_for_each(as_coordinator, organization):
    contact(organization, ContactPoint.Kind.PHONE, "951 555 0101", public=False)

    as_coordinator.post(
        edit_url(organization),
        profile_data(
            organization=organization,
            contacts=[("phone", "951 555 0101", True), ("website", "mujeresvalles.org", False)],
        ),
    )

    assert set(organization.contacts.values_list("kind", "value", "is_public")) == {
        ("phone", "951 555 0101", True),
        ("website", "https://mujeresvalles.org", False),
    }


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("email", "no-es-correo"),
        ("website", "javascript:alert(1)"),
        ("phone", "llámame"),
        ("phone", "12"),
        ("facebook", "https://exa mple.com/x y"),
    ],
)
def test_a_contact_that_does_not_fit_its_kind_is_refused(as_coordinator, organization, kind, value):
    response = as_coordinator.post(
        edit_url(organization),
        profile_data(organization=organization, contacts=[(kind, value, True)]),
    )

    assert response.status_code == 200
    assert response.context["forms"].contacts.errors[0]
    assert not organization.contacts.exists()


def test_identifiers_are_kept_and_a_taken_one_is_refused(
    as_coordinator, organization, municipality
):
    other = f.OrganizationFactory(municipality=municipality)
    other.identifiers.create(scheme="Donataria", value="D-123")

    response = as_coordinator.post(
        edit_url(organization),
        profile_data(organization=organization, identifiers=[("Donataria", "D-123")]),
    )
    assert response.status_code == 200
    assert "ya es de otra organización" in response.content.decode()

    as_coordinator.post(
        edit_url(organization),
        profile_data(organization=organization, identifiers=[("Donataria", "D-999")]),
    )
    assert list(organization.identifiers.values_list("scheme", "value")) == [("Donataria", "D-999")]
    response = as_coordinator.post(
        edit_url(organization),
        profile_data(organization=organization, identifiers=[("RFC", "XAXX010101000")]),
    )
    assert response.context["forms"].identifiers.errors[0]


def test_an_archived_organisation_is_edited_only_by_programme_staff(
    as_editor, as_coordinator, organization
):
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.ARCHIVED)

    response = as_editor.post(
        edit_url(organization), profile_data(organization=organization, acronym="ARCH")
    )

    assert response.status_code == 200
    assert "archivada" in response.content.decode()
    organization.refresh_from_db()
    assert organization.acronym == ""
    assert not ProfileRevision.objects.exists()
    as_coordinator.post(
        edit_url(organization), profile_data(organization=organization, acronym="ARCH")
    )
    organization.refresh_from_db()
    assert organization.acronym == "ARCH"
