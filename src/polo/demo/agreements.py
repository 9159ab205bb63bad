"""Demo agreements: two per region, between the region's CSOs and one of its
municipal governments (a collaboration agreement on citizen consultation and a
territorial pact), each with six commitments in every status, overdue ones
included, and updates with their evidence (confirmed, awaiting confirmation,
disputed).

Idempotent (keyed on the agreement's slug: an agreement that exists is left as it
is) and deterministic (dates are fixed, so which commitments are overdue depends
only on the day the pages are read).
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO
from zoneinfo import ZoneInfo

from polo.accounts.models import User
from polo.agreements.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Party,
    Signatory,
)
from polo.demo import DemoError, Scale
from polo.demo import names as n
from polo.directory.models import Membership, Organization, Theme
from polo.territory.models import Region

D = datetime.date

# (text, indicator, responsible: "authority" or "cso", due date, status, closed on)
COMMITMENTS = [
    (
        "Aprobar en cabildo el reglamento municipal de consulta ciudadana",
        "Acta de cabildo y publicación en la gaceta municipal",
        "authority",
        D(2025, 9, 30),
        "fulfilled",
        D(2025, 9, 12),
    ),
    (
        "Capacitar a cuarenta personas promotoras comunitarias de la consulta",
        "Listas de asistencia y constancias de los talleres",
        "cso",
        D(2025, 11, 30),
        "fulfilled",
        D(2026, 1, 20),
    ),
    (
        "Instalar el consejo municipal de participación ciudadana",
        "Acta de instalación con la lista de consejeras y consejeros",
        "authority",
        D(2026, 2, 28),
        "partly_fulfilled",
        D(2026, 3, 5),
    ),
    (
        "Publicar el presupuesto participativo en lenguas indígenas",
        "Versiones publicadas en el portal y en las agencias municipales",
        "authority",
        D(2026, 4, 30),
        "not_fulfilled",
        D(2026, 5, 2),
    ),
    (
        "Realizar la primera consulta ciudadana sobre obra pública",
        "Resultados de la consulta publicados",
        "authority",
        D(2026, 8, 31),
        "in_progress",
        None,
    ),
    (
        "Entregar al cabildo el informe de seguimiento de la sociedad civil",
        "Informe entregado con acuse de recibo",
        "cso",
        D(2026, 10, 15),
        "pending",
        None,
    ),
    (
        "Evaluar con las comunidades el primer año del convenio",
        "Memoria del foro de evaluación",
        "cso",
        D(2027, 6, 30),
        "pending",
        None,
    ),
]
KINDS = [
    (
        Agreement.Kind.CSO_AUTHORITY,
        "Convenio de colaboración para la consulta ciudadana en {place}",
    ),
    (Agreement.Kind.TERRITORIAL_PACT, "Pacto territorial por la participación en {place}"),
]
MEXICO = ZoneInfo("America/Mexico_City")
NOTES = {
    "fulfilled": "Se cumplió lo acordado; se adjunta la evidencia.",
    "partly_fulfilled": "Se avanzó en parte: falta completar lo acordado.",
    "not_fulfilled": "No fue posible cumplir en el plazo por falta de presupuesto.",
    "in_progress": "Se iniciaron los trabajos; se informa el avance a la fecha.",
}


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    regions = list(Region.objects.order_by("ordering", "name"))
    if not regions:
        raise DemoError("No regions: load the territory first (polo load-territory).")
    facilitator = User.objects.filter(email="facilitador@polo.demo").first()
    editor = User.objects.filter(email="editora@polo.demo").first()
    editor_org = (
        Membership.objects.filter(user=editor, is_editor=True)
        .values_list("organization", flat=True)
        .first()
    )
    themes = list(Theme.objects.filter(slug__in=["participacion-ciudadana"]))
    existing = set(Agreement.objects.values_list("slug", flat=True))
    created = 0
    for region in regions:
        published = Organization.objects.published().filter(municipality__region=region)
        authorities = list(
            published.filter(kind=Organization.Kind.LOCAL_AUTHORITY).order_by("name", "pk")[:2]
        )
        csos = list(published.filter(kind=Organization.Kind.CSO).order_by("name", "pk")[:40])
        if editor_org and published.filter(pk=editor_org).exists():
            csos.insert(0, Organization.objects.get(pk=editor_org))
        if not authorities or len(csos) < 2:
            continue
        details = random.Random(rng.random())  # drawn per region even when skipped
        chosen = [csos[0], *details.sample(csos[1:], k=min(2, len(csos) - 1))]
        for index, (kind, title) in enumerate(KINDS):
            authority = authorities[index % len(authorities)]
            place = authority.municipality
            slug = f"demo-{region.slug}-{index + 1}"
            if slug in existing:
                continue
            signed = D(2025, 3 + 3 * index, 10 + details.randrange(15))
            agreement = Agreement.objects.create(
                title=title.format(place=place.name),
                slug=slug,
                kind=kind,
                description=(
                    "Las partes acuerdan institucionalizar la consulta ciudadana en la "
                    "política territorial del municipio y dar seguimiento público a sus "
                    "compromisos."
                ),
                status=Agreement.Status.SIGNED,
                signed_on=signed,
                region=region,
                source_note=f"Foro regional de agenda común de {region.name}, 2025",
                created_by=facilitator,
            )
            agreement.municipalities.add(place)
            agreement.themes.set(themes)
            local = Party.objects.create(agreement=agreement, organization=authority)
            cso = Party.objects.create(agreement=agreement, organization=chosen[index % 2])
            if index == 1:
                Party.objects.create(
                    agreement=agreement, organization=chosen[-1], role=Party.Role.WITNESS
                )
            Signatory.objects.create(
                party=local, name=n.person_name(details), post="Presidencia municipal"
            )
            Signatory.objects.create(
                party=cso, name=n.person_name(details), post="Representación legal"
            )
            _commitments(agreement, local=local, cso=cso, by=facilitator, rng=details)
            created += 1
    linked = _from_meetings(by=facilitator)
    stdout.write(
        f"  agreements: {created} agreements, {linked} commitments from meetings' agreements\n"
    )


def _from_meetings(*, by) -> int:
    """In each demo agreement, one agreement reached at a meeting that one of its
    parties organised becomes a commitment (the link both pages show). Again: none."""
    from polo.agreements import services
    from polo.meetings.models import MeetingAgreement

    linked = 0
    agreements = Agreement.objects.filter(
        slug__startswith="demo-", status=Agreement.Status.SIGNED
    ).order_by("slug")
    for agreement in agreements:
        if agreement.commitments.filter(meeting_agreement__isnull=False).exists():
            continue
        organizations = agreement.parties.filter(role=Party.Role.PARTY).values("organization")
        reached = (
            MeetingAgreement.objects.filter(
                commitment__isnull=True, meeting__organizers__in=organizations
            )
            .select_related("meeting")
            .order_by("meeting__start", "pk")
            .first()
        )
        if reached is None:
            continue
        responsible = agreement.parties.filter(
            role=Party.Role.PARTY, organization__in=reached.meeting.organizers.values("pk")
        ).first()
        services.commitment_from_meeting(
            meeting_agreement=reached,
            responsible=responsible,
            text=reached.text,
            due_on=reached.due_date or reached.meeting.start.date() + datetime.timedelta(days=90),
            indicator="Acta o constancia que muestre lo acordado en el encuentro",
            by=by,
        )
        linked += 1
    return linked


def _commitments(agreement, *, local, cso, by, rng) -> None:
    for position, (text, indicator, who, due, status, closed_on) in enumerate(COMMITMENTS):
        responsible, other = (local, cso) if who == "authority" else (cso, local)
        commitment = Commitment.objects.create(
            agreement=agreement,
            position=position + 1,
            text=text,
            responsible=responsible,
            due_on=due,
            indicator=indicator,
            status=status,
            closed_on=closed_on,
        )
        if status == "pending":
            continue
        reported = closed_on or due - datetime.timedelta(days=60)
        at = datetime.datetime.combine(reported, datetime.time(12), tzinfo=MEXICO)
        CommitmentUpdate.objects.create(
            commitment=commitment,
            party=responsible,
            status=status,
            note=NOTES[status],
            link=f"https://transparencia.ejemplo.mx/convenios/{agreement.slug}/{position + 1}",
            entered_by=by,
            on_behalf=True,
            created_at=at,
            review=CommitmentUpdate.Review.CONFIRMED,
            reviewed_party=other,
            reviewed_at=at + datetime.timedelta(days=rng.randint(2, 12)),
        )
    # The newest open commitment has a claim awaiting confirmation, and a disputed one.
    open_one = agreement.commitments.get(position=5)
    for review, reason, day in [
        (
            CommitmentUpdate.Review.DISPUTED,
            "La consulta aún no se convoca en todas las agencias.",
            D(2026, 9, 1),
        ),
        (CommitmentUpdate.Review.PENDING, "", D(2026, 10, 1)),
    ]:
        CommitmentUpdate.objects.create(
            commitment=open_one,
            party=open_one.responsible,
            status="fulfilled",
            note="La consulta se realizó y sus resultados están publicados.",
            entered_by=by,
            on_behalf=True,
            created_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=MEXICO),
            review=review,
            dispute_reason=reason,
            reviewed_party=cso if review == CommitmentUpdate.Review.DISPUTED else None,
            reviewed_at=(
                datetime.datetime.combine(day, datetime.time(18), tzinfo=MEXICO)
                if review == CommitmentUpdate.Review.DISPUTED
                else None
            ),
        )
