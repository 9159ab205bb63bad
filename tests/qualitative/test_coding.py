"""Coding a session's notes through its page: a paragraph, an exact passage, a
selection's offsets; passages not found or ambiguous are refused; edits of the
notes keep codings on their words or flag them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.qualitative.models import Coding, Passage
from tests.qualitative.factories import NOTES, CodeFactory, code_passage

pytestmark = pytest.mark.django_db

SECOND = "Varias mujeres dijeron que caminan tres horas para llegar al hospital de la cabecera."


def post_coding(client, session, codes, **fields):
    return client.post(session.get_absolute_url(), {"codes": [code.pk for code in codes], **fields})


def test_the_page_shows_each_paragraph_with_its_own_form(as_facilitator, session, health):
    page = as_facilitator.get(session.get_absolute_url()).content.decode()

    assert page.count('name="paragraph"') == 3
    assert f'data-start="{NOTES.index(SECOND)}">{SECOND}</p>' in page
    assert "Codificar el párrafo 3" in page
    assert health.name in page


def test_it_codes_a_whole_paragraph(as_facilitator, facilitator, session, health, water):
    response = post_coding(as_facilitator, session, [health, water], paragraph="1")

    passage = Passage.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#fragmento-{passage.pk}")
    assert (passage.start, passage.end) == (NOTES.index(SECOND), NOTES.index(SECOND) + len(SECOND))
    assert passage.text == SECOND
    assert passage.coded_by == facilitator
    assert set(passage.codes.all()) == {health, water}


def test_it_codes_an_exact_passage_found_in_the_notes(as_facilitator, session, health):
    response = post_coding(as_facilitator, session, [health], passage="  caminan tres horas ")

    passage = Passage.objects.get()
    assert response.status_code == 302
    assert passage.text == "caminan tres horas"
    assert NOTES[passage.start : passage.end] == "caminan tres horas"


def test_a_passage_copied_across_a_line_break_is_still_found(as_facilitator, session, health):
    copied = "no siempre hay médico. Varias mujeres"  # the page lost the blank line

    post_coding(as_facilitator, session, [health], passage=copied)

    passage = Passage.objects.get()
    assert passage.text == "no siempre hay médico.\n\nVarias mujeres"


def test_a_passage_not_in_the_notes_is_refused_with_a_message(as_facilitator, session, health):
    response = post_coding(
        as_facilitator, session, [health], passage="la escuela no tiene maestros"
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "No encontramos ese fragmento" in page
    assert "la escuela no tiene maestros</textarea>" in page  # what was typed comes back
    assert f'value="{health.pk}" id="f-tema-{health.pk}" checked' in page
    assert not Passage.objects.exists()


def test_a_passage_found_twice_is_refused_unless_the_paragraph_says_which(
    as_facilitator, session, health
):
    response = post_coding(as_facilitator, session, [health], passage="la")

    assert response.status_code == 400
    assert "aparece" in response.content.decode()
    assert not Passage.objects.exists()

    # Inside the third paragraph, «pozo» is there once.
    response = post_coding(as_facilitator, session, [health], passage="pozo", paragraph="2")
    assert response.status_code == 302
    assert Passage.objects.get().text == "pozo"


def test_a_passage_outside_the_chosen_paragraph_is_refused(as_facilitator, session, health):
    response = post_coding(as_facilitator, session, [health], passage="pozo", paragraph="0")

    assert response.status_code == 400
    assert not Passage.objects.exists()


def test_the_offsets_of_a_selection_pick_one_occurrence(as_facilitator, session, health):
    second_la = NOTES.index(" la ", NOTES.index(" la ") + 1) + 1

    post_coding(
        as_facilitator,
        session,
        [health],
        passage="la",
        start=str(second_la),
        end=str(second_la + 2),
    )

    assert (Passage.objects.get().start, Passage.objects.get().end) == (second_la, second_la + 2)


@pytest.mark.parametrize(
    ("start", "end"),
    [("0", "2"), ("-5", "3"), ("999999", "1000001"), ("abc", "def"), ("5", "2"), ("1" * 40, "")],
)
def test_offsets_that_do_not_point_at_the_passage_are_not_trusted(
    as_facilitator, session, health, start, end
):
    """The offsets are checked against the text: wrong ones fall back to the search."""
    response = post_coding(as_facilitator, session, [health], passage="pozo", start=start, end=end)

    assert response.status_code == 302
    passage = Passage.objects.get()
    assert NOTES[passage.start : passage.end] == "pozo"


@pytest.mark.parametrize(
    "fields",
    [
        {"paragraph": "7"},
        {"paragraph": "-1"},
        {"paragraph": "uno"},
        {"paragraph": ""},  # neither a paragraph nor a passage
        {"passage": "   "},
        {"passage": "x" * 20_001},
    ],
)
def test_it_refuses_what_does_not_name_a_stretch_of_the_notes(
    as_facilitator, session, health, fields
):
    response = post_coding(as_facilitator, session, [health], **fields)

    assert response.status_code == 400
    assert not Passage.objects.exists()


def test_it_refuses_a_coding_without_codes_or_with_a_retired_one(as_facilitator, session):
    retired = CodeFactory(slug="retirado", name="Retirado", is_active=False)

    without = as_facilitator.post(session.get_absolute_url(), {"paragraph": "0"})
    with_retired = post_coding(as_facilitator, session, [retired], paragraph="0")
    with_unknown = as_facilitator.post(
        session.get_absolute_url(), {"paragraph": "0", "codes": ["99999", "x"]}
    )

    assert (without.status_code, with_retired.status_code, with_unknown.status_code) == (
        400,
        400,
        400,
    )
    assert not Passage.objects.exists()


def test_coding_the_same_stretch_again_adds_codes_to_it(as_facilitator, session, health, water):
    post_coding(as_facilitator, session, [health], paragraph="0")
    post_coding(as_facilitator, session, [health, water], paragraph="0")

    passage = Passage.objects.get()
    assert set(passage.codes.all()) == {health, water}
    assert Coding.objects.count() == 2


def test_the_page_lists_passages_under_their_paragraph(as_facilitator, session, health):
    code_passage(session, [health], passage="pozo")

    page = as_facilitator.get(session.get_absolute_url()).content.decode()

    third = page.index('id="parrafo-2"')
    assert page.index("<q>pozo</q>") > third
    assert "Acceso a servicios de salud</span>" in page


# --- Notes edited after coding --------------------------------------------------------


def edit_notes(client, session, notes: str):
    from tests.qualitative.test_sessions import session_data

    return client.post(
        reverse("qualitative:focus_group_edit", args=[session.pk]),
        session_data(session.municipality, title=session.title, notes=notes),
    )


def test_a_passage_follows_its_words_when_text_is_added_before_them(
    as_facilitator, session, health
):
    passage = code_passage(session, [health], passage="caminan tres horas")

    edit_notes(as_facilitator, session, "Sesión del martes.\n\n" + NOTES)

    passage.refresh_from_db()
    session.refresh_from_db()
    assert not passage.is_stale
    assert session.notes[passage.start : passage.end] == "caminan tres horas"


def test_a_passage_whose_words_are_gone_keeps_its_text_and_is_flagged(
    as_facilitator, session, health
):
    passage = code_passage(session, [health], passage="caminan tres horas")
    original = (passage.start, passage.end)

    response = edit_notes(
        as_facilitator, session, NOTES.replace("caminan tres horas", "caminan mucho")
    )

    passage.refresh_from_db()
    assert passage.is_stale
    assert passage.text == "caminan tres horas"
    assert (passage.start, passage.end) == original
    page = as_facilitator.get(response["Location"]).content.decode()
    assert "ya no están en las notas" in page
    assert "<q>caminan tres horas</q>" in page


def test_a_flagged_passage_comes_back_when_its_words_do(as_facilitator, session, health):
    passage = code_passage(session, [health], passage="caminan tres horas")
    edit_notes(as_facilitator, session, NOTES.replace("caminan tres horas", "caminan mucho"))

    edit_notes(as_facilitator, session, NOTES)

    passage.refresh_from_db()
    assert not passage.is_stale


def test_an_unchanged_passage_is_not_rewritten(as_facilitator, session, health):
    passage = code_passage(session, [health], passage="pozo")
    edit_notes(as_facilitator, session, NOTES + "\n\nUna nota al final.")

    assert passage.history.count() == 1


# --- One passage -----------------------------------------------------------------------


def test_the_passages_codes_are_changed_on_its_page(as_facilitator, session, health, water):
    passage = code_passage(session, [health], passage="pozo")

    response = as_facilitator.post(passage.get_absolute_url(), {"codes": [water.pk]})

    assert response.status_code == 302
    assert list(passage.codes.all()) == [water]


def test_a_passage_keeps_a_retired_code_it_had_but_gets_no_new_retired_one(
    as_facilitator, session, health, water
):
    passage = code_passage(session, [health], passage="pozo")
    health.is_active = False
    health.save()
    retired = CodeFactory(slug="otro-retirado", is_active=False)

    kept = as_facilitator.post(passage.get_absolute_url(), {"codes": [health.pk, water.pk]})
    refused = as_facilitator.post(passage.get_absolute_url(), {"codes": [retired.pk]})

    assert kept.status_code == 302
    assert refused.status_code == 400
    assert set(passage.codes.all()) == {health, water}


def test_the_passage_page_shows_the_words_around_it(as_facilitator, session, health):
    passage = code_passage(session, [health], passage="pozo")

    page = as_facilitator.get(passage.get_absolute_url()).content.decode()

    assert "<mark>pozo</mark> se seca en abril" in page


def test_deleting_a_passage_removes_its_codings(as_facilitator, session, health):
    passage = code_passage(session, [health], passage="pozo")

    response = as_facilitator.post(reverse("qualitative:passage_delete", args=[passage.pk]))

    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert not Passage.objects.exists() and not Coding.objects.exists()
    assert Passage.history.filter(history_type="-").count() == 1
