"""Demo indicators of the territorial diagnosis: a handful of published
indicators over the baseline survey of the surveys demo (campaign
``linea-base-2026``, its baseline and midline rounds), broken down by region,
municipality, the respondent's sex and indigenous self-identification, and
one over Polo's own data (published organisations by region, kind and theme).

Runs after the surveys step: without that campaign, only the indicator over
Polo's data is made, and the step says so. Idempotent: indicators are keyed on
their slug, a definition already there is left as it is, and figures are
computed again only when their responses changed since (or never were).
Deterministic: nothing here is drawn at random.
"""

from __future__ import annotations

import random
from typing import Any, TextIO

from polo.demo import Scale
from polo.indicators import services
from polo.indicators.models import Indicator

CAMPAIGN_SLUG = "linea-base-2026"
BREAKDOWNS = ["question:sexo_respondente", "question:indigena", "question:tipo_actor"]

SURVEY_INDICATORS: list[dict[str, Any]] = [
    {
        "slug": "plan-estrategico",
        "name": "Organizaciones con plan estratégico escrito",
        "description": (
            "Porcentaje de las organizaciones encuestadas que tienen un plan estratégico "
            "escrito: la base de una gestión que se sostiene en el tiempo."
        ),
        "unit": Indicator.Unit.PERCENT,
        "numerator": {"question": "plan_estrategico", "operator": "=", "value": "si"},
        "denominator": {"question": "plan_estrategico", "operator": "answered"},
        "disaggregations": [*BREAKDOWNS, "question:presupuesto"],
    },
    {
        "slug": "tamano-equipo",
        "name": "Tamaño promedio de los equipos",
        "description": "Personas que trabajan en cada organización, en promedio.",
        "unit": Indicator.Unit.MEAN,
        "value_question": "personas_equipo",
        "direction": Indicator.Direction.NEUTRAL,
        "disaggregations": ["question:tipo_actor"],
    },
    {
        "slug": "mujeres-en-equipos",
        "name": "Mujeres en los equipos",
        "description": (
            "Porcentaje de mujeres entre todas las personas que trabajan en las "
            "organizaciones encuestadas (suma de mujeres entre suma de personas)."
        ),
        "unit": Indicator.Unit.RATIO,
        "value_question": "mujeres_equipo",
        "ratio_question": "personas_equipo",
        "disaggregations": BREAKDOWNS,
    },
    {
        "slug": "participa-consejos",
        "name": "Organizaciones en consejos o comités de gobierno",
        "description": (
            "Porcentaje de organizaciones que participan en consejos o comités de "
            "gobierno: la puerta de la incidencia en política pública."
        ),
        "unit": Indicator.Unit.PERCENT,
        "numerator": {"question": "participa_consejos", "operator": "=", "value": "si"},
        "denominator": {"question": "participa_consejos", "operator": "answered"},
        "disaggregations": BREAKDOWNS,
    },
    {
        "slug": "propuestas-presentadas",
        "name": "Propuestas presentadas a autoridades (mediana)",
        "description": (
            "La mediana de las propuestas que cada organización presentó a autoridades "
            "el último año, entre las que participan en consejos o comités."
        ),
        "unit": Indicator.Unit.MEDIAN,
        "value_question": "propuestas_presentadas",
        "filters": [{"question": "participa_consejos", "operator": "=", "value": "si"}],
        "disaggregations": ["question:sexo_respondente"],
    },
]

POLO_INDICATOR: dict[str, Any] = {
    "slug": "organizaciones-publicadas",
    "name": "Organizaciones publicadas en el directorio",
    "description": (
        "Organizaciones con perfil público en el Directorio Temático de Polo, por su "
        "municipio sede: la presencia organizada de la sociedad civil en cada región."
    ),
    "source": Indicator.Source.POLO,
    "metric": "directory.published_organizations",
    "unit": Indicator.Unit.COUNT,
    "decimals": 0,
    "disaggregations": ["organization_kind", "theme"],
}


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    from polo.surveys.models import Campaign

    made = 0
    definitions = [POLO_INDICATOR]
    campaign = Campaign.objects.filter(slug=CAMPAIGN_SLUG).select_related("instrument").first()
    if campaign is None:
        stdout.write(
            f"  indicators: no survey campaign «{CAMPAIGN_SLUG}» (the surveys step makes it): "
            "only the indicator over Polo's data\n"
        )
    elif campaign.instrument.current_version is None:
        stdout.write(f"  indicators: campaign «{CAMPAIGN_SLUG}» has no form: skipped\n")
        campaign = None
    else:
        definitions = [*SURVEY_INDICATORS, POLO_INDICATOR]
    for position, definition in enumerate(definitions):
        if Indicator.objects.filter(slug=definition["slug"]).exists():
            continue
        fields = {
            "source": Indicator.Source.SURVEY,
            "campaign": campaign,
            "is_published": True,
            "ordering": position,
            **definition,
        }
        if fields["source"] == Indicator.Source.POLO:
            fields["campaign"] = None
        services.indicator_save(indicator=Indicator(**fields), by=None)
        made += 1
    # Survey figures follow the responses; Polo's were computed when made.
    refreshed = services.indicators_refresh(
        stale_only=True, indicators=Indicator.objects.filter(source=Indicator.Source.SURVEY)
    )
    stdout.write(
        f"  indicators: {made} new, {len(refreshed)} computed, "
        f"{Indicator.objects.published().count()} published\n"
    )
