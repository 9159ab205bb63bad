"""The web form through HTTP, as a browser without JavaScript uses it: starting a
response per respondent kind and per role, every question type saved and read
back, the server's skip logic, constraints, required answers and cascades,
repeats, resuming, reviewing and sending, editing after sending with history,
two tabs on one draft, and hostile input."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polo.core.budget import weigh_page
from polo.surveys.models import Answer, Attachment, Campaign, Response
from tests import factories as f
from tests.surveys.collect_helpers import (  # noqa: F401  (fixtures)
    community_fixture,
    community_round_fixture,
    errors_of,
    hidden_fields,
    make_round,
    person_round_fixture,
    post_section,
    review_url,
    section_url,
    start,
    types_version_fixture,
)
from tests.surveys.conftest import baseline_answers

pytestmark = pytest.mark.usefixtures("media_root")

START = reverse("surveys:collect_start")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def new_url(round_) -> str:
    return reverse("surveys:collect_new", args=[round_.pk])


@pytest.fixture
def draft(as_editor, organization, baseline_round):
    """A draft of the baseline survey, started by the organisation's editor."""
    return start(as_editor, baseline_round, organizacion=organization.pk)


def fill(response: Response, **overrides) -> Response:
    """Answers that pass, put in place as earlier saves would have left them."""
    response.data = {**response.data, **baseline_answers(response.municipality, **overrides)}
    response.save()
    return response


def text(page) -> str:
    return page.content.decode()


# --- Starting a response, per respondent kind and per role ---------------------------


def test_visitors_are_sent_to_sign_in(as_visitor, draft, baseline_round):
    for url in (START, new_url(baseline_round), section_url(draft, 0), review_url(draft)):
        page = as_visitor.get(url)
        assert page.status_code == 302 and "/cuentas/login/" in page["Location"], url


def test_an_editor_starts_a_draft_for_their_organization(
    as_editor, editor, organization, baseline_round, municipality
):
    page = as_editor.get(new_url(baseline_round))
    assert page.status_code == 200
    assert organization.name in text(page)

    page = as_editor.post(new_url(baseline_round), {"organizacion": organization.pk})

    response = Response.objects.get()
    assert page.status_code == 302
    assert page["Location"] == section_url(response, 0)
    assert response.status == Response.Status.DRAFT
    assert response.source == Response.Source.WEB
    assert response.submitted_by == editor
    assert response.organization == organization
    assert response.municipality == municipality
    assert response.respondent_kind == Campaign.Respondent.ORGANIZATION
    assert response.form_version == baseline_round.campaign.instrument.current_version
    # What the organisation already says is answered: its region and municipality.
    assert response.data["region"] == municipality.region.slug
    assert response.data["municipio"] == municipality.code
    assert response.data["instanceID"] == response.instance_id


def test_an_editor_cannot_answer_for_an_organization_they_do_not_edit(
    as_editor, baseline_round, municipality
):
    stranger = f.OrganizationFactory(name="Otra A.C.", municipality=municipality)
    page = as_editor.post(new_url(baseline_round), {"organizacion": stranger.pk})
    assert page.status_code == 200
    assert "Elija una de las organizaciones de la lista." in text(page)
    assert stranger.name not in text(page).split('<form method="post"')[1]
    assert not Response.objects.exists()


def test_a_participant_who_edits_no_organization_is_refused(as_participant, baseline_round):
    assert as_participant.get(new_url(baseline_round)).status_code == 403
    assert as_participant.post(new_url(baseline_round), {"organizacion": 1}).status_code == 403
    page = as_participant.get(START)
    assert page.status_code == 200 and "No hay encuestas abiertas" in text(page)


def test_a_facilitator_of_another_region_is_refused(
    as_other_facilitator, baseline_round, organization
):
    assert as_other_facilitator.get(new_url(baseline_round)).status_code == 403
    page = as_other_facilitator.post(new_url(baseline_round), {"organizacion": organization.pk})
    assert page.status_code == 403
    assert not Response.objects.exists()


