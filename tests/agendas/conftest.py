"""The agendas' world: an agenda of Valles Centrales (the facilitator's region)
on water, collecting proposals; a resident of Oaxaca de Juárez who may
prioritise; the other facilitator works in La Montaña."""

from __future__ import annotations

import pytest

from polo.agendas.models import Agenda, Phase, Proposal
from tests import factories as f

pytestmark = pytest.mark.django_db


def make_agenda(region, theme, **fields) -> Agenda:
    values = {
        "title": "Agenda común del agua en los Valles",
        "slug": "agua-valles",
        "description": "Propuestas para el acceso al agua.",
        "phase": Phase.COLLECTING,
        **fields,
    }
    return Agenda.objects.create(region=region, theme=theme, **values)


def make_proposal(agenda, author, **fields) -> Proposal:
    values = {
        "title": "Comités comunitarios del agua",
        "problem": "Las colonias reciben agua dos días por semana.",
        "proposal": "Que el municipio reconozca a los comités del agua.",
        **fields,
    }
    return Proposal.objects.create(agenda=agenda, author=author, **values)


@pytest.fixture
def theme(db):
    return f.ThemeFactory(slug="agua", name="Agua y territorio")


@pytest.fixture
def agenda(region, theme):
    return make_agenda(region, theme)


@pytest.fixture
def resident(municipality):
    return f.UserFactory(
        email="vecina@ejemplo.mx", full_name="Carmen López", municipality=municipality
    )


@pytest.fixture
def proposal(agenda, participant):
    return make_proposal(agenda, participant)


@pytest.fixture
def second_proposal(agenda, resident):
    return make_proposal(agenda, resident, title="Captación de lluvia en escuelas")


def set_phase(agenda, phase) -> Agenda:
    Agenda.objects.filter(pk=agenda.pk).update(phase=phase)
    agenda.refresh_from_db()
    return agenda
