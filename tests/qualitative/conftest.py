"""Fixtures of the qualitative tests: a codebook, a session in the facilitator's
region and one in the other region."""

from __future__ import annotations

import pytest

from tests.qualitative.factories import CodeFactory, FocusGroupFactory


@pytest.fixture
def health(db):
    return CodeFactory(slug="salud", name="Acceso a servicios de salud")


@pytest.fixture
def water(db):
    return CodeFactory(slug="agua", name="Agua y medio ambiente")


@pytest.fixture
def session(municipality, facilitator):
    return FocusGroupFactory(
        title="Grupo focal en San Felipe", municipality=municipality, facilitator=facilitator
    )


@pytest.fixture
def other_session(other_municipality, other_facilitator):
    return FocusGroupFactory(
        title="Grupo focal en Malinaltepec",
        municipality=other_municipality,
        facilitator=other_facilitator,
    )


# The surveys module's fixtures (the baseline form, its campaign and round).
from tests.surveys.conftest import (  # noqa: E402, F401
    baseline_round,
    baseline_version,
    baseline_xlsx,
    campaign,
)
