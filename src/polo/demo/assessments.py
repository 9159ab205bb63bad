"""Demo self-assessments: the Incidence Manual installed, about forty
organisations of the programme with a completed assessment (a third of them
with an earlier one, to show change), and improvement plans with actions in
every state and a facilitator's comments.

The demo editor's organisation (editora@polo.demo) is always among them, with
an earlier assessment and a plan, so that trying the site shows everything.
Assessments go through the services (the same validation, scoring and audit
trail as the pages); dates are moved into 2025 and 2026 afterwards.

At national scale, 10,000 more organisations get a completed assessment,
written in bulk (responses, assessments and area scores, without the surveys
engine's per-question rows or history): the aggregate benchmark's data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import TextIO

from django.utils import timezone

from polo.accounts.models import User
from polo.assessments import services
from polo.assessments.definition import definition_for
from polo.assessments.models import AreaScore, Assessment, PlanAction
from polo.assessments.scoring import score
from polo.demo import DemoError, Scale
from polo.directory.models import Membership, Organization
from polo.surveys.models import Campaign, Response

PROGRAMME_ASSESSMENTS = 40
WITH_PREVIOUS = 1 / 3
NATIONAL_ASSESSMENTS = 10_000
BATCH = 2_000

PROBLEMS = [
    "Las familias de la colonia no tienen agua potable todo el año.",
    "Las mujeres indígenas no reciben atención de salud en su lengua.",
    "Las y los jóvenes dejan la secundaria por falta de transporte.",
    "La basura del municipio se quema a cielo abierto junto a la escuela.",
    "No hay un protocolo municipal para atender la violencia contra las mujeres.",
    "Las personas con discapacidad no pueden entrar a las oficinas municipales.",
    "El mercado no tiene un plan de protección civil.",
]
AUTHORITIES = [
    "El cabildo del municipio",
    "La presidencia municipal y la regiduría de salud",
    "La Secretaría de Salud del estado",
    "La regiduría de educación",
    "El Instituto Municipal de la Mujer",
    "La dirección de obras públicas",
]
SPACES = [
    "El cabildo abierto de marzo",
    "El Consejo Municipal de Desarrollo Rural Sustentable",
    "La consulta del plan municipal de desarrollo",
    "El foro regional del programa",
    "El comité de contraloría social",
]
FIRST_STEPS = [
    "Pedir cita con la regidora; la coordinadora lleva la propuesta por escrito.",
    "Reunir firmas de las familias afectadas antes de fin de mes.",
    "Solicitar por transparencia el presupuesto del año; lo hace el tesorero.",
    "Invitar a dos organizaciones aliadas a una reunión de preparación.",
]
EVIDENCE = [
    "Actas de asamblea de 2025.",
    "Informe anual publicado en nuestra página.",
    "Plan de trabajo 2026 aprobado por el equipo.",
    "Convenio firmado con la red estatal.",
    "Fotografías y listas de asistencia de los talleres.",
]
COMMENTS = [
    "Buen avance. Revisen si la fecha es realista con las lluvias.",
    "Les comparto el contacto de otra organización que ya hizo su reglamento.",
    "En el próximo taller de acompañamiento podemos revisar esta acción.",
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _levels(rng: random.Random, definition, base: float) -> dict[str, str]:
    data = {}
    for area in definition.areas:
        offset = rng.uniform(-0.8, 0.8)
        for item in area.items:
            value = round(base + offset + rng.uniform(-0.7, 0.7))
            data[item.name] = str(min(4, max(1, value)))
    return data


def _answers(rng: random.Random, definition, organization: Organization, base: float) -> dict:
    data = _levels(rng, definition, base)
    for item in definition.items.values():
        for node in item.evidence:
            if node.type == "text" and rng.random() < 0.3:
                data[node.name] = rng.choice(EVIDENCE)
    route = definition.route
    picks = {
        "problem": rng.choice(PROBLEMS),
        "authority": rng.choice(AUTHORITIES),
        "space": rng.choice(SPACES),
        "first_step": rng.choice(FIRST_STEPS),
    }
    for role, text in picks.items():
        if role in route and rng.random() < 0.85:
            data[route[role].name] = text
    theme = route.get("theme")
    if theme is not None:
        allowed = {choice.name for choice in definition.spec.choices_for(theme)}
        mine = [
            slug for slug in organization.themes.values_list("slug", flat=True) if slug in allowed
        ]
        if mine:
            data[theme.name] = mine[0]
    return data


def _take(
    rng: random.Random, *, organization, by, mode, base: float, when: dt.datetime
) -> Assessment:
    assessment = services.assessment_start(organization=organization, by=by, mode=mode)
    definition = definition_for(assessment.response.form_version)
    response = assessment.response
    response.data = {**response.data, **_answers(rng, definition, organization, base)}
    response._change_reason = "demo"
    response.save()
    done = services.assessment_complete(assessment=assessment, by=by)
    if not done.done:
        raise DemoError(f"demo assessment does not validate: {done.problems[:3]}")
    started = when - dt.timedelta(days=rng.randint(3, 20))
    Assessment.objects.filter(pk=assessment.pk).update(started_at=started, completed_at=when)
    Response.objects.filter(pk=response.pk).update(started_at=started, submitted_at=when)
    assessment.refresh_from_db()
    return assessment


def _plan(rng: random.Random, assessment: Assessment, *, editor, facilitator) -> int:
    definition = definition_for(assessment.response.form_version)
    result = score(definition, assessment.response.data)
    weak = [item for item in result.weak_items if item.item.actions]
    rng.shuffle(weak)
    statuses = list(PlanAction.Status.values)
    added = 0
    completed_on = timezone.localtime(assessment.completed_at).date()
    for position, item in enumerate(weak[: rng.randint(1, 4)]):
        suggestion = rng.choice(item.item.actions)
        action = services.plan_action_add(
            assessment=assessment,
            item=item.item.name,
            suggestion=suggestion.key,
            title=definition.text(suggestion.label, "es"),
            responsible=rng.choice(["Coordinación", "Tesorería", "Equipo de campo", "Asamblea"]),
            due_on=completed_on + dt.timedelta(days=rng.randint(30, 240)),
            by=editor,
        )
        status = statuses[position % len(statuses)] if position else rng.choice(statuses)
        if status != PlanAction.Status.PENDING:
            services.plan_action_update(
                action=action,
                status=status,
                responsible=action.responsible,
                due_on=action.due_on,
                progress_note="Acordado en la reunión mensual." if status == "in_progress" else "",
                expected_version=action.version,
                by=editor,
            )
        added += 1
        if facilitator is not None and rng.random() < 0.4:
            services.plan_comment_add(
                assessment=assessment, action=action, text=rng.choice(COMMENTS), by=facilitator
            )
    return added


def _moment(rng: random.Random, year: int) -> dt.datetime:
    day = dt.date(year, 3, 1) + dt.timedelta(days=rng.randint(0, 200))
    return dt.datetime.combine(day, dt.time(11, 0), tzinfo=timezone.get_current_timezone())


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    coordinator = _user("coordinacion@polo.demo")
    facilitator = _user("facilitador@polo.demo")
    editor = _user("editora@polo.demo")
    if coordinator is None:
        raise DemoError("Faltan las cuentas de demostración: el paso de cuentas debe ir antes.")
    instrument = services.instrument_install_default(by=coordinator)
    candidates = list(
        Organization.objects.published()
        .filter(
            kind__in=[Organization.Kind.CSO, Organization.Kind.COLLECTIVE],
            municipality__region__isnull=False,
        )
        .order_by("name", "pk")
        .values_list("pk", flat=True)[:5_000]
    )
    if not candidates:
        raise DemoError("No hay organizaciones publicadas: el paso del directorio debe ir antes.")
    chosen = rng.sample(candidates, min(PROGRAMME_ASSESSMENTS, len(candidates)))
    editor_org = (
        Membership.objects.filter(user=editor, is_editor=True)
        .values_list("organization", flat=True)
        .first()
        if editor
        else None
    )
    if editor_org is not None and editor_org not in chosen:
        chosen[0] = editor_org
    done = set(
        Assessment.objects.filter(organization__in=chosen).values_list("organization", flat=True)
    )
    organizations = {
        org.pk: org
        for org in Organization.objects.filter(pk__in=chosen).select_related("municipality__region")
    }
    facilitated_regions = (
        set(facilitator.regions.values_list("pk", flat=True)) if facilitator else set()
    )
    made = plans = 0
    for pk in chosen:
        organization = organizations[pk]
        if pk in done:
            continue
        is_editors = pk == editor_org
        in_region = organization.municipality.region_id in facilitated_regions
        if is_editors:
            by, mode = editor, Assessment.Mode.SELF
        elif in_region and rng.random() < 0.6:
            by, mode = facilitator, Assessment.Mode.FACILITATED
        else:
            by, mode = coordinator, Assessment.Mode.FACILITATED
        base = rng.uniform(1.4, 3.2)
        if is_editors or rng.random() < WITH_PREVIOUS:
            _take(
                rng,
                organization=organization,
                by=by,
                mode=mode,
                base=base - rng.uniform(0.3, 0.8),
                when=_moment(rng, 2025),
            )
            made += 1
        current = _take(
            rng, organization=organization, by=by, mode=mode, base=base, when=_moment(rng, 2026)
        )
        made += 1
        plans += _plan(
            rng,
            current,
            editor=editor if is_editors else coordinator,
            facilitator=facilitator if (in_region and facilitator) else coordinator,
        )
    stdout.write(
        f"  Autodiagnósticos: {made} nuevos, {plans} acciones de plan de mejora "
        f"(instrumento «{instrument.title}»).\n"
    )
    if scale.is_national:
        created = _national(rng, instrument)
        stdout.write(f"  Autodiagnósticos a escala nacional: {created} nuevos.\n")


def _national(rng: random.Random, instrument) -> int:
    """Completed assessments for organisations of the national set, in bulk."""
    _campaign, consensus, _members = services.campaign_for(instrument)
    version = instrument.current_version
    definition = definition_for(version)
    have = Assessment.objects.current().count()
    wanted = max(0, NATIONAL_ASSESSMENTS + PROGRAMME_ASSESSMENTS - have)
    if not wanted:
        return 0
    pool = list(
        Organization.objects.filter(kind__in=[Organization.Kind.CSO, Organization.Kind.COLLECTIVE])
        .exclude(assessments__isnull=False)
        .order_by("pk")
        .values_list("pk", "municipality_id")
    )
    picked = sorted(rng.sample(pool, min(wanted, len(pool))))
    created = 0
    for start in range(0, len(picked), BATCH):
        chunk = picked[start : start + BATCH]
        when = [_moment(rng, 2026) for _ in chunk]
        answers = [_levels(rng, definition, rng.uniform(1.3, 3.4)) for _ in chunk]
        responses = Response.objects.bulk_create(
            [
                Response(
                    round=consensus,
                    form_version=version,
                    instance_id=f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                    respondent_kind=Campaign.Respondent.ORGANIZATION,
                    organization_id=org_pk,
                    municipality_id=municipality_pk,
                    data=data,
                    status=Response.Status.SUBMITTED,
                    source=Response.Source.WEB,
                    started_at=moment,
                    submitted_at=moment,
                )
                for (org_pk, municipality_pk), data, moment in zip(
                    chunk, answers, when, strict=True
                )
            ]
        )
        results = [score(definition, data) for data in answers]
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    organization_id=org_pk,
                    response=response,
                    mode=Assessment.Mode.SELF,
                    status=Assessment.Status.COMPLETED,
                    started_at=moment,
                    completed_at=moment,
                    is_current=True,
                    overall_score=result.overall,
                    scores={a.area.slug: a.score for a in result.areas if a.score is not None},
                    scored_version=response.updated_at.isoformat() if response.updated_at else "",
                )
                for (org_pk, _m), response, result, moment in zip(
                    chunk, responses, results, when, strict=True
                )
            ]
        )
        AreaScore.objects.bulk_create(
            [
                AreaScore(
                    assessment=assessment,
                    area=area.area.slug,
                    position=area.area.position,
                    score=area.score,
                    items_answered=area.items_answered,
                    items_total=area.items_total,
                )
                for assessment, result in zip(assessments, results, strict=True)
                for area in result.areas
                if area.score is not None
            ],
            batch_size=5_000,
        )
        created += len(assessments)
    return created
