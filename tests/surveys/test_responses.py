"""Responses through HTTP, per role: the list of a campaign's responses (only
those the person may see, filters, pages, a fixed number of queries), one
response (answers with labels in the reader's language, repeats as tables,
attachments, respondent, history after an edit), its review (status and
aggregate rows) and the attachment view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.core.budget import weigh_page
from polo.surveys.models import Answer, Response
from polo.surveys.rendering.drafts import response_save, version_of
from tests import factories as f
from tests.surveys.conftest import baseline_answers
from tests.surveys.manage_helpers import (
    PNG,
    add_attachment,
    make_response,
    programme_campaign_fixture,  # noqa: F401
)

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def round_(programme_campaign):
    return programme_campaign.rounds.get()


@pytest.fixture
def answered(round_, municipality, other_municipality, organization, participant):
    """A response in each region, one of them from the editor's organisation,
    and a third captured by the participant, without a municipality."""
    return {
        "valles": make_response(round_, municipality, organization=organization),
        "montana": make_response(round_, other_municipality, source=Response.Source.OPENROSA),
        "own": make_response(round_, None, data={}, submitted_by=participant),
    }


def list_url(campaign, **filters) -> str:
    url = reverse("surveys:responses", args=[campaign.slug])
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"{url}?{query}" if query else url


def listed(client, campaign, **filters) -> set[int]:
    page = client.get(list_url(campaign, **filters))
    assert page.status_code == 200
    return {response.pk for response in page.context["page"].object_list}


# --- who sees what ----------------------------------------------------------------------


def test_the_list_shows_each_person_only_the_responses_they_may_see(
    as_visitor,
    as_participant,
    as_editor,
    as_facilitator,
    as_other_facilitator,
    as_coordinator,
    programme_campaign,
    answered,
):
    url = list_url(programme_campaign)
    assert "/cuentas/login/" in as_visitor.get(url)["Location"]
    # The list is the staff's: people who answered see their response's page.
    assert as_participant.get(url).status_code == 404
    assert as_editor.get(url).status_code == 404
    everything = {r.pk for r in answered.values()}
    assert listed(as_coordinator, programme_campaign) == everything
    # A campaign of the whole programme: each facilitator, their region's
    # responses, and those without a municipality.
    assert listed(as_facilitator, programme_campaign) == {
        answered["valles"].pk,
        answered["own"].pk,
    }
    assert listed(as_other_facilitator, programme_campaign) == {
        answered["montana"].pk,
        answered["own"].pk,
    }


def test_a_facilitator_of_another_region_never_sees_a_regional_campaign(
    as_other_facilitator, campaign, baseline_round, municipality
):
    response = make_response(baseline_round, municipality)
    attachment = add_attachment(response)
    for url in (
        list_url(campaign),
        response.get_absolute_url(),
        reverse("surveys:attachment", args=[attachment.pk]),
    ):
        assert as_other_facilitator.get(url).status_code == 404, url
    review = as_other_facilitator.post(
        reverse("surveys:response_review", args=[response.pk]), {"status": "approved"}
    )
    assert review.status_code == 404
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "key", "expected"),
    [
        ("as_visitor", "valles", 302),
        ("as_participant", "valles", 404),
        ("as_participant", "own", 200),
        ("as_editor", "valles", 200),
        ("as_editor", "montana", 404),
        ("as_facilitator", "valles", 200),
        ("as_facilitator", "montana", 404),
        ("as_other_facilitator", "valles", 404),
        ("as_other_facilitator", "montana", 200),
        ("as_coordinator", "montana", 200),
    ],
)
def test_a_response_and_its_attachment_per_role(request, answered, persona, key, expected):
    client = request.getfixturevalue(persona)
    response = answered[key]
    attachment = add_attachment(response)
    assert client.get(response.get_absolute_url()).status_code == expected
    assert client.get(reverse("surveys:attachment", args=[attachment.pk])).status_code == expected


def test_unknown_responses_and_attachments_are_404(as_coordinator):
    assert as_coordinator.get(reverse("surveys:response", args=[999999])).status_code == 404
    assert as_coordinator.get(reverse("surveys:attachment", args=[999999])).status_code == 404
    assert as_coordinator.get(reverse("surveys:responses", args=["no-existe"])).status_code == 404


# --- attachments ------------------------------------------------------------------------


def test_attachments_are_served_through_the_check_and_never_run_as_pages(
    as_facilitator, answered, settings
):
    response = answered["valles"]
    image = add_attachment(response)
    page = add_attachment(
        response,
        filename="nota.html",
        content=b"<script>alert(1)</script>",
        content_type="text/html",
    )
    served = as_facilitator.get(reverse("surveys:attachment", args=[image.pk]))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert "attachment" not in served.get("Content-Disposition", "")
    assert "sandbox" in served["Content-Security-Policy"]
    served = as_facilitator.get(reverse("surveys:attachment", args=[page.pk]))
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    # The files are stored where the public media server is not told to look.
    assert image.file.name.startswith("surveys/attachments/")
    assert (
        settings.MEDIA_URL + "surveys/"
        not in as_facilitator.get(response.get_absolute_url()).content.decode()
    )


def test_a_missing_attachment_file_is_404(as_coordinator, answered):
    attachment = add_attachment(answered["valles"])
    attachment.file.delete(save=False)
    assert (
        as_coordinator.get(reverse("surveys:attachment", args=[attachment.pk])).status_code == 404
    )


# --- the list: filters, pages, queries --------------------------------------------------


def test_the_list_filters_by_round_status_region_municipality_and_source(
    as_coordinator,
    programme_campaign,
    round_,
    municipality,
    other_municipality,
    region,
    other_region,
):
    midline = programme_campaign.rounds.create(kind="midline", name="Medio término", order=2)
    a = make_response(round_, municipality)
    b = make_response(midline, municipality, status=Response.Status.APPROVED)
    c = make_response(round_, other_municipality, source=Response.Source.IMPORT)
    d = make_response(midline, other_municipality, status=Response.Status.REJECTED)
    campaign = programme_campaign
    assert listed(as_coordinator, campaign, ronda=midline.pk) == {b.pk, d.pk}
    assert listed(as_coordinator, campaign, estado="approved") == {b.pk}
    assert listed(as_coordinator, campaign, region=other_region.slug) == {c.pk, d.pk}
    assert listed(as_coordinator, campaign, municipio=municipality.code) == {a.pk, b.pk}
    assert listed(as_coordinator, campaign, origen="import") == {c.pk}
    assert listed(as_coordinator, campaign, ronda=round_.pk, region=region.slug) == {a.pk}
    # Malformed or unknown values drop that filter alone.
    assert listed(
        as_coordinator, campaign, ronda="x'; drop", estado="rejected", municipio="99999"
    ) == {d.pk}
    assert listed(as_coordinator, campaign, pagina="-1") == {a.pk, b.pk, c.pk, d.pk}
    # Only the municipalities with responses are offered.
    page = as_coordinator.get(list_url(campaign))
    offered = set(page.context["filters"].fields["municipio"].queryset)
    assert offered == {municipality, other_municipality}


def test_a_round_of_another_campaign_is_not_a_filter(
    as_coordinator, programme_campaign, campaign, baseline_round, round_, municipality
):
    make_response(baseline_round, municipality)
    mine = make_response(round_, municipality)
    assert listed(as_coordinator, programme_campaign, ronda=baseline_round.pk) == {mine.pk}


def test_the_list_is_paginated_and_keeps_its_filters(as_coordinator, programme_campaign, round_):
    for _n in range(53):
        make_response(round_, None, data={}, source=Response.Source.IMPORT)
    make_response(round_, None, data={})
    first = as_coordinator.get(list_url(programme_campaign, origen="import"))
    assert len(first.context["page"].object_list) == 50
    assert "origen=import&amp;pagina=2" in first.content.decode()
    second = as_coordinator.get(list_url(programme_campaign, origen="import", pagina=2))
    assert len(second.context["page"].object_list) == 3


def test_the_list_does_a_fixed_number_of_queries(
    as_facilitator,
    programme_campaign,
    round_,
    municipality,
    organization,
    facilitator,
    django_assert_max_num_queries,
):
    def add(n):
        for _n in range(n):
            make_response(round_, municipality, organization=organization, submitted_by=facilitator)

    add(2)
    with django_assert_max_num_queries(30) as few:
        as_facilitator.get(list_url(programme_campaign, region=municipality.region.slug))
    queries = len(few.captured_queries)
    add(20)
    with django_assert_max_num_queries(queries):
        page = as_facilitator.get(list_url(programme_campaign, region=municipality.region.slug))
    assert len(page.context["page"].object_list) == 22


# --- one response -----------------------------------------------------------------------


def test_a_response_reads_with_labels_sections_and_repeats(as_facilitator, answered, organization):
    response = answered["valles"]
    page = as_facilitator.get(response.get_absolute_url()).content.decode()
    for text in (
        "Identificación",  # a section
        "Capacidades institucionales",
        "Tipo de actor",  # a question's label ...
        "Organización de la sociedad civil",  # ... and its answer's label
        "Donativos, Fondos públicos",  # a multiple choice
        "Proyectos en curso",  # the repeat, as a table
        "Casa de salud",
        "latitud 17.0654, longitud -96.7236",
        "2 de noviembre de 2026",  # a date, localized (lowercased below)
        organization.name,  # the respondent
        "Oaxaca de Juárez",
        "Formulario web",  # the source
        "Sin respuesta",  # a question left out (by skip logic here)
    ):
        assert text.lower() in page.lower(), text
    order = [page.index(t) for t in ("Identificación", "Capacidades", "Proyectos en curso")]
    assert order == sorted(order)
    assert "<table" in page[page.index("Proyectos en curso") :]


def test_a_response_reads_in_english_for_an_english_reader(as_facilitator, answered):
    response = answered["valles"]
    page = as_facilitator.get(response.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Kind of actor" in text
    assert "Civil-society organisation" in text
    assert "Donations, Public funds" in text


def test_a_response_of_a_person_shows_who_captured_it(as_coordinator, round_, facilitator):
    response = make_response(round_, None, data={"tipo_actor": "red"}, submitted_by=facilitator)
    page = as_coordinator.get(response.get_absolute_url()).content.decode()
    assert facilitator.full_name in page
    assert "Red" in page


def test_hostile_answers_are_shown_as_text(as_coordinator, round_, municipality):
    hostile = '<script>alert("x")</script>'
    response = make_response(
        round_,
        municipality,
        data=baseline_answers(municipality, observaciones=hostile, tipo_actor=hostile),
    )
    page = as_coordinator.get(response.get_absolute_url()).content.decode()
    assert hostile not in page
    assert "&lt;script&gt;" in page


def test_the_history_shows_each_edit_question_by_question(
    as_facilitator, as_coordinator, coordinator, answered, municipality
):
    response = answered["valles"]
    data = dict(response.data)
    data["personas_equipo"] = "9"
    data["fuentes"] = "gobierno"
    data["proyectos"] = [{**data["proyectos"][0], "proyecto_nombre": "Casa de la salud"}]
    response_save(
        response=response,
        data=data,
        current_section=1,
        expected_version=version_of(response),
        by=coordinator,
    )
    page = as_facilitator.get(response.get_absolute_url()).content.decode()
    history = page[page.index('id="historial"') :]
    for text in (
        "Personas en el equipo",
        ">8<",
        ">9<",
        "Fuentes de financiamiento",
        "Donativos, Fondos públicos",
        "Proyectos en curso, fila 1: Nombre del proyecto",
        "Casa de la salud",
        "Creación",
        "Modificación",
    ):
        assert text in history, text
    # The JSON of the answers is not shown as one truncated blob.
    assert "{&#x27;" not in history


def test_the_edit_link_is_offered_to_who_may_edit(
    as_editor, as_facilitator, as_coordinator, answered
):
    response = answered["valles"]
    edit = reverse("surveys:collect_section", args=[response.pk, 0])
    assert edit in as_facilitator.get(response.get_absolute_url()).content.decode()
    assert edit in as_coordinator.get(response.get_absolute_url()).content.decode()
    assert edit not in as_editor.get(response.get_absolute_url()).content.decode()


# --- review -----------------------------------------------------------------------------


def review(client, response, status, comment=""):
    return client.post(
        reverse("surveys:response_review", args=[response.pk]),
        {"status": status, "comment": comment},
    )


def test_a_facilitator_approves_holds_and_rejects_and_the_aggregates_follow(
    as_facilitator, facilitator, answered
):
    response = answered["valles"]
    counted = Answer.objects.filter(response=response).count()
    assert counted > 20
    assert review(as_facilitator, response, "approved").status_code == 302
    response.refresh_from_db()
    assert (response.status, response.reviewed_by) == (Response.Status.APPROVED, facilitator)
    assert Answer.objects.filter(response=response).count() == counted
    review(as_facilitator, response, "on_hold", "Falta la fecha de fundación.")
    response.refresh_from_db()
    assert response.status == Response.Status.ON_HOLD
    assert Answer.objects.filter(response=response).count() == counted
    review(as_facilitator, response, "rejected", "Respuesta duplicada.")
    response.refresh_from_db()
    assert (response.status, response.review_comment) == ("rejected", "Respuesta duplicada.")
    assert not Answer.objects.filter(response=response).exists()
    review(as_facilitator, response, "approved", "Era otra organización.")
    assert Answer.objects.filter(response=response).count() == counted
    # The trail keeps every decision.
    page = as_facilitator.get(response.get_absolute_url()).content.decode()
    trail = page[page.index('id="revision"') : page.index('id="historial"')]
    for text in ("Aprobada", "En espera", "Rechazada", "Respuesta duplicada.", "Era otra"):
        assert text in trail, text


def test_a_review_needs_a_reason_to_hold_or_reject_and_a_known_status(as_facilitator, answered):
    response = answered["valles"]
    for status, comment in (("rejected", ""), ("on_hold", "   "), ("draft", "x"), ("borrar", "")):
        page = review(as_facilitator, response, status, comment)
        assert page.status_code == 400, status
    too_long = review(as_facilitator, response, "approved", "x" * 2001)
    assert too_long.status_code == 400
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert (
        as_facilitator.get(reverse("surveys:response_review", args=[response.pk])).status_code
        == 405
    )


def test_who_may_review(as_participant, as_editor, as_coordinator, answered, participant):
    response = answered["valles"]
    assert review(as_participant, response, "approved").status_code == 404
    # The organisation's editor sees its response but does not review it.
    assert review(as_editor, response, "approved").status_code == 403
    own = answered["own"]
    assert review(as_participant, own, "approved").status_code == 403
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert review(as_coordinator, response, "approved").status_code == 302


def test_a_draft_is_not_reviewed(as_coordinator, round_, municipality):
    draft = make_response(round_, municipality, status=Response.Status.DRAFT)
    page = as_coordinator.get(draft.get_absolute_url()).content.decode()
    assert reverse("surveys:response_review", args=[draft.pk]) not in page
    assert review(as_coordinator, draft, "approved").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT


def test_the_response_page_does_a_bounded_number_of_queries(
    as_facilitator, answered, django_assert_max_num_queries
):
    response = answered["valles"]
    for n in range(5):
        add_attachment(response, filename=f"foto{n}.png")
    with django_assert_max_num_queries(30):
        as_facilitator.get(response.get_absolute_url())


def test_an_unknown_organization_respondent_is_not_linked(as_coordinator, round_, municipality):
    organization = f.OrganizationFactory(status="draft", municipality=municipality)
    response = make_response(round_, municipality, organization=organization)
    page = as_coordinator.get(response.get_absolute_url()).content.decode()
    assert organization.name in page
    assert reverse("directory:organization", args=[organization.pk]) not in page


def test_the_list_and_a_long_response_are_within_the_page_budget(
    as_coordinator, programme_campaign, round_, municipality, organization, coordinator
):
    projects = [
        {"proyecto_nombre": f"Proyecto comunitario número {n}", "proyecto_tema": "salud"}
        for n in range(40)
    ]
    long = make_response(
        round_, municipality, data=baseline_answers(municipality, proyectos=projects)
    )
    for _n in range(55):
        make_response(round_, municipality, organization=organization, submitted_by=coordinator)
    for url in (list_url(programme_campaign), long.get_absolute_url()):
        page = as_coordinator.get(url)
        assert page.status_code == 200
        assert weigh_page(page.content).problems() == [], url
