"""Alliances: declared by one side, public only once both sides confirm."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.directory import services
from polo.directory.models import Alliance, Organization
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(municipality):
    return f.OrganizationFactory(name="Colectivo Tequio Joven", municipality=municipality)


@pytest.fixture
def partner_editor(partner):
    user = f.UserFactory(email="tequio@ejemplo.mx")
    f.MembershipFactory(user=user, organization=partner, is_editor=True)
    return user


def alliances_url(organization: Organization) -> str:
    return reverse("directory:organization_alliances", args=[organization.pk])


def action_url(organization: Organization, alliance: Alliance, action: str) -> str:
    return reverse("directory:alliance_action", args=[organization.pk, alliance.pk, action])


def declare(client, organization: Organization, partner: Organization, **data):
    return client.post(
        f"{alliances_url(organization)}?buscar={partner.name}",
        {"target": partner.pk, "kind": "joint_project", **data},
    )


def test_an_editor_finds_an_organisation_and_declares_an_alliance(
    as_editor, editor, organization, partner
):
    page = as_editor.get(alliances_url(organization), {"buscar": "tequio"})
    assert list(page.context["results"]) == [partner]

    response = declare(as_editor, organization, partner, description="Huertos escolares")

    assert response.status_code == 302
    alliance = Alliance.objects.get()
    assert (alliance.source, alliance.target, alliance.kind) == (
        organization,
        partner,
        "joint_project",
    )
    assert alliance.declared_by == editor
    assert alliance.source_confirmed_at and not alliance.target_confirmed_at
    assert not services.alliances_confirmed().exists()


def test_the_other_side_confirms_and_only_then_it_is_public(
    as_editor, organization, partner, partner_editor, as_visitor
):
    declare(as_editor, organization, partner)
    alliance = Alliance.objects.get()
    public = as_visitor.get(organization.get_absolute_url()).content.decode()
    assert "Colectivo Tequio Joven" not in public

    client_for(partner_editor).post(action_url(partner, alliance, "confirmar"))

    alliance.refresh_from_db()
    assert alliance.is_confirmed
    assert list(services.alliances_confirmed()) == [alliance]
    public = as_visitor.get(organization.get_absolute_url()).content.decode()
    assert "Colectivo Tequio Joven" in public


def test_the_declaring_side_cannot_confirm_for_the_other(as_editor, organization, partner):
    declare(as_editor, organization, partner)
    alliance = Alliance.objects.get()

    # Through its own organisation it confirms only its own side...
    as_editor.post(action_url(organization, alliance, "confirmar"))
    # ...and through the other one it is not allowed at all.
    assert as_editor.post(action_url(partner, alliance, "confirmar")).status_code == 403

    alliance.refresh_from_db()
    assert not alliance.target_confirmed_at


def test_declaring_what_the_other_side_already_declared_confirms_it(
    as_editor, organization, partner, partner_editor
):
    declare(client_for(partner_editor), partner, organization)

    declare(as_editor, organization, partner)

    alliance = Alliance.objects.get()
    assert alliance.source == partner
    assert alliance.is_confirmed


def test_the_same_alliance_twice_is_refused(as_editor, organization, partner):
    declare(as_editor, organization, partner)

    response = declare(as_editor, organization, partner)

    assert response.status_code == 200
    assert "ya está declarada" in response.content.decode()
    assert Alliance.objects.count() == 1


def test_an_organisation_cannot_ally_with_itself_or_with_an_unpublished_one(
    editor, organization, municipality
):
    draft = f.OrganizationFactory(municipality=municipality, status="draft")

    with pytest.raises(services.ValidationError):
        services.alliance_declare(
            source=organization, target=organization, kind="referral", by=editor
        )
    with pytest.raises(services.ValidationError):
        services.alliance_declare(source=organization, target=draft, kind="referral", by=editor)
    assert not Alliance.objects.exists()


def test_declining_an_unconfirmed_alliance_removes_it(
    as_editor, organization, partner, partner_editor
):
    declare(as_editor, organization, partner)
    alliance = Alliance.objects.get()

    client_for(partner_editor).post(action_url(partner, alliance, "retirar"))

    assert not Alliance.objects.exists()
    assert Alliance.history.filter(id=alliance.pk, history_type="-").exists()


def test_withdrawing_a_confirmed_alliance_hides_it_until_reconfirmed(
    as_editor, organization, partner, partner_editor
):
    declare(as_editor, organization, partner)
    alliance = Alliance.objects.get()
    client_for(partner_editor).post(action_url(partner, alliance, "confirmar"))

    as_editor.post(action_url(organization, alliance, "retirar"))

    alliance.refresh_from_db()
    assert not alliance.is_confirmed
    assert not services.alliances_confirmed().exists()
    as_editor.post(action_url(organization, alliance, "confirmar"))
    alliance.refresh_from_db()
    assert alliance.is_confirmed


def test_an_unknown_action_is_not_found(as_editor, organization, partner):
    declare(as_editor, organization, partner)
    alliance = Alliance.objects.get()

    assert as_editor.post(action_url(organization, alliance, "borrar")).status_code == 404
    assert as_editor.get(action_url(organization, alliance, "confirmar")).status_code == 405


def test_outsiders_cannot_touch_an_alliance(as_other_facilitator, as_editor, organization, partner):
    declare(as_editor, organization, partner)
    alliance = Alliance.objects.get()

    assert (
        as_other_facilitator.post(action_url(organization, alliance, "retirar")).status_code == 403
    )
    assert Alliance.objects.filter(pk=alliance.pk).exists()
