"""The role predicates other apps build on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from polo.accounts.models import User
from polo.accounts.rules import (
    facilitates_region,
    is_coordinator,
    is_facilitator,
    is_programme_staff,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_only_coordinators_and_superusers_are_coordinators(
    participant, editor, facilitator, coordinator
):
    superuser = f.UserFactory(email="root@ejemplo.mx", is_superuser=True)
    assert is_coordinator(coordinator)
    assert is_coordinator(superuser)
    for person in (participant, editor, facilitator, AnonymousUser()):
        assert not is_coordinator(person)


def test_only_facilitators_are_facilitators(participant, facilitator, coordinator):
    assert is_facilitator(facilitator)
    assert not is_facilitator(participant)
    assert not is_facilitator(coordinator)
    assert not is_facilitator(AnonymousUser())


def test_programme_staff_are_facilitators_and_coordinators(participant, facilitator, coordinator):
    assert is_programme_staff(facilitator)
    assert is_programme_staff(coordinator)
    assert not is_programme_staff(participant)


def test_a_facilitator_facilitates_only_their_regions(
    facilitator, other_facilitator, region, other_region
):
    assert facilitates_region(facilitator, region)
    assert not facilitates_region(facilitator, other_region)
    assert facilitates_region(other_facilitator, other_region)
    assert not facilitates_region(other_facilitator, region)
    assert not facilitates_region(facilitator, None)


def test_coordinators_and_participants_facilitate_no_region(participant, coordinator, region):
    coordinator.regions.add(region)
    assert not facilitates_region(coordinator, region)
    assert not facilitates_region(participant, region)
    assert not facilitates_region(AnonymousUser(), region)


def test_a_deactivated_staff_member_loses_every_role(facilitator, coordinator, region):
    User.objects.filter(pk__in=[facilitator.pk, coordinator.pk]).update(is_active=False)
    facilitator.refresh_from_db()
    coordinator.refresh_from_db()
    assert not is_facilitator(facilitator)
    assert not facilitates_region(facilitator, region)
    assert not is_coordinator(coordinator)


def test_every_active_person_manages_their_own_account_and_visitors_do_not(
    participant, facilitator
):
    assert participant.has_perm("accounts.manage_own_account")
    assert facilitator.has_perm("accounts.manage_own_account")
    assert not AnonymousUser().has_perm("accounts.manage_own_account")


def test_only_coordinators_get_the_accounts_admin_permissions(
    participant, facilitator, coordinator
):
    perms = ["accounts.view_user", "accounts.change_user", "accounts.add_privacynotice"]
    assert coordinator.has_perms(perms)
    assert coordinator.has_module_perms("accounts")
    for person in (participant, facilitator):
        assert not any(person.has_perm(perm) for perm in perms)
        assert not person.has_module_perms("accounts")
    assert not coordinator.has_perm("accounts.delete_user")
