"""Demo meetings: about sixty forums, focus groups, workshops and network meetings
over the six regions, from 2025 to 2027. Past ones have attendance, minutes,
agreements and evaluations; future ones are open for registration.

Idempotent: meetings are keyed on their title (each title names its place and
date), and a meeting that exists is left as it is.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO
from zoneinfo import ZoneInfo

from django.utils import timezone

from polo.accounts.models import PrivacyNotice, User
from polo.demo import DemoError, Scale
from polo.demo import names as n
from polo.directory.models import Organization, Theme
from polo.meetings.models import (
    AgeBand,
    AgendaItem,
    Evaluation,
    Meeting,
    MeetingAgreement,
    Person,
    Registration,
    Sector,
    Sex,
    normalise_name,
)
from polo.territory.models import Municipality, Region

MEXICO = ZoneInfo("America/Mexico_City")
PER_REGION = 10

TITLES = {
    Meeting.Kind.FOCUS_GROUP: [
        "Grupo focal con mujeres sobre el acceso al agua en {place}",
        "Grupo focal con jóvenes sobre participación comunitaria en {place}",
        "Grupo focal con autoridades agrarias de {place}",
    ],
    Meeting.Kind.FORUM: [
        "Foro regional de participación ciudadana en {place}",
        "Foro de organizaciones y autoridades locales de {region}",
    ],
    Meeting.Kind.WORKSHOP: [
        "Taller de incidencia en políticas públicas municipales en {place}",
        "Taller de planeación participativa en {place}",
    ],
    Meeting.Kind.NETWORK_MEETING: ["Encuentro de redes de la sociedad civil en {place}"],
    Meeting.Kind.EXCHANGE_FORUM: [
        "Foro de intercambio con personas servidoras públicas en {place}"
    ],
    Meeting.Kind.OPEN_MEETING: ["Reunión abierta de buenas prácticas comunitarias en {place}"],
    Meeting.Kind.TRAINING: [
        "Sesión de formación en transparencia y rendición de cuentas en {place}"
    ],
}
AGENDA = [
    "Bienvenida y presentación de las personas participantes",
    "Lectura del orden del día y de los acuerdos anteriores",
    "Diagnóstico compartido: problemas y propuestas",
    "Trabajo en mesas",
    "Plenaria y acuerdos",
    "Evaluación y cierre",
]
AGREEMENTS = [
    ("Presentar las propuestas de las mesas al cabildo municipal", "Comité de seguimiento"),
    ("Organizar una segunda reunión con las comunidades vecinas", "Organizaciones convocantes"),
    ("Compartir la relatoría con todas las personas participantes", "Equipo facilitador"),
    ("Solicitar información pública sobre el presupuesto de obra", "Colectivo de jóvenes"),
]
MINUTES = (
    "Participaron personas de {n} comunidades. Se presentaron los resultados del "
    "diagnóstico y se trabajó en mesas por tema. Las principales preocupaciones "
    "fueron el acceso al agua, la seguridad en los caminos y la participación de las "
    "mujeres en las asambleas. Se acordó dar seguimiento en la próxima reunión."
)
LANGUAGES = ["Zapoteco", "Mixteco", "Mixe", "Chatino", "Náhuatl", "Tlapaneco (Me'phaa)", "Amuzgo"]


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    notice = PrivacyNotice.current()
    if notice is None:
        raise DemoError("There is no current privacy notice: run the accounts step first.")
    regions = list(Region.objects.order_by("ordering", "name"))
    if not regions:
        raise DemoError("No regions: load the territory first (polo load-territory).")
    themes = list(Theme.objects.order_by("slug"))
    facilitator = User.objects.filter(email="facilitador@polo.demo").first()
    existing = set(Meeting.objects.values_list("title", flat=True))
    start_day = datetime.date(2025, 2, 1)
    span = (datetime.date(2027, 11, 30) - start_day).days
    created = people = 0
    now = timezone.now()
    for region in regions:
        municipalities = list(
            Municipality.objects.filter(region=region)
            .exclude(population=0)
            .order_by("-population")[:8]
        ) or list(Municipality.objects.filter(region=region).order_by("code")[:8])
        if not municipalities:
            continue
        organizations = list(
            Organization.objects.published().filter(municipality__region=region).order_by("pk")[:30]
        )
        for index in range(PER_REGION):
            kind = rng.choice(list(TITLES))
            place = rng.choice(municipalities)
            day = start_day + datetime.timedelta(
                days=round(span * (index + rng.random()) / PER_REGION)
            )
            hour = rng.choice([9, 10, 11, 16])
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=MEXICO)
            title = rng.choice(TITLES[kind]).format(place=place.name, region=region.name)
            title = f"{title} ({day:%d/%m/%Y})"
            details = random.Random(rng.random())  # drawn even when skipped: same sequence
            if title in existing:
                continue
            existing.add(title)
            meeting = Meeting.objects.create(
                kind=kind,
                title=title,
                description=(
                    f"Encuentro del programa en la región {region.name}, convocado por "
                    "organizaciones de la sociedad civil de la región."
                ),
                start=start,
                end=start + datetime.timedelta(hours=details.choice([3, 4, 5])),
                municipality=place,
                address=details.choice(
                    [
                        "Casa de la cultura",
                        "Auditorio municipal",
                        "Salón ejidal",
                        "Escuela primaria",
                    ]
                ),
                capacity=details.choice([None, 25, 40, 60]),
                registration=details.choice(
                    [Meeting.Registration.OPEN] * 3 + [Meeting.Registration.INVITATION]
                ),
                status=Meeting.Status.PUBLISHED,
                created_by=facilitator,
            )
            if organizations:
                meeting.organizers.set(
                    details.sample(organizations, k=min(len(organizations), details.randint(1, 2)))
                )
            if themes:
                meeting.themes.set(details.sample(themes, k=min(len(themes), 2)))
            AgendaItem.objects.bulk_create(
                [
                    AgendaItem(
                        meeting=meeting,
                        position=i,
                        time=datetime.time(hour + i // 2, 30 * (i % 2)),
                        text=text,
                    )
                    for i, text in enumerate(AGENDA)
                ]
            )
            created += 1
            if start < now:
                people += _past_meeting(
                    meeting,
                    rng=details,
                    municipalities=municipalities,
                    organizations=organizations,
                    notice=notice,
                    by=facilitator,
                )
            else:
                people += _future_meeting(
                    meeting,
                    rng=details,
                    municipalities=municipalities,
                    organizations=organizations,
                    notice=notice,
                    by=facilitator,
                )
    stdout.write(f"  meetings: {created} meetings, {people} registrations\n")


def _new_people(count: int, *, rng, municipalities, organizations) -> list[Person]:
    people = []
    for _ in range(count):
        name = n.person_name(rng)
        indigenous = rng.random() < 0.45
        organization = rng.choice(organizations) if organizations and rng.random() < 0.4 else None
        people.append(
            Person(
                full_name=name,
                name_key=normalise_name(name),
                sex=rng.choices(
                    [Sex.WOMAN, Sex.MAN, Sex.OTHER, Sex.UNSAID], weights=[55, 42, 1, 2]
                )[0],
                age_band=rng.choice(AgeBand.values),
                birth_year=rng.randint(1950, 2007),
                sector=rng.choices(Sector.values, weights=[25, 15, 12, 8, 10, 25, 5])[0],
                organization=organization,
                organization_name=""
                if organization
                else rng.choice(["", "", "Comité de agua potable", "Colectivo juvenil"]),
                municipality=rng.choice(municipalities),
                indigenous=indigenous if rng.random() < 0.9 else None,
                language=rng.choice(LANGUAGES) if indigenous else "",
            )
        )
    return Person.objects.bulk_create(people)


def _registrations(meeting, people, *, rng, notice, by, attended: bool) -> list[Registration]:
    rows = []
    for i, person in enumerate(people):
        full = meeting.capacity is not None and i >= meeting.capacity
        rows.append(
            Registration(
                meeting=meeting,
                person=person,
                status=Registration.Status.WAITING
                if full and not attended
                else Registration.Status.CONFIRMED,
                privacy_notice=notice,
                registered_by=by,
                needs_interpretation=bool(person.language) and rng.random() < 0.2,
                interpretation_language=person.language if rng.random() < 0.2 else "",
                walk_in=attended and rng.random() < 0.1,
                attended_at=meeting.start + datetime.timedelta(minutes=rng.randint(0, 40))
                if attended and rng.random() < 0.85
                else None,
                checked_in_by=by if attended else None,
                created_at=meeting.start - datetime.timedelta(days=rng.randint(1, 20)),
            )
        )
    return Registration.objects.bulk_create(rows)


def _past_meeting(meeting, *, rng, municipalities, organizations, notice, by) -> int:
    count = rng.randint(12, 45)
    # Some people come again: a third are taken from earlier meetings of the region.
    returning = list(
        Person.objects.filter(
            registrations__meeting__municipality__region=meeting.municipality.region_id
        )
        .distinct()
        .order_by("pk")[:200]
    )
    again = rng.sample(returning, k=min(len(returning), count // 3))
    people = again + _new_people(
        count - len(again), rng=rng, municipalities=municipalities, organizations=organizations
    )
    registrations = _registrations(meeting, people, rng=rng, notice=notice, by=by, attended=True)
    meeting.minutes = MINUTES.format(n=rng.randint(3, 12))
    meeting.save(update_fields=["minutes"])
    for position, (text, responsible) in enumerate(rng.sample(AGREEMENTS, k=2), start=1):
        MeetingAgreement.objects.create(
            meeting=meeting,
            position=position,
            text=text,
            responsible=responsible,
            due_date=meeting.start.date() + datetime.timedelta(days=rng.choice([30, 60, 90])),
        )
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                registration=r,
                usefulness=rng.choices([3, 4, 5], weights=[1, 3, 4])[0],
                organisation=rng.choices([2, 3, 4, 5], weights=[1, 2, 4, 3])[0],
                comments=rng.choice(
                    ["", "", "Muy útil para nuestra comunidad.", "Faltó tiempo para las mesas."]
                ),
            )
            for r in registrations
            if r.attended_at is not None and rng.random() < 0.5
        ]
    )
    return len(registrations)


def _future_meeting(meeting, *, rng, municipalities, organizations, notice, by) -> int:
    people = _new_people(
        rng.randint(0, 15), rng=rng, municipalities=municipalities, organizations=organizations
    )
    return len(_registrations(meeting, people, rng=rng, notice=notice, by=by, attended=False))
