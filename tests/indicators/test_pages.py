"""The dashboard and an indicator's page: what the public sees (suppressed
cells without figures), what staff see (exact figures, marked, with a
warning), the change from the baseline and whether it is good, the chart, the
map and the tables, and a fixed number of queries."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.urls import reverse

from polo.indicators import services
from polo.indicators.models import Indicator
from tests.browser.conftest import square
from tests.indicators.conftest import survey_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(dataset):
    """% with a plan, at least 3 responses a cell: in the baseline Santa Lucía
    (2) is hidden and Oaxaca (4) with it; in the midline La Montaña (2) is hidden
    and Valles Centrales with it."""
    indicator = survey_indicator(
        dataset,
        min_cell=3,
        is_published=True,
        disaggregations=["question:sexo_respondente", "question:fuentes"],
    )
    services.indicator_refresh(indicator)
    return indicator


@pytest.fixture
def drawn(places):
    for i, place in enumerate(places.values()):
        for field, value in square(i * 4_000, 0).items():
            setattr(place, field, value)
        place.save()
    return places


def cell_text(html: str, row_label: str) -> list[str]:
    """The cells of the first table row headed by row_label, as text."""
    match = re.search(
        r"<tr>\s*<th scope=\"row\">(?:<a [^>]*>)?"
        + re.escape(row_label)
        + r"(?:</a>)?</th>(.*?)</tr>",
        html,
        re.S,
    )
    assert match, row_label
    return [
        html_module.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def test_the_public_sees_suppressed_cells_without_figures(as_visitor, published):
    html = as_visitor.get(published.get_absolute_url()).content.decode()
    # Municipalities: region, figure and responses per round, then the change.
    santa_lucia = cell_text(html, "Santa Lucía del Camino")
    assert santa_lucia[0] == "Valles Centrales"
    assert santa_lucia[1].startswith("< 3")
    assert "Menos de 3 respuestas" in santa_lucia[1]
    assert santa_lucia[2] == "—"
    oaxaca = cell_text(html, "Oaxaca de Juárez")
    assert oaxaca[1].startswith("oculto")
    malinaltepec = cell_text(html, "Malinaltepec")
    assert malinaltepec[1] == "66.7\u00a0%" and malinaltepec[2] == "3"
    # The exact figures of the hidden cells appear nowhere (Oaxaca 50.0, 4 responses).
    assert "Vista interna" not in html
    assert 'class="num figure-exact"' not in html
    assert " *</" not in html  # no bar labelled as an exact figure either


def test_a_coordinator_sees_exact_figures_with_a_warning(as_coordinator, published):
    html = as_coordinator.get(published.get_absolute_url()).content.decode()
    assert "Vista interna con cifras exactas" in html
    santa_lucia = cell_text(html, "Santa Lucía del Camino")
    assert santa_lucia[1].startswith("50.0\u00a0% *")
    assert santa_lucia[2] == "2"


def test_a_facilitator_sees_exact_figures_of_their_region_only(
    as_facilitator, as_other_facilitator, published
):
    # The facilitator persona works in Valles Centrales: Santa Lucía is theirs.
    html = as_facilitator.get(published.get_absolute_url()).content.decode()
    assert cell_text(html, "Santa Lucía del Camino")[1].startswith("50.0\u00a0% *")
    # In the midline La Montaña is hidden; it is not theirs.
    assert "< 3" in cell_text(html, "La Montaña")[2]
    other = as_other_facilitator.get(published.get_absolute_url()).content.decode()
    assert cell_text(other, "Santa Lucía del Camino")[1].startswith("< 3")
    assert cell_text(other, "La Montaña")[2].startswith("50.0\u00a0% *")


def test_the_change_from_the_baseline_says_whether_it_is_good(as_visitor, published):
    html = as_visitor.get(published.get_absolute_url()).content.decode()
    # 55.6 % → 80.0 %: +24.4 points, and more is better.
    total = cell_text(html, "Total")
    assert total[-1] == "+24.4\u00a0pp (mejora)"
    published.direction = Indicator.Direction.LOWER
    published.save()
    html = as_visitor.get(published.get_absolute_url()).content.decode()
    assert cell_text(html, "Total")[-1] == "+24.4\u00a0pp (empeora)"


def test_no_change_is_shown_where_a_round_is_hidden(as_visitor, published):
    html = as_visitor.get(published.get_absolute_url()).content.decode()
    assert cell_text(html, "La Montaña")[-1] == "—"  # the midline is hidden


def test_the_page_has_a_chart_and_a_map_with_their_tables(as_visitor, published, drawn):
    html = as_visitor.get(published.get_absolute_url()).content.decode()
    charts = re.findall(r'<svg [^>]*class="chart-svg"[^>]*role="img"', html)
    assert len(charts) == 4  # region, municipality, sex, sources
    assert 'class="map-svg' in html
    assert "Cifra de cada municipio" in html
    # Each chart has a title and a description referenced by aria-labelledby.
    for chart_id in re.findall(r'aria-labelledby="(c[0-9a-f]+)-title', html):
        assert f'id="{chart_id}-desc"' in html
    # The map's hidden municipalities are hatched and say why in their title.
    assert "url(#" in html.split('class="map-svg')[1]
    assert "Santa Lucía del Camino: sin respuestas" in html  # none in the midline
    # No script at all from anywhere but Polo.
    assert not re.search(r'<script[^>]+src="https?://', html)


def test_the_map_of_another_round(as_visitor, published, drawn, dataset):
    url = published.get_absolute_url() + f"?ronda={dataset['baseline'].pk}"
    html = as_visitor.get(url).content.decode()
    assert "en la ronda «Línea base»" in html
    assert "Malinaltepec: 66.7\u00a0% (3 respuestas)" in html


def test_a_region_narrows_the_municipalities(as_visitor, published, region):
    html = as_visitor.get(published.get_absolute_url() + f"?region={region.slug}").content.decode()
    assert "Santa Lucía del Camino" in html
    assert "Malinaltepec" not in html


def test_the_dashboard_shows_headlines_and_the_change(as_visitor, published):
    html = as_visitor.get(reverse("indicators:index")).content.decode()
    assert "55.6\u00a0%" in html and "80.0\u00a0%" in html and "+24.4\u00a0pp" in html


def test_the_dashboard_by_region_shows_the_region(as_visitor, published, other_region):
    html = as_visitor.get(
        reverse("indicators:index") + "?region=" + other_region.slug
    ).content.decode()
    assert "Indicadores en La Montaña" in html
    assert "66.7\u00a0%" in html  # La Montaña's baseline
    assert "&lt; 3" in html  # its midline (2 responses)


def test_the_dashboard_filters_by_campaign_and_round(as_visitor, published, dataset):
    html = as_visitor.get(reverse("indicators:index") + "?campana=otra").content.decode()
    assert published.name not in html
    url = reverse("indicators:index") + f"?ronda={dataset['baseline'].pk}"
    html = as_visitor.get(url).content.decode()
    assert published.name in html and "80.0" not in html


def test_hostile_query_strings_are_ignored(as_visitor, published):
    for query in (
        "?ronda=1e9",
        "?ronda=-1",
        "?region=<script>",
        "?campana=%00",
        "?region=%00",
        "?ronda=99999999999999",
    ):
        response = as_visitor.get(reverse("indicators:index") + query)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
        response = as_visitor.get(published.get_absolute_url() + query)
        assert response.status_code == 200


def test_the_dashboard_does_a_fixed_number_of_queries(
    as_visitor, dataset, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            indicator = survey_indicator(dataset, slug=f"i{n}-{i}", is_published=True)
            services.indicator_refresh(indicator)

    make(1)
    with django_assert_max_num_queries(8) as one:
        as_visitor.get(reverse("indicators:index"))
    make(6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        as_visitor.get(reverse("indicators:index"))


def test_an_indicator_page_does_a_fixed_number_of_queries(
    as_visitor, published, dataset, places, drawn, respond, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as before:
        as_visitor.get(published.get_absolute_url())
    from tests import factories as f

    for n in range(8):
        place = f.MunicipalityFactory(
            code=f"20{200 + n}", state=places["oaxaca"].state, region=places["oaxaca"].region
        )
        respond(dataset["baseline"], place, plan_estrategico="si")
    services.indicator_refresh(published)
    with django_assert_max_num_queries(len(before.captured_queries)):
        as_visitor.get(published.get_absolute_url())


def test_an_indicator_without_responses_says_so(as_visitor, survey):
    indicator = survey_indicator(survey, is_published=True)
    services.indicator_refresh(indicator)
    html = as_visitor.get(indicator.get_absolute_url()).content.decode()
    assert "aún no tiene cifras" in html


def test_the_page_in_english_labels_choices_in_english(client, published):
    client.cookies["django_language"] = "en"
    html = client.get(published.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Woman" in html


def test_the_page_stays_within_the_budget(as_visitor, published, drawn):
    from polo.core.budget import MAX_BYTES, gzip_size

    response = as_visitor.get(published.get_absolute_url())
    assert gzip_size(response.content) < MAX_BYTES


def test_an_indicator_over_polo_data_shows_small_counts(
    as_visitor, organization, other_municipality
):
    """Published organisations are public: one organisation in a municipality is
    shown, not suppressed."""
    from tests import factories as f

    f.OrganizationFactory(municipality=other_municipality)
    indicator = services.indicator_save(
        indicator=Indicator(
            slug="organizaciones",
            name="Organizaciones publicadas",
            source=Indicator.Source.POLO,
            metric="directory.published_organizations",
            is_published=True,
            disaggregations=["theme"],
        ),
        by=None,
    )
    html = as_visitor.get(indicator.get_absolute_url()).content.decode()
    assert cell_text(html, "Total") == ["2", "2"]
    assert cell_text(html, "Malinaltepec") == ["La Montaña", "1", "1"]
    assert "Por tema" in html
    assert "Datos de Polo" in html
    dashboard = as_visitor.get(reverse("indicators:index")).content.decode()
    assert "Organizaciones publicadas" in dashboard
