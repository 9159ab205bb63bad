"""Indicator arithmetic on known data: every expected figure is worked out by
hand from the rows in conftest.py (BASELINE_ROWS, MIDLINE_ROWS)."""

from __future__ import annotations

import pytest

from polo.indicators import services
from polo.indicators.models import Cell, Indicator
from tests.indicators.conftest import survey_indicator

pytestmark = pytest.mark.django_db

A, B = "valles-centrales", "montana"
OAXACA, SANTA_LUCIA, MALINALTEPEC = "20067", "20068", "12041"


def figures(indicator, breakdown, round_, field="value"):
    services.indicator_refresh(indicator)
    cells = Cell.objects.filter(indicator=indicator, breakdown=breakdown, round=round_)
    return {
        cell.key: (round(getattr(cell, field), 4) if getattr(cell, field) is not None else None)
        for cell in cells
    }


def sizes(indicator, breakdown, round_):
    services.indicator_refresh(indicator)
    return {
        cell.key: cell.size
        for cell in Cell.objects.filter(indicator=indicator, breakdown=breakdown, round=round_)
    }


def test_a_percentage_counts_yes_over_every_counted_response(dataset):
    indicator = survey_indicator(dataset)
    baseline = dataset["baseline"]
    assert figures(indicator, "municipality", baseline) == {
        OAXACA: 50.0,
        SANTA_LUCIA: 50.0,
        MALINALTEPEC: round(200 / 3, 4),
    }
    # The draft and the rejected response (both "si") are not counted.
    assert sizes(indicator, "municipality", baseline) == {
        OAXACA: 4,
        SANTA_LUCIA: 2,
        MALINALTEPEC: 3,
    }
    assert figures(indicator, "region", baseline) == {A: 50.0, B: round(200 / 3, 4)}
    assert figures(indicator, "total", baseline) == {"": round(500 / 9, 4)}
    assert figures(indicator, "total", baseline, "numerator") == {"": 5}
    assert figures(indicator, "total", baseline, "denominator") == {"": 9}


def test_each_round_has_its_own_figures(dataset):
    indicator = survey_indicator(dataset)
    midline = dataset["midline"]
    assert figures(indicator, "municipality", midline) == {OAXACA: 100.0, MALINALTEPEC: 50.0}
    assert figures(indicator, "total", midline) == {"": 80.0}


def test_a_denominator_condition_narrows_the_base(dataset):
    indicator = survey_indicator(
        dataset, denominator={"question": "plan_estrategico", "operator": "answered"}
    )
    baseline = dataset["baseline"]
    assert figures(indicator, "municipality", baseline)[OAXACA] == round(200 / 3, 4)
    assert figures(indicator, "total", baseline) == {"": 62.5}  # 5 of 8 answered


def test_filters_narrow_the_base(dataset):
    indicator = survey_indicator(
        dataset, filters=[{"question": "indigena", "operator": "=", "value": "si"}]
    )
    baseline = dataset["baseline"]
    assert figures(indicator, "total", baseline) == {"": round(400 / 6, 4)}
    assert figures(indicator, "municipality", baseline) == {
        OAXACA: 50.0,  # r1 yes, r4 no answer
        SANTA_LUCIA: 100.0,  # r5
        MALINALTEPEC: round(200 / 3, 4),
    }


def test_a_numeric_filter_compares_numbers_not_text(dataset):
    # "10" < "6" as text; as numbers, teams of more than 6 people: 10, 8, 12, 7.
    indicator = survey_indicator(
        dataset, filters=[{"question": "personas_equipo", "operator": ">", "value": "6"}]
    )
    baseline = dataset["baseline"]
    assert sizes(indicator, "total", baseline) == {"": 4}
    assert figures(indicator, "total", baseline) == {"": 100.0}


def test_not_equal_leaves_out_those_who_did_not_answer(dataset):
    indicator = survey_indicator(
        dataset,
        unit=Indicator.Unit.COUNT,
        numerator={"question": "plan_estrategico", "operator": "!=", "value": "si"},
    )
    # r2, r6, r7 said "no"; r4 did not answer and is not counted.
    assert figures(indicator, "total", dataset["baseline"]) == {"": 3.0}


def test_a_count_without_numerator_counts_the_base(dataset):
    indicator = survey_indicator(dataset, unit=Indicator.Unit.COUNT, numerator=None)
    assert figures(indicator, "region", dataset["baseline"]) == {A: 6.0, B: 3.0}


def test_a_multiple_choice_condition_matches_one_chosen_option(dataset):
    indicator = survey_indicator(
        dataset,
        unit=Indicator.Unit.COUNT,
        numerator={"question": "fuentes", "operator": "selected", "value": "donativos"},
    )
    baseline = dataset["baseline"]
    assert figures(indicator, "municipality", baseline) == {
        OAXACA: 2.0,
        SANTA_LUCIA: 0.0,
        MALINALTEPEC: 1.0,
    }
    indicator.unit = Indicator.Unit.PERCENT
    indicator.save()
    assert figures(indicator, "total", baseline) == {"": round(300 / 9, 4)}


