"""The practices' world: a published practice and a draft of the editor's
organisation, in the facilitator's region (Valles Centrales); the other
facilitator works in La Montaña."""

from __future__ import annotations

import pytest

from polo.practices.models import GoodPractice
from tests import factories as f

pytestmark = pytest.mark.django_db


def make_practice(organization, municipality, **fields) -> GoodPractice:
    values = {
        "title": "Comités del agua en los Valles",
        "problem": "Las familias recibían agua turbia.",
        "actions": "Se formaron comités de vigilancia con mujeres de cada barrio.",
        "results": "El suministro pasó de dos a cinco días por semana.",
        "reusable": "La guía para formar comités.",
        "status": GoodPractice.Status.PUBLISHED,
        "contact_name": "Lucía Ramírez",
        "contact_name_public": True,
        "contact_email": "lucia.privada@ejemplo.mx",
        "contact_phone": "951 000 1111",
        **fields,
    }
    return GoodPractice.objects.create(
        organization=organization, municipality=municipality, **values
    )


@pytest.fixture
def theme(db):
    return f.ThemeFactory(slug="agua", name="Agua y territorio")


@pytest.fixture
def practice(organization, municipality, theme):
    practice = make_practice(organization, municipality)
    practice.themes.add(theme)
    return practice


@pytest.fixture
def draft(organization, municipality):
    return make_practice(
        organization,
        municipality,
        title="Huertos escolares en Oaxaca",
        status=GoodPractice.Status.DRAFT,
    )
