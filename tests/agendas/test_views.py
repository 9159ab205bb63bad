"""The agenda pages through HTTP: what each phase refuses (status and message),
the proposals list's fixed queries, hostile text, double submissions, the
prioritisation, the published result, adoption and the adopted page and PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.agendas.models import Agenda, Ballot, Comment, Phase, Priority, Proposal, Support
from tests import factories as f
from tests.agendas.conftest import make_proposal, set_phase
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def url(name, *args):
    return reverse(f"agendas:{name}", args=args)


def proposal_data(**extra):
    return {
        "title": "Agua para la Colonia Reforma",
        "problem": "No llega el agua.",
        "proposal": "Un pozo comunitario.",
        "authority_text": "Presidencia municipal",
        **extra,
    }


class TestAgendaPage:
    def test_it_says_the_phase_and_what_one_may_do(self, as_visitor, agenda):
        page = as_visitor.get(agenda.get_absolute_url()).content.decode()
        assert "Recepción de propuestas" in page
        assert "Puede presentar propuestas" in page
        assert url("proposal_create", agenda.slug) in page

    def test_runners_see_the_next_phase_button(self, as_facilitator, as_other_facilitator, agenda):
        assert (
            url("agenda_phase", agenda.slug)
            in as_facilitator.get(agenda.get_absolute_url()).content.decode()
        )
        assert (
            url("agenda_phase", agenda.slug)
            not in as_other_facilitator.get(agenda.get_absolute_url()).content.decode()
        )

    def test_an_agenda_facilitator_of_another_region_runs_it(
        self, as_other_facilitator, other_facilitator, agenda
    ):
        agenda.facilitators.add(other_facilitator)
        assert as_other_facilitator.get(url("agenda_edit", agenda.slug)).status_code == 200

    def test_the_phase_moves_and_is_recorded(self, as_facilitator, facilitator, agenda):
        response = as_facilitator.post(url("agenda_phase", agenda.slug), {"phase": "deliberation"})
        assert response.status_code == 302
        agenda.refresh_from_db()
        assert agenda.phase == Phase.DELIBERATION
        assert agenda.phase_changes.get().by == facilitator

    def test_a_skipped_phase_is_a_conflict(self, as_facilitator, agenda):
        response = as_facilitator.post(
            url("agenda_phase", agenda.slug), {"phase": "prioritisation"}
        )
        assert response.status_code == 409
        assert "no puede pasar" in response.content.decode()
        assert (
            as_facilitator.post(url("agenda_phase", agenda.slug), {"phase": "nada"}).status_code
            == 400
        )

    def test_a_facilitator_creates_an_agenda_as_a_draft(
        self, as_facilitator, facilitator, region, theme
    ):
        response = as_facilitator.post(
            url("agenda_create"),
            {
                "title": "Agenda de salud",
                "slug": "salud",
                "region": region.pk,
                "theme": theme.pk,
                "method": "points",
                "points": 5,
                "ranks": 3,
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        agenda = Agenda.objects.get(slug="salud")
        assert agenda.phase == Phase.DRAFT and facilitator in agenda.facilitators.all()

    def test_a_facilitator_may_not_create_one_in_another_region(
        self, as_other_facilitator, region, theme
    ):
        response = as_other_facilitator.post(
            url("agenda_create"),
            {
                "title": "X",
                "slug": "x",
                "region": region.pk,
                "theme": theme.pk,
                "method": "points",
                "points": 5,
                "ranks": 3,
            },
        )
        assert response.status_code == 400
        assert not Agenda.objects.filter(slug="x").exists()

    @pytest.mark.parametrize(
        ("place", "message"),
        [
            ("none", "Elija la región o el municipio de la agenda."),
            ("elsewhere", "El municipio no pertenece a la región elegida."),
        ],
    )
    def test_an_agenda_needs_a_place_that_agrees_with_itself(
        self, as_coordinator, region, other_municipality, theme, place, message
    ):
        data = {
            "title": "Agenda de salud",
            "slug": "salud",
            "theme": theme.pk,
            "method": "points",
            "points": 5,
            "ranks": 3,
        }
        if place == "elsewhere":
            data.update(region=region.pk, municipality=other_municipality.pk)
        response = as_coordinator.post(url("agenda_create"), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Agenda.objects.filter(slug="salud").exists()


class TestProposals:
    def test_a_participant_proposes(self, as_participant, participant, agenda, theme):
        response = as_participant.post(
            url("proposal_create", agenda.slug), proposal_data(themes=[theme.pk])
        )
        assert response.status_code == 302
        proposal = Proposal.objects.get()
        assert proposal.author == participant and list(proposal.themes.all()) == [theme]

    def test_an_authority_is_required(self, as_participant, agenda):
        response = as_participant.post(
            url("proposal_create", agenda.slug), proposal_data(authority_text="")
        )
        assert response.status_code == 400
        assert "qué autoridad" in response.content.decode()
        assert not Proposal.objects.exists()

    def test_not_outside_collecting(self, as_participant, agenda):
        set_phase(agenda, Phase.DELIBERATION)
        response = as_participant.post(url("proposal_create", agenda.slug), proposal_data())
        assert response.status_code == 403
        assert "no recibe propuestas" in response.content.decode()
        assert not Proposal.objects.exists()

    def test_hostile_text_is_shown_escaped(self, as_participant, as_visitor, agenda):
        as_participant.post(
            url("proposal_create", agenda.slug),
            proposal_data(title=HOSTILE, problem=HOSTILE, proposal="Ver http://spam.example/"),
        )
        proposal = Proposal.objects.get()
        as_participant.post(url("comment_create", agenda.slug, proposal.pk), {"body": HOSTILE})
        for page_url in (
            proposal.get_absolute_url(),
            url("proposals", agenda.slug),
            agenda.get_absolute_url(),
        ):
            page = as_visitor.get(page_url).content.decode()
            assert "<script>alert" not in page and "<img src=x" not in page
            assert "&lt;script&gt;" in page
        # URLs in user text are not turned into links at all.
        assert (
            'href="http://spam.example/'
            not in as_visitor.get(proposal.get_absolute_url()).content.decode()
        )

    def test_the_author_edits_only_while_collecting(
        self, as_participant, as_editor, agenda, proposal
    ):
        edit = url("proposal_edit", agenda.slug, proposal.pk)
        assert as_editor.post(edit, proposal_data(title="Ajeno")).status_code == 403
        assert as_participant.post(edit, proposal_data(title="Mejor título")).status_code == 302
        set_phase(agenda, Phase.DELIBERATION)
        response = as_participant.post(edit, proposal_data(title="Tarde"))
        assert response.status_code == 403
        assert "mientras se reciben propuestas" in response.content.decode()
        proposal.refresh_from_db()
        assert proposal.title == "Mejor título"


class TestProposalList:
    def test_it_filters_by_theme_and_sorts_by_supports(
        self, as_visitor, agenda, participant, theme
    ):
        low = make_proposal(agenda, participant, title="Poco apoyada")
        high = make_proposal(agenda, participant, title="Muy apoyada", support_count=9)
        high.themes.add(theme)
        page = as_visitor.get(url("proposals", agenda.slug)).content.decode()
        assert page.index("Muy apoyada") < page.index("Poco apoyada")
        page = as_visitor.get(
            url("proposals", agenda.slug), {"orden": "recientes"}
        ).content.decode()
        assert page.index("Muy apoyada") < page.index("Poco apoyada")  # the newest first
        page = as_visitor.get(url("proposals", agenda.slug), {"tema": "agua"}).content.decode()
        assert "Muy apoyada" in page and "Poco apoyada" not in page
        assert low.pk

    def test_hidden_proposals_are_left_out(self, as_visitor, agenda, proposal, facilitator):
        proposal.hide(reason="Spam", by=facilitator)
        assert proposal.title not in as_visitor.get(url("proposals", agenda.slug)).content.decode()

    @pytest.mark.parametrize("total", [3, 45])
    def test_queries_do_not_grow_with_the_proposals(
        self, client, agenda, participant, theme, total, django_assert_max_num_queries
    ):
        for n in range(total):
            p = make_proposal(agenda, participant, title=f"Propuesta {n}", support_count=n)
            p.themes.add(theme)
            Comment.objects.create(proposal=p, author=participant, body="c")
        with django_assert_max_num_queries(6):
            response = client.get(url("proposals", agenda.slug), {"page": 2 if total > 20 else 1})
        assert response.status_code == 200
        assert response.content.decode().count('class="card"') == min(20, total)


class TestSupports:
    def test_a_double_click_counts_once(self, as_resident, agenda, proposal):
        support = url("support", agenda.slug, proposal.pk)
        assert as_resident.post(support).status_code == 302
        assert as_resident.post(support).status_code == 302
        proposal.refresh_from_db()
        assert proposal.support_count == 1 == Support.objects.count()

    def test_withdraw_and_htmx_fragment(self, as_resident, agenda, proposal):
        support = url("support", agenda.slug, proposal.pk)
        response = as_resident.post(support, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "1 apoyo" in response.content.decode()
        assert "<html" not in response.content.decode()
        response = as_resident.post(support, {"retirar": "1"}, HTTP_HX_REQUEST="true")
        assert "0 apoyos" in response.content.decode()
        assert not Support.objects.exists()

    def test_refused_while_prioritising(self, as_resident, agenda, proposal):
        set_phase(agenda, Phase.PRIORITISATION)
        response = as_resident.post(url("support", agenda.slug, proposal.pk))
        assert response.status_code == 403
        assert (
            "Apoyar propuestas no es posible en la fase «Priorización»" in response.content.decode()
        )
        assert not Support.objects.exists()

    def test_get_is_not_allowed(self, as_resident, agenda, proposal):
        assert as_resident.get(url("support", agenda.slug, proposal.pk)).status_code == 405


class TestComments:
    def test_reply_and_bad_parent(
        self, as_resident, agenda, proposal, second_proposal, participant
    ):
        top = Comment.objects.create(proposal=proposal, author=participant, body="Primera")
        other = Comment.objects.create(proposal=second_proposal, author=participant, body="Otra")
        add = url("comment_create", agenda.slug, proposal.pk)
        assert as_resident.post(add, {"body": "Respuesta", "parent": top.pk}).status_code == 302
        assert Comment.objects.get(body="Respuesta").parent == top
        response = as_resident.post(add, {"body": "Mal", "parent": other.pk})
        assert response.status_code == 400
        assert as_resident.post(add, {"body": "   "}).status_code == 400
        assert not Comment.objects.filter(body="Mal").exists()

    def test_rate_limited_with_a_clear_429(self, as_resident, agenda, proposal):
        add = url("comment_create", agenda.slug, proposal.pk)
        statuses = [
            as_resident.post(add, {"body": f"Comentario {n}"}).status_code for n in range(8)
        ]
        assert statuses[:6] == [302] * 6
        assert statuses[6:] == [429, 429]
        response = as_resident.post(add, {"body": "otra vez"})
        assert response.status_code == 429 and response["Retry-After"] == "60"
        assert "demasiado en poco tiempo" in response.content.decode()
        assert Comment.objects.count() == 6

    def test_proposals_are_rate_limited_too(self, as_resident, agenda):
        statuses = [
            as_resident.post(
                url("proposal_create", agenda.slug), proposal_data(title=f"P{n}")
            ).status_code
            for n in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
        assert Proposal.objects.count() == 3


class TestAmendments:
    def test_proposed_then_accepted_by_the_author(
        self, as_resident, as_participant, agenda, proposal
    ):
        set_phase(agenda, Phase.DELIBERATION)
        response = as_resident.post(
            url("amendment_create", agenda.slug, proposal.pk),
            {"text": "Dos pozos.", "reason": "Hay dos colonias."},
        )
        assert response.status_code == 302
        amendment = proposal.amendments.get()
        decide = url("amendment_decide", agenda.slug, amendment.pk)
        assert as_resident.post(decide, {"decision": "accept"}).status_code == 403
        assert as_participant.post(decide, {"decision": "accept"}).status_code == 302
        proposal.refresh_from_db()
        assert proposal.proposal == "Dos pozos."
        # Deciding twice is a conflict.
        assert as_participant.post(decide, {"decision": "reject"}).status_code == 409

    def test_not_while_collecting(self, as_resident, agenda, proposal):
        response = as_resident.post(
            url("amendment_create", agenda.slug, proposal.pk), {"text": "x"}
        )
        assert response.status_code == 403
        assert "durante la deliberación" in response.content.decode()


@pytest.fixture
def as_resident(resident):
    return client_for(resident)


@pytest.fixture
def voting(agenda, proposal, second_proposal):
    return set_phase(agenda, Phase.PRIORITISATION)


class TestBallot:
    def test_an_eligible_person_prioritises_and_changes_their_mind(
        self, as_resident, voting, proposal, second_proposal
    ):
        ballot = url("ballot", voting.slug)
        assert as_resident.get(ballot).status_code == 200
        assert (
            as_resident.post(
                ballot, {f"p{proposal.pk}": "6", f"p{second_proposal.pk}": "4"}
            ).status_code
            == 302
        )
        assert as_resident.post(ballot, {f"p{proposal.pk}": "10"}).status_code == 302
        lines = Ballot.objects.get().lines.all()
        assert [(line.proposal_id, line.points) for line in lines] == [(proposal.pk, 10)]
        assert 'value="10"' in as_resident.get(ballot).content.decode()

    def test_points_beyond_the_allowance(self, as_resident, voting, proposal, second_proposal):
        response = as_resident.post(
            url("ballot", voting.slug), {f"p{proposal.pk}": "8", f"p{second_proposal.pk}": "8"}
        )
        assert response.status_code == 400
        assert "Repartió 16 puntos; cada persona tiene 10." in response.content.decode()
        assert not Ballot.objects.exists()

    @pytest.mark.parametrize("data", [{"p999999": "3"}, {"p1": "x"}, {"p1": "-2"}])
    def test_nonsense_is_refused(self, as_resident, voting, data):
        response = as_resident.post(url("ballot", voting.slug), data)
        assert response.status_code == 400
        assert not Ballot.objects.exists()

    def test_outside_the_phase(self, as_resident, agenda, proposal):
        response = as_resident.post(url("ballot", agenda.slug), {f"p{proposal.pk}": "3"})
        assert response.status_code == 403
        assert "La priorización no está abierta" in response.content.decode()
        assert not Ballot.objects.exists()

    def test_an_ineligible_person_is_told_why(self, as_participant, voting, proposal):
        response = as_participant.post(url("ballot", voting.slug), {f"p{proposal.pk}": "3"})
        assert response.status_code == 403
        assert "No está habilitada(o)" in response.content.decode()
        assert not Ballot.objects.exists()

    def test_ranks(self, as_resident, voting, proposal, second_proposal):
        Agenda.objects.filter(pk=voting.pk).update(method=Agenda.Method.RANKS, ranks=2)
        ballot = url("ballot", voting.slug)
        response = as_resident.post(ballot, {"puesto_1": proposal.pk, "puesto_2": proposal.pk})
        assert response.status_code == 400
        assert (
            as_resident.post(
                ballot, {"puesto_1": second_proposal.pk, "puesto_2": proposal.pk}
            ).status_code
            == 302
        )
        lines = {
            line.proposal_id: (line.rank, line.points) for line in Ballot.objects.get().lines.all()
        }
        assert lines == {second_proposal.pk: (1, 2), proposal.pk: (2, 1)}


class TestResultAndAdoption:
    def test_the_result_is_hidden_until_the_close(
        self, as_resident, as_visitor, as_facilitator, voting, proposal, second_proposal
    ):
        as_resident.post(url("ballot", voting.slug), {f"p{second_proposal.pk}": "7"})
        hidden = as_visitor.get(url("results", voting.slug)).content.decode()
        assert "nadie lo ve" in hidden and second_proposal.title not in hidden
        assert (
            as_facilitator.get(url("results", voting.slug))
            .content.decode()
            .count(second_proposal.title)
            == 0
        )
        tally = url("tally_create", voting.slug)
        response = as_facilitator.post(
            tally, {"people": 30, "note": "Mano alzada en Zaachila", f"p{proposal.pk}": "12"}
        )
        assert response.status_code == 302
        assert (
            as_facilitator.post(tally, {"people": 30, "note": "x", "p999999": "1"}).status_code
            == 400
        )
        assert as_facilitator.post(url("voting_close", voting.slug)).status_code == 302
        page = as_visitor.get(url("results", voting.slug)).content.decode()
        assert page.index(proposal.title) < page.index(second_proposal.title)  # 12 > 7
        assert "Mano alzada en Zaachila" in page and "Luis Hernández" in page
        # No ballot after the close.
        assert (
            as_resident.post(url("ballot", voting.slug), {f"p{proposal.pk}": "1"}).status_code
            == 403
        )

    def test_adoption_and_the_adopted_page_and_pdf(
        self, as_facilitator, as_visitor, voting, proposal, second_proposal
    ):
        adopt = url("adopt", voting.slug)
        assert as_facilitator.get(adopt).status_code == 403  # not closed yet
        as_facilitator.post(url("voting_close", voting.slug))
        for bad in ("0", "-1", "primero"):
            response = as_facilitator.post(adopt, {f"p{proposal.pk}": bad})
            assert response.status_code == 400
        assert not Priority.objects.filter(agenda=voting).exists()
        response = as_facilitator.post(
            adopt, {f"p{proposal.pk}": "2", f"p{second_proposal.pk}": "1"}
        )
        assert response.status_code == 302
        assert [p.proposal for p in Priority.objects.filter(agenda=voting)] == [
            second_proposal,
            proposal,
        ]
        page = as_visitor.get(url("adopted", voting.slug)).content.decode()
        assert page.index(second_proposal.title) < page.index(proposal.title)
        pdf = as_visitor.get(url("adopted_pdf", voting.slug))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    def test_proposals_given_the_same_number_make_one_priority(
        self, as_facilitator, as_visitor, voting, proposal, second_proposal, participant
    ):
        third = make_proposal(voting, participant, title="Huertos escolares")
        as_facilitator.post(url("voting_close", voting.slug))
        response = as_facilitator.post(
            url("adopt", voting.slug),
            {f"p{second_proposal.pk}": "1", f"p{proposal.pk}": "1", f"p{third.pk}": "2"},
        )
        assert response.status_code == 302
        first, second = Priority.objects.filter(agenda=voting).order_by("position")
        # The larger result leads (12 points against 7); the other supports it.
        assert first.proposal == proposal
        assert list(first.supporting.all()) == [second_proposal]
        assert (second.position, second.proposal, list(second.supporting.all())) == (2, third, [])
        page = as_visitor.get(url("adopted", voting.slug)).content.decode()
        supports = page.index("Propuestas que la sustentan")
        assert page.index(proposal.title) < supports < page.index(second_proposal.title)
        assert page.index(second_proposal.title) < page.index(third.title)
        assert page.count("Propuestas que la sustentan") == 1
        pdf = as_visitor.get(url("adopted_pdf", voting.slug))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    def test_no_adopted_page_before_adoption(self, as_visitor, agenda):
        assert as_visitor.get(url("adopted", agenda.slug)).status_code == 404


def test_the_navigation_links_the_agendas(as_visitor):
    assert url("index") in as_visitor.get("/").content.decode()


def test_the_proposals_page_stays_light(as_visitor, agenda, participant):
    for n in range(20):
        make_proposal(agenda, participant, title=f"Propuesta número {n}", problem="Texto " * 80)
    page = as_visitor.get(url("proposals", agenda.slug))
    assert len(page.content) < 100_000
    assert f.UserFactory  # factories stay importable for the other tests


def test_an_agreement_from_an_adopted_agenda_links_both_ways(as_visitor, agenda, proposal, region):
    import datetime

    from polo.agreements.models import Agreement

    set_phase(agenda, Phase.ADOPTED)
    Priority.objects.create(agenda=agenda, position=1, proposal=proposal)
    agreement = Agreement.objects.create(
        title="Convenio del agua",
        slug="convenio-agua",
        kind=Agreement.Kind.CSO_AUTHORITY,
        status=Agreement.Status.SIGNED,
        signed_on=datetime.date(2026, 3, 1),
        region=region,
        source_agenda=agenda,
        source_note="Foro de Zaachila",
    )
    page = as_visitor.get(url("adopted", agenda.slug)).content.decode()
    assert "Convenio del agua" in page and agreement.get_absolute_url() in page
    page = as_visitor.get(agreement.get_absolute_url()).content.decode()
    assert url("adopted", agenda.slug) in page and "Foro de Zaachila" in page


def test_participants_are_named_by_first_name_and_initial(as_visitor, agenda, proposal, resident):
    Comment.objects.create(proposal=proposal, author=resident, body="De acuerdo")
    page = as_visitor.get(proposal.get_absolute_url()).content.decode()
    assert "Ana P." in page and "Carmen L." in page
    assert "Ana Pérez" not in page and "Carmen López" not in page
    assert "@ejemplo.mx" not in page
