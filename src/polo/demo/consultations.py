"""Demo consultations: in each state, one consultation closed in 2025 with its
ballots counted and its result published; and one open now in Oaxaca de Juárez,
where the demo participant lives, so that she can vote.

The demo's ballots come from voting tables (one-time codes issued by the demo
facilitator): the demo makes no people. Idempotent: consultations are keyed on
their slug, and one that exists is left as it is.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import TextIO
from zoneinfo import ZoneInfo

from django.utils import timezone

from polo.accounts.models import User
from polo.consultations import services
from polo.consultations.models import (
    ALPHABET,
    Ballot,
    Consultation,
    VoterRecord,
    VotingCode,
)
from polo.demo import DemoError, Scale
from polo.territory.models import Municipality, Region

MEXICO = ZoneInfo("America/Mexico_City")

QUESTIONS = [
    (
        "¿Qué obra pública debe hacerse primero?",
        "single",
        ["Red de agua potable", "Pavimentación de caminos", "Aulas escolares", "Centro de salud"],
    ),
    (
        "¿Qué temas debe atender el cabildo este año? (hasta dos)",
        "multiple",
        ["Seguridad", "Salud", "Empleo", "Medio ambiente", "Cultura"],
    ),
    (
        "Ordene las propuestas del foro por preferencia",
        "ranking",
        ["Presupuesto participativo", "Consejo ciudadano de agua", "Transporte comunitario"],
    ),
]

OPEN_TITLE = "Consulta sobre el presupuesto participativo de Oaxaca de Juárez"


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    regions = list(Region.objects.select_related("state").order_by("state__code", "ordering"))
    if not regions:
        raise DemoError("No regions: load the territory first (polo load-territory).")
    facilitator = User.objects.filter(email="facilitador@polo.demo").first()
    existing = set(Consultation.objects.values_list("slug", flat=True))
    made = ballots = 0
    first_of_state: dict[str, Region] = {}
    for region in regions:
        first_of_state.setdefault(region.state.code, region)
    for _code, region in sorted(first_of_state.items()):
        slug = f"prioridades-{region.slug}-2025"
        if slug in existing:
            continue
        opens = datetime.datetime(2025, 9, 1, 9, tzinfo=MEXICO)
        consultation = _consultation(
            slug=slug,
            title=f"Prioridades de la región {region.name} 2025",
            region=region,
            municipality=None,
            opens=opens,
            closes=opens + datetime.timedelta(days=14),
            by=facilitator,
        )
        ballots += _ballots(consultation, rng, count=rng.randint(80, 160), by=facilitator)
        services.consultation_publish(consultation=consultation, by=facilitator)
        made += 1

    town = Municipality.objects.filter(code="20067").first() or (
        Municipality.objects.in_programme().order_by("code").first()
    )
    if town is not None and "presupuesto-oaxaca-de-juarez" not in existing:
        now = timezone.now()
        consultation = _consultation(
            slug="presupuesto-oaxaca-de-juarez",
            title=OPEN_TITLE,
            region=town.region,
            municipality=town,
            opens=now - datetime.timedelta(days=1),
            closes=now + datetime.timedelta(days=30),
            by=facilitator,
        )
        ballots += _ballots(consultation, rng, count=25, by=facilitator)
        made += 1
    stdout.write(f"  consultations: {made} consultations, {ballots} ballots\n")


def _consultation(*, slug, title, region, municipality, opens, closes, by) -> Consultation:
    consultation = services.consultation_create(
        by=by,
        title=title,
        slug=slug,
        description=(
            "Consulta ciudadana acordada entre organizaciones de la sociedad civil y "
            "autoridades locales en los foros del programa. El voto es secreto."
        ),
        region=region,
        municipality=municipality,
        eligibility=Consultation.Eligibility.RESIDENTS,
        opens_at=opens,
        closes_at=closes,
    )
    for text, kind, options in QUESTIONS:
        services.question_add(
            consultation=consultation,
            by=by,
            text=text,
            kind=kind,
            options=options,
            max_choices=2,
        )
    services.consultation_schedule(consultation=consultation, by=by)
    return consultation


def _ballots(consultation: Consultation, rng: random.Random, *, count: int, by) -> int:
    """``count`` ballots cast at a voting table (codes, voter records, ballots in bulk),
    plus a few codes issued and not used."""
    spec = services.ballot_spec(consultation)
    codes = VotingCode.objects.bulk_create(
        [
            VotingCode(
                consultation=consultation,
                code=f"D{n:03d}" + "".join(rng.choice(ALPHABET) for _ in range(4)),
                issued_by=by,
                issued_on=timezone.localdate(consultation.opens_at),
            )
            for n in range(count + 10)
        ]
    )
    services.log(consultation, "codes_issued", by=by, count=len(codes))
    weights = {pk: [0.05 + rng.random() ** 2 for _ in q.options] for pk, q in spec.items()}
    records, ballots = [], []
    for code in codes[:count]:
        records.append(
            VoterRecord(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                consultation=consultation,
                code=code,
                voted_on=code.issued_on,
            )
        )
        answers = {}
        for pk, question in spec.items():
            options = sorted(question.options)
            size = {"single": 1, "multiple": 2, "ranking": len(options)}[question.kind]
            if rng.random() < 0.05:
                answers[pk] = []  # blank
                continue
            chosen: list[int] = []
            pool = list(zip(options, weights[pk], strict=True))
            for _ in range(rng.randint(1, size)):
                pick = rng.choices(range(len(pool)), weights=[w for _o, w in pool])[0]
                chosen.append(pool.pop(pick)[0])
            answers[pk] = chosen
        ballots.append(
            Ballot(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                consultation=consultation,
                receipt="".join(rng.choice(ALPHABET) for _ in range(services.RECEIPT_LENGTH)),
                choices=services.ballot_validate(answers, spec),
            )
        )
    VoterRecord.objects.bulk_create(records)
    Ballot.objects.bulk_create(ballots)
    return len(ballots)
