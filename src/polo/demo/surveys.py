"""Demo survey: the programme's baseline of organisations, and its midline.

The baseline instrument (``polo/surveys/instruments/baseline.py``) over the
programme's regions and municipalities, a campaign «Línea base 2026» with two
rounds: the baseline, closed, with about 300 responses from the directory's
organisations spread over their municipalities; and the midline, open, with
about 80 responses from some of the same organisations, a little further
along (more strategic plans, more women on the teams, more proposals adopted),
so that the dashboard shows change. Most responses are approved, some only
submitted, a few on hold or rejected.

Answers are drawn to respect the form (constraints, skip logic, the region →
municipality cascade) and checked with ``validation.validate`` like any other;
a problem is a bug here and stops the demo. Instance ids come from the step's
random generator, so a second run finds every response already there.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any, TextIO

from django.utils import timezone

from polo.demo import DemoError, Scale
from polo.demo.places import programme_regions
from polo.directory.models import Organization
from polo.surveys import services, validation
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Answer, Campaign, FormVersion, Instrument, Response, Round

INSTRUMENT_SLUG = "linea-base-osc"
CAMPAIGN_SLUG = "linea-base-2026"
BASELINE_RESPONSES = 300
MIDLINE_RESPONSES = 80
BASELINE_DATES = (dt.date(2026, 2, 9), dt.date(2026, 4, 24))
MIDLINE_DATES = (dt.date(2026, 10, 5), dt.date(2026, 11, 20))
# The latest answer date: validation's today() is at least this, so the demo
# answers the same whatever day it runs.
LATEST = MIDLINE_DATES[1]

KIND_TO_ACTOR = {
    Organization.Kind.CSO: "osc",
    Organization.Kind.COLLECTIVE: "colectivo",
    Organization.Kind.ACADEMIC: "academica",
    Organization.Kind.NETWORK: "red",
    Organization.Kind.COMMUNITY: "comunitaria",
}
INDIGENOUS_SHARE = {
    "montana": 0.75,
    "mixteca-huajuapan": 0.55,
    "valles-centrales": 0.45,
    "tehuacan": 0.35,
    "acapulco": 0.2,
    "puebla": 0.15,
}
REGION_LANGUAGES = {
    "montana": ["tlapaneco", "nahuatl", "mixteco"],
    "mixteca-huajuapan": ["mixteco", "mixteco", "otra"],
    "valles-centrales": ["zapoteco", "zapoteco", "mixteco"],
    "tehuacan": ["nahuatl", "mazateco"],
    "acapulco": ["nahuatl", "mixteco", "otra"],
    "puebla": ["nahuatl", "otra"],
}
THEMES = ["salud", "educacion", "genero", "medio_ambiente", "derechos", "economia"]
SOURCES = ["donativos", "gobierno", "cooperacion", "cuotas"]
COUNCILS = [
    "Consejo municipal de desarrollo rural sustentable",
    "Comité de contraloría social",
    "Consejo de participación escolar",
    "COPLADEMUN",
    "Comité comunitario de salud",
    "Mesa municipal de seguridad y paz",
]
PROJECTS = {
    "salud": ["Casa de salud comunitaria", "Brigadas de salud materna", "Parteras en red"],
    "educacion": ["Círculos de lectura", "Alfabetización de personas adultas", "Becas escolares"],
    "genero": ["Escuela de liderazgo de mujeres", "Red contra la violencia", "Asesoría jurídica"],
    "medio_ambiente": ["Huertos escolares", "Reforestación de la microcuenca", "Agua limpia"],
    "derechos": ["Defensoría comunitaria", "Radio comunitaria", "Observatorio ciudadano"],
    "economia": ["Cooperativa de artesanas", "Cajas de ahorro", "Mercado local"],
}
REMARKS = [
    "La entrevista se hizo en la oficina de la organización.",
    "Respondió la coordinadora con apoyo de dos integrantes del equipo.",
    "La organización pide acompañamiento para su plan estratégico.",
    "Hubo que traducir algunas preguntas a la lengua de la comunidad.",
    "Señalan que el financiamiento público se retrasó este año.",
]
STATUS_WEIGHTS = {
    "baseline": [
        (Response.Status.APPROVED, 80),
        (Response.Status.SUBMITTED, 10),
        (Response.Status.ON_HOLD, 6),
        (Response.Status.REJECTED, 4),
    ],
    "midline": [
        (Response.Status.APPROVED, 55),
        (Response.Status.SUBMITTED, 38),
        (Response.Status.ON_HOLD, 5),
        (Response.Status.REJECTED, 2),
    ],
}
REVIEW_COMMENTS = {
    Response.Status.ON_HOLD: "Falta confirmar el número de personas en el equipo.",
    Response.Status.REJECTED: "Respuesta duplicada: la organización respondió dos veces.",
    Response.Status.APPROVED: "",
}


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    from polo.accounts.models import User

    regions = programme_regions()
    coordinator = User.objects.filter(email="coordinacion@polo.demo").first()
    facilitator = User.objects.filter(email="facilitador@polo.demo").first()
    version = _instrument(regions, coordinator)
    campaign, baseline, midline = _campaign(version.instrument, regions, coordinator)
    if Response.objects.filter(round__campaign=campaign).exists():
        # Keyed on the campaign, not on the organisations drawn: the national
        # demo adds organisations, and the survey must not grow with them.
        stdout.write(f"  Encuesta «{campaign.title}»: ya tenía sus respuestas.\n")
        return
    organizations = list(
        Organization.objects.filter(
            kind__in=list(KIND_TO_ACTOR),
            status__in=[Organization.Status.PUBLISHED, Organization.Status.PENDING],
            merged_into__isnull=True,
            municipality__region__slug__in=[region.slug for region in regions],
        )
        .select_related("municipality__region")
        .order_by("name", "pk")
    )
    if len(organizations) < MIDLINE_RESPONSES:
        raise DemoError(
            "Faltan organizaciones del programa para la encuesta de línea base: el paso del "
            "directorio debe ir antes."
        )
    respondents = rng.sample(organizations, min(BASELINE_RESPONSES, len(organizations)))
    followed = rng.sample(respondents, MIDLINE_RESPONSES)
    reviewers = {"valles-centrales": facilitator, "mixteca-huajuapan": facilitator}
    made = []
    for org in respondents:
        made.append(_response(rng, version, baseline, org, "baseline", reviewers, coordinator))
    for org in followed:
        made.append(_response(rng, version, midline, org, "midline", reviewers, coordinator))
    created = _store(made, version)
    stdout.write(
        f"  Encuesta «{campaign.title}»: {created} respuestas nuevas "
        f"({len(made) - created} ya existían) en {len(respondents)} organizaciones.\n"
    )


def _instrument(regions, coordinator) -> FormVersion:
    instrument = Instrument.objects.filter(slug=INSTRUMENT_SLUG).first()
    if instrument is not None and instrument.current_version is not None:
        return instrument.current_version
    data = baseline_xlsform(
        regions=[(region.slug, region.name) for region in regions],
        municipalities=[
            (m.code, m.name, region.slug)
            for region, municipalities in regions.items()
            for m in sorted(municipalities, key=lambda m: m.code)
        ],
    )
    if instrument is None:
        instrument = Instrument.objects.create(
            slug=INSTRUMENT_SLUG,
            title="Línea base de organizaciones",
            description=(
                "Capacidades institucionales, incidencia y participación de las organizaciones "
                "del programa (A1.5)."
            ),
            created_by=coordinator,
        )
    return services.form_version_create(
        data=data, filename="linea_base_osc.xlsx", by=coordinator, instrument=instrument
    )


def _campaign(instrument, regions, coordinator) -> tuple[Campaign, Round, Round]:
    campaign, created = Campaign.objects.get_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={
            "instrument": instrument,
            "title": "Línea base 2026",
            "description": (
                "Diagnóstico de las organizaciones de las seis regiones del programa: la línea "
                "base, y la medición de medio término para ver el cambio."
            ),
            "respondent": Campaign.Respondent.ORGANIZATION,
            "status": Campaign.Status.OPEN,
            "created_by": coordinator,
        },
    )
    if created:
        campaign.regions.set(list(regions))
    baseline, _created = Round.objects.get_or_create(
        campaign=campaign,
        order=1,
        defaults={
            "kind": Round.Kind.BASELINE,
            "name": "Línea base",
            "starts_on": BASELINE_DATES[0],
            "ends_on": BASELINE_DATES[1],
            "is_open": False,
        },
    )
    midline, _created = Round.objects.get_or_create(
        campaign=campaign,
        order=2,
        defaults={
            "kind": Round.Kind.MIDLINE,
            "name": "Medio término",
            "starts_on": MIDLINE_DATES[0],
            "ends_on": dt.date(2026, 12, 18),
            "is_open": True,
        },
    )
    return campaign, baseline, midline


def _chance(rng: random.Random, share: float) -> bool:
    return rng.random() < share


def _answers(rng: random.Random, org: Organization, wave: str) -> dict[str, Any]:
    """One organisation's answers; the midline is a little further along."""
    later = wave == "midline"
    region = org.municipality.region.slug
    start, end = BASELINE_DATES if not later else MIDLINE_DATES
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    a: dict[str, Any] = {
        "region": region,
        "municipio": org.municipality.code,
        "tipo_actor": KIND_TO_ACTOR[org.kind],
        "anio_fundacion": str(
            org.founded_year
            if org.founded_year and 1900 <= org.founded_year <= 2026
            else rng.randint(1985, 2022)
        ),
        "sexo_respondente": rng.choices(["mujer", "hombre", "otro"], [60, 37, 3])[0],
        "indigena": "si" if _chance(rng, INDIGENOUS_SHARE.get(region, 0.2)) else "no",
    }
    if a["indigena"] == "si":
        a["lengua"] = rng.choice(REGION_LANGUAGES.get(region, ["otra"]))
    a["plan_estrategico"] = "si" if _chance(rng, 0.52 if later else 0.34) else "no"
    if a["plan_estrategico"] == "si":
        a["plan_anios"] = str(rng.choice([1, 2, 3, 3, 3, 5]))
    people = max(2, min(40, int(rng.lognormvariate(2.0, 0.6))))
    a["personas_equipo"] = str(people)
    share_women = min(1.0, max(0.0, rng.gauss(0.62 if later else 0.55, 0.18)))
    a["mujeres_equipo"] = str(round(people * share_women))
    a["presupuesto"] = "menos_100k" if people < 6 else rng.choice(["100k_1m", "100k_1m", "mas_1m"])
    sources = rng.sample(SOURCES, rng.choice([1, 1, 2, 2, 3]))
    a["fuentes"] = " ".join(s for s in SOURCES if s in sources)
    if "donativos" in sources:
        a["pct_donativos"] = str(rng.randint(10, 90))
    a["rinde_cuentas"] = "si" if _chance(rng, 0.45 if later else 0.3) else "no"
    a["participa_consejos"] = "si" if _chance(rng, 0.4 if later else 0.26) else "no"
    if a["participa_consejos"] == "si":
        a["consejos_cuales"] = rng.choice(COUNCILS)
    proposals = rng.choice([0, 0, 1, 1, 2, 3, 4, 6]) + (1 if later else 0)
    a["propuestas_presentadas"] = str(proposals)
    if proposals:
        a["propuestas_adoptadas"] = str(
            min(proposals, sum(_chance(rng, 0.45 if later else 0.3) for _ in range(proposals)))
        )
    mood = rng.gauss(3.1 if later else 2.6, 0.9)
    a["relacion_gobierno"] = str(min(5, max(1, round(mood))))
    themes = rng.sample(THEMES, rng.choice([1, 2, 2, 3]))
    a["temas"] = " ".join(t for t in THEMES if t in themes)
    if len(themes) > 1:
        a["tema_principal"] = rng.choice(themes)
    a["proyectos"] = [
        {
            "proyecto_nombre": rng.choice(PROJECTS[theme]),
            "proyecto_tema": theme,
            "proyecto_personas": str(rng.randint(8, 250)),
        }
        for theme in rng.sample(themes, min(len(themes), rng.choice([0, 1, 1, 2, 3])))
    ]
    if org.latitude is not None and org.longitude is not None:
        a["ubicacion"] = f"{org.latitude} {org.longitude} {rng.randint(20, 2600)} 10"
    a["fecha"] = day.isoformat()
    if _chance(rng, 0.25):
        a["observaciones"] = rng.choice(REMARKS)
    a["consentimiento"] = "OK"
    started = timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randint(0, 59)))
    )
    a["inicio"] = started.isoformat(timespec="seconds")
    a["fin"] = (started + dt.timedelta(minutes=rng.randint(18, 55))).isoformat(timespec="seconds")
    return a


