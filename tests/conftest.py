"""Personas shared by the whole suite: visitor, participant, organisation editor,
facilitator (of region A, and of another region), coordinator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from polo.accounts.models import User
from tests import factories as f

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; the suite creates hundreds of users."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@contextmanager
def module_rows(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture: rows made once for many tests that only read them.
    They are made in a transaction rolled back when the module ends; each test runs
    in its own nested transaction, so what a test writes goes with it. The cache is
    emptied afterwards (nothing cached about rows that are gone may reach the next
    module)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between
    tests, a process's cache (facet counts, aggregates) is not."""
    from django.core.cache import cache

    cache.clear()


# The personas, as plain functions: the fixtures below make them for one test;
# a module whose many cases only read them may make them once (`personas()` inside
# a module-scoped transaction, see tests/test_authorization_matrix.py).


def make_oaxaca():
    return f.StateFactory(code="20", name="Oaxaca", abbreviation="Oax.")


def make_region(oaxaca):
    return f.RegionFactory(slug="valles-centrales", name="Valles Centrales", state=oaxaca)


def make_other_region():
    guerrero = f.StateFactory(code="12", name="Guerrero", abbreviation="Gro.")
    return f.RegionFactory(slug="montana", name="La Montaña", state=guerrero)


def make_municipality(region):
    return f.MunicipalityFactory(
        code="20067", name="Oaxaca de Juárez", state=region.state, region=region
    )


def make_other_municipality(other_region):
    return f.MunicipalityFactory(
        code="12041", name="Malinaltepec", state=other_region.state, region=other_region
    )


def make_organization(municipality):
    return f.OrganizationFactory(name="Mujeres de los Valles A.C.", municipality=municipality)


def make_participant():
    return f.UserFactory(email="participante@ejemplo.mx", full_name="Ana Pérez")


def make_editor(organization):
    user = f.UserFactory(email="editora@ejemplo.mx", full_name="Rosa Martínez")
    f.MembershipFactory(user=user, organization=organization, is_editor=True)
    return user


def make_facilitator(region):
    user = f.UserFactory(
        email="facilitador@ejemplo.mx", full_name="Luis Hernández", role=User.Role.FACILITATOR
    )
    user.regions.add(region)
    f.give_totp(user)
    return user


def make_other_facilitator(other_region):
    user = f.UserFactory(
        email="facilitadora.montana@ejemplo.mx",
        full_name="Elena Flores",
        role=User.Role.FACILITATOR,
    )
    user.regions.add(other_region)
    f.give_totp(user)
    return user


def make_coordinator():
    user = f.UserFactory(
        email="coordinacion@ejemplo.mx",
        full_name="Marta Ruiz",
        role=User.Role.COORDINATOR,
        is_staff=True,
    )
    f.give_totp(user)
    return user


def personas() -> dict:
    """Every persona and what they stand on, made at once: the same rows as the
    fixtures of the same names."""
    region = make_region(make_oaxaca())
    other_region = make_other_region()
    municipality = make_municipality(region)
    organization = make_organization(municipality)
    return {
        "privacy_notice": f.PrivacyNoticeFactory(),
        "region": region,
        "other_region": other_region,
        "municipality": municipality,
        "other_municipality": make_other_municipality(other_region),
        "organization": organization,
        "participant": make_participant(),
        "editor": make_editor(organization),
        "facilitator": make_facilitator(region),
        "other_facilitator": make_other_facilitator(other_region),
        "coordinator": make_coordinator(),
    }


@pytest.fixture
def privacy_notice(db):
    return f.PrivacyNoticeFactory()


@pytest.fixture
def oaxaca(db):
    return make_oaxaca()


@pytest.fixture
def region(oaxaca):
    return make_region(oaxaca)


@pytest.fixture
def other_region(db):
    return make_other_region()


@pytest.fixture
def municipality(region):
    return make_municipality(region)


@pytest.fixture
def other_municipality(other_region):
    return make_other_municipality(other_region)


@pytest.fixture
def organization(municipality):
    return make_organization(municipality)


@pytest.fixture
def participant(db):
    return make_participant()


@pytest.fixture
def editor(organization):
    return make_editor(organization)


@pytest.fixture
def facilitator(region):
    return make_facilitator(region)


@pytest.fixture
def other_facilitator(other_region):
    return make_other_facilitator(other_region)


@pytest.fixture
def coordinator(db):
    return make_coordinator()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_visitor():
    return Client()


@pytest.fixture
def as_participant(participant):
    return client_for(participant)


@pytest.fixture
def as_editor(editor):
    return client_for(editor)


@pytest.fixture
def as_facilitator(facilitator):
    return client_for(facilitator)


@pytest.fixture
def as_other_facilitator(other_facilitator):
    return client_for(other_facilitator)


@pytest.fixture
def as_coordinator(coordinator):
    return client_for(coordinator)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads, attachments and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
