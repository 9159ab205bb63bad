"""The public accountability pages: figures on known data with frozen time (the
overdue status is derived from the date), escaping, and a fixed number of
queries whatever the number of agreements."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polo.agreements.models import Agreement, Commitment, CommitmentUpdate, Party
from tests import factories as f
from tests.agreements.conftest import party

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def known(agreement, organization, authority, cso_commitment, authority_commitment):
    """Six commitments: two open (one due 31 May, one 30 June), fulfilled on
    time, fulfilled late, partly fulfilled, not fulfilled."""
    local = party(agreement, authority)
    closed = [
        ("fulfilled", D(2026, 5, 1), D(2026, 4, 1)),
        ("fulfilled", D(2026, 6, 1), D(2026, 6, 10)),
        ("partly_fulfilled", D(2026, 3, 1), D(2026, 3, 1)),
        ("not_fulfilled", D(2026, 2, 1), D(2026, 2, 15)),
    ]
    for n, (status, due, closed_on) in enumerate(closed):
        Commitment.objects.create(
            agreement=agreement,
            position=10 + n,
            text=f"Compromiso cerrado {n}",
            responsible=local,
            due_on=due,
            indicator="Acta",
            status=status,
            closed_on=closed_on,
        )
    return agreement


def figures_of(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))


def test_the_region_page_counts_fulfilled_on_time_and_overdue_on_a_known_day(
    as_visitor, known, region, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    url = reverse("agreements:region", args=[region.slug])
    html = as_visitor.get(url).content.decode()
    numbers = figures_of(html)
    assert numbers["Compromisos"] == "6"
    assert numbers["Cumplidos"].strip() == "2 (33 %)"
    assert numbers["Cumplidos a tiempo"].strip() == "1 (17 %)"
    assert numbers["Cumplidos en parte"] == "1"
    assert numbers["No cumplidos"] == "1"
    assert numbers["Abiertos"] == "2"
    assert numbers["Vencidos"] == "1"
    overdue = html.split('id="vencidos"')[1].split('id="convenios"')[0]
    assert "Capacitar a cuarenta personas" in overdue
    assert "Publicar el reglamento" not in overdue

    # A fortnight later the authority's commitment has passed its date too.
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC))
    html = as_visitor.get(url).content.decode()
    assert figures_of(html)["Vencidos"] == "2"
    commitment = Commitment.objects.get(text__startswith="Publicar")
    assert commitment.is_overdue() and commitment.is_overdue(D(2026, 6, 30)) is False
    assert not Commitment.objects.get(text="Compromiso cerrado 1").is_overdue()
    assert Commitment.objects.overdue().count() == 2
    assert Commitment.objects.overdue(D(2026, 1, 1)).count() == 0


def test_the_authority_page_counts_its_own_commitments_only(
    as_visitor, known, authority, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))
    html = as_visitor.get(reverse("agreements:authority", args=[authority.pk])).content.decode()
    numbers = figures_of(html)
    assert numbers["Compromisos"] == "5"
    assert numbers["Vencidos"] == "0"
    assert "Capacitar a cuarenta personas" not in html  # the CSO's commitment
    assert "Publicar el reglamento" in html
    # An organisation that is not a local authority has no such page.
    cso = known.parties.exclude(organization=authority).get().organization
    assert as_visitor.get(reverse("agreements:authority", args=[cso.pk])).status_code == 404


def test_the_agreement_page_shows_parties_signatories_and_the_trail(
    as_visitor, agreement, authority, authority_commitment
):
    CommitmentUpdate.objects.create(
        commitment=authority_commitment,
        party=party(agreement, authority),
        status="in_progress",
        note="Proyecto turnado a la comisión de <b>gobernación</b>.",
        link="https://ejemplo.mx/acta",
    )
    html = as_visitor.get(agreement.get_absolute_url()).content.decode()
    assert "Carmen López, Regidora de participación" in html
    assert "Foro regional de Valles Centrales, 2025" in html
    assert "Proyecto turnado a la comisión de &lt;b&gt;gobernación&lt;/b&gt;." in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "Por confirmar" in html
    assert "<caption>" in html


def _more_agreements(region, count: int) -> None:
    authority = f.OrganizationFactory(kind="local_authority")
    cso = f.OrganizationFactory()
    for n in range(count):
        agreement = Agreement.objects.create(
            title=f"Convenio adicional {n}",
            slug=f"adicional-{n}",
            kind="cso_authority",
            status="signed",
            signed_on=D(2026, 1, 1),
            region=region,
        )
        parties = [
            Party.objects.create(agreement=agreement, organization=authority),
            Party.objects.create(agreement=agreement, organization=cso),
        ]
        for k in range(3):
            commitment = Commitment.objects.create(
                agreement=agreement,
                text=f"Compromiso {n}.{k}",
                responsible=parties[k % 2],
                due_on=D(2026, 1 + k, 1),
                indicator="Acta",
            )
            CommitmentUpdate.objects.create(
                commitment=commitment, party=parties[k % 2], status="in_progress", note="Avance"
            )


def test_the_pages_do_a_fixed_number_of_queries(
    as_visitor, known, region, authority, authority_commitment
):
    urls = [
        reverse("agreements:index"),
        reverse("agreements:region", args=[region.slug]),
        reverse("agreements:authority", args=[authority.pk]),
        known.get_absolute_url(),
        authority_commitment.get_absolute_url(),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert as_visitor.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    _more_agreements(region, 6)
    assert counts() == before
    assert max(before) <= 10, before


def test_who_manages_the_agreement_finds_the_commitment_edit_links(
    as_facilitator, as_editor, as_visitor, known, authority, authority_commitment
):
    edit = reverse("agreements:commitment_edit", args=[authority_commitment.pk])
    commitments = known.commitments.count()

    def agreement_page(client):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(known.get_absolute_url()).content.decode()
        return html, len(queries)

    html, before = agreement_page(as_facilitator)
    assert f'href="{edit}"' in html
    assert len(re.findall(r"compromisos/\d+/editar/", html)) == commitments
    assert (
        f'href="{edit}"'
        in as_facilitator.get(authority_commitment.get_absolute_url()).content.decode()
    )
    for client in (as_visitor, as_editor):
        assert f'href="{edit}"' not in client.get(known.get_absolute_url()).content.decode()
        page = client.get(authority_commitment.get_absolute_url()).content.decode()
        assert f'href="{edit}"' not in page

    # No query per row for the links.
    for n in range(3):
        Commitment.objects.create(
            agreement=known,
            text=f"Compromiso más {n}",
            responsible=party(known, authority),
            due_on=D(2026, 9, 1),
            indicator="Acta",
        )
    html, after = agreement_page(as_facilitator)
    assert len(re.findall(r"compromisos/\d+/editar/", html)) == commitments + 3
    assert after == before
