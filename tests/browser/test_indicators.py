"""The diagnosis dashboard in a browser: axe on the dashboard, an indicator's
page (chart, map and tables, with suppressed cells), the same page as a
coordinator sees it (exact figures, the warning) and the coordinators' form;
the page works without JavaScript and loads nothing from another site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.indicators import services
from tests.browser.axe import assert_all_accessible
from tests.browser.conftest import log_in
from tests.indicators import conftest as indicator_fixtures
from tests.indicators.conftest import BASELINE_ROWS, MIDLINE_ROWS, answers_of, survey_indicator

# The indicators tests' fixtures, for this module (its conftest is not on this path).
third_municipality = indicator_fixtures.third_municipality
places = indicator_fixtures.places
survey_version = indicator_fixtures.survey_version
survey = indicator_fixtures.survey
respond = indicator_fixtures.respond


@pytest.fixture
def diagnosis(programme, places, survey, respond, media_root):
    """The conftest rows over the drawn programme, and a published indicator by
    region, municipality and the respondent's sex, 3 responses a cell at least."""
    for rows, round_ in ((BASELINE_ROWS, survey["baseline"]), (MIDLINE_ROWS, survey["midline"])):
        for row in rows:
            respond(round_, places[row[0]], **answers_of(row))
    indicator = survey_indicator(
        survey,
        min_cell=3,
        is_published=True,
        disaggregations=["question:sexo_respondente"],
    )
    services.indicator_refresh(indicator)
    return indicator


def test_the_dashboard_and_an_indicator_are_accessible(page, diagnosis):
    assert_all_accessible(
        page,
        {
            "dashboard": reverse("indicators:index"),
            "indicator": diagnosis.get_absolute_url(),
            "indicator by region": diagnosis.get_absolute_url() + "?region=valles-centrales",
        },
    )
    page.goto(diagnosis.get_absolute_url())
    # The chart and the map are images with a name, each beside its table.
    chart = page.get_by_role("img", name="Organizaciones con plan estratégico: Por región")
    assert chart.is_visible()
    assert page.get_by_role(
        "img", name="Organizaciones con plan estratégico por municipio"
    ).is_visible()
    table = page.get_by_role("table", name="Por municipio")
    assert table.get_by_role("row", name="Santa Lucía del Camino").inner_text().count("< 3") == 1


def test_a_coordinator_sees_the_warning_and_the_form_is_accessible(
    new_context, diagnosis, coordinator, live_server
):
    context = new_context()
    log_in(context, coordinator, live_server)
    page = context.new_page()
    assert_all_accessible(
        page,
        {
            "indicator (exact figures)": diagnosis.get_absolute_url(),
            "management": reverse("indicators:manage"),
            "new indicator": reverse("indicators:create"),
            "indicator form": reverse("indicators:edit", args=[diagnosis.slug]),
        },
    )
    page.goto(diagnosis.get_absolute_url())
    assert page.get_by_text("Vista interna con cifras exactas").is_visible()


def test_the_indicator_page_without_javascript_and_without_other_sites(
    new_context, diagnosis, live_server
):
    context = new_context(java_script_enabled=False)
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(diagnosis.get_absolute_url())
    # Switching the map's round is a plain link.
    page.get_by_role("link", name="Línea base").first.click()
    assert "ronda=" in page.url
    assert page.get_by_text("en la ronda «Línea base»").is_visible()
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), (
        requested
    )