def _response(rng, version, round_, org, wave, reviewers, coordinator) -> Response:
    spec = version.form
    today = max(timezone.localdate(), LATEST)
    data = validation.compute(spec, _answers(rng, org, wave), today=today)
    instance = f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
    data["instanceID"] = instance
    problems = validation.validate(spec, data, today=today)
    if problems:
        raise DemoError(f"Respuesta de demostración no válida ({org.name}): {problems}")
    status = rng.choices(*zip(*STATUS_WEIGHTS[wave], strict=True))[0]
    submitted = dt.datetime.fromisoformat(data["fin"])
    reviewer = reviewers.get(org.municipality.region.slug) or coordinator
    response = Response(
        round=round_,
        form_version=version,
        instance_id=instance,
        respondent_kind=Campaign.Respondent.ORGANIZATION,
        organization=org,
        municipality=org.municipality,
        data=data,
        status=status,
        source=rng.choice([Response.Source.WEB, Response.Source.OPENROSA]),
        submitted_by=reviewer,
        started_at=dt.datetime.fromisoformat(data["inicio"]),
        submitted_at=submitted,
    )
    if status != Response.Status.SUBMITTED:
        response.reviewed_by = reviewer
        response.reviewed_at = submitted + dt.timedelta(days=rng.randint(1, 12))
        response.review_comment = REVIEW_COMMENTS[status]
    return response


def _store(responses: list[Response], version: FormVersion) -> int:
    """The responses not stored yet, their history and their aggregate rows."""
    from simple_history.utils import bulk_create_with_history

    existing = set(
        Response.objects.filter(instance_id__in=[r.instance_id for r in responses]).values_list(
            "instance_id", flat=True
        )
    )
    new = [r for r in responses if r.instance_id not in existing]
    if not new:
        return 0
    new = bulk_create_with_history(new, Response, batch_size=500, default_date=timezone.now())
    spec = version.form
    Answer.objects.bulk_create(
        [
            Answer(
                response_id=response.pk,
                round_id=response.round_id,
                municipality_id=response.municipality_id,
                name=name,
                row=row,
                value=value,
                number=number,
            )
            for response in new
            if response.status not in {Response.Status.DRAFT, Response.Status.REJECTED}
            for name, row, value, number in services.answer_rows(spec, response.data)
        ],
        batch_size=2000,
    )
    return len(new)
