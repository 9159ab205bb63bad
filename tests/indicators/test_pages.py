"""The dashboard and an indicator's page, as the public and as staff see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.indicators import services
from tests.indicators.conftest import survey_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(dataset):
    indicator = survey_indicator(
        dataset,
        min_cell=3,
        is_published=True,
        disaggregations=["question:sexo_respondente", "question:fuentes", "organization_kind"],
    )
    services.indicator_refresh(indicator)
    return indicator


def test_the_dashboard_lists_published_indicators(as_visitor, published):
    response = as_visitor.get(reverse("indicators:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Organizaciones con plan estratégico" in html


def test_an_indicator_page_shows_tables_charts(as_visitor, published):
    response = as_visitor.get(published.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
