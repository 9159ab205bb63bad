"""The directory in the Django admin, for coordinators."""

from __future__ import annotations

import pytest
from django.contrib import admin

from polo.directory import models
from polo.directory.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/admin/directory/organization/"


def test_every_directory_model_is_in_the_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "directory"}

    assert registered == {
        models.Theme,
        models.Population,
        models.Language,
        models.Organization,
        models.Identifier,
        models.ContactPoint,
        models.Membership,
        models.NetworkMembership,
        models.Alliance,
        models.KeyCommunity,
        models.ProfileRevision,
    }


def test_coordinators_search_organisations_by_rfc_and_filter_by_status(
    as_coordinator, municipality
):
    f.OrganizationFactory(name="Con RFC", municipality=municipality, rfc="CRF120315AB1")
    f.OrganizationFactory(name="Pendiente", municipality=municipality, status="pending")

    found = as_coordinator.get(ORGANIZATIONS, {"q": "CRF120315AB1"}).content.decode()
    assert "Con RFC" in found and "Pendiente" not in found
    pending = as_coordinator.get(ORGANIZATIONS, {"status__exact": "pending"}).content.decode()
    assert "Pendiente" in pending and "Con RFC" not in pending


def test_the_change_page_has_contacts_identifiers_and_memberships_inline(
    as_coordinator, organization, editor
):
    html = as_coordinator.get(f"{ORGANIZATIONS}{organization.pk}/change/").content.decode()

    assert 'name="contacts-TOTAL_FORMS"' in html
    assert 'name="identifiers-TOTAL_FORMS"' in html
    assert 'name="memberships-TOTAL_FORMS"' in html
    assert f"/directorio/organizaciones/{organization.pk}/historial/" in html


def test_coordinators_manage_the_taxonomies(as_coordinator):
    for path in (
        "/admin/directory/population/",
        "/admin/directory/language/",
        "/admin/directory/theme/",
    ):
        assert as_coordinator.get(path).status_code == 200
    response = as_coordinator.post(
        "/admin/directory/population/add/",
        {"slug": "personas-jornaleras", "name": "Personas jornaleras", "name_en": "Day labourers"},
    )
    assert response.status_code == 302
    assert models.Population.objects.filter(slug="personas-jornaleras").exists()


def test_the_merge_action_takes_exactly_two(as_coordinator, organization, municipality):
    other = f.OrganizationFactory(municipality=municipality)

    response = as_coordinator.post(
        ORGANIZATIONS,
        {"action": "merge_two", "_selected_action": [organization.pk, other.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/directorio/fusionar/?keep={organization.pk}&drop={other.pk}"


def test_the_archive_action_archives_with_a_reason_in_the_history(
    as_coordinator, coordinator, organization
):
    as_coordinator.post(ORGANIZATIONS, {"action": "archive", "_selected_action": [organization.pk]})

    organization.refresh_from_db()
    assert organization.status == Organization.Status.ARCHIVED
    assert organization.history.latest().history_user == coordinator


def test_people_without_the_coordinator_role_do_not_get_in(as_facilitator, as_editor):
    assert as_facilitator.get(ORGANIZATIONS).status_code == 302
    assert as_editor.get(ORGANIZATIONS).status_code == 302
