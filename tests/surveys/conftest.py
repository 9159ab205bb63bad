"""Shared fixtures of the surveys tests: the baseline form over the two test
regions, a campaign open in the first region, its baseline round, and a set
of answers that passes validation."""

from __future__ import annotations

import datetime as dt

import pytest

from polo.surveys import services
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Campaign, Round


@pytest.fixture
def baseline_xlsx(region, other_region, municipality, other_municipality) -> bytes:
    return baseline_xlsform(
        regions=[(region.slug, region.name), (other_region.slug, other_region.name)],
        municipalities=[
            (municipality.code, municipality.name, region.slug),
            (other_municipality.code, other_municipality.name, other_region.slug),
        ],
    )


@pytest.fixture
def baseline_version(baseline_xlsx, coordinator, media_root):
    return services.form_version_create(
        data=baseline_xlsx, filename="linea_base.xlsx", by=coordinator
    )


@pytest.fixture
def campaign(baseline_version, region):
    campaign = Campaign.objects.create(
        instrument=baseline_version.instrument,
        slug="linea-base-2026",
        title="Línea base 2026",
        respondent=Campaign.Respondent.ORGANIZATION,
        status=Campaign.Status.OPEN,
    )
    campaign.regions.set([region])
    return campaign


@pytest.fixture
def baseline_round(campaign):
    return Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )


def baseline_answers(municipality, **overrides) -> dict:
    """Answers to the baseline form that pass validation, for `municipality`."""
    data = {
        "region": municipality.region.slug,
        "municipio": municipality.code,
        "tipo_actor": "osc",
        "anio_fundacion": "2009",
        "sexo_respondente": "mujer",
        "indigena": "si",
        "lengua": "zapoteco",
        "plan_estrategico": "si",
        "plan_anios": "3",
        "personas_equipo": "8",
        "mujeres_equipo": "5",
        "presupuesto": "100k_1m",
        "fuentes": "donativos gobierno",
        "pct_donativos": "40",
        "rinde_cuentas": "si",
        "participa_consejos": "no",
        "propuestas_presentadas": "2",
        "propuestas_adoptadas": "1",
        "relacion_gobierno": "3",
        "temas": "salud genero",
        "tema_principal": "salud",
        "proyectos": [
            {
                "proyecto_nombre": "Casa de salud",
                "proyecto_tema": "salud",
                "proyecto_personas": "40",
            }
        ],
        "ubicacion": "17.0654 -96.7236 1550 10",
        "fecha": dt.date(2026, 11, 2).isoformat(),
        "consentimiento": "OK",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
