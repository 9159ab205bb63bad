"""The assessments' aggregates as indicator sources of the diagnosis
dashboard: one metric per area of the Incidence Manual and one overall, by
region, municipality and kind of organisation, with small cells suppressed
like every figure about private data."""

from __future__ import annotations

import pytest
from django.utils import translation

from polo.indicators import services as indicator_services
from polo.indicators import sources
from polo.indicators.models import Cell, Indicator
from tests import factories as f
from tests.assessments.helpers import completed

HIGH = {"gob_1": "4", "gob_2": "1", "inc_1": "2", "inc_2": "3"}


def test_the_metrics_are_registered_with_suppression():
    keys = {metric.key for metric in sources.metrics()}
    assert "assessments.overall_score" in keys
    for area in ("identidad", "gobernanza", "incidencia", "participacion", "transparencia"):
        assert f"assessments.area_score.{area}" in keys
    metric = sources.get("assessments.area_score.incidencia")
    assert metric.suppress and metric.dimensions == ["organization_kind"]
    with translation.override("es-mx"):
        assert "Incidencia en políticas públicas" in str(metric.label)
    with translation.override("en"):
        assert "Public-policy advocacy" in str(metric.label)


@pytest.fixture
def seven_in_the_region(instrument, coordinator, municipality):
    for n in range(7):
        kind = "collective" if n < 2 else "cso"
        org = f.OrganizationFactory(name=f"Org {n}", municipality=municipality, kind=kind)
        completed(org, coordinator, HIGH)


def test_an_indicator_over_an_area_computes_mean_scores_with_suppression(seven_in_the_region):
    indicator = Indicator.objects.create(
        slug="gobernanza",
        name="Gobernanza",
        source=Indicator.Source.POLO,
        metric="assessments.area_score.gobernanza",
        unit=Indicator.Unit.COUNT,
        disaggregations=["organization_kind"],
    )
    indicator_services.indicator_refresh(indicator)
    cells = {(c.breakdown, c.key): c for c in Cell.objects.filter(indicator=indicator)}
    total = cells[("total", "")]
    assert total.size == 7 and total.value == pytest.approx(3.0) and not total.suppression
    region = cells[("region", "valles-centrales")]
    assert region.size == 7 and region.value == pytest.approx(3.0)
    assert cells[("municipality", "20067")].size == 7
    collectives = cells[("organization_kind", "collective")]
    assert collectives.size == 2 and collectives.suppression == "small"
    # The other kind would give the collectives away (total − CSOs): hidden too.
    assert cells[("organization_kind", "cso")].suppression == "complementary"


def test_the_overall_metric(seven_in_the_region):
    metric = sources.get("assessments.overall_score")
    cells = metric.compute(["total", "region"])
    assert cells[0].value == pytest.approx(2.875) and cells[0].size == 7
