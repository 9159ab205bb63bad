"""Merging two records of one organisation, and restoring a past version."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from polo.directory import services
from polo.directory.models import (
    Alliance,
    ContactPoint,
    Identifier,
    KeyCommunity,
    Membership,
    NetworkMembership,
    Organization,
    Population,
    ProfileRevision,
)
from tests import factories as f
from tests.directory.helpers_editing import contact, profile_data, theme

pytestmark = pytest.mark.django_db

MERGE = reverse("directory:merge")


@pytest.fixture
def pair(municipality, editor, organization):
    """Two records of the same organisation, each with its own relations."""
    keep = organization
    drop = f.OrganizationFactory(
        name="MUJERES DE LOS VALLES",
        municipality=municipality,
        rfc="MVA120315AB1",
        cluni="MVA1203150901A",
        description="Registro duplicado con más datos.",
        founded_year=2012,
    )
    drop.themes.add(theme())
    drop.populations.add(Population.objects.get(slug="mujeres"))
    # People: one only in drop, one in both (editor in drop, member in keep).
    only_drop, both = f.UserFactory(), f.UserFactory()
    f.MembershipFactory(user=only_drop, organization=drop, is_editor=False)
    f.MembershipFactory(user=both, organization=drop, is_editor=True)
    f.MembershipFactory(user=both, organization=keep, is_editor=False)
    # Networks: drop is in one network, and both are in another.
    network_a = f.OrganizationFactory(name="Red A", kind="network", municipality=municipality)
    network_b = f.OrganizationFactory(name="Red B", kind="network", municipality=municipality)
    NetworkMembership.objects.create(network=network_a, member=drop)
    NetworkMembership.objects.create(network=network_b, member=drop)
    NetworkMembership.objects.create(network=network_b, member=keep)
    # Alliances: drop with a third; drop with keep (becomes a self-alliance);
    # drop and keep with the same partner, same kind (a duplicate).
    third = f.OrganizationFactory(name="Tercera", municipality=municipality)
    partner = f.OrganizationFactory(name="Socia", municipality=municipality)
    Alliance.objects.create(source=drop, target=third, kind="agreement")
    Alliance.objects.create(source=keep, target=drop, kind="referral")
    Alliance.objects.create(source=partner, target=drop, kind="joint_project")
    Alliance.objects.create(source=keep, target=partner, kind="joint_project")
    # Contacts: one new, one the same as keep's.
    contact(keep, ContactPoint.Kind.EMAIL, "hola@valles.org", public=True)
    contact(drop, ContactPoint.Kind.EMAIL, "HOLA@valles.org", public=True)
    contact(drop, ContactPoint.Kind.PHONE, "951 100 2000", public=False)
    Identifier.objects.create(organization=drop, scheme="Donataria", value="D-1")
    key = KeyCommunity.objects.create(
        community=f.CommunityFactory(municipality=municipality), reason="Muchas mujeres jefas."
    )
    key.organizations.add(drop)
    ProfileRevision.objects.create(organization=drop, data={"acronym": "X"})
    return keep, drop, {"network_a": network_a, "third": third, "key": key, "both": both}


def test_a_coordinator_sees_both_side_by_side_then_merges(as_coordinator, pair):
    keep, drop, _extra = pair

    preview = as_coordinator.get(MERGE, {"keep": keep.pk, "drop": drop.pk})

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Registro duplicado con más datos." in html and "MVA120315AB1" in html
    response = as_coordinator.post(MERGE, {"keep": keep.pk, "drop": drop.pk, "confirmar": "1"})
    assert response.status_code == 302
    drop.refresh_from_db()
    assert drop.status == Organization.Status.ARCHIVED
    assert drop.merged_into == keep


def test_merging_moves_every_relation_and_copies_what_is_missing(coordinator, pair):
    keep, drop, extra = pair

    summary = services.organization_merge(keep=keep, drop=drop, by=coordinator)

    keep.refresh_from_db()
    assert (keep.rfc, keep.cluni, keep.founded_year) == ("MVA120315AB1", "MVA1203150901A", 2012)
    assert keep.description == "Registro duplicado con más datos."
    assert keep.name == "Mujeres de los Valles A.C."  # what keep had stays
    assert set(summary.filled) >= {"rfc", "cluni", "description", "founded_year"}
    # People: moved, and the one in both keeps its editor rights.
    assert keep.memberships.count() == 3
    assert Membership.objects.get(user=extra["both"], organization=keep).is_editor
    assert not drop.memberships.exists()
    # Networks: one moved, the shared one not duplicated.
    assert set(keep.network_memberships.values_list("network__name", flat=True)) == {
        "Red A",
        "Red B",
    }
    assert not drop.network_memberships.exists()
    # Alliances: the third moved; no self-alliance; the partner's not doubled.
    pairs = {(a.source.name, a.target.name, a.kind) for a in services.alliances_of(keep)}
    assert pairs == {
        ("Mujeres de los Valles A.C.", "Tercera", "agreement"),
        ("Mujeres de los Valles A.C.", "Socia", "joint_project"),
    }
    assert not services.alliances_of(drop).exists()
    # Contacts, identifiers, taxonomies, key communities, revisions.
    assert sorted(keep.contacts.values_list("value", flat=True)) == [
        "951 100 2000",
        "hola@valles.org",
    ]
    assert list(keep.identifiers.values_list("value", flat=True)) == ["D-1"]
    assert keep.themes.exists() and keep.populations.filter(slug="mujeres").exists()
    assert list(extra["key"].organizations.all()) == [keep]
    revision = ProfileRevision.objects.get()
    assert revision.organization == keep
    assert revision.status == ProfileRevision.Status.REJECTED


def test_both_histories_are_kept_and_say_what_happened(coordinator, pair):
    keep, drop, _extra = pair
    before_keep, before_drop = keep.history.count(), drop.history.count()

    services.organization_merge(keep=keep, drop=drop, by=coordinator)

    assert keep.history.count() > before_keep
    assert drop.history.count() > before_drop
    assert "Fusión" in keep.history.latest().history_change_reason
    assert "Fusionada en" in drop.history.latest().history_change_reason
    assert drop.history.latest().history_user == coordinator


def test_merged_records_no_longer_count_as_duplicates(coordinator, pair):
    keep, drop, _extra = pair
    services.organization_merge(keep=keep, drop=drop, by=coordinator)

    matches = services.find_duplicates(name="x", municipality=None, rfc="MVA120315AB1")

    assert [m.pk for m in matches] == [keep.pk]


@pytest.mark.parametrize("persona", ["participant", "editor", "facilitator"])
def test_only_coordinators_merge(request, persona, pair):
    keep, drop, _extra = pair
    client = request.getfixturevalue(f"as_{persona}")

    response = client.post(MERGE, {"keep": keep.pk, "drop": drop.pk, "confirmar": "1"})

    assert response.status_code == 403
    drop.refresh_from_db()
    assert drop.merged_into is None


def test_a_record_cannot_be_merged_into_itself_or_twice(as_coordinator, coordinator, pair):
    keep, drop, _extra = pair

    response = as_coordinator.post(MERGE, {"keep": keep.pk, "drop": keep.pk, "confirmar": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors

    services.organization_merge(keep=keep, drop=drop, by=coordinator)
    with pytest.raises(services.ValidationError):
        services.organization_merge(keep=keep, drop=drop, by=coordinator)
    assert as_coordinator.get(MERGE, {"keep": keep.pk, "drop": 999999}).context["form"].errors


def test_a_network_with_members_merges_only_into_a_network(coordinator, municipality, organization):
    network = f.OrganizationFactory(kind="network", municipality=municipality)
    NetworkMembership.objects.create(network=network, member=organization)
    other = f.OrganizationFactory(municipality=municipality)

    with pytest.raises(services.ValidationError):
        services.organization_merge(keep=other, drop=network, by=coordinator)


# --- revert ---------------------------------------------------------------------------


def test_a_coordinator_restores_a_past_version_with_its_themes_and_contacts(
    as_coordinator, coordinator, organization
):
    original_theme = theme()
    organization.themes.add(original_theme)
    contact(organization, ContactPoint.Kind.PHONE, "951 000 1111", public=False)
    url = reverse("directory:organization_edit", args=[organization.pk])
    as_coordinator.post(url, profile_data(organization=organization, acronym="MV"))
    good = organization.history.latest()  # the version to come back to
    other_theme = f.ThemeFactory(slug="otro-tema", name="Otro tema")
    as_coordinator.post(
        url,
        profile_data(
            organization=organization,
            name="Nombre equivocado",
            themes=[other_theme.pk],
            contacts=[("email", "mal@ejemplo.mx", True)],
        ),
    )
    organization.refresh_from_db()
    assert organization.name == "Nombre equivocado"

    history = as_coordinator.get(reverse("directory:organization_history", args=[organization.pk]))
    assert history.status_code == 200
    assert "Nombre equivocado" in history.content.decode()
    revert = reverse("directory:organization_revert", args=[organization.pk, good.history_id])
    assert as_coordinator.get(revert).status_code == 200
    as_coordinator.post(revert)

    organization.refresh_from_db()
    assert organization.name == "Mujeres de los Valles A.C."
    assert list(organization.themes.all()) == [original_theme]
    assert list(organization.contacts.values_list("value", "is_public")) == [
        ("951 000 1111", False)
    ]
    latest = organization.history.latest()
    assert latest.history_user == coordinator
    assert "Restaurada la versión" in latest.history_change_reason


def test_reverting_a_merge_victim_brings_it_back(coordinator, pair):
    keep, drop, _extra = pair
    before = drop.history.latest()
    services.organization_merge(keep=keep, drop=drop, by=coordinator)

    services.organization_revert(organization=drop, history_id=before.history_id, by=coordinator)

    drop.refresh_from_db()
    assert drop.status == Organization.Status.PUBLISHED
    assert drop.merged_into is None


@pytest.mark.parametrize("persona", ["editor", "facilitator", "other_facilitator"])
def test_only_coordinators_see_the_history_and_revert(request, persona, organization):
    client = request.getfixturevalue(f"as_{persona}")
    version = organization.history.latest()

    assert (
        client.get(reverse("directory:organization_history", args=[organization.pk])).status_code
        == 403
    )
    revert = reverse("directory:organization_revert", args=[organization.pk, version.history_id])
    assert client.post(revert).status_code == 403


def test_a_version_of_another_organisation_cannot_be_restored(
    as_coordinator, organization, municipality
):
    other = f.OrganizationFactory(municipality=municipality)
    version = other.history.latest()

    url = reverse("directory:organization_revert", args=[organization.pk, version.history_id])

    assert as_coordinator.get(url).status_code == 404
    assert as_coordinator.post(url).status_code == 404


def test_the_merge_page_is_the_same_for_dates_far_apart(coordinator, pair):
    keep, drop, _extra = pair
    drop.created_at = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    drop.save()

    summary = services.organization_merge(keep=keep, drop=drop, by=coordinator)

    assert summary.moved["memberships"] == 1
    assert summary.skipped["memberships"] == 1
    assert summary.moved["alliances"] == 1
    assert summary.skipped["alliances"] == 2
