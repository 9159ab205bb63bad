"""The page budget (≤ 100 KB gzipped with its assets, ≤ 4 asset requests, no
CDN) on the dashboard and on a long session's coding page: a form per
paragraph must not make a long transcript too heavy for a phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.core.budget import weigh_page
from tests.qualitative.factories import CodeFactory, FocusGroupFactory, code_passage

pytestmark = pytest.mark.django_db

SENTENCE = (
    "Una participante explicó que la clínica abre dos días y que las medicinas no alcanzan; "
    "otras personas dijeron que el camino se corta con las lluvias. "
)


@pytest.fixture
def long_session(municipality, facilitator):
    codes = [CodeFactory(name=f"Tema del diagnóstico número {n}") for n in range(25)]
    notes = "\n\n".join(f"{n}. " + SENTENCE * 4 for n in range(60))
    session = FocusGroupFactory(municipality=municipality, notes=notes)
    for index in range(0, 60, 2):
        code_passage(session, codes[index % 25 : index % 25 + 2], paragraph=index)
    return session


def test_a_long_sessions_coding_page_stays_within_the_budget(as_facilitator, long_session):
    response = as_facilitator.get(long_session.get_absolute_url())

    weight = weigh_page(response.content)
    assert response.status_code == 200
    assert response.content.decode().count('name="paragraph"') == 60
    assert not weight.problems(), weight.problems()


def test_the_dashboard_stays_within_the_budget(as_visitor, long_session, settings):
    settings.POLO_MIN_CELL_SIZE = 1

    response = as_visitor.get(reverse("qualitative:dashboard"))

    assert len(response.context["data"].rows) == 25
    assert not weigh_page(response.content).problems()