def test_a_facilitator_picks_any_organization_of_their_region_by_searching(
    as_facilitator, facilitator, baseline_round, municipality, other_municipality
):
    mine = f.OrganizationFactory(name="Tequio Verde", municipality=municipality)
    theirs = f.OrganizationFactory(name="Tequio de la Montaña", municipality=other_municipality)
    f.OrganizationFactory.create_batch(35, municipality=municipality)

    page = as_facilitator.get(new_url(baseline_round), {"buscar": "tequio"})
    assert mine.name in text(page)
    assert theirs.name not in text(page)

    refused = as_facilitator.post(new_url(baseline_round), {"organizacion": theirs.pk})
    assert refused.status_code == 200 and not Response.objects.exists()
    started = start(as_facilitator, baseline_round, organizacion=mine.pk)
    assert started.organization == mine and started.submitted_by == facilitator


def test_a_person_is_tied_to_a_municipality_of_the_facilitators_region(
    as_facilitator, person_round, municipality, other_municipality
):
    page = as_facilitator.get(new_url(person_round))
    assert municipality.name in text(page)
    assert other_municipality.name not in text(page)

    refused = as_facilitator.post(new_url(person_round), {"municipio": other_municipality.pk})
    assert refused.status_code == 200
    assert "Elija el municipio" in text(refused)

    response = start(as_facilitator, person_round, municipio=municipality.pk)
    assert response.respondent_kind == Campaign.Respondent.PERSON
    assert response.municipality == municipality
    assert response.organization is None and response.community is None


def test_a_community_is_searched_among_the_facilitators_region(
    as_facilitator, community_round, community, other_municipality
):
    far = f.CommunityFactory(municipality=other_municipality, name="San Felipe de la Montaña")
    page = as_facilitator.get(new_url(community_round), {"buscar": "san felipe"})
    assert community.name in text(page)
    assert far.name not in text(page)
    assert as_facilitator.post(new_url(community_round), {"comunidad": far.pk}).status_code == 200

    response = start(as_facilitator, community_round, comunidad=community.pk)
    assert response.community == community
    assert response.municipality == community.municipality


def test_editors_do_not_collect_person_or_community_campaigns(
    as_editor, person_round, community_round
):
    assert as_editor.get(new_url(person_round)).status_code == 403
    assert as_editor.get(new_url(community_round)).status_code == 403


def test_a_coordinator_starts_for_any_region(as_coordinator, person_round, other_municipality):
    person_round.campaign.regions.clear()
    response = start(as_coordinator, person_round, municipio=other_municipality.pk)
    assert response.municipality == other_municipality


def test_a_closed_round_takes_no_new_responses_nor_saves(as_editor, draft, baseline_round):
    baseline_round.is_open = False
    baseline_round.save()
    assert as_editor.get(new_url(baseline_round)).status_code == 403
    assert as_editor.get(section_url(draft, 0)).status_code == 403


def test_starting_twice_for_the_same_organization_resumes_the_draft(
    as_editor, draft, organization, baseline_round
):
    page = as_editor.post(new_url(baseline_round), {"organizacion": organization.pk})
    assert page.status_code == 302
    assert page["Location"] == section_url(draft, draft.current_section)
    assert Response.objects.count() == 1


def test_the_start_page_lists_open_rounds_and_the_persons_drafts(as_editor, draft, baseline_round):
    page = as_editor.get(START)
    assert page.status_code == 200
    assert new_url(baseline_round) in text(page)
    assert section_url(draft, 0) in text(page)


# --- Every question type, saved and read back -----------------------------------------


@pytest.fixture
def types_draft(as_facilitator, person_round, municipality):
    return start(as_facilitator, person_round, municipio=municipality.pk)


