"""Fixtures of the indicators tests: the baseline survey over three
municipalities in two regions, a campaign with a baseline and a midline round,
and a way to store responses as the surveys module does (answers rebuilt by
``services.response_store_answers``)."""

from __future__ import annotations

import pytest

from polo.indicators.models import Indicator
from polo.surveys import services as survey_services
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Campaign, Response, Round
from tests import factories as f


@pytest.fixture
def third_municipality(region):
    return f.MunicipalityFactory(
        code="20068", name="Santa Lucía del Camino", state=region.state, region=region
    )


@pytest.fixture
def places(municipality, third_municipality, other_municipality):
    """Two municipalities in Valles Centrales, one in La Montaña."""
    return {
        "oaxaca": municipality,
        "santa_lucia": third_municipality,
        "malinaltepec": other_municipality,
    }


@pytest.fixture
def survey_version(places, region, other_region, coordinator, media_root):
    data = baseline_xlsform(
        regions=[(region.slug, region.name), (other_region.slug, other_region.name)],
        municipalities=[(m.code, m.name, m.region.slug) for m in places.values()],
    )
    return survey_services.form_version_create(
        data=data, filename="linea_base.xlsx", by=coordinator
    )


@pytest.fixture
def survey(survey_version):
    campaign = Campaign.objects.create(
        instrument=survey_version.instrument,
        slug="linea-base-2026",
        title="Línea base 2026",
        respondent=Campaign.Respondent.ORGANIZATION,
        status=Campaign.Status.OPEN,
    )
    baseline = Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1
    )
    midline = Round.objects.create(
        campaign=campaign, kind=Round.Kind.MIDLINE, name="Medio término", order=2
    )
    return {
        "campaign": campaign,
        "baseline": baseline,
        "midline": midline,
        "version": survey_version,
    }


@pytest.fixture
def respond(survey):
    """respond(round, municipality, status="submitted", organization=None, **answers)."""

    def make(
        round_, municipality, *, status=Response.Status.SUBMITTED, organization=None, **answers
    ):
        response = Response.objects.create(
            round=round_,
            form_version=survey["version"],
            respondent_kind=Campaign.Respondent.ORGANIZATION,
            municipality=municipality,
            organization=organization,
            data={k: v for k, v in answers.items() if v is not None},
            status=status,
            source=Response.Source.WEB,
        )
        survey_services.response_store_answers(response)
        return response

    return make


def survey_indicator(survey, **fields) -> Indicator:
    defaults = {
        "slug": "plan-estrategico",
        "name": "Organizaciones con plan estratégico",
        "source": Indicator.Source.SURVEY,
        "campaign": survey["campaign"],
        "unit": Indicator.Unit.PERCENT,
        "numerator": {"question": "plan_estrategico", "operator": "=", "value": "si"},
        "min_cell": 1,
    }
    defaults.update(fields)
    indicator = Indicator(**defaults)
    indicator.full_clean()
    indicator.save()
    return indicator


# The baseline round, by hand: municipality, plan_estrategico, personas_equipo,
# mujeres_equipo, sexo_respondente, indigena, fuentes, tipo_actor.
BASELINE_ROWS = [
    ("oaxaca", "si", 10, 6, "mujer", "si", "donativos gobierno", "osc"),
    ("oaxaca", "no", 4, 1, "hombre", "no", "gobierno", "colectivo"),
    ("oaxaca", "si", 6, 3, "mujer", "no", "donativos", "osc"),
    ("oaxaca", None, 2, 2, "mujer", "si", None, "osc"),
    ("santa_lucia", "si", 8, 4, "hombre", "si", "cooperacion", "osc"),
    ("santa_lucia", "no", 5, 5, "mujer", "no", None, "red"),
    ("malinaltepec", "no", 3, 1, "mujer", "si", None, "osc"),
    ("malinaltepec", "si", 12, 6, "otro", "si", "donativos", "osc"),
    ("malinaltepec", "si", 7, 0, "mujer", "si", None, "comunitaria"),
]
MIDLINE_ROWS = [
    ("oaxaca", "si", 10, 5, "mujer", "si", None, "osc"),
    ("oaxaca", "si", 10, 5, "mujer", "si", None, "osc"),
    ("oaxaca", "si", 4, 2, "hombre", "no", None, "osc"),
    ("malinaltepec", "no", 3, 2, "mujer", "si", None, "osc"),
    ("malinaltepec", "si", 9, 4, "mujer", "si", None, "osc"),
]


def answers_of(row) -> dict:
    _place, plan, people, women, sex, indigenous, sources, kind = row
    return {
        "plan_estrategico": plan,
        "personas_equipo": str(people),
        "mujeres_equipo": str(women),
        "sexo_respondente": sex,
        "indigena": indigenous,
        "fuentes": sources,
        "tipo_actor": kind,
    }


@pytest.fixture
def dataset(survey, places, respond):
    """The rows above, plus responses that must never count: a draft and a
    rejected one, both saying yes."""
    for rows, round_ in ((BASELINE_ROWS, survey["baseline"]), (MIDLINE_ROWS, survey["midline"])):
        for row in rows:
            respond(round_, places[row[0]], **answers_of(row))
    respond(
        survey["baseline"],
        places["oaxaca"],
        status=Response.Status.DRAFT,
        **answers_of(BASELINE_ROWS[0]),
    )
    respond(
        survey["baseline"],
        places["malinaltepec"],
        status=Response.Status.REJECTED,
        **answers_of(BASELINE_ROWS[7]),
    )
    return survey
