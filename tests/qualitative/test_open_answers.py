"""Coding the open answers of a survey round: the page lists the text answers
the person may see; a whole answer, a passage of it, or a row of a repeat is
coded; what is not an open answer is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.qualitative.models import Passage
from polo.surveys.models import Response
from tests.qualitative.factories import open_response, open_round, passage_of_answer

pytestmark = pytest.mark.django_db

PROBLEMS = "No hay agua potable y el camino se corta en lluvias."


@pytest.fixture
def round_(region):
    return open_round(region)


@pytest.fixture
def answered(round_, municipality):
    return open_response(
        round_,
        municipality,
        problems=PROBLEMS,
        proposals=["Un comité del agua", "Arreglar el camino"],
    )


def url(round_, **params):
    base = reverse("qualitative:open_answers", args=[round_.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def post(client, round_, response, codes, **fields):
    data = {
        "response": response.pk,
        "question": "problemas",
        "row": "0",
        "codes": [code.pk for code in codes],
        **fields,
    }
    return client.post(url(round_), data)


def test_the_page_lists_the_text_answers_with_their_questions(as_facilitator, round_, answered):
    page = as_facilitator.get(url(round_)).content.decode()

    assert PROBLEMS in page
    assert "¿Qué problemas ve en su comunidad?" in page
    assert "Un comité del agua" in page and "(fila 2)" in page
    assert ">34<" not in page  # an integer is not an open answer


def test_a_question_filter_narrows_the_list(as_facilitator, round_, answered):
    page = as_facilitator.get(url(round_, pregunta="propuesta")).content.decode()

    assert "Un comité del agua" in page
    assert PROBLEMS not in page


def test_an_unknown_question_filter_shows_them_all(as_facilitator, round_, answered):
    response = as_facilitator.get(url(round_, pregunta="<script>"))

    assert response.status_code == 200
    assert PROBLEMS in response.content.decode()


def test_it_codes_a_whole_answer(as_facilitator, facilitator, round_, answered, water):
    response = post(as_facilitator, round_, answered, [water])

    passage = Passage.objects.get()
    assert response.status_code == 302
    assert passage.response == answered and passage.focus_group is None
    assert (passage.question, passage.row, passage.text) == ("problemas", 0, PROBLEMS)
    assert (passage.start, passage.end) == (0, len(PROBLEMS))
    assert passage.coded_by == facilitator


def test_it_codes_an_exact_passage_of_an_answer(as_facilitator, round_, answered, water):
    post(as_facilitator, round_, answered, [water], passage="agua potable")

    passage = Passage.objects.get()
    assert PROBLEMS[passage.start : passage.end] == "agua potable"


def test_it_codes_a_row_of_a_repeat(as_facilitator, round_, answered, water):
    post(as_facilitator, round_, answered, [water], question="propuesta", row="2")

    assert Passage.objects.get().text == "Arreglar el camino"


def test_a_passage_not_in_the_answer_is_refused(as_facilitator, round_, answered, water):
    response = post(as_facilitator, round_, answered, [water], passage="la escuela")

    assert response.status_code == 400
    assert "No encontramos ese fragmento" in response.content.decode()
    assert not Passage.objects.exists()


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("edad", "0"),  # an integer
        ("municipio_inexistente", "0"),
        ("propuesta", "0"),  # a repeat's question needs its row
        ("propuesta", "3"),  # there are two rows
        ("problemas", "1"),  # not in a repeat
        ("propuestas", "0"),  # the repeat itself
    ],
)
def test_what_is_not_an_open_answer_is_refused(
    as_facilitator, round_, answered, water, question, row
):
    response = post(as_facilitator, round_, answered, [water], question=question, row=row)

    assert response.status_code == 400
    assert not Passage.objects.exists()


def test_a_draft_or_rejected_response_is_not_coded(as_facilitator, round_, municipality, water):
    draft = open_response(round_, municipality, problems=PROBLEMS, status=Response.Status.DRAFT)

    response = post(as_facilitator, round_, draft, [water])

    assert response.status_code == 400
    assert not Passage.objects.exists()


def test_a_response_of_another_round_is_not_found(
    as_facilitator, round_, region, municipality, water
):
    elsewhere = open_response(
        open_round(region, slug="otra-campana"), municipality, problems=PROBLEMS
    )

    response = post(as_facilitator, round_, elsewhere, [water])

    assert response.status_code == 404


def test_a_facilitator_does_not_see_or_code_answers_from_another_region(
    as_facilitator, round_, answered, other_municipality, water
):
    hidden = open_response(round_, other_municipality, problems="Respuesta de La Montaña")

    page = as_facilitator.get(url(round_)).content.decode()
    response = post(as_facilitator, round_, hidden, [water])

    assert "Respuesta de La Montaña" not in page
    assert PROBLEMS in page
    assert response.status_code == 404


def test_an_answer_edited_after_coding_shows_it_changed(as_facilitator, round_, answered, water):
    passage_of_answer(answered, [water], passage="agua potable")
    answered.data["problemas"] = "Ya hay agua, falta el camino."
    answered.save()
    from polo.surveys.services import response_store_answers

    response_store_answers(answered)

    page = as_facilitator.get(url(round_)).content.decode()

    assert "el texto cambió" in page
    assert "<q>agua potable</q>" in page


def test_the_page_makes_a_fixed_number_of_queries(
    as_coordinator, round_, municipality, water, django_assert_max_num_queries
):
    for n in range(2):
        passage_of_answer(open_response(round_, municipality, problems=f"Falta agua {n}"), [water])
    as_coordinator.get(url(round_))
    with django_assert_max_num_queries(20) as few:
        as_coordinator.get(url(round_))
    for n in range(10):
        passage_of_answer(open_response(round_, municipality, problems=f"Sin camino {n}"), [water])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_coordinator.get(url(round_))
    assert response.content.decode().count("<q>") == 12


def test_the_baseline_survey_offers_its_open_questions(
    as_coordinator, baseline_round, municipality, water
):
    """The programme's own baseline (built from its XLSForm) has open questions too."""
    from tests.surveys.conftest import baseline_answers

    response = Response.objects.create(
        round=baseline_round,
        form_version=baseline_round.campaign.instrument.versions.get(),
        respondent_kind="organization",
        municipality=municipality,
        data=baseline_answers(municipality, observaciones="Nos falta capacitación en incidencia."),
        status=Response.Status.SUBMITTED,
        source=Response.Source.WEB,
    )
    from polo.surveys.services import response_store_answers

    response_store_answers(response)

    page = as_coordinator.get(url(baseline_round)).content.decode()
    coded = post(as_coordinator, baseline_round, response, [water], question="observaciones")

    assert "Nos falta capacitación en incidencia." in page
    assert "Casa de salud" in page  # a text question inside the projects repeat
    assert coded.status_code == 302
    assert Passage.objects.get().text == "Nos falta capacitación en incidencia."
