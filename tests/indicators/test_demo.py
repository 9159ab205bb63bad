"""The demo step: published indicators over the surveys demo's campaign when it
is there, the one over Polo's data always; twice changes nothing."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from polo.demo import Scale
from polo.demo import indicators as demo
from polo.indicators.models import Cell, Indicator

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    demo.populate(rng=random.Random(1), scale=Scale(), stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Indicator.objects.values_list("slug", "updated_at", "computed_at")),
        sorted(Cell.objects.values_list("indicator__slug", "breakdown", "key", "value")),
    )


def test_without_the_survey_campaign_only_polo_data(organization):
    output = run()
    assert "only the indicator over Polo's data" in output
    assert list(Indicator.objects.values_list("slug", "is_published")) == [
        ("organizaciones-publicadas", True)
    ]
    assert (
        Cell.objects.get(indicator__slug="organizaciones-publicadas", breakdown="total").value == 1
    )


def test_with_the_campaign_every_indicator_computes_and_twice_changes_nothing(
    dataset, organization
):
    output = run()
    assert "6 new" in output
    indicators = {i.slug: i for i in Indicator.objects.all()}
    assert len(indicators) == 6 and all(i.is_published for i in indicators.values())
    baseline = dataset["baseline"]

    def total(slug):
        return Cell.objects.get(indicator__slug=slug, round=baseline, breakdown="total").value

    assert total("plan-estrategico") == pytest.approx(5 / 8 * 100)  # 5 of the 8 who answered
    assert total("tamano-equipo") == pytest.approx(57 / 9)
    assert total("mujeres-en-equipos") == pytest.approx(28 / 57 * 100)
    assert Cell.objects.filter(
        indicator__slug="plan-estrategico", breakdown="question:indigena"
    ).exists()
    before = snapshot()
    assert "0 new, 0 computed" in run()
    assert snapshot() == before
