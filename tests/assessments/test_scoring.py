"""The arithmetic of an assessment on known answers (scoring.py), and the
same figures stored when an assessment is completed.

The small instrument (helpers.py): gobernanza = gob_1 (weight 2), gob_2
(weight 1); incidencia = inc_1 (weight 1), inc_2 (weight 3).
"""

from __future__ import annotations

import pytest

from polo.assessments import scoring
from polo.assessments.definition import read
from polo.assessments.instrument.manual import manual_xlsform
from polo.assessments.models import AreaScore
from polo.surveys.xlsform import convert_xlsform
from tests.assessments.helpers import mini_xlsform


@pytest.fixture(scope="module")
def definition():
    return read(convert_xlsform(mini_xlsform()).spec)


def scored(definition, **levels):
    return scoring.score(definition, levels)


def area(result, slug):
    return next(a for a in result.areas if a.area.slug == slug)


def test_an_area_is_the_weighted_mean_of_its_items(definition):
    result = scored(definition, gob_1="4", gob_2="1", inc_1="2", inc_2="3")
    # (4×2 + 1×1) / 3 = 3.0 ; (2×1 + 3×3) / 4 = 2.75
    assert area(result, "gobernanza").score == pytest.approx(3.0)
    assert area(result, "incidencia").score == pytest.approx(2.75)
    assert area(result, "incidencia").weight == 4


def test_the_overall_score_is_the_mean_of_the_areas_not_of_the_items(definition):
    result = scored(definition, gob_1="4", gob_2="1", inc_1="2", inc_2="3")
    # (3.0 + 2.75) / 2; the weighted mean of all items would be (9 + 11) / 7 = 2.857.
    assert result.overall == pytest.approx(2.875)


def test_strongest_weakest_and_weak_items(definition):
    result = scored(definition, gob_1="4", gob_2="1", inc_1="2", inc_2="3")
    assert [a.area.slug for a in result.strongest] == ["gobernanza"]
    assert [a.area.slug for a in result.weakest] == ["incidencia"]
    assert sorted(s.item.name for s in result.weak_items) == ["gob_2", "inc_1"]


def test_tied_areas_have_no_strongest_nor_weakest(definition):
    result = scored(definition, gob_1="3", gob_2="3", inc_1="3", inc_2="3")
    assert result.strongest == [] and result.weakest == []
    assert result.weak_items == []


def test_a_tie_at_the_top_keeps_both_areas_out_of_the_weakest(definition):
    three_areas = scoring.extremes(
        [
            scoring.AreaResult(area=a, score=s, items_answered=1, items_total=1, weight=1)
            for a, s in zip(definition.areas * 2, [3.5, 3.5, 2.0, 3.5], strict=True)
        ]
    )
    strongest, weakest = three_areas
    assert len(strongest) == 3 and len(weakest) == 1 and weakest[0].score == 2.0


def test_an_unanswered_item_does_not_count(definition):
    result = scored(definition, gob_1="4", inc_1="2", inc_2="3")
    assert area(result, "gobernanza").score == pytest.approx(4.0)
    assert area(result, "gobernanza").items_answered == 1
    assert area(result, "gobernanza").items_total == 2
    assert not result.complete


def test_an_area_without_answers_has_no_score_and_stays_out_of_the_overall(definition):
    result = scored(definition, gob_1="4", gob_2="2")
    assert area(result, "incidencia").score is None
    assert result.overall == pytest.approx((4 * 2 + 2) / 3)
    assert result.strongest == [] and result.weakest == []


@pytest.mark.parametrize("value", ["5", "0", "-1", "4.5", "cuatro", "1 2", ""])
def test_a_value_off_the_scale_does_not_count_and_is_reported(definition, value):
    result = scored(definition, gob_1=value, gob_2="2", inc_1="2", inc_2="2")
    assert result.items["gob_1"].value is None
    assert area(result, "gobernanza").score == pytest.approx(2.0)
    assert [s.item.name for s in result.out_of_scale] == (["gob_1"] if value else [])


def test_a_value_that_is_not_a_string_does_not_count(definition):
    result = scoring.score(definition, {"gob_1": 4, "gob_2": ["3"], "inc_1": "1"})
    assert result.items["gob_1"].value is None and result.items["gob_2"].value is None
    assert area(result, "incidencia").score == pytest.approx(1.0)


def test_a_decimal_weight_counts_as_written():
    definition = read(convert_xlsform(mini_xlsform(weights={"gob_1": "0.5"})).spec)
    result = scored(definition, gob_1="4", gob_2="1")
    assert area(result, "gobernanza").score == pytest.approx((4 * 0.5 + 1) / 1.5)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1.0, "Inicial"),
        (1.74, "Inicial"),
        (1.75, "En desarrollo"),
        (2.5, "Establecido"),
        (3.25, "Consolidado"),
        (4.0, "Consolidado"),
        (None, ""),
    ],
)
def test_bands(value, words):
    assert str(scoring.band(value)) == words


def test_completing_stores_the_same_figures(done):
    scores = dict(AreaScore.objects.filter(assessment=done).values_list("area", "score"))
    assert scores == {"gobernanza": pytest.approx(3.0), "incidencia": pytest.approx(2.75)}
    assert done.overall_score == pytest.approx(2.875)
    counts = AreaScore.objects.get(assessment=done, area="incidencia")
    assert (counts.items_answered, counts.items_total) == (2, 2)


def test_the_default_instrument_scores_thirty_items_in_ten_areas():
    definition = read(convert_xlsform(manual_xlsform()).spec)
    assert len(definition.areas) == 10
    assert len(definition.items) == 30
    assert all(len(item.levels) == 4 for item in definition.items.values())
    assert all(item.actions for item in definition.items.values()), "every item suggests actions"
    everything_two = scoring.score(definition, dict.fromkeys(definition.items, "2"))
    assert everything_two.overall == pytest.approx(2.0)
    assert len(everything_two.weak_items) == 30
