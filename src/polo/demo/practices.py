"""Demo good practices: five published in each of the six regions and a few in
review, recorded by the region's organisations, with themes, evidence (notes and
links) and the meetings of the region where they were presented.

Idempotent: practices are keyed on their slug (from a title that names the
place), and one that exists is left as it is. Bulk writes throughout.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from polo.accounts.models import User
from polo.demo import DemoError, Scale
from polo.directory import text
from polo.directory.models import Organization, Theme
from polo.meetings.models import Meeting
from polo.practices.models import Evidence, GoodPractice
from polo.territory.models import Municipality, Region

PUBLISHED_PER_REGION = 5
PENDING_REGIONS = 4  # one practice in review in each of the first four regions

PRACTICES = [
    (
        "Comités comunitarios de vigilancia del agua en {place}",
        "Las familias de {place} recibían agua turbia dos días por semana y nadie "
        "daba cuenta del estado de la red.",
        "Se formaron comités con mujeres de cada barrio, se capacitaron en el uso de "
        "medidores de cloro y se acordó con el ayuntamiento un calendario de revisiones.",
        "El suministro pasó de dos a cinco días por semana y el cabildo aprobó un "
        "reglamento de participación en la gestión del agua.",
        "La guía para formar comités y el formato de bitácora de revisiones.",
    ),
    (
        "Presupuesto participativo con jóvenes en {place}",
        "Las personas jóvenes de {place} no participaban en las decisiones del "
        "ayuntamiento sobre obra pública.",
        "Asambleas juveniles por colonia priorizaron proyectos y los presentaron en "
        "sesión abierta de cabildo, con acompañamiento de la organización.",
        "Tres proyectos propuestos por jóvenes se incluyeron en el presupuesto anual "
        "y 240 jóvenes votaron en la consulta.",
        "La metodología de asambleas y la boleta de la consulta.",
    ),
    (
        "Defensoría comunitaria de los derechos de las mujeres en {place}",
        "Las mujeres de las comunidades de {place} no tenían a quién acudir ante la "
        "violencia y las instancias estaban a horas de camino.",
        "Se formaron promotoras comunitarias en derechos y rutas de atención, en "
        "español y en lengua indígena, enlazadas con la instancia municipal de la mujer.",
        "Las promotoras acompañaron 85 casos en un año; la instancia municipal abrió "
        "un módulo itinerante en las comunidades.",
        "El programa de formación de promotoras y el directorio de rutas de atención.",
    ),
    (
        "Huertos escolares y alimentación en {place}",
        "Niñas y niños de las escuelas de {place} llegaban a clase sin desayunar.",
        "Madres, padres y docentes instalaron huertos en cuatro escuelas y un comedor "
        "comunitario abastecido con lo cosechado.",
        "Cuatro escuelas con comedor; la asistencia escolar subió y el municipio "
        "asumió el pago de la cocinera.",
        "El calendario de siembra y el acuerdo tipo con la escuela y el municipio.",
    ),
    (
        "Mesa de transparencia con el ayuntamiento de {place}",
        "Las solicitudes de información pública de las organizaciones de {place} no "
        "recibían respuesta.",
        "Una mesa mensual entre organizaciones y el ayuntamiento revisó las "
        "solicitudes pendientes y publicó un tablero de obras en la presidencia.",
        "El 90 % de las solicitudes se respondió en plazo; el tablero de obras se "
        "actualiza cada mes.",
        "El reglamento de la mesa y la plantilla del tablero de obras.",
    ),
    (
        "Radio comunitaria para la prevención en {place}",
        "Los caminos de {place} eran inseguros y la información sobre riesgos no "
        "llegaba a las comunidades.",
        "Una red de radios comunitarias difundió avisos, en español y en lengua "
        "indígena, coordinados con protección civil.",
        "Cuarenta comunidades reciben avisos diarios; se redujeron los incidentes en "
        "temporada de lluvias.",
        "Los guiones de cápsulas y el protocolo con protección civil.",
    ),
]


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    regions = list(Region.objects.order_by("ordering", "name"))
    if not regions:
        raise DemoError("No regions: load the territory first (polo load-territory).")
    themes = list(Theme.objects.order_by("slug"))
    editor = User.objects.filter(email="editora@polo.demo").first()
    reviewer = User.objects.filter(email="facilitador@polo.demo").first()
    existing = set(GoodPractice.objects.values_list("slug", flat=True))
    now = timezone.now()
    new: list[GoodPractice] = []
    plans: dict[str, tuple[list, list]] = {}  # slug: (themes, meetings)
    for r_index, region in enumerate(regions):
        organizations = list(
            Organization.objects.published().filter(municipality__region=region).order_by("pk")[:40]
        )
        places = list(
            Municipality.objects.filter(region=region).order_by("-population", "code")[:6]
        )
        if not organizations or not places:
            continue
        meetings = list(
            Meeting.objects.public()
            .filter(municipality__region=region, start__lt=now)
            .order_by("start")
        )
        count = PUBLISHED_PER_REGION + (1 if r_index < PENDING_REGIONS else 0)
        for index in range(count):
            details = random.Random(rng.random())  # drawn even when skipped: same sequence
            title, problem, actions, results, reusable = PRACTICES[
                (index + r_index) % len(PRACTICES)
            ]
            place = places[index % len(places)]
            title = title.format(place=place.name)
            slug = slugify(title)[:200]
            if slug in existing:
                continue
            existing.add(slug)
            pending = index >= PUBLISHED_PER_REGION
            start = details.randint(2018, 2024)
            published_at = now - datetime.timedelta(days=details.randint(5, 500))
            practice = GoodPractice(
                organization=details.choice(organizations),
                title=title,
                slug=slug,
                problem=problem.format(place=place.name),
                actions=actions,
                results=results,
                reusable=reusable,
                municipality=place,
                start_year=start,
                end_year=None if details.random() < 0.4 else start + details.randint(0, 3),
                contact_name="Coordinación de proyectos",
                contact_name_public=True,
                contact_email=f"practicas.{slug[:30]}@polo.demo",
                contact_email_public=details.random() < 0.5,
                status=GoodPractice.Status.PENDING if pending else GoodPractice.Status.PUBLISHED,
                reviewed_by=None if pending else reviewer,
                reviewed_at=None if pending else published_at,
                published_at=None if pending else published_at,
                created_by=editor,
                created_at=published_at - datetime.timedelta(days=details.randint(3, 30)),
            )
            practice.search_text = text.search_document(
                practice.title, practice.problem, practice.actions, practice.results
            )
            new.append(practice)
            plans[slug] = (
                details.sample(themes, k=min(len(themes), 2)),
                details.sample(meetings, k=min(len(meetings), details.randint(0, 2))),
            )
    if new:
        bulk_create_with_history(new, GoodPractice, default_user=editor)
        saved = {p.slug: p.pk for p in GoodPractice.objects.filter(slug__in=plans)}
        Themes = GoodPractice.themes.through
        Meetings = GoodPractice.meetings.through
        Themes.objects.bulk_create(
            Themes(goodpractice_id=saved[slug], theme_id=theme.pk)
            for slug, (chosen, _m) in plans.items()
            for theme in chosen
        )
        Meetings.objects.bulk_create(
            Meetings(goodpractice_id=saved[slug], meeting_id=meeting.pk)
            for slug, (_t, chosen) in plans.items()
            for meeting in chosen
        )
        Evidence.objects.bulk_create(
            evidence
            for slug, pk in saved.items()
            for evidence in (
                Evidence(
                    practice_id=pk,
                    kind=Evidence.Kind.NOTE,
                    title="Testimonio",
                    note="«Ahora sabemos a quién acudir y cómo pedir cuentas.» — participante",
                    added_by=editor,
                ),
                Evidence(
                    practice_id=pk,
                    kind=Evidence.Kind.LINK,
                    title="Informe de resultados",
                    url=f"https://polo.demo/informes/{slug[:60]}",
                    added_by=editor,
                ),
            )
        )
    stdout.write(f"  practices: {len(new)} good practices\n")
