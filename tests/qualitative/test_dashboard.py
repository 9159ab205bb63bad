"""The public dashboard: theme frequencies by region on known data (counted by
hand below), suppression of small cells, only published quotes, filters, and a
fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.qualitative import services
from polo.qualitative.models import FocusGroup
from polo.surveys.models import Response
from tests.qualitative.factories import (
    FocusGroupFactory,
    code_passage,
    open_response,
    open_round,
    passage_of_answer,
)

pytestmark = pytest.mark.django_db

URL = reverse("qualitative:dashboard")


@pytest.fixture
def world(region, other_region, municipality, other_municipality, health, water, coordinator):
    """Sessions S1, S2 (finished) and S3 (a draft) in Valles Centrales, T1 in La
    Montaña; response R1 (sent) and R2 (rejected after coding) in Valles.

    passage  source  codes            counted
    A        S1      health, water    yes
    B        S1      health           yes
    C        S2      health           yes
    D        S3      health           no (draft session)
    E        T1      water            yes
    F        R1      health           yes
    G        R2      water            no (rejected response)

    health × Valles: A, B, C, F = 4 passages from S1, S2, R1 = 3 sources
    water × Valles: A = 1 passage, 1 source; water × Montaña: E = 1, 1 source
    """
    round_ = open_round(region)
    s1 = FocusGroupFactory(title="S1", municipality=municipality, round=round_)
    s2 = FocusGroupFactory(title="S2", municipality=municipality)
    s3 = FocusGroupFactory(title="S3", municipality=municipality, status=FocusGroup.Status.DRAFT)
    t1 = FocusGroupFactory(title="T1", municipality=other_municipality)
    r1 = open_response(round_, municipality, problems="El centro de salud está cerrado.")
    r2 = open_response(round_, municipality, problems="El río está contaminado.")
    passages = {
        "A": code_passage(s1, [health, water], paragraph=0),
        "B": code_passage(s1, [health], paragraph=1),
        "C": code_passage(s2, [health], paragraph=1),
        "D": code_passage(s3, [health], paragraph=1),
        "E": code_passage(t1, [water], paragraph=2),
        "F": passage_of_answer(r1, [health]),
        "G": passage_of_answer(r2, [water]),
    }
    r2.review(status=Response.Status.REJECTED, comment="Duplicada", by=coordinator)
    return {"round": round_, "passages": passages, "sessions": (s1, s2, s3, t1)}


def cells(response) -> dict[str, list[tuple[int, int, bool]]]:
    data = response.context["data"]
    return {
        row.code.slug: [(c.passages, c.sources, c.suppressed) for c in [*row.cells, row.total]]
        for row in data.rows
    }


def test_it_counts_passages_and_distinct_sources_per_theme_and_region(as_visitor, world, settings):
    settings.POLO_MIN_CELL_SIZE = 1

    response = as_visitor.get(URL)

    assert response.status_code == 200
    # Columns: the regions by their order, then name; then the total.
    assert [region.name for region in response.context["data"].regions] == [
        "La Montaña",
        "Valles Centrales",
    ]
    assert cells(response) == {
        "salud": [(0, 0, False), (4, 3, False), (4, 3, False)],
        "agua": [(1, 1, False), (1, 1, False), (2, 2, False)],
    }
    assert response.context["data"].sources == 4  # S1, S2, T1, R1


def test_the_table_and_the_chart_show_the_numbers(as_visitor, world, settings):
    settings.POLO_MIN_CELL_SIZE = 1

    page = as_visitor.get(URL).content.decode()

    assert "4 <small>(3)</small>" in page
    assert '<svg class="qual-chart"' in page
    assert page.count('<rect class="bar"') == 2
    assert "<script" not in page.split("<main", 1)[1]


def test_a_region_filter_keeps_its_column(as_visitor, world, settings):
    settings.POLO_MIN_CELL_SIZE = 1

    response = as_visitor.get(URL, {"region": "montana"})

    assert cells(response) == {"agua": [(1, 1, False), (1, 1, False)]}


def test_a_round_filter_keeps_the_sessions_and_answers_of_that_round(as_visitor, world, settings):
    settings.POLO_MIN_CELL_SIZE = 1

    response = as_visitor.get(URL, {"ronda": world["round"].pk})

    # S1 (A, B) and R1 (F) are of the round; S2 and T1 are not.
    assert cells(response) == {
        "salud": [(0, 0, False), (3, 2, False), (3, 2, False)],
        "agua": [(0, 0, False), (1, 1, False), (1, 1, False)],
    }
    assert [r.pk for r in response.context["rounds"]] == [world["round"].pk]


@pytest.mark.parametrize(
    "params", [{"ronda": "abc"}, {"ronda": "999999"}, {"region": "<script>"}, {"ronda": "1e9"}]
)
def test_unknown_filters_are_ignored(as_visitor, world, params):
    response = as_visitor.get(URL, params)

    assert response.status_code == 200
    assert response.context["filters"].round is None
    assert response.context["filters"].region is None


def test_small_cells_are_suppressed_for_the_public(as_visitor, world, settings):
    settings.POLO_MIN_CELL_SIZE = 3

    response = as_visitor.get(URL)

    # health × Valles has 3 sources: shown; every water cell has fewer.
    assert cells(response) == {
        "salud": [(0, 0, False), (4, 3, False), (4, 3, False)],
        "agua": [(1, 1, True), (1, 1, True), (2, 2, True)],
    }
    page = response.content.decode()
    assert "menos de 3" in page
    assert page.count('<rect class="bar"') == 1


def test_the_default_threshold_is_five_sources(as_visitor, world, settings):
    del settings.POLO_MIN_CELL_SIZE  # neither setting: five
    del settings.POLO_SMALL_CELL

    response = as_visitor.get(URL)

    assert response.context["data"].min_cell == 5
    assert all(suppressed for row in cells(response).values() for _p, s, suppressed in row if s)
    assert "<rect" not in response.content.decode()


def test_a_lone_small_cell_cannot_be_recovered_from_the_total(
    as_visitor, world, other_municipality, water, settings
):
    """water × Valles has 1 source; with two more sessions in La Montaña, water ×
    Montaña has 3 and the total 4: total minus Montaña would give Valles away, so
    Montaña is hidden too."""
    settings.POLO_MIN_CELL_SIZE = 2
    for title in ("T2", "T3"):
        code_passage(FocusGroupFactory(title=title, municipality=other_municipality), [water])

    response = as_visitor.get(URL)

    assert cells(response)["agua"] == [(3, 3, True), (1, 1, True), (4, 4, False)]


def test_staff_see_small_cells_marked(as_coordinator, as_facilitator, world, settings):
    settings.POLO_MIN_CELL_SIZE = 3

    for client in (as_coordinator, as_facilitator):
        response = client.get(URL)
        assert cells(response)["agua"] == [(1, 1, False), (1, 1, False), (2, 2, False)]
        assert "1 <small>(1)*</small>" in response.content.decode()


def test_only_published_quotes_of_counted_sources_appear(
    as_visitor, as_participant, world, coordinator, settings
):
    settings.POLO_MIN_CELL_SIZE = 1
    passages = world["passages"]
    services.quote_publish(
        passage=passages["C"],
        by=coordinator,
        text="Caminamos tres horas para llegar al hospital.",
        sex="woman",
        age="30_59",
        place="region",
    )
    services.quote_publish(passage=passages["D"], by=coordinator)  # a draft session's
    services.quote_publish(passage=passages["E"], by=coordinator)
    services.quote_unpublish(passage=passages["E"], by=coordinator)

    for client in (as_visitor, as_participant):
        page = client.get(URL).content.decode()
        assert "«Caminamos tres horas para llegar al hospital.»" in page
        assert "— Mujer, 30–59, Valles Centrales" in page
        assert passages["C"].text not in page  # the anonymised edit replaces it
        assert passages["A"].text not in page  # coded, never published
        assert passages["D"].text not in page
        assert passages["E"].text not in page  # withdrawn


def test_a_quote_under_each_of_its_codes_at_most_three(
    as_visitor, world, coordinator, health, municipality, settings
):
    settings.POLO_MIN_CELL_SIZE = 1
    session = FocusGroupFactory(municipality=municipality)
    for index in range(3):
        services.quote_publish(
            passage=code_passage(session, [health], paragraph=index), by=coordinator
        )
    services.quote_publish(passage=world["passages"]["A"], by=coordinator)

    data = as_visitor.get(URL).context["data"]

    quotes = {row.code.slug: row.quotes for row in data.rows}
    assert len(quotes["salud"]) == 3
    assert quotes["agua"] == [world["passages"]["A"]]


def test_nothing_coded_yet_says_so(as_visitor, db):
    page = as_visitor.get(URL).content.decode()

    assert "Todavía no hay fragmentos codificados" in page


def test_the_dashboard_makes_a_fixed_number_of_queries(
    as_visitor, world, health, water, municipality, coordinator, django_assert_max_num_queries
):
    services.quote_publish(passage=world["passages"]["A"], by=coordinator)
    as_visitor.get(URL)
    with django_assert_max_num_queries(8) as few:
        as_visitor.get(URL)
    for n in range(10):
        code = health if n % 2 else water
        from tests.qualitative.factories import CodeFactory

        extra = CodeFactory()
        passage = code_passage(
            FocusGroupFactory(municipality=municipality), [code, extra], paragraph=n % 3
        )
        services.quote_publish(passage=passage, by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_visitor.get(URL)
    assert len(response.context["data"].rows) == 12