def test_every_question_type_is_saved_as_xforms_stores_it_and_shown_again(
    as_facilitator, types_draft
):
    page = post_section(
        as_facilitator,
        types_draft,
        0,
        {
            "nombre": "  Rosa Martínez  ",
            "historia": "Primera línea\r\nSegunda línea",
            "edad": "34",
            "ingreso": "1500.50",
            "color": "azul",
            "color_lista": "rojo",
            "frutas": ["papaya", "mango"],
            "nacimiento": "1990-05-01",
            "hora": "10:30",
            "momento": "2026-11-02T09:15",
        },
    )
    assert page.status_code == 302, errors_of(text(page))
    assert page["Location"] == section_url(types_draft, 1)
    types_draft.refresh_from_db()
    data = types_draft.data
    assert data["nombre"] == "Rosa Martínez"
    assert data["historia"] == "Primera línea\nSegunda línea"
    assert data["edad"] == "34" and data["ingreso"] == "1500.50"
    assert data["color"] == "azul" and data["color_lista"] == "rojo"
    assert data["frutas"] == "mango papaya"  # in the list's order, space-separated
    assert data["nacimiento"] == "1990-05-01"
    assert data["hora"] == "10:30:00.000-06:00"
    assert data["momento"] == "2026-11-02T09:15:00.000-06:00"
    assert data["doble_edad"] == "68"  # a calculation, computed by the server
    assert types_draft.current_section == 1

    shown = text(as_facilitator.get(section_url(types_draft, 0)))
    assert 'name="q/nombre" value="Rosa Martínez"' in shown
    assert "Primera línea\nSegunda línea</textarea>" in shown
    assert re.search(r'value="azul" checked', shown)
    assert re.search(r'<select id="q/color_lista"', shown)  # minimal: a drop-down
    assert re.search(r'<option value="rojo" selected>', shown)
    assert re.search(r'value="mango" checked', shown) and re.search(
        r'value="papaya" checked', shown
    )
    assert 'type="time" class="q-short" id="q/hora" name="q/hora" value="10:30"' in shown
    assert 'id="q/momento" name="q/momento" value="2026-11-02T09:15"' in shown
    assert '<span data-output="edad">34</span>' in shown  # ${edad} in the note
    assert '<fieldset class="q-group" id="q/fechas"' in shown  # a nested group


