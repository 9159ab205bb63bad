"""Demo common agendas: one in each phase, in the demo regions (in order: draft,
collecting proposals, deliberation, prioritisation, adopted, and collecting
again in the sixth), each with proposals of the region's people, threaded
comments, supports, an amendment, ballots and an in-person tally where the
phase has them. The adopted agenda's region's first demo agreement is linked
to it (``source_agenda``), so the chain agenda → agreement shows.

Idempotent (keyed on the agenda's slug: an agenda that exists is left as it is)
and deterministic (drawn from the step's own random generator). Written through
the services, so that phases, counts and the result are what the site would make.
"""

from __future__ import annotations

import random
from typing import TextIO

from polo.accounts.models import User
from polo.agendas import selectors, services
from polo.agendas.models import Agenda, Phase
from polo.agreements.models import Agreement
from polo.demo import DemoError, Scale
from polo.directory.models import Organization, Theme
from polo.indicators.models import Indicator
from polo.territory.models import Region

PHASES = [
    Phase.DRAFT,
    Phase.COLLECTING,
    Phase.DELIBERATION,
    Phase.PRIORITISATION,
    Phase.ADOPTED,
    Phase.COLLECTING,
]

AGENDAS = [
    ("agua-alimentacion", "Agenda común por el agua y la alimentación"),
    ("ninez-juventud", "Agenda común de niñez y juventud"),
    ("genero-derechos-mujeres", "Agenda común por los derechos de las mujeres"),
    ("medio-ambiente-territorio", "Agenda común por el territorio y el medio ambiente"),
    ("participacion-ciudadana", "Agenda común de participación ciudadana"),
    ("salud", "Agenda común de salud comunitaria"),
]

PROPOSALS = [
    (
        "Comités comunitarios del agua reconocidos por el municipio",
        "Las colonias altas reciben agua dos días por semana y nadie rinde cuentas del reparto.",
        "Que el cabildo reconozca a los comités comunitarios del agua y "
        "publique cada mes el calendario de reparto.",
    ),
    (
        "Presupuesto participativo para las agencias municipales",
        "Las agencias no saben cuánto presupuesto les corresponde ni en qué se gasta.",
        "Destinar una parte del presupuesto de obra a proyectos decididos en "
        "asamblea en cada agencia.",
    ),
    (
        "Consulta previa en las obras que afectan a las comunidades",
        "Se aprueban obras sin preguntar a las comunidades indígenas afectadas.",
        "Un reglamento municipal de consulta previa, libre e informada, con intérpretes.",
    ),
    (
        "Transporte seguro para estudiantes de las comunidades",
        "Las y los jóvenes caminan más de una hora para llegar al bachillerato.",
        "Una ruta de transporte escolar subsidiada entre las comunidades y la cabecera.",
    ),
    (
        "Casa de las mujeres en la cabecera municipal",
        "No hay un lugar donde las mujeres reciban orientación ante la violencia.",
        "Abrir una casa de las mujeres con atención jurídica y psicológica, en "
        "coordinación con las OSC.",
    ),
    (
        "Huertos escolares con las familias",
        "La alimentación de las niñas y niños depende de productos industrializados.",
        "Huertos en las escuelas primarias cuidados por las familias, con semillas nativas.",
    ),
    (
        "Mesa de seguimiento de los acuerdos con el ayuntamiento",
        "Los acuerdos de los foros se olvidan al cambiar la administración.",
        "Una mesa trimestral, pública, que revise los compromisos con evidencia.",
    ),
    (
        "Brigadas de salud en las comunidades lejanas",
        "La clínica más cercana queda a tres horas y solo abre entre semana.",
        "Brigadas mensuales de salud con personal que hable la lengua de la comunidad.",
    ),
    (
        "Reforestación de la microcuenca con trabajo comunitario",
        "Los manantiales se secan cada año más pronto.",
        "Un programa de reforestación con pago por tequio y vigilancia comunitaria.",
    ),
    (
        "Espacios culturales para la juventud",
        "No hay lugares para que la juventud se reúna, haga música o deporte.",
        "Recuperar la antigua casa ejidal como centro cultural administrado por jóvenes.",
    ),
]

COMMENTS = [
    "Estamos de acuerdo; en nuestra colonia pasa lo mismo.",
    "Habría que sumar a las autoridades agrarias.",
    "¿Quién daría seguimiento a esto después del foro?",
    "Propongo que se haga primero en dos comunidades y luego se amplíe.",
    "La organización puede apoyar con talleres.",
    "Es urgente: el próximo año hay cambio de administración.",
]


