"""Small-number protection: cells below the minimum are hidden from the public,
and so are the cells that would give a hidden one away by subtraction."""

from __future__ import annotations

import pytest

from polo.indicators import suppression
from polo.indicators.compute import CellData
from polo.indicators.models import Cell
from tests.indicators.conftest import survey_indicator

SMALL, COMPLEMENTARY = "small", "complementary"


def cell(breakdown, key, size, parent="", round_id=1):
    return CellData(round_id, breakdown, key, key, parent_key=parent, size=size, value=1.0)


def marks(cells):
    return {(c.breakdown, c.key): c.suppression for c in cells}


def test_a_cell_below_the_minimum_is_suppressed_and_one_at_it_is_not():
    cells = [
        cell("total", "", 30),
        cell("region", "a", 30),
        cell("municipality", "m1", 4, "a"),
        cell("municipality", "m2", 5, "a"),
        cell("municipality", "m3", 21, "a"),
    ]
    suppression.apply(cells, min_size=5)
    assert marks(cells)[("municipality", "m1")] == SMALL
    assert marks(cells)[("municipality", "m3")] != SMALL


def test_a_lone_suppressed_municipality_takes_the_next_smallest_with_it():
    cells = [
        cell("total", "", 40),
        cell("region", "a", 40),
        cell("municipality", "m1", 2, "a"),
        cell("municipality", "m2", 8, "a"),
        cell("municipality", "m3", 30, "a"),
    ]
    suppression.apply(cells, min_size=5)
    assert marks(cells) == {
        ("total", ""): "",
        ("region", "a"): "",
        ("municipality", "m1"): SMALL,
        ("municipality", "m2"): COMPLEMENTARY,  # region − m3 − m2 would be m1
        ("municipality", "m3"): "",
    }


def test_two_suppressed_municipalities_protect_each_other():
    cells = [
        cell("total", "", 40),
        cell("region", "a", 40),
        cell("municipality", "m1", 2, "a"),
        cell("municipality", "m2", 3, "a"),
        cell("municipality", "m3", 35, "a"),
    ]
    suppression.apply(cells, min_size=5)
    assert marks(cells)[("municipality", "m3")] == ""


def test_a_lone_suppressed_region_takes_the_next_smallest_region_and_one_of_its_municipalities():
    cells = [
        cell("total", "", 60),
        cell("region", "a", 3),
        cell("region", "b", 20),
        cell("region", "c", 37),
        cell("municipality", "a1", 3, "a"),
        cell("municipality", "b1", 12, "b"),
        cell("municipality", "b2", 8, "b"),
        cell("municipality", "c1", 37, "c"),
    ]
    suppression.apply(cells, min_size=5)
    result = marks(cells)
    assert result[("region", "a")] == SMALL
    assert result[("municipality", "a1")] == SMALL
    assert result[("region", "b")] == COMPLEMENTARY
    # b is hidden but would be b1 + b2: its smallest municipality goes too.
    assert result[("municipality", "b2")] == COMPLEMENTARY
    # And once b2 is hidden alone under the hidden b, nothing more is needed.
    assert result[("municipality", "b1")] == ""
    assert result[("region", "c")] == ""


def test_other_breakdowns_are_protected_against_the_total():
    cells = [
        cell("total", "", 20),
        cell("question:sexo", "mujer", 12),
        cell("question:sexo", "hombre", 6),
        cell("question:sexo", "otro", 2),
    ]
    suppression.apply(cells, min_size=5)
    assert marks(cells) == {
        ("total", ""): "",
        ("question:sexo", "mujer"): "",
        ("question:sexo", "hombre"): COMPLEMENTARY,
        ("question:sexo", "otro"): SMALL,
    }


def test_rounds_are_protected_separately():
    cells = [
        cell("total", "", 20, round_id=1),
        cell("question:sexo", "mujer", 18, round_id=1),
        cell("question:sexo", "hombre", 2, round_id=1),
        cell("total", "", 20, round_id=2),
        cell("question:sexo", "mujer", 10, round_id=2),
        cell("question:sexo", "hombre", 10, round_id=2),
    ]
    suppression.apply(cells, min_size=5)
    assert [c.suppression for c in cells] == ["", COMPLEMENTARY, SMALL, "", "", ""]


def test_a_small_total_hides_everything():
    cells = [cell("total", "", 4), cell("region", "a", 4), cell("municipality", "m", 4, "a")]
    suppression.apply(cells, min_size=5)
    assert {c.suppression for c in cells} == {SMALL}


# --- On real data (conftest's rows), as stored ------------------------------------------


@pytest.mark.django_db
def test_stored_cells_carry_the_suppression(dataset):
    from polo.indicators import services

    indicator = survey_indicator(dataset, min_cell=3)
    services.indicator_refresh(indicator)
    baseline = {
        (c.breakdown, c.key): c.suppression
        for c in Cell.objects.filter(indicator=indicator, round=dataset["baseline"])
    }
    # Santa Lucía has 2 responses; Oaxaca (4) is hidden with it: Valles Centrales
    # (6, shown) minus Oaxaca would give Santa Lucía.
    assert baseline[("municipality", "20068")] == SMALL
    assert baseline[("municipality", "20067")] == COMPLEMENTARY
    assert baseline[("municipality", "12041")] == ""
    assert baseline[("region", "valles-centrales")] == ""
    assert baseline[("total", "")] == ""


@pytest.mark.django_db
def test_the_minimum_comes_from_the_setting(settings, survey):
    from polo.indicators.models import Indicator

    settings.POLO_SMALL_CELL = 7
    assert Indicator(name="x").min_cell == 7