def test_second_section_types_geopoint_range_acknowledge_files(as_facilitator, types_draft):
    page = post_section(
        as_facilitator,
        types_draft,
        1,
        {
            "estado": "oax",
            "ciudad": "huajuapan",
            "punto/lat": "17.8",
            "punto/lon": "-97.77",
            "punto/alt": "",
            "punto/acc": "5",
            "escala": "4",
            "porcentaje": "35",
            "acepto": "OK",
            "foto": SimpleUploadedFile("casa.png", PNG, content_type="image/png"),
            "documento": SimpleUploadedFile("acta.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert page.status_code == 302, errors_of(text(page))
    types_draft.refresh_from_db()
    data = types_draft.data
    assert data["punto"] == "17.8 -97.77 0 5"
    assert data["escala"] == "4" and data["porcentaje"] == "35"
    assert data["acepto"] == "OK"
    photo = Attachment.objects.get(response=types_draft, name="foto")
    assert data["foto"] == photo.filename and photo.filename.endswith("-casa.png")
    assert photo.content_type == "image/png" and photo.file.read() == PNG
    assert data["documento"].endswith("-acta.pdf")

    shown = text(as_facilitator.get(section_url(types_draft, 1)))
    assert 'name="q/punto/lat" value="17.8"' in shown
    assert re.search(r'type="radio" id="q/escala/3" name="q/escala" value="4" checked', shown)
    assert 'type="number" class="q-short" id="q/porcentaje"' in shown  # 21 steps: a number
    assert re.search(r'id="q/acepto" name="q/acepto" value="OK" checked', shown)
    assert photo.filename in shown

    # Saving again without choosing a file keeps it; ticking "quitar" removes it.
    page = post_section(as_facilitator, types_draft, 1, {}, action="guardar")
    types_draft.refresh_from_db()
    assert types_draft.data["foto"] == photo.filename
    page = post_section(as_facilitator, types_draft, 1, {"foto/quitar": "1"})
    types_draft.refresh_from_db()
    assert "foto" not in types_draft.data
    assert Attachment.objects.filter(pk=photo.pk).exists()  # kept for the history


def test_labels_follow_the_persons_language(as_facilitator, types_draft):
    as_facilitator.cookies["django_language"] = "en"
    shown = text(as_facilitator.get(section_url(types_draft, 0)))
    assert "Favourite colour" in shown and "Color favorito" not in shown
    as_facilitator.cookies["django_language"] = "es-mx"
    shown = text(as_facilitator.get(section_url(types_draft, 0)))
    assert "Color favorito" in shown


# --- The server's logic ------------------------------------------------------------


def test_an_answer_to_a_question_that_does_not_apply_is_dropped(as_editor, draft):
    fill(draft)
    page = post_section(
        as_editor,
        draft,
        1,
        {
            "plan_estrategico": "no",
            "plan_anios": "5",  # hidden in the browser, sent anyway
            "personas_equipo": "8",
            "mujeres_equipo": "4",
        },
    )
    assert page.status_code == 302, errors_of(text(page))
    draft.refresh_from_db()
    assert draft.data["plan_estrategico"] == "no"
    assert "plan_anios" not in draft.data
    assert draft.data["pct_mujeres"] == "50"


def test_a_broken_constraint_shows_the_forms_message_and_keeps_the_answer(as_editor, draft):
    page = post_section(as_editor, draft, 0, {"anio_fundacion": "1850", "tipo_actor": "osc"})
    html = text(page)
    assert page.status_code == 200
    message = "Escriba un año entre 1900 y 2026."
    assert any(message in error for error in errors_of(html))
    assert 'href="#q/anio_fundacion"' in html
    assert re.search(
        r'id="q/anio_fundacion" name="q/anio_fundacion" value="1850"\s+'
        r'aria-describedby="q/anio_fundacion/error" aria-invalid="true"',
        html,
    )
    draft.refresh_from_db()
    assert draft.data["anio_fundacion"] == "1850"  # a draft keeps what was typed
    assert draft.current_section == 0


def test_required_questions_hold_the_section(as_editor, draft):
    page = post_section(as_editor, draft, 0, {"region": "", "municipio": ""})
    errors = errors_of(text(page))
    assert page.status_code == 200
    assert any("Tipo de actor: Esta pregunta es obligatoria." in e for e in errors)
    assert any("Región: Esta pregunta es obligatoria." in e for e in errors)
    # "Guardar y salir" keeps an incomplete draft and leaves.
    page = post_section(as_editor, draft, 0, {"tipo_actor": "red"}, action="guardar")
    assert page.status_code == 302 and page["Location"] == START
    draft.refresh_from_db()
    assert draft.data["tipo_actor"] == "red"


def test_a_municipality_outside_the_chosen_region_is_refused(as_editor, draft, other_municipality):
    page = post_section(
        as_editor,
        draft,
        0,
        {
            "region": "valles-centrales",
            "municipio": other_municipality.code,
            "tipo_actor": "osc",
            "sexo_respondente": "mujer",
            "indigena": "no",
        },
    )
    assert page.status_code == 200
    assert any("no corresponde a las respuestas anteriores" in e for e in errors_of(text(page)))


def test_without_javascript_a_question_revealed_by_an_answer_is_shown_before_moving_on(
    as_editor, draft
):
    answers = {"tipo_actor": "osc", "sexo_respondente": "mujer", "indigena": "si"}
    page = post_section(as_editor, draft, 0, answers, _ocultas="q/lengua")
    html = text(page)
    assert page.status_code == 200
    assert "hay preguntas que antes no se mostraban" in html
    assert errors_of(html) == []
    assert 'id="q/lengua/campo"' in html and 'data-name="q/lengua" hidden' not in html
    page = post_section(as_editor, draft, 0, {**answers, "lengua": "zapoteco"})
    assert page.status_code == 302 and page["Location"] == section_url(draft, 1)


def test_a_section_that_does_not_apply_is_skipped(as_coordinator, coordinator, types_version):
    """A group whose relevance is false is not shown: GET goes on to the next."""
    round_ = make_round(types_version, respondent=Campaign.Respondent.PERSON, slug="salto")
    response = start(
        as_coordinator,
        round_,
        municipio=f.MunicipalityFactory(code="20001", region=f.RegionFactory(slug="mixteca")).pk,
    )
    spec = response.form_version.form
    node = spec.nodes["lugar"]
    node.expressions["relevant"] = {"source": "false()", "ast": {"fn": "false", "args": []}}
    response.form_version.spec = spec.to_json()
    response.form_version.save()
    page = as_coordinator.get(section_url(response, 1))
    assert page.status_code == 302 and page["Location"] == section_url(response, 2)


# --- Repeats without JavaScript -----------------------------------------------------------


def test_rows_are_added_and_removed_with_plain_buttons(as_facilitator, types_draft):
    url = section_url(types_draft, 2)
    page = post_section(as_facilitator, types_draft, 2, {}, _agregar="hijos")
    assert page.status_code == 302 and page["Location"] == f"{url}#q/hijos/0"
    page = post_section(
        as_facilitator,
        types_draft,
        2,
        {"hijos/0/hijo_nombre": "Ana", "hijos/0/hijo_edad": "7"},
        _agregar="hijos",
    )
    assert page["Location"] == f"{url}#q/hijos/1"
    post_section(
        as_facilitator,
        types_draft,
        2,
        {"hijos/1/hijo_nombre": "Luis", "hijos/1/hijo_edad": "4"},
        _agregar="hijos",
    )
    types_draft.refresh_from_db()
    assert [row["hijo_nombre"] for row in types_draft.data["hijos"]] == ["Ana", "Luis", ""]

    page = post_section(as_facilitator, types_draft, 2, {}, _quitar="hijos/0")
    assert page.status_code == 302
    types_draft.refresh_from_db()
    assert [row["hijo_nombre"] for row in types_draft.data["hijos"]] == ["Luis", ""]
    html = text(as_facilitator.get(url))
    assert 'name="q/hijos/0/hijo_nombre" value="Luis"' in html
    assert "Hijos 2" in html and "Hijos 3" not in html

    # The empty row holds the section: its name is required.
    page = post_section(as_facilitator, types_draft, 2, {})
    assert any("Nombre del hijo (Hijos 2)" in e for e in errors_of(text(page)))
    page = post_section(as_facilitator, types_draft, 2, {}, _quitar="hijos/1")
    page = post_section(as_facilitator, types_draft, 2, {})
    assert page.status_code == 302 and page["Location"] == review_url(types_draft)


# --- Resume, review and send -------------------------------------------------------------


def test_the_baseline_filled_section_by_section_and_sent(as_editor, draft, municipality):
    steps = [
        (
            0,
            {
                "tipo_actor": "osc",
                "anio_fundacion": "2009",
                "sexo_respondente": "mujer",
                "indigena": "si",
                "lengua": "zapoteco",
            },
        ),
        (
            1,
            {
                "plan_estrategico": "si",
                "plan_anios": "3",
                "personas_equipo": "8",
                "mujeres_equipo": "5",
                "presupuesto": "100k_1m",
                "fuentes": ["donativos", "gobierno"],
                "pct_donativos": "40",
                "rinde_cuentas": "si",
            },
        ),
        (
            2,
            {
                "participa_consejos": "no",
                "propuestas_presentadas": "2",
                "propuestas_adoptadas": "1",
                "relacion_gobierno": "3",
                "temas": ["salud", "genero"],
                "tema_principal": "salud",
            },
        ),
    ]
    for index, answers in steps:
        page = post_section(as_editor, draft, index, answers)
        assert page.status_code == 302, (index, errors_of(text(page)))
        assert page["Location"] == section_url(draft, index + 1)
    post_section(as_editor, draft, 3, {}, _agregar="proyectos")
    page = post_section(
        as_editor,
        draft,
        3,
        {
            "proyectos/0/proyecto_nombre": "Casa de salud",
            "proyectos/0/proyecto_tema": "salud",
            "proyectos/0/proyecto_personas": "40",
        },
    )
    assert page["Location"] == section_url(draft, 4)
    page = post_section(
        as_editor,
        draft,
        4,
        {
            "ubicacion/lat": "17.0654",
            "ubicacion/lon": "-96.7236",
            "fecha": "2026-11-02",
            "observaciones": "Todo bien.",
            "consentimiento": "OK",
        },
    )
    assert page.status_code == 302 and page["Location"] == review_url(draft), errors_of(text(page))

    review = as_editor.get(review_url(draft))
    html = text(review)
    assert review.status_code == 200
    assert "Falta corregir" not in html
    assert "Organización de la sociedad civil" in html  # labels, not names
    assert "Donativos, Fondos públicos" in html
    assert "Casa de salud" in html
    assert section_url(draft, 1) in html  # each section can be changed

    page = as_editor.post(review_url(draft), hidden_fields(html))
    assert page.status_code == 302 and page["Location"] == START
    draft.refresh_from_db()
    assert draft.status == Response.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert draft.municipality == municipality
    assert draft.data["total_proyectos"] == "1"
    assert draft.data["fin"]  # the `end` metadata
    assert Answer.objects.filter(response=draft, name="fuentes").count() == 2
    assert Answer.objects.get(response=draft, name="plan_anios").number == 3


def test_a_draft_is_resumed_where_it_was_left(as_editor, draft):
    fill(draft)
    post_section(as_editor, draft, 1, {}, action="siguiente")
    page = post_section(as_editor, draft, 2, {}, action="guardar")
    assert page["Location"] == START
    draft.refresh_from_db()
    start_page = text(as_editor.get(START))
    assert section_url(draft, draft.current_section) in start_page
    assert draft.current_section == 2
    assert as_editor.get(section_url(draft, 2)).status_code == 200


def test_anterior_goes_back_without_holding_on_errors(as_editor, draft):
    fill(draft)
    page = post_section(as_editor, draft, 1, {"mujeres_equipo": "99"}, action="anterior")
    assert page.status_code == 302 and page["Location"] == section_url(draft, 0)


def test_sending_refuses_a_response_with_problems_and_lists_them(as_editor, draft):
    fill(draft, consentimiento=None)
    html = text(as_editor.get(review_url(draft)))
    assert "Falta corregir 1 respuesta antes de enviar" in html
    assert f'href="{section_url(draft, 4)}#q/consentimiento"' in html
    page = as_editor.post(review_url(draft), hidden_fields(html))
    assert page.status_code == 200
    draft.refresh_from_db()
    assert draft.is_draft and not Answer.objects.exists()


def test_text_with_markup_is_escaped_on_the_review_page(as_editor, draft):
    fill(draft)
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post_section(as_editor, draft, 4, {"observaciones": script}, action="guardar")
    html = text(as_editor.get(review_url(draft)))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    html = text(as_editor.get(section_url(draft, 4)))
    assert "<script>alert" not in html


# --- After sending -------------------------------------------------------------------------


@pytest.fixture
def sent(as_editor, draft):
    fill(draft)
    page = as_editor.post(review_url(draft), hidden_fields(text(as_editor.get(review_url(draft)))))
    assert page.status_code == 302
    draft.refresh_from_db()
    return draft


def test_a_sent_response_cannot_be_continued_by_its_capturer(as_editor, sent):
    assert as_editor.get(section_url(sent, 0)).status_code == 403
    assert as_editor.post(section_url(sent, 0), {"q/tipo_actor": "red"}).status_code == 403
    assert as_editor.post(review_url(sent), {}).status_code == 403


def test_the_regions_facilitator_edits_a_sent_response_and_history_keeps_each_version(
    as_facilitator, as_other_facilitator, sent
):
    versions_before = sent.history.count()
    assert as_other_facilitator.get(section_url(sent, 0)).status_code == 404

    page = as_facilitator.get(section_url(sent, 1))
    assert page.status_code == 200 and "Está editando una respuesta ya enviada" in text(page)
    refused = post_section(as_facilitator, sent, 1, {"mujeres_equipo": "99"})
    assert refused.status_code == 200
    assert "No se guardaron los cambios" in text(refused)
    sent.refresh_from_db()
    assert sent.data["mujeres_equipo"] == "5" and sent.history.count() == versions_before

    page = post_section(as_facilitator, sent, 1, {"personas_equipo": "10"})
    assert page.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Response.Status.SUBMITTED
    assert sent.data["personas_equipo"] == "10"
    assert sent.data["pct_mujeres"] == "50"
    assert Answer.objects.get(response=sent, name="personas_equipo").value == "10"
    assert sent.history.count() == versions_before + 1
    earlier = sent.history.order_by("history_id")[versions_before - 1]
    assert earlier.data["personas_equipo"] == "8"


# --- Two tabs on one draft ---------------------------------------------------------------


def test_two_tabs_saving_the_same_draft_do_not_lose_data_silently(as_editor, draft):
    fill(draft)
    first_tab = hidden_fields(text(as_editor.get(section_url(draft, 1))))
    second_tab = hidden_fields(text(as_editor.get(section_url(draft, 1))))
    base = {
        "q/plan_estrategico": "si",
        "q/plan_anios": "3",
        "q/mujeres_equipo": "5",
        "_ocultas": "",
        "_accion": "siguiente",
    }

    saved = as_editor.post(section_url(draft, 1), {**first_tab, **base, "q/personas_equipo": "9"})
    assert saved.status_code == 302
    conflict = as_editor.post(
        section_url(draft, 1), {**second_tab, **base, "q/personas_equipo": "12"}
    )
    html = text(conflict)
    assert conflict.status_code == 409
    assert "se guardó en otra pestaña o en otro dispositivo" in html
    assert 'name="q/personas_equipo" value="12"' in html  # what this tab typed
    draft.refresh_from_db()
    assert draft.data["personas_equipo"] == "9"  # the first tab's save stands

    again = as_editor.post(
        section_url(draft, 1), {**hidden_fields(html), **base, "q/personas_equipo": "12"}
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.data["personas_equipo"] == "12"


def test_sending_from_a_stale_review_page_is_refused(as_editor, draft):
    fill(draft)
    stale = hidden_fields(text(as_editor.get(review_url(draft))))
    post_section(as_editor, draft, 0, {}, action="guardar")
    page = as_editor.post(review_url(draft), stale)
    assert page.status_code == 409
    draft.refresh_from_db()
    assert draft.is_draft


# --- Hostile input -------------------------------------------------------------------------


def test_a_text_of_100000_characters_is_refused_with_a_message(as_editor, draft):
    fill(draft, observaciones="Antes")
    page = post_section(as_editor, draft, 4, {"observaciones": "x" * 100_000})
    html = text(page)
    assert page.status_code == 200
    assert any("demasiado larga" in e and "100,000" in e for e in errors_of(html))
    assert len(html) < 100_000  # not echoed in full
    draft.refresh_from_db()
    assert draft.data["observaciones"] == "Antes"


def test_control_characters_are_removed(as_editor, draft):
    fill(draft)
    post_section(as_editor, draft, 4, {"observaciones": "uno\x00dos\x07tres\ttab\nlínea"})
    draft.refresh_from_db()
    assert draft.data["observaciones"] == "unodostres\ttab\nlínea"


def test_forged_values_are_refused_by_the_server(as_editor, draft):
    page = post_section(
        as_editor,
        draft,
        0,
        {"tipo_actor": "<b>jefe</b>", "anio_fundacion": "12abc", "sexo_respondente": "mujer otro"},
    )
    errors = errors_of(text(page))
    assert any("no es una de las opciones" in e for e in errors)
    assert any("Escriba un número entero." in e for e in errors)
    assert any("Elija una sola opción." in e for e in errors)
    assert "<b>jefe</b>" not in text(page)
    too_many = post_section(as_editor, draft, 3, {"proyectos/filas": "100000"})
    assert too_many.status_code == 200
    assert any("Demasiadas filas" in e for e in errors_of(text(too_many)))


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("foto", SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10), "no se acepta aquí"),
        ("foto", SimpleUploadedFile("foto.png", b"GIF89a" + b"\x00" * 20), "no corresponde"),
        (
            "documento",
            SimpleUploadedFile("hoja.xlsx", b"PK\x03\x04" + b"\x00" * 20),
            "no corresponde",
        ),
        ("documento", SimpleUploadedFile("nota.txt", b"hola"), "no se acepta aquí"),
        ("foto", SimpleUploadedFile("vacia.jpg", b""), "vacío"),
    ],
)
def test_attachments_of_the_wrong_type_are_refused(
    as_facilitator, types_draft, field, upload, message
):
    page = post_section(as_facilitator, types_draft, 1, {field: upload})
    assert page.status_code == 200
    assert any(message in e for e in errors_of(text(page))), errors_of(text(page))
    assert not Attachment.objects.exists()


def test_an_attachment_over_10_mb_is_refused(as_facilitator, types_draft):
    big = SimpleUploadedFile("grande.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024))
    page = post_section(as_facilitator, types_draft, 1, {"foto": big})
    assert any("pesa más de 10 MB" in e for e in errors_of(text(page)))
    assert not Attachment.objects.exists()


def test_someone_elses_attachment_cannot_be_claimed(as_facilitator, types_draft, draft):
    other = Attachment.objects.create(
        response=draft, name="foto", filename="ajena.png", content_type="image/png", size=1
    )
    post_section(as_facilitator, types_draft, 1, {"foto/actual": other.filename})
    types_draft.refresh_from_db()
    assert "foto" not in types_draft.data


def test_sections_out_of_range(as_editor, draft):
    assert as_editor.get(section_url(draft, 99))["Location"] == review_url(draft)
    assert as_editor.get(section_url(draft, 5000)).status_code == 404


# --- Cost of the page ------------------------------------------------------------------


def test_the_form_page_does_a_fixed_number_of_queries(
    as_editor, as_facilitator, draft, django_assert_max_num_queries
):
    rows = [{"proyecto_nombre": f"Proyecto {n}", "proyecto_personas": str(n)} for n in range(40)]
    fill(draft, proyectos=rows)
    as_editor.get(section_url(draft, 3))  # warm the session and the user
    for index in range(5):
        with django_assert_max_num_queries(5):
            assert as_editor.get(section_url(draft, index)).status_code == 200
    with django_assert_max_num_queries(5):
        assert as_editor.get(review_url(draft)).status_code == 200
    # A facilitator answering for the region asks the rules a little more.
    as_facilitator.get(section_url(draft, 3))
    with django_assert_max_num_queries(8):
        assert as_facilitator.get(section_url(draft, 3)).status_code == 200


def test_the_form_page_is_within_the_page_budget(as_editor, draft):
    weight = weigh_page(as_editor.get(section_url(draft, 0)).content)
    assert weight.problems() == []
    weight = weigh_page(as_editor.get(review_url(fill(draft))).content)
    assert weight.problems() == []


# --- Every role on every page (the rows asked of the authorization matrix) ------------

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"
SEEN_BY_STEWARDS = dict(zip(ROLES, [LOGIN, 404, 200, 200, 404, 200], strict=True))
EXPECTED = {
    "surveys:collect_start": dict(zip(ROLES, [LOGIN, 200, 200, 200, 200, 200], strict=True)),
    "surveys:collect_new": dict(zip(ROLES, [LOGIN, 403, 200, 200, 403, 200], strict=True)),
    "surveys:collect_section": SEEN_BY_STEWARDS,
    "surveys:collect_review": SEEN_BY_STEWARDS,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(EXPECTED))
def test_each_role_gets_the_expected_status(request, draft, baseline_round, url_name, role):
    kwargs = {
        "surveys:collect_start": {},
        "surveys:collect_new": {"round_pk": baseline_round.pk},
        "surveys:collect_section": {"pk": draft.pk, "index": 0},
        "surveys:collect_review": {"pk": draft.pk},
    }[url_name]
    client = request.getfixturevalue(f"as_{role}")
    page = client.get(reverse(url_name, kwargs=kwargs))
    expected = EXPECTED[url_name][role]
    if expected == LOGIN:
        assert page.status_code == 302 and "/cuentas/login/" in page["Location"]
    else:
        assert page.status_code == expected
