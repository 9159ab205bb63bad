"""`polo indicators refresh`: every indicator, the named ones, or only those
whose responses changed since they were computed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from polo.indicators.models import Cell, Indicator
from polo.surveys import services as survey_services
from polo.surveys.models import Response
from tests.indicators.conftest import survey_indicator

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("indicators", "refresh", *args, stdout=out)
    return out.getvalue()


def total(indicator, round_):
    return Cell.objects.get(indicator=indicator, round=round_, breakdown="total").value


def test_refresh_computes_every_indicator(dataset):
    first = survey_indicator(dataset)
    survey_indicator(dataset, slug="otro")
    output = run()
    assert "plan-estrategico: 11 cifras" in output
    assert "2 indicadores calculados" in output
    assert total(first, dataset["baseline"]) == pytest.approx(500 / 9)


def test_refresh_of_named_indicators_and_an_unknown_one(dataset):
    survey_indicator(dataset)
    assert "1 indicadores calculados" in run("plan-estrategico")
    with pytest.raises(CommandError, match="no-existe"):
        run("no-existe")


def test_stale_refresh_follows_the_reviews(dataset):
    indicator = survey_indicator(dataset)
    run()
    assert "0 indicadores calculados" in run("--stale")
    response = Response.objects.filter(round=dataset["midline"], data__plan_estrategico="no").get()
    survey_services.response_review(response=response, status="rejected", comment="", by=None)
    assert "1 indicadores calculados" in run("--stale")
    assert total(indicator, dataset["midline"]) == 100.0


def test_a_broken_indicator_does_not_stop_the_others(dataset):
    broken = survey_indicator(dataset, slug="roto")
    # A metric that its module no longer registers.
    Indicator.objects.filter(pk=broken.pk).update(source="polo", metric="retirado", campaign=None)
    good = survey_indicator(dataset, slug="bueno")
    output = run()
    assert "bueno:" in output and "roto:" not in output
    assert Cell.objects.filter(indicator=good).exists()
