"""The count: hidden until the close, then a tally of known ballots published
with turnout; the `tally` command recounts and notices a tampered ballot; the
public receipt check."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from polo.consultations import services
from polo.consultations.models import AuditLog, Ballot, Consultation
from tests import factories as f
from tests.consultations.conftest import make_consultation, options, questions

pytestmark = pytest.mark.django_db

# (single, multiple, ranking) by option text, one tuple a ballot.
BALLOTS = [
    ("Agua potable", ["Salud", "Seguridad"], ["Parque", "Mercado", "Biblioteca"]),
    ("Agua potable", ["Salud"], ["Parque", "Biblioteca"]),
    ("Caminos", ["Cultura", "Salud"], ["Mercado"]),
    ("Agua potable", [], ["Biblioteca", "Parque", "Mercado"]),
    (None, ["Seguridad"], []),
]


@pytest.fixture
def counted(municipality, facilitator):
    """A consultation with the five ballots above (three by account, two by
    code), then closed."""
    consultation = make_consultation(municipality=municipality, slug="conteo")
    o = options(consultation)
    single, multiple, ranking = questions(consultation)
    voters = [f.UserFactory(email=f"v{i}@ejemplo.mx", municipality=municipality) for i in range(3)]
    f.UserFactory(email="no-voto@ejemplo.mx", municipality=municipality)  # eligible, abstains
    codes = services.codes_issue(consultation=consultation, count=3, by=facilitator)
    receipts = []
    for i, (one, many, ranked) in enumerate(BALLOTS):
        answers = {
            single: [o[one]] if one else [],
            multiple: [o[t] for t in many],
            ranking: [o[t] for t in ranked],
        }
        who = {"user": voters[i]} if i < 3 else {"code": codes[i - 3].code}
        receipts.append(services.ballot_cast(consultation=consultation, answers=answers, **who))
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    return consultation, receipts


def by_text(result, question_index, field="count"):
    return {o["text"]: o[field] for o in result["questions"][question_index]["options"]}


def test_results_are_hidden_until_published_then_counted_with_turnout(
    counted, as_facilitator, as_visitor, facilitator
):
    consultation, receipts = counted
    detail = reverse("consultations:detail", args=[consultation.slug])
    page = as_visitor.get(detail).content.decode()
    assert "Resultado" not in page and "se publican después del cierre" in page
    assert consultation.result is None

    response = as_facilitator.post(reverse("consultations:publish", args=[consultation.slug]))
    assert response.status_code == 302
    consultation.refresh_from_db()
    result = consultation.result
    assert consultation.status == "published"
    assert (result["ballots"], result["voters"]) == (5, 5)
    # Eligible: 3 voters + 1 abstaining resident + 3 codes issued = 7 (the
    # staff personas live nowhere).
    assert result["eligible"] == 7
    assert result["turnout"] == round(5 / 7, 4)
    assert by_text(result, 0) == {"Agua potable": 3, "Caminos": 1, "Escuela": 0}
    assert result["questions"][0]["blank"] == 1
    assert by_text(result, 1) == {"Salud": 3, "Seguridad": 2, "Cultura": 1}
    assert result["questions"][1]["blank"] == 1
    # Borda over three options: 3, 2, 1 points by place.
    assert by_text(result, 2) == {
        "Parque": 3 + 3 + 2,
        "Mercado": 2 + 3 + 1,
        "Biblioteca": 1 + 2 + 3,
    }
    assert by_text(result, 2, "first") == {"Parque": 2, "Mercado": 1, "Biblioteca": 1}
    assert result["questions"][2]["blank"] == 1

    page = as_visitor.get(detail).content.decode()
    assert "Participación" in page and "71%" in page
    assert result["digest"] in page
    entry = AuditLog.objects.get(consultation=consultation, action="published")
    assert entry.actor == facilitator and entry.detail["ballots"] == 5

    # Publishing twice is refused.
    again = as_facilitator.post(reverse("consultations:publish", args=[consultation.slug]))
    assert again.status_code == 409

    # The recount agrees; after a ballot is tampered with, it does not.
    out = StringIO()
    call_command("consultations", "tally", consultation.slug, stdout=out)
    assert "matches" in out.getvalue() and "5 ballots" in out.getvalue()
    ballot = Ballot.objects.get(receipt=receipts[2])
    single = str(questions(consultation)[0])
    ballot.choices[single] = [options(consultation)["Escuela"]]
    ballot.save()
    with pytest.raises(CommandError, match="differs"):
        call_command("consultations", "tally", consultation.slug, stdout=StringIO())
    Ballot.objects.filter(receipt=receipts[4]).delete()
    with pytest.raises(CommandError, match="ballots: 5 ≠ 4"):
        call_command("consultations", "tally", consultation.slug, stdout=StringIO())
    recounts = AuditLog.objects.filter(consultation=consultation, action="recounted")
    assert [r.detail["matches"] for r in recounts] == [True, False, False]


def test_a_consultation_is_not_published_before_it_closes(consultation, as_coordinator):
    response = as_coordinator.post(reverse("consultations:publish", args=[consultation.slug]))
    assert response.status_code == 409
    consultation.refresh_from_db()
    assert consultation.result is None and consultation.status == "scheduled"
    with pytest.raises(CommandError, match="not published"):
        call_command("consultations", "tally", consultation.slug, stdout=StringIO())
    with pytest.raises(CommandError, match="No consultation"):
        call_command("consultations", "tally", "no-existe", stdout=StringIO())


def test_a_receipt_is_checked_publicly_once_published(counted, as_visitor, coordinator):
    consultation, receipts = counted
    url = reverse("consultations:receipt", args=[consultation.slug])
    # Before publication, a receipt tells nothing.
    page = as_visitor.get(url, {"recibo": receipts[0]})
    assert (
        page.status_code == 200 and "está entre las boletas contadas" not in page.content.decode()
    )

    services.consultation_publish(consultation=consultation, by=coordinator)
    page = as_visitor.get(url, {"recibo": receipts[0].lower()})
    text = page.content.decode()
    assert page.status_code == 200 and "está entre las boletas contadas" in text
    # By default the choices are not shown (coercion): only that it was counted.
    assert "Agua potable" not in text.split("Comprobar un comprobante")[-1]
    assert "no muestra lo que se votó" in text

    assert as_visitor.get(url, {"recibo": "AAAAAAAAAA"}).status_code == 404
    hostile = as_visitor.get(url, {"recibo": "<script>alert(1)</script>"})
    assert hostile.status_code == 404 and "<script>alert" not in hostile.content.decode()

    Consultation.objects.filter(pk=consultation.pk).update(receipt_shows_choices=True)
    text = as_visitor.get(url, {"recibo": receipts[0]}).content.decode()
    assert "Agua potable · " not in text  # one choice for the single question
    assert "Agua potable" in text and "Salud · Seguridad" in text
    assert "Parque · Mercado · Biblioteca" in text
    blank = as_visitor.get(url, {"recibo": receipts[4]}).content.decode()
    assert "En blanco" in blank


def test_the_list_and_a_published_page_do_a_fixed_number_of_queries(
    counted, municipality, coordinator, as_visitor, django_assert_max_num_queries
):
    consultation, _receipts = counted
    services.consultation_publish(consultation=consultation, by=coordinator)
    for n in range(25):
        make_consultation(municipality=municipality, slug=f"c-{n}")
    with django_assert_max_num_queries(4):
        page = as_visitor.get(reverse("consultations:index"))
    assert page.status_code == 200 and page.content.decode().count('class="card"') == 20
    with django_assert_max_num_queries(6):
        page = as_visitor.get(consultation.get_absolute_url())
    assert "Participación" in page.content.decode()


def test_two_publishes_of_the_same_closed_consultation_count_once(counted, coordinator):
    """Two requests that each loaded the closed consultation before either
    published: the second, checking the locked row, is refused."""
    consultation, _receipts = counted
    first, second = (Consultation.objects.get(pk=consultation.pk) for _ in range(2))
    services.consultation_publish(consultation=first, by=coordinator)
    published_at = Consultation.objects.get(pk=consultation.pk).published_at
    with pytest.raises(ValueError):
        services.consultation_publish(consultation=second, by=coordinator)
    assert Consultation.objects.get(pk=consultation.pk).published_at == published_at
    publishes = AuditLog.objects.filter(consultation=consultation, action="published")
    assert publishes.count() == 1