def test_mean_median_and_sum_of_a_number(dataset):
    baseline = dataset["baseline"]
    mean = survey_indicator(
        dataset,
        slug="equipo",
        unit=Indicator.Unit.MEAN,
        numerator=None,
        value_question="personas_equipo",
    )
    assert figures(mean, "municipality", baseline) == {
        OAXACA: 5.5,
        SANTA_LUCIA: 6.5,
        MALINALTEPEC: round(22 / 3, 4),
    }
    assert figures(mean, "total", baseline) == {"": round(57 / 9, 4)}

    median = survey_indicator(
        dataset,
        slug="mediana",
        unit=Indicator.Unit.MEDIAN,
        numerator=None,
        value_question="personas_equipo",
    )
    assert figures(median, "municipality", baseline) == {
        OAXACA: 5.0,  # 2 4 | 6 10
        SANTA_LUCIA: 6.5,  # 5 8
        MALINALTEPEC: 7.0,  # 3 7 12
    }
    assert figures(median, "region", baseline) == {A: 5.5, B: 7.0}  # 2 4 5 | 6 8 10
    assert figures(median, "total", baseline) == {"": 6.0}
    assert figures(median, "total", dataset["midline"]) == {"": 9.0}  # 3 4 9 10 10

    total = survey_indicator(
        dataset,
        slug="suma",
        unit=Indicator.Unit.SUM,
        numerator=None,
        value_question="personas_equipo",
    )
    assert figures(total, "region", baseline) == {A: 35.0, B: 22.0}


def test_a_percentage_of_two_sums(dataset):
    indicator = survey_indicator(
        dataset,
        slug="mujeres",
        unit=Indicator.Unit.RATIO,
        numerator=None,
        value_question="mujeres_equipo",
        ratio_question="personas_equipo",
    )
    baseline = dataset["baseline"]
    assert figures(indicator, "total", baseline) == {"": round(2800 / 57, 4)}
    assert figures(indicator, "municipality", baseline)[OAXACA] == round(1200 / 22, 4)


def test_a_mean_with_a_filter_and_a_denominator(dataset):
    indicator = survey_indicator(
        dataset,
        unit=Indicator.Unit.MEAN,
        numerator=None,
        value_question="personas_equipo",
        filters=[{"question": "sexo_respondente", "operator": "=", "value": "mujer"}],
        denominator={"question": "plan_estrategico", "operator": "=", "value": "si"},
    )
    # Women respondents with a plan: r1 (10), r3 (6), r9 (7).
    assert figures(indicator, "total", dataset["baseline"]) == {"": round(23 / 3, 4)}


def test_breakdown_by_a_single_choice_question(dataset):
    indicator = survey_indicator(dataset, disaggregations=["question:sexo_respondente"])
    assert figures(indicator, "question:sexo_respondente", dataset["baseline"]) == {
        "mujer": 50.0,  # r1 r3 r9 yes; r4 no answer; r6 r7 no
        "hombre": 50.0,  # r2 no, r5 yes
        "otro": 100.0,  # r8
    }


def test_breakdown_by_a_multiple_choice_question_counts_each_option_chosen(dataset):
    indicator = survey_indicator(dataset, disaggregations=["question:fuentes"])
    baseline = dataset["baseline"]
    assert figures(indicator, "question:fuentes", baseline) == {
        "donativos": 100.0,  # r1 r3 r8
        "gobierno": 50.0,  # r1 r2
        "cooperacion": 100.0,  # r5
        "": 25.0,  # no answer: r4 r6 r7 r9, one yes
    }
    assert sizes(indicator, "question:fuentes", baseline) == {
        "donativos": 3,
        "gobierno": 2,
        "cooperacion": 1,
        "": 4,
    }


def test_breakdown_by_organization_kind(dataset, survey, places, respond):
    from tests import factories as f

    organization = f.OrganizationFactory(municipality=places["oaxaca"], kind="network")
    respond(survey["baseline"], places["oaxaca"], organization=organization, plan_estrategico="si")
    indicator = survey_indicator(dataset, disaggregations=["organization_kind"])
    assert figures(indicator, "organization_kind", survey["baseline"]) == {
        "network": 100.0,
        "": round(500 / 9, 4),  # the nine responses without an organisation
    }


def test_a_response_without_municipality_counts_in_the_total_only(dataset, survey, respond):
    respond(survey["baseline"], None, plan_estrategico="si")
    indicator = survey_indicator(dataset)
    baseline = survey["baseline"]
    assert figures(indicator, "total", baseline) == {"": 60.0}  # 6 of 10
    assert figures(indicator, "municipality", baseline)[""] == 100.0
    assert figures(indicator, "region", baseline)[""] == 100.0


def test_a_rejected_response_leaves_the_figures(dataset, survey):
    from polo.surveys import services as survey_services
    from polo.surveys.models import Response

    indicator = survey_indicator(dataset)
    response = Response.objects.filter(
        round=survey["midline"], municipality__code=MALINALTEPEC
    ).get(data__plan_estrategico="no")
    survey_services.response_review(
        response=response, status=Response.Status.REJECTED, comment="duplicada", by=None
    )
    assert figures(indicator, "total", survey["midline"]) == {"": 100.0}
