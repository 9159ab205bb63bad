"""Fixtures of the self-assessment tests: the small instrument installed, an
organisation member who is not an editor, and a completed assessment."""

from __future__ import annotations

import pytest

from polo.assessments.definition import forget_cached
from tests import factories as f
from tests.assessments import helpers
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _fresh_definitions():
    forget_cached()
    yield
    forget_cached()


@pytest.fixture
def instrument(coordinator, media_root):
    return helpers.install_mini(coordinator)


@pytest.fixture
def member(organization):
    user = f.UserFactory(email="integrante@ejemplo.mx", full_name="Juana López")
    f.MembershipFactory(user=user, organization=organization, is_editor=False)
    return user


@pytest.fixture
def as_member(member):
    return client_for(member)


@pytest.fixture
def done(instrument, organization, editor):
    """A completed assessment of the organisation, with the known levels."""
    return helpers.completed(
        organization,
        editor,
        extra={
            "gob_1_evidencia": "Actas de 2025",
            "ruta_problema": "Falta agua potable en la colonia",
            "ruta_autoridad": "El cabildo",
            "ruta_tema": "salud",
            "ruta_paso": "Pedir cita con la regidora",
        },
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Aggregates are cached under a key made of ids, which a rolled-back
    SQLite database gives again to other rows."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
