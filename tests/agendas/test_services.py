"""The agendas' rules of play, through their services: phases, supports,
comments, amendments, ballots and the tally on known ballots."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from polo.agendas import selectors, services
from polo.agendas.models import Agenda, Amendment, Phase, Proposal, Support
from tests import factories as f
from tests.agendas.conftest import make_proposal, set_phase
from tests.meetings.factories import MeetingFactory, PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


class TestPhases:
    def test_it_moves_one_step_at_a_time_and_records_who(self, agenda, facilitator):
        change = services.agenda_open_phase(agenda=agenda, phase=Phase.DELIBERATION, by=facilitator)
        agenda.refresh_from_db()
        assert agenda.phase == Phase.DELIBERATION
        assert change.by == facilitator and change.at == agenda.phase_changed_at
        assert agenda.history.first().phase == Phase.DELIBERATION

    @pytest.mark.parametrize("target", [Phase.DRAFT, Phase.PRIORITISATION, Phase.ADOPTED])
    def test_it_refuses_to_skip_or_go_back(self, agenda, facilitator, target):
        with pytest.raises(ValidationError):
            services.agenda_open_phase(agenda=agenda, phase=target, by=facilitator)
        agenda.refresh_from_db()
        assert agenda.phase == Phase.COLLECTING

    def test_it_adopts_only_after_the_result_is_published(self, agenda, facilitator, proposal):
        set_phase(agenda, Phase.PRIORITISATION)
        with pytest.raises(services.Refused):
            services.agenda_adopt(agenda=agenda, proposals=[proposal], by=facilitator)
        with pytest.raises(ValidationError):
            agenda.open_phase(Phase.ADOPTED, by=facilitator)
        services.voting_close(agenda=agenda, by=facilitator)
        services.agenda_adopt(agenda=agenda, proposals=[proposal], by=facilitator)
        agenda.refresh_from_db()
        assert agenda.phase == Phase.ADOPTED
        assert [p.proposal for p in agenda.priorities.all()] == [proposal]

    def test_supporting_proposals_go_with_a_priority_and_each_proposal_once(
        self, agenda, facilitator, proposal, second_proposal, participant
    ):
        third = make_proposal(agenda, participant, title="Huertos escolares")
        set_phase(agenda, Phase.PRIORITISATION)
        services.voting_close(agenda=agenda, by=facilitator)
        refused = [
            # supporting a proposal that is not chosen
            {"proposals": [proposal], "supporting": {third.pk: [second_proposal]}},
            # a proposal both chosen and supporting
            {"proposals": [proposal, third], "supporting": {proposal.pk: [third]}},
            # a proposal supporting two priorities
            {
                "proposals": [proposal, third],
                "supporting": {proposal.pk: [second_proposal], third.pk: [second_proposal]},
            },
        ]
        for arguments in refused:
            with pytest.raises(ValidationError):
                services.agenda_adopt(agenda=agenda, by=facilitator, **arguments)
        assert not agenda.priorities.exists()
        services.agenda_adopt(
            agenda=agenda,
            proposals=[proposal, third],
            supporting={proposal.pk: [second_proposal]},
            by=facilitator,
        )
        first, second = agenda.priorities.order_by("position")
        assert list(first.supporting.all()) == [second_proposal]
        assert not second.supporting.exists()


class TestProposals:
    def test_only_while_collecting(self, agenda, participant):
        set_phase(agenda, Phase.DELIBERATION)
        with pytest.raises(services.Refused, match="Deliberación"):
            services.proposal_create(
                agenda=agenda,
                by=participant,
                fields={"title": "T", "problem": "P", "proposal": "Q"},
            )
        assert not Proposal.objects.exists()

    def test_the_author_edits_until_deliberation(self, agenda, proposal, participant, resident):
        with pytest.raises(services.Refused):
            services.proposal_update(proposal=proposal, by=resident, fields={"title": "Otra"})
        services.proposal_update(
            proposal=proposal, by=participant, fields={"title": "Nuevo título"}
        )
        set_phase(agenda, Phase.DELIBERATION)
        proposal.refresh_from_db()
        with pytest.raises(services.Refused):
            services.proposal_update(proposal=proposal, by=participant, fields={"title": "Tarde"})
        proposal.refresh_from_db()
        assert proposal.title == "Nuevo título"


class TestSupports:
    def test_one_per_person_and_withdrawal(self, proposal, resident):
        assert services.support_add(proposal=proposal, by=resident) is True
        assert services.support_add(proposal=proposal, by=resident) is False
        proposal.refresh_from_db()
        assert proposal.support_count == 1 == Support.objects.count()
        assert services.support_withdraw(proposal=proposal, by=resident) is True
        assert services.support_withdraw(proposal=proposal, by=resident) is False
        proposal.refresh_from_db()
        assert proposal.support_count == 0 == Support.objects.count()

    def test_refused_in_prioritisation(self, agenda, proposal, resident):
        set_phase(agenda, Phase.PRIORITISATION)
        proposal.refresh_from_db()
        with pytest.raises(services.Refused):
            services.support_add(proposal=proposal, by=resident)
        assert not Support.objects.exists()


class TestComments:
    def test_threads_stay_two_levels_deep(self, proposal, resident, participant):
        top = services.comment_create(proposal=proposal, by=resident, body="De acuerdo")
        reply = services.comment_create(proposal=proposal, by=participant, body="Sí", parent=top)
        deeper = services.comment_create(proposal=proposal, by=resident, body="+1", parent=reply)
        assert reply.parent == top and deeper.parent == top
        proposal.refresh_from_db()
        assert proposal.comment_count == 3

    def test_a_parent_of_another_proposal_is_refused(self, proposal, second_proposal, resident):
        other = services.comment_create(proposal=second_proposal, by=resident, body="x")
        with pytest.raises(ValidationError):
            services.comment_create(proposal=proposal, by=resident, body="y", parent=other)

    def test_refused_once_prioritising(self, agenda, proposal, resident):
        set_phase(agenda, Phase.PRIORITISATION)
        proposal.refresh_from_db()
        with pytest.raises(services.Refused):
            services.comment_create(proposal=proposal, by=resident, body="tarde")


class TestAmendments:
    def test_accepted_changes_the_text_and_keeps_history(
        self, agenda, proposal, participant, resident
    ):
        set_phase(agenda, Phase.DELIBERATION)
        proposal.refresh_from_db()
        amendment = services.amendment_create(proposal=proposal, by=resident, text="Texto nuevo")
        with pytest.raises(services.Refused):
            services.amendment_decide(amendment=amendment, by=resident, accept=True)
        services.amendment_decide(amendment=amendment, by=participant, accept=True)
        proposal.refresh_from_db()
        assert proposal.proposal == "Texto nuevo"
        assert proposal.history.count() >= 2
        assert proposal.history.last().proposal.startswith("Que el municipio")
        with pytest.raises(services.Refused):
            services.amendment_decide(amendment=amendment, by=participant, accept=False)

    def test_rejected_changes_nothing(self, agenda, proposal, participant, resident):
        set_phase(agenda, Phase.DELIBERATION)
        proposal.refresh_from_db()
        amendment = services.amendment_create(proposal=proposal, by=resident, text="Otro")
        services.amendment_decide(amendment=amendment, by=participant, accept=False, answer="No")
        proposal.refresh_from_db()
        assert proposal.proposal.startswith("Que el municipio")
        assert Amendment.objects.get().status == Amendment.Status.REJECTED

    def test_not_by_the_author_nor_while_collecting(self, agenda, proposal, participant, resident):
        with pytest.raises(services.Refused):
            services.amendment_create(proposal=proposal, by=resident, text="x")
        set_phase(agenda, Phase.DELIBERATION)
        proposal.refresh_from_db()
        with pytest.raises(services.Refused):
            services.amendment_create(proposal=proposal, by=participant, text="x")


class TestEligibility:
    def test_residents_editors_and_forum_attendants(
        self, agenda, resident, editor, participant, other_facilitator, municipality
    ):
        assert selectors.is_eligible(agenda, resident)
        assert selectors.is_eligible(agenda, editor)  # their organisation is in the region
        assert not selectors.is_eligible(agenda, participant)
        forum = MeetingFactory(municipality=municipality)
        RegistrationFactory(meeting=forum, person=PersonFactory(user=participant))
        assert not selectors.is_eligible(agenda, participant)
        Agenda.objects.filter(pk=agenda.pk).update(forum=forum)
        agenda.refresh_from_db()
        assert selectors.is_eligible(agenda, participant)
        assert not selectors.is_eligible(agenda, other_facilitator)

    def test_a_municipal_agenda_takes_only_its_residents(
        self, agenda, resident, other_municipality, municipality
    ):
        Agenda.objects.filter(pk=agenda.pk).update(municipality=other_municipality, region=None)
        agenda.refresh_from_db()
        assert not selectors.is_eligible(agenda, resident)
        neighbour = f.UserFactory(email="montana@ejemplo.mx", municipality=other_municipality)
        assert selectors.is_eligible(agenda, neighbour)


@pytest.fixture
def voting(agenda, proposal, second_proposal):
    return set_phase(agenda, Phase.PRIORITISATION)


def voters(municipality, n):
    return [f.UserFactory(email=f"v{i}@ejemplo.mx", municipality=municipality) for i in range(n)]


class TestPoints:
    def test_the_tally_of_known_ballots(
        self, voting, proposal, second_proposal, municipality, facilitator
    ):
        a, b, c = voters(municipality, 3)
        services.ballot_submit(agenda=voting, by=a, points={proposal.pk: 7, second_proposal.pk: 3})
        services.ballot_submit(agenda=voting, by=b, points={second_proposal.pk: 10})
        services.ballot_submit(agenda=voting, by=c, points={proposal.pk: 1})
        # c changes their mind: the ballot is replaced, not added to.
        services.ballot_submit(agenda=voting, by=c, points={proposal.pk: 2, second_proposal.pk: 2})
        services.tally_record(
            agenda=voting,
            by=facilitator,
            note="Foro en Zaachila, mano alzada",
            people=40,
            points={proposal.pk: 25},
        )
        result = services.voting_close(agenda=voting, by=facilitator)
        rows = {r["proposal"]: r for r in result["rows"]}
        assert rows[proposal.pk] == {
            **rows[proposal.pk],
            "online": 9,
            "in_person": 25,
            "total": 34,
            "voters": 2,
        }
        assert rows[second_proposal.pk]["online"] == 15 and rows[second_proposal.pk]["total"] == 15
        assert [r["proposal"] for r in result["rows"]] == [proposal.pk, second_proposal.pk]
        assert result["ballots"] == 3 and result["in_person"][0]["people"] == 40

    def test_points_beyond_the_allowance(self, voting, proposal, second_proposal, resident):
        with pytest.raises(ValidationError, match="11"):
            services.ballot_submit(
                agenda=voting, by=resident, points={proposal.pk: 6, second_proposal.pk: 5}
            )
        with pytest.raises(ValidationError):
            services.ballot_submit(
                agenda=voting, by=resident, points={proposal.pk: -1, second_proposal.pk: 5}
            )
        assert not voting.ballots.exists()

    def test_a_proposal_that_does_not_exist(self, voting, proposal, resident, region, theme):
        from tests.agendas.conftest import make_agenda

        elsewhere = make_proposal(make_agenda(region, theme, slug="otra"), resident)
        for pk in (999999, elsewhere.pk):
            with pytest.raises(ValidationError, match="no existe"):
                services.ballot_submit(agenda=voting, by=resident, points={pk: 1})
        assert not voting.ballots.exists()

    def test_outside_the_phase_and_ineligible(self, agenda, proposal, resident, participant):
        with pytest.raises(services.Refused, match="Priorizar"):
            services.ballot_submit(agenda=agenda, by=resident, points={proposal.pk: 1})
        set_phase(agenda, Phase.PRIORITISATION)
        with pytest.raises(services.Refused, match="habilitada"):
            services.ballot_submit(agenda=agenda, by=participant, points={proposal.pk: 1})
        assert not agenda.ballots.exists()

    def test_no_ballot_after_the_close(self, voting, proposal, resident, facilitator):
        services.voting_close(agenda=voting, by=facilitator)
        with pytest.raises(services.Refused):
            services.ballot_submit(agenda=voting, by=resident, points={proposal.pk: 1})
        with pytest.raises(services.Refused):
            services.voting_close(agenda=voting, by=facilitator)


class TestRanks:
    def test_borda_on_known_ballots(
        self, voting, proposal, second_proposal, municipality, facilitator
    ):
        third = make_proposal(voting, facilitator, title="Tercera")
        Agenda.objects.filter(pk=voting.pk).update(method=Agenda.Method.RANKS, ranks=3)
        voting.refresh_from_db()
        a, b = voters(municipality, 2)
        services.ballot_submit(
            agenda=voting, by=a, ranking=[proposal.pk, second_proposal.pk, third.pk]
        )
        services.ballot_submit(agenda=voting, by=b, ranking=[third.pk, proposal.pk])
        result = services.voting_close(agenda=voting, by=facilitator)
        totals = {r["proposal"]: r["total"] for r in result["rows"]}
        assert totals == {proposal.pk: 3 + 2, second_proposal.pk: 2, third.pk: 1 + 3}

    def test_too_many_or_repeated(self, voting, proposal, second_proposal, resident):
        Agenda.objects.filter(pk=voting.pk).update(method=Agenda.Method.RANKS, ranks=1)
        voting.refresh_from_db()
        with pytest.raises(ValidationError):
            services.ballot_submit(
                agenda=voting, by=resident, ranking=[proposal.pk, second_proposal.pk]
            )
        with pytest.raises(ValidationError):
            services.ballot_submit(agenda=voting, by=resident, ranking=[])
