"""Personas shared by the whole suite: visitor, participant, organisation editor,
facilitator (of region A, and of another region), coordinator."""

from __future__ import annotations

import pytest
from django.test import Client

from polo.accounts.models import User
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; the suite creates hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def privacy_notice(db):
    return f.PrivacyNoticeFactory()


@pytest.fixture
def oaxaca(db):
    return f.StateFactory(code="20", name="Oaxaca", abbreviation="Oax.")


@pytest.fixture
def region(oaxaca):
    return f.RegionFactory(slug="valles-centrales", name="Valles Centrales", state=oaxaca)


@pytest.fixture
def other_region(db):
    guerrero = f.StateFactory(code="12", name="Guerrero", abbreviation="Gro.")
    return f.RegionFactory(slug="montana", name="La Montaña", state=guerrero)


@pytest.fixture
def municipality(region):
    return f.MunicipalityFactory(
        code="20067", name="Oaxaca de Juárez", state=region.state, region=region
    )


@pytest.fixture
def other_municipality(other_region):
    return f.MunicipalityFactory(
        code="12041", name="Malinaltepec", state=other_region.state, region=other_region
    )


@pytest.fixture
def organization(municipality):
    return f.OrganizationFactory(name="Mujeres de los Valles A.C.", municipality=municipality)


@pytest.fixture
def participant(db):
    return f.UserFactory(email="participante@ejemplo.mx", full_name="Ana Pérez")


@pytest.fixture
def editor(organization):
    user = f.UserFactory(email="editora@ejemplo.mx", full_name="Rosa Martínez")
    f.MembershipFactory(user=user, organization=organization, is_editor=True)
    return user


@pytest.fixture
def facilitator(region):
    user = f.UserFactory(
        email="facilitador@ejemplo.mx", full_name="Luis Hernández", role=User.Role.FACILITATOR
    )
    user.regions.add(region)
    f.give_totp(user)
    return user


@pytest.fixture
def other_facilitator(other_region):
    user = f.UserFactory(
        email="facilitadora.montana@ejemplo.mx",
        full_name="Elena Flores",
        role=User.Role.FACILITATOR,
    )
    user.regions.add(other_region)
    f.give_totp(user)
    return user


@pytest.fixture
def coordinator(db):
    user = f.UserFactory(
        email="coordinacion@ejemplo.mx",
        full_name="Marta Ruiz",
        role=User.Role.COORDINATOR,
        is_staff=True,
    )
    f.give_totp(user)
    return user


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
