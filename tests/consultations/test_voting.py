"""Casting ballots through the pages: by account and with a table's code, and
every way a ballot is refused (with its status, and nothing counted)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.consultations import services
from polo.consultations.models import Ballot, VoterRecord
from tests.conftest import client_for
from tests.consultations.conftest import hours, make_consultation, options, questions

pytestmark = pytest.mark.django_db


def ballot_post(consultation, **extra):
    """A valid ballot: Agua potable; Salud + Cultura; Parque 1, Mercado 2."""
    o = options(consultation)
    single, multiple, ranking = questions(consultation)
    return {
        f"q{single}": [o["Agua potable"]],
        f"q{multiple}": [o["Salud"], o["Cultura"]],
        f"q{ranking}_{o['Parque']}": "1",
        f"q{ranking}_{o['Mercado']}": "2",
        **extra,
    }


def counted(consultation) -> tuple[int, int]:
    return (
        Ballot.objects.filter(consultation=consultation).count(),
        VoterRecord.objects.filter(consultation=consultation).count(),
    )


def test_an_eligible_person_votes_once_and_gets_a_receipt(consultation, voter):
    client = client_for(voter)
    url = reverse("consultations:vote", args=[consultation.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "¿Qué obra primero?" in page.content.decode()

    response = client.post(url, ballot_post(consultation))
    assert response.status_code == 200
    receipt = response.context["receipt"]
    assert len(receipt) == services.RECEIPT_LENGTH and receipt in response.content.decode()
    ballot = Ballot.objects.get(consultation=consultation)
    o = options(consultation)
    single, multiple, ranking = questions(consultation)
    assert ballot.receipt == receipt
    assert ballot.choices == {
        str(single): [o["Agua potable"]],
        str(multiple): [o["Salud"], o["Cultura"]],
        str(ranking): [o["Parque"], o["Mercado"]],
    }
    record = VoterRecord.objects.get(consultation=consultation)
    assert record.user == voter and record.code is None

    # A second ballot (or the same one posted again) is refused: 409, still one.
    again = client.post(url, ballot_post(consultation))
    assert again.status_code == 409
    assert "Ya votó" in again.content.decode()
    assert client.get(url).status_code == 409
    assert counted(consultation) == (1, 1)
    # Straight to the service as well (the page checks first; the constraint decides).
    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(consultation=consultation, answers={}, user=voter)
    assert counted(consultation) == (1, 1)


def test_a_visitor_is_sent_to_sign_in(consultation, as_visitor):
    response = as_visitor.get(reverse("consultations:vote", args=[consultation.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hostile_and_broken_ballots_are_refused_and_nothing_is_counted(
    consultation, voter, outsider, other_municipality
):
    client = client_for(voter)
    url = reverse("consultations:vote", args=[consultation.slug])
    o = options(consultation)
    single, multiple, ranking = questions(consultation)
    cases = [
        # An option of another question, a made-up one, and one that is not a number.
        ({f"q{single}": [o["Salud"]]}, 400, "no existe"),
        ({f"q{single}": ["999999"]}, 400, "no existe"),
        ({f"q{single}": ["<script>"]}, 400, "no existe"),
        # Two answers to a single-choice question; three to "at most two".
        ({f"q{single}": [o["Caminos"], o["Escuela"]]}, 400, "máximo 1"),
        ({f"q{multiple}": [o["Salud"], o["Seguridad"], o["Cultura"]]}, 400, "máximo 2"),
        ({f"q{multiple}": [o["Salud"], o["Salud"]]}, 400, "dos veces"),
        # A ranking with a gap, a repeated place and a word.
        ({f"q{ranking}_{o['Parque']}": "1", f"q{ranking}_{o['Mercado']}": "3"}, 400, "sin repetir"),
        ({f"q{ranking}_{o['Parque']}": "1", f"q{ranking}_{o['Mercado']}": "1"}, 400, "sin repetir"),
        ({f"q{ranking}_{o['Parque']}": "uno"}, 400, "número"),
        # A question of no consultation.
        ({"q424242": ["1"]}, 400, "no es de esta consulta"),
    ]
    for data, status, message in cases:
        response = client.post(url, data)
        assert response.status_code == status, (data, response.status_code)
        assert message in response.content.decode(), data
    assert counted(consultation) == (0, 0)

    # Someone who lives elsewhere: 403, at the page and at the service.
    response = client_for(outsider).post(url, ballot_post(consultation))
    assert response.status_code == 403
    assert "padrón" in response.content.decode()
    with pytest.raises(services.NotEligible):
        services.ballot_cast(consultation=consultation, answers={}, user=outsider)
    assert counted(consultation) == (0, 0)
    # The person may still vote properly afterwards.
    assert client.post(url, ballot_post(consultation)).status_code == 200
    assert counted(consultation) == (1, 1)


def test_ballots_outside_the_window_are_refused(municipality, voter):
    early = make_consultation(municipality=municipality, slug="pronto", opens_at=hours(2))
    late = make_consultation(
        municipality=municipality, slug="tarde", opens_at=hours(-10), closes_at=hours(-1)
    )
    draft = make_consultation(municipality=municipality, slug="borrador", status="draft")
    client = client_for(voter)
    for consultation in (early, late):
        url = reverse("consultations:vote", args=[consultation.slug])
        assert client.get(url).status_code == 403
        response = client.post(url, ballot_post(consultation))
        assert response.status_code == 403
        assert "no está abierta" in response.content.decode()
        code = services.codes_issue(consultation=consultation, count=1, by=None)[0].code
        table = reverse("consultations:vote_code", args=[consultation.slug])
        assert client.post(table, ballot_post(consultation, code=code)).status_code == 403
        assert counted(consultation) == (0, 0)
    # A draft is not even there for a voter.
    assert client.get(reverse("consultations:vote", args=[draft.slug])).status_code == 404
    with pytest.raises(services.OutsideWindow):
        services.ballot_cast(consultation=draft, answers={}, user=voter)


def test_a_voting_table_code_counts_once(consultation, as_visitor, facilitator):
    codes = services.codes_issue(consultation=consultation, count=3, by=facilitator)
    assert {c.issued_by for c in codes} == {facilitator}
    url = reverse("consultations:vote_code", args=[consultation.slug])
    assert as_visitor.get(url).status_code == 200

    code = codes[0].code
    # Lower case with a space, as typed at a table.
    typed = f"{code[:4].lower()} {code[4:]}"
    response = as_visitor.post(url, ballot_post(consultation, code=typed))
    assert response.status_code == 200 and response.context["receipt"]
    assert VoterRecord.objects.get(consultation=consultation).code == codes[0]

    reused = as_visitor.post(url, ballot_post(consultation, code=code))
    assert reused.status_code == 409
    assert "ya se usó" in reused.content.decode()
    for wrong in ("", "NOEXISTE", "' OR 1=1 --"):
        response = as_visitor.post(url, ballot_post(consultation, code=wrong))
        assert response.status_code == 403, wrong
        assert "no es válido" in response.content.decode()
    # A code of another consultation is not valid here.
    other = make_consultation(municipality=consultation.municipality, slug="otra")
    foreign = services.codes_issue(consultation=other, count=1, by=facilitator)[0].code
    assert as_visitor.post(url, ballot_post(consultation, code=foreign)).status_code == 403
    assert counted(consultation) == (1, 1)
    assert counted(other) == (0, 0)


def test_the_table_checks_whether_an_account_already_voted_online(
    consultation, voter, facilitator, as_facilitator, as_other_facilitator, participant
):
    """A code is anonymous, so the table's facilitator looks the person up by
    e-mail first: voted online or not, never what."""
    codes = reverse("consultations:codes", args=[consultation.slug])
    url = reverse("consultations:voter_check", args=[consultation.slug])
    assert url in as_facilitator.get(codes).content.decode()
    assert as_other_facilitator.post(url, {"email": voter.email}).status_code == 403

    not_yet = as_facilitator.post(url, {"email": voter.email}).content.decode()
    assert "no ha votado en línea" in not_yet
    services.ballot_cast(
        consultation=consultation,
        answers={questions(consultation)[0]: [options(consultation)["Caminos"]]},
        user=voter,
    )
    page = as_facilitator.post(url, {"email": voter.email.upper()}).content.decode()
    assert "YA VOTÓ" in page and "Caminos" not in page
    # Another consultation's vote does not count here; nor a stranger's e-mail.
    assert "no ha votado" in as_facilitator.post(url, {"email": participant.email}).content.decode()
    assert "ninguna cuenta" in as_facilitator.post(url, {"email": "x@ejemplo.mx"}).content.decode()
    for hostile in ("", "no-es-correo", "<script>@x.mx"):
        response = as_facilitator.post(url, {"email": hostile})
        assert response.status_code == 400 and "<script>@" not in response.content.decode()
