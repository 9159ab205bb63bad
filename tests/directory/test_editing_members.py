"""People in an organisation, and organisations in networks."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from polo.accounts.services import account_cancel
from polo.directory import services
from polo.directory.models import Membership, NetworkMembership, Organization
from tests import factories as f
from tests.conftest import client_for
from tests.directory.helpers_editing import messages_of

pytestmark = pytest.mark.django_db


def members_url(organization: Organization) -> str:
    return reverse("directory:organization_members", args=[organization.pk])


def networks_url(organization: Organization) -> str:
    return reverse("directory:organization_networks", args=[organization.pk])


# --- memberships -----------------------------------------------------------------


def test_an_editor_adds_a_person_by_the_email_of_their_account(as_editor, organization):
    person = f.UserFactory(email="tomasa@ejemplo.mx", full_name="Tomasa López")

    response = as_editor.post(
        members_url(organization),
        {"email": "TOMASA@ejemplo.mx", "role": "staff", "position": "Tesorera", "is_editor": "on"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=person, organization=organization)
    assert (membership.role, membership.position, membership.is_editor) == (
        "staff",
        "Tesorera",
        True,
    )
    page = as_editor.get(members_url(organization)).content.decode()
    assert "Tomasa López" in page


def test_an_email_without_an_account_gets_a_clear_message(as_editor, organization):
    response = as_editor.post(
        members_url(organization), {"email": "nadie@ejemplo.mx", "role": "member"}
    )

    assert response.status_code == 200
    assert "No hay ninguna cuenta activa con el correo" in response.content.decode()
    assert organization.memberships.count() == 1


def test_the_last_editor_cannot_be_removed_or_demoted(as_editor, editor, organization):
    mine = Membership.objects.get(user=editor, organization=organization)
    url = reverse("directory:membership_remove", args=[organization.pk, mine.pk])

    response = as_editor.post(url, follow=True)

    assert Membership.objects.filter(pk=mine.pk).exists()
    assert any("última persona que edita" in m for m in messages_of(response))
    response = as_editor.post(members_url(organization), {"email": editor.email, "role": "member"})
    assert "última persona que edita" in response.content.decode()
    assert Membership.objects.get(pk=mine.pk).is_editor


def test_with_another_editor_one_may_leave(as_editor, editor, organization):
    other = f.UserFactory()
    f.MembershipFactory(user=other, organization=organization, is_editor=True)
    mine = Membership.objects.get(user=editor, organization=organization)

    as_editor.post(reverse("directory:membership_remove", args=[organization.pk, mine.pk]))

    assert not Membership.objects.filter(pk=mine.pk).exists()
    assert as_editor.get(members_url(organization)).status_code == 403


def test_a_membership_of_another_organisation_cannot_be_removed_through_this_one(
    as_editor, organization, municipality
):
    elsewhere = f.MembershipFactory(organization=f.OrganizationFactory(municipality=municipality))
    url = reverse("directory:membership_remove", args=[organization.pk, elsewhere.pk])

    assert as_editor.post(url).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("participant", 403), ("other_facilitator", 403), ("facilitator", 200)],
)
def test_who_may_manage_people(request, persona, status, organization):
    client = request.getfixturevalue(f"as_{persona}")

    assert client.get(members_url(organization)).status_code == status


def test_two_editors_removing_each_other_leave_one(organization):
    # The service locks the organisation's row before counting editors, so of
    # two such requests at once the second sees the first one's result.
    first, second = f.UserFactory(), f.UserFactory()
    Membership.objects.filter(organization=organization).delete()
    a = f.MembershipFactory(user=first, organization=organization, is_editor=True)
    b = f.MembershipFactory(user=second, organization=organization, is_editor=True)

    services.membership_remove(membership=b, by=first)
    with pytest.raises(services.ValidationError):
        services.membership_remove(membership=a, by=first)

    assert list(organization.memberships.values_list("pk", flat=True)) == [a.pk]


def test_cancelling_an_account_erases_the_position_it_held(editor, organization):
    mine = Membership.objects.get(user=editor, organization=organization)
    mine.position = "Presidenta del consejo"
    mine.save()

    account_cancel(user=editor)

    mine.refresh_from_db()
    assert mine.position == ""
    assert not Membership.history.filter(id=mine.pk).exclude(position="").exists()
    assert organization.memberships.count() == 1  # the row stays for the counts


# --- networks ----------------------------------------------------------------------


@pytest.fixture
def network(municipality):
    return f.OrganizationFactory(
        name="Red Polo Oaxaca", kind=Organization.Kind.NETWORK, municipality=municipality
    )


def test_an_editor_joins_a_network_and_later_leaves_it_with_a_date(
    as_editor, organization, network
):
    as_editor.post(
        networks_url(organization),
        {"accion": "unirse", "network": network.pk, "start_date": "2019-03-01"},
    )

    link = NetworkMembership.objects.get(network=network, member=organization)
    assert link.start_date == datetime.date(2019, 3, 1)
    as_editor.post(reverse("directory:network_membership_end", args=[organization.pk, link.pk]))

    link.refresh_from_db()
    assert link.end_date is not None


def test_an_undated_membership_is_removed_when_ended(as_editor, organization, network):
    link = NetworkMembership.objects.create(network=network, member=organization)

    as_editor.post(reverse("directory:network_membership_end", args=[organization.pk, link.pk]))

    assert not NetworkMembership.objects.exists()


def test_the_network_editor_adds_a_member_found_by_name(network, organization):
    user = f.UserFactory()
    f.MembershipFactory(user=user, organization=network)
    client = client_for(user)

    page = client.get(networks_url(network), {"buscar": "mujeres valles"})
    assert organization in page.context["results"]
    client.post(networks_url(network), {"accion": "agregar", "member": organization.pk})

    assert NetworkMembership.objects.filter(network=network, member=organization).exists()


def test_an_organisation_that_is_not_a_network_has_no_members(as_editor, organization, network):
    response = as_editor.post(
        networks_url(organization), {"accion": "agregar", "member": network.pk}
    )

    assert response.status_code == 200
    assert not NetworkMembership.objects.exists()


def test_joining_twice_is_refused_and_rejoining_reopens(as_editor, organization, network):
    data = {"accion": "unirse", "network": network.pk, "start_date": "2019-03-01"}
    as_editor.post(networks_url(organization), data)
    link = NetworkMembership.objects.get()
    link.end_date = datetime.date(2020, 1, 1)
    link.save()

    as_editor.post(networks_url(organization), {**data, "start_date": "2022-05-05"})

    link.refresh_from_db()
    assert (link.start_date, link.end_date) == (datetime.date(2022, 5, 5), None)
    with pytest.raises(services.ValidationError):
        services.network_membership_add(
            network=network, member=organization, by=link.member.memberships.first().user
        )


def test_a_network_membership_needs_an_editor_of_one_side(participant, organization, network):
    with pytest.raises(services.PermissionDenied):
        services.network_membership_add(network=network, member=organization, by=participant)


def test_a_future_start_date_is_refused(as_editor, organization, network):
    response = as_editor.post(
        networks_url(organization),
        {"accion": "unirse", "network": network.pk, "start_date": "2999-01-01"},
    )

    assert response.status_code == 200
    assert not NetworkMembership.objects.exists()