def _people(region: Region, count: int) -> list[User]:
    local = list(
        User.objects.filter(is_active=True, municipality__region=region).order_by("pk")[:count]
    )
    if len(local) < count:
        others = User.objects.filter(is_active=True).exclude(pk__in=[u.pk for u in local])
        local += list(others.order_by("pk")[: count - len(local)])
    return local


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    regions = list(Region.objects.order_by("ordering", "name"))
    if not regions:
        raise DemoError("No regions: load the territory first (polo load-territory).")
    facilitator = User.objects.filter(email="facilitador@polo.demo").first()
    coordinator = User.objects.filter(email="coordinacion@polo.demo").first()
    staff = facilitator or coordinator
    if staff is None:
        raise DemoError("No demo staff: run the accounts step first.")
    themes = {t.slug: t for t in Theme.objects.all()}
    indicators = list(Indicator.objects.published().order_by("pk")[:6])
    created = 0
    for index, (region, phase) in enumerate(zip(regions, PHASES, strict=False)):
        details = random.Random(rng.random())  # drawn per region even when skipped
        theme_slug, title = AGENDAS[index % len(AGENDAS)]
        slug = f"demo-{region.slug}"
        if Agenda.objects.filter(slug=slug).exists() or theme_slug not in themes:
            continue
        agenda = Agenda.objects.create(
            title=f"{title} · {region.name}",
            slug=slug,
            description=(
                "Propuestas de organizaciones, colectivos y personas de la región para "
                "dialogar con las autoridades locales en el foro regional."
            ),
            region=region,
            theme=themes[theme_slug],
            method=Agenda.Method.RANKS if index == 4 else Agenda.Method.POINTS,
            points=10,
            ranks=3,
            created_by=staff,
        )
        if facilitator and facilitator.regions.filter(pk=region.pk).exists():
            agenda.facilitators.add(facilitator)
        if phase == Phase.DRAFT:
            created += 1
            continue
        _fill(agenda, region, phase, staff, details, themes, indicators)
        created += 1
    stdout.write(f"  agendas: {created} agendas\n")


def _fill(agenda, region, phase, staff, rng, themes, indicators) -> None:
    services.agenda_open_phase(agenda=agenda, phase=Phase.COLLECTING, by=staff)
    people = _people(region, 30)
    if len(people) < 4:
        return
    authorities = list(
        Organization.objects.published()
        .filter(municipality__region=region, kind=Organization.Kind.LOCAL_AUTHORITY)
        .order_by("pk")[:3]
    )
    organizations = list(
        Organization.objects.published()
        .filter(municipality__region=region, kind=Organization.Kind.CSO)
        .order_by("pk")[:10]
    )
    proposals = []
    for n, (title, problem, text) in enumerate(rng.sample(PROPOSALS, k=8)):
        author = people[n % len(people)]
        authority = authorities[n % len(authorities)] if authorities else None
        proposal = services.proposal_create(
            agenda=agenda,
            by=author,
            fields={
                "title": title,
                "problem": problem,
                "proposal": text,
                "authority": authority,
                "authority_text": "" if authority else "Presidencia municipal",
                "municipality": authority.municipality if authority else None,
            },
            themes=[agenda.theme],
            indicators=rng.sample(indicators, k=min(2, len(indicators))),
            organizations=rng.sample(organizations, k=min(2, len(organizations))),
        )
        proposals.append(proposal)
        for supporter in rng.sample(people, k=rng.randrange(0, len(people))):
            services.support_add(proposal=proposal, by=supporter)
        for c in range(rng.randrange(0, 4)):
            comment = services.comment_create(
                proposal=proposal, by=rng.choice(people), body=rng.choice(COMMENTS)
            )
            if c == 0 and rng.random() < 0.6:
                services.comment_create(
                    proposal=proposal,
                    by=author,
                    body="Gracias; lo incorporamos en la deliberación.",
                    parent=comment,
                )
    if phase == Phase.COLLECTING:
        return
    agenda.refresh_from_db()
    services.agenda_open_phase(agenda=agenda, phase=Phase.DELIBERATION, by=staff)
    amended = proposals[0]
    amended.refresh_from_db()
    other = next(p for p in people if p.pk != amended.author_id)
    amendment = services.amendment_create(
        proposal=amended,
        by=other,
        text=amended.proposal + " Con un informe público cada seis meses.",
        reason="Para que se pueda dar seguimiento.",
    )
    if phase == Phase.DELIBERATION:
        return
    services.amendment_decide(amendment=amendment, by=amended.author, accept=True)
    agenda.refresh_from_db()
    services.agenda_open_phase(agenda=agenda, phase=Phase.PRIORITISATION, by=staff)
    agenda.refresh_from_db()
    voters = [p for p in people if selectors.is_eligible(agenda, p)]
    for voter in voters:
        chosen = rng.sample(proposals, k=3)
        if agenda.method == Agenda.Method.POINTS:
            split = [5, 3, 2]
            services.ballot_submit(
                agenda=agenda,
                by=voter,
                points={p.pk: s for p, s in zip(chosen, split, strict=True)},
            )
        else:
            services.ballot_submit(agenda=agenda, by=voter, ranking=[p.pk for p in chosen])
    services.tally_record(
        agenda=agenda,
        by=staff,
        note="Foro regional presencial: votación con papeletas, contadas en público.",
        people=42,
        points={p.pk: rng.randrange(5, 60) for p in proposals[:5]},
    )
    if phase == Phase.PRIORITISATION:
        return
    result = services.voting_close(agenda=agenda, by=staff)
    top = [row["proposal"] for row in result["rows"][:3]]
    by_pk = {p.pk: p for p in proposals}
    services.agenda_adopt(agenda=agenda, proposals=[by_pk[pk] for pk in top], by=staff)
    first = (
        Agreement.objects.filter(region=region, source_agenda__isnull=True).order_by("slug").first()
    )
    if first is not None:
        Agreement.objects.filter(pk=first.pk).update(source_agenda=agenda)
