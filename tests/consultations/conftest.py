"""The consultations' world: an open consultation of the facilitator's region
(residents of Oaxaca de Juárez vote), with a single-choice, a multiple-choice
(at most two) and a ranking question; voters living there."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from polo.consultations import services
from polo.consultations.models import Consultation
from tests import factories as f

pytestmark = pytest.mark.django_db


def hours(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=n)


def make_consultation(*, municipality, slug="presupuesto", status="scheduled", **extra):
    consultation = Consultation.objects.create(
        title="Presupuesto participativo 2027",
        slug=slug,
        municipality=municipality,
        region=municipality.region,
        opens_at=extra.pop("opens_at", hours(-2)),
        closes_at=extra.pop("closes_at", hours(48)),
        status=status,
        **extra,
    )
    services.question_add(
        consultation=consultation,
        by=None,
        text="¿Qué obra primero?",
        kind="single",
        options=["Agua potable", "Caminos", "Escuela"],
    )
    services.question_add(
        consultation=consultation,
        by=None,
        text="¿Qué temas importan?",
        kind="multiple",
        max_choices=2,
        options=["Salud", "Seguridad", "Cultura"],
    )
    services.question_add(
        consultation=consultation,
        by=None,
        text="Ordene las propuestas",
        kind="ranking",
        options=["Mercado", "Parque", "Biblioteca"],
    )
    return consultation


def options(consultation) -> dict[str, int]:
    """Option ids by text."""
    return {
        o.text: o.pk
        for q in consultation.questions.prefetch_related("options")
        for o in q.options.all()
    }


def questions(consultation) -> list[int]:
    return list(consultation.questions.values_list("pk", flat=True))


@pytest.fixture
def consultation(municipality):
    return make_consultation(municipality=municipality)


@pytest.fixture
def voter(municipality):
    return f.UserFactory(
        email="votante@ejemplo.mx", full_name="Inés Vota", municipality=municipality
    )


@pytest.fixture
def outsider(other_municipality):
    return f.UserFactory(
        email="fuera@ejemplo.mx", full_name="Otra Región", municipality=other_municipality
    )
