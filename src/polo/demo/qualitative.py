"""Demo qualitative diagnosis (A1.3): a codebook of themes, about fifteen
focus groups across the six regions with notes in Spanish (no real names: the
notes speak of «una participante», «un señor mayor»...), their coding, and a
few quotes a coordinator published.

Idempotent: themes are keyed on their slug, sessions on their title; a session
already there is left as it is. Deterministic: everything is drawn from the
step's own ``random.Random``. Sessions join the baseline round of the survey
demo when there is one.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TextIO

from polo.accounts.models import User
from polo.demo import DemoError, Scale
from polo.demo.places import apportion, programme_regions
from polo.directory.models import Language
from polo.qualitative import services
from polo.qualitative.models import AGE_BANDS, SEXES, Code, FocusGroup, Passage
from polo.surveys.models import Round
from polo.territory.models import Community

SESSIONS = 15
# Sessions per region, in the order of programme_regions() (the catalogue's order).
REGION_WEIGHTS = {
    "valles-centrales": 3,
    "mixteca-huajuapan": 2,
    "tehuacan": 2,
    "puebla": 2,
    "acapulco": 2,
    "montana": 4,
}
REGION_LANGUAGES = {
    "valles-centrales": ["zapoteco"],
    "mixteca-huajuapan": ["mixteco"],
    "tehuacan": ["nahuatl", "popoloca"],
    "puebla": ["nahuatl"],
    "acapulco": ["amuzgo"],
    "montana": ["tlapaneco", "nahuatl", "mixteco"],
}
# Themes each region's sessions bring up more often.
REGION_THEMES = {
    "valles-centrales": ["agua", "participacion", "empleo"],
    "mixteca-huajuapan": ["migracion", "agua", "empleo"],
    "tehuacan": ["empleo", "agua", "violencia-genero"],
    "puebla": ["violencia-genero", "autoridades", "empleo"],
    "acapulco": ["autoridades", "violencia-genero", "salud"],
    "montana": ["salud", "discriminacion-linguistica", "migracion"],
}

# slug, name, description, parent slug
CODEBOOK = [
    (
        "salud",
        "Acceso a servicios de salud",
        "Distancia, horarios, personal, medicinas y trato en clínicas y hospitales.",
        "",
    ),
    (
        "salud-distancia",
        "Distancia y transporte a la clínica",
        "Cuando se habla del tiempo o el costo de llegar a la atención.",
        "salud",
    ),
    (
        "violencia-genero",
        "Violencia de género",
        "Violencia contra mujeres y niñas en la casa, la calle o las instituciones, y cómo "
        "se denuncia.",
        "",
    ),
    (
        "migracion",
        "Migración",
        "Salida de personas de la comunidad, remesas, familias separadas, retorno.",
        "",
    ),
    (
        "agua",
        "Agua y medio ambiente",
        "Disponibilidad y calidad del agua, ríos, bosques, basura, sequía.",
        "",
    ),
    (
        "participacion",
        "Participación comunitaria",
        "Asambleas, tequio, comités, cómo se toman las decisiones y quién participa.",
        "",
    ),
    (
        "participacion-mujeres",
        "Participación de las mujeres en la asamblea",
        "Cuando se habla de si las mujeres tienen voz y voto en las decisiones.",
        "participacion",
    ),
    (
        "autoridades",
        "Relación con autoridades",
        "Trato con el ayuntamiento y otras autoridades; confianza, gestiones, promesas.",
        "",
    ),
    (
        "discriminacion-linguistica",
        "Discriminación lingüística",
        "Falta de atención o trato distinto por hablar una lengua indígena; intérpretes.",
        "",
    ),
    (
        "empleo",
        "Empleo y economía local",
        "Trabajo, jornales, precios de las cosechas, comercio, proyectos productivos.",
        "",
    ),
    (
        "empleo-jovenes",
        "Trabajo para jóvenes",
        "Cuando se habla de que las y los jóvenes no encuentran trabajo en la región.",
        "empleo",
    ),
]


@dataclass(frozen=True)
class Said:
    """A paragraph of notes on one theme, with what a participant said in it
    (the passage that may become a quote) and who said it."""

    theme: str
    text: str  # with {quote} where the words go, and {lugar}
    quote: str
    sex: str  # woman | man | other
    age: str  # 15_29 | 30_59 | 60
    sub_theme: str = ""


PARAGRAPHS = [
    Said(
        "salud",
        "Sobre la salud, el grupo coincidió en que la clínica de {lugar} abre pocos días. "
        "Una participante de unos cuarenta años contó: «{quote}» Otras personas asintieron "
        "y dijeron que lo mismo pasa con las medicinas.",
        "Llegamos temprano y nos dicen que ya no hay fichas, que regresemos el lunes.",
        "woman",
        "30_59",
    ),
    Said(
        "salud",
        "Se habló largo de la distancia al hospital. Un señor mayor explicó: «{quote}» "
        "La facilitadora preguntó por el transporte y varias personas dijeron que la "
        "camioneta sale una vez al día.",
        "Para llegar al hospital caminamos tres horas, y si es de noche nadie nos lleva.",
        "man",
        "60",
        "salud-distancia",
    ),
    Said(
        "violencia-genero",
        "Cuando se habló de seguridad, varias mujeres bajaron la voz. Una joven dijo: "
        "«{quote}» El grupo reconoció que la violencia en la casa casi no se denuncia "
        "porque la agencia del ministerio público queda lejos.",
        "Si una mujer denuncia, luego todos la señalan y ella es la que se tiene que ir.",
        "woman",
        "15_29",
    ),
    Said(
        "violencia-genero",
        "Sobre la violencia contra las mujeres, una participante de la tercera edad "
        "recordó que antes no se hablaba del tema. Dijo: «{quote}» Las más jóvenes "
        "pidieron talleres en la escuela.",
        "Ahora las muchachas ya saben que eso no es normal, nosotras no sabíamos.",
        "woman",
        "60",
    ),
    Said(
        "migracion",
        "La migración apareció en casi todas las intervenciones. Muchas familias tienen "
        "a alguien en el norte o en Estados Unidos. Un joven comentó: «{quote}» Las "
        "señoras dijeron que los abuelos se quedan a cargo de los niños.",
        "Aquí no hay futuro; el que puede se va, y el que se queda es porque no tuvo dinero.",
        "man",
        "15_29",
    ),
    Said(
        "migracion",
        "Sobre quienes regresan, una mujer explicó que su esposo volvió después de doce "
        "años y no encontró trabajo en {lugar}. Dijo: «{quote}»",
        "Regresan con otras costumbres y la comunidad ya no los reconoce como antes.",
        "woman",
        "30_59",
    ),
    Said(
        "agua",
        "El agua fue el primer tema que salió. El pozo se seca entre marzo y mayo y las "
        "familias compran pipas. Una participante dijo: «{quote}» El comité del agua "
        "está gestionando una obra, sin respuesta hasta ahora.",
        "En tiempo de secas el agua nos cuesta más que la comida.",
        "woman",
        "30_59",
    ),
    Said(
        "agua",
        "Sobre el medio ambiente, los jóvenes hablaron de la basura en el río y de la tala. "
        "Uno dijo: «{quote}» El grupo propuso una jornada de limpieza con la escuela.",
        "El río donde nos bañábamos de niños ahora huele mal y nadie hace nada.",
        "man",
        "15_29",
    ),
    Said(
        "participacion",
        "Sobre la vida comunitaria, se explicó que las decisiones se toman en asamblea y "
        "que el tequio sigue siendo obligatorio. Un señor dijo: «{quote}»",
        "La asamblea es la que manda; si el presidente no la escucha, no dura.",
        "man",
        "60",
    ),
    Said(
        "participacion",
        "Las mujeres contaron que pueden ir a la asamblea pero casi no hablan. Una de ellas "
        "dijo: «{quote}» Algunas personas dijeron que eso ya está cambiando.",
        "Vamos, pero nos sentamos atrás; cuando levantamos la mano, no nos dan la palabra.",
        "woman",
        "30_59",
        "participacion-mujeres",
    ),
    Said(
        "autoridades",
        "La relación con el ayuntamiento fue un tema tenso. Se dijo que las autoridades "
        "vienen en campaña y luego no regresan. Una participante comentó: «{quote}»",
        "Nos prometieron la obra tres veces y la foto ya se la tomaron.",
        "woman",
        "30_59",
    ),
    Said(
        "autoridades",
        "Sobre las gestiones, un joven explicó que para cualquier trámite hay que ir a la "
        "cabecera varias veces. Dijo: «{quote}» Se propuso que la agencia municipal "
        "reciba los documentos.",
        "Cada vuelta a la presidencia es un día de trabajo perdido y el pasaje.",
        "man",
        "15_29",
    ),
    Said(
        "discriminacion-linguistica",
        "Varias personas hablaron en su lengua y la facilitadora tradujo con apoyo de una "
        "promotora. Una señora contó lo que pasa en la clínica: «{quote}»",
        "Como no hablamos bien el español nos regañan, y mejor ya no vamos.",
        "woman",
        "60",
    ),
    Said(
        "discriminacion-linguistica",
        "Sobre la escuela, un padre dijo que los maestros no hablan la lengua de los niños. "
        "Explicó: «{quote}» El grupo pidió maestros bilingües y material en su lengua.",
        "Los niños entienden a medias y luego dicen que son burros; no es cierto.",
        "man",
        "30_59",
    ),
    Said(
        "empleo",
        "Sobre el trabajo, se dijo que el jornal no alcanza y que el precio del maíz y del "
        "frijol no cubre lo que cuesta sembrar. Un campesino dijo: «{quote}»",
        "Sembramos por costumbre, porque vender la cosecha ya no deja.",
        "man",
        "60",
    ),
    Said(
        "empleo",
        "Los jóvenes hablaron de la falta de empleo en {lugar}. Una joven dijo: «{quote}» "
        "Se mencionaron proyectos de artesanía y de café que podrían crecer con apoyo.",
        "Terminas la prepa y no hay nada; o te vas a la ciudad o te quedas sin trabajo.",
        "woman",
        "15_29",
        "empleo-jovenes",
    ),
]

OPENING = (
    "La sesión se realizó en {lugar} con personas de la comunidad convocadas por el "
    "comité y por una organización local. Se explicó el propósito del diagnóstico y el "
    "aviso de privacidad; nadie dio su nombre para estas notas."
)
CLOSING = (
    "Al cierre, el grupo pidió conocer los resultados del diagnóstico y propuso volver a "
    "reunirse cuando se presenten. Se acordó compartir las notas con el comité."
)
GROUPS = [
    "mujeres",
    "jóvenes",
    "autoridades comunitarias",
    "personas mayores",
    "madres y padres de familia",
    "productores",
]


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    codes = _codebook()
    stdout.write(f"  Libro de códigos: {len(codes)} temas.\n")
    made, coded, published = _sessions(rng, codes)
    stdout.write(
        f"  Grupos focales: {made} nuevos; {coded} fragmentos codificados; "
        f"{published} citas publicadas.\n"
    )


def _codebook() -> dict[str, Code]:
    codes: dict[str, Code] = {}
    for slug, name, description, parent in CODEBOOK:
        code, _created = Code.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "parent": codes.get(parent) if parent else None,
            },
        )
        codes[slug] = code
    return codes


def _staff() -> tuple[User | None, User | None]:
    facilitator = User.objects.filter(email="facilitador@polo.demo").first()
    coordinator = User.objects.filter(email="coordinacion@polo.demo").first()
    return facilitator, coordinator


def _baseline_round() -> Round | None:
    return (
        Round.objects.filter(kind=Round.Kind.BASELINE)
        .order_by("campaign__created_at", "order")
        .first()
    )


def _sessions(rng: random.Random, codes: dict[str, Code]) -> tuple[int, int, int]:
    regions = programme_regions()
    if not regions:
        raise DemoError("No hay regiones del programa.")
    facilitator, coordinator = _staff()
    facilitated = set(facilitator.regions.values_list("slug", flat=True)) if facilitator else set()
    languages = {language.code: language for language in Language.objects.all()}
    round_ = _baseline_round()
    ordered = list(regions.items())
    counts = apportion(SESSIONS, [REGION_WEIGHTS.get(r.slug, 1) for r, _m in ordered])
    made = coded = published = 0
    number = 0
    for (region, municipalities), count in zip(ordered, counts, strict=True):
        for index in range(count):
            number += 1
            municipality = municipalities[index % min(len(municipalities), 3)]
            community = (
                Community.objects.filter(municipality=municipality, is_key=True)
                .order_by("name")
                .first()
            )
            place = community.name if community else municipality.name
            group = GROUPS[number % len(GROUPS)]
            title = f"Grupo focal con {group} de {place}"
            if FocusGroup.objects.filter(title=title, municipality=municipality).exists():
                continue
            said = _pick_paragraphs(rng, region.slug)
            notes = "\n\n".join(
                [
                    OPENING.format(lugar=place),
                    *(p.text.format(lugar=place, quote=p.quote) for p in said),
                    CLOSING,
                ]
            )
            by = facilitator if region.slug in facilitated else coordinator
            fields = {
                "title": title,
                "held_on": datetime.date(2026, 3, 2)
                + datetime.timedelta(days=rng.randrange(0, 200)),
                "municipality": municipality,
                "community": community,
                "round": round_,
                "facilitator": by,
                "notes": notes,
                # Two sessions are still being written up.
                "status": FocusGroup.Status.DRAFT
                if number in (4, 11)
                else FocusGroup.Status.COMPLETE,
                **_participants(rng, group),
            }
            wanted = ["espanol", *REGION_LANGUAGES.get(region.slug, [])[: rng.randint(0, 2)]]
            session = services.focus_group_create(
                by=by,
                fields=fields,
                languages=[languages[code] for code in wanted if code in languages],
            )
            made += 1
            c, p = _code(rng, session, said, codes, by, coordinator)
            coded += c
            published += p
    return made, coded, published


def _pick_paragraphs(rng: random.Random, region_slug: str) -> list[Said]:
    """Four or five paragraphs, the region's own themes weighed three times."""
    favoured = set(REGION_THEMES.get(region_slug, []))
    weights = [3 if p.theme in favoured else 1 for p in PARAGRAPHS]
    chosen: list[Said] = []
    pool = list(zip(PARAGRAPHS, weights, strict=True))
    for _ in range(rng.randint(4, 5)):
        items, item_weights = zip(*pool, strict=True)
        pick = rng.choices(items, weights=item_weights, k=1)[0]
        chosen.append(pick)
        pool = [(p, w) for p, w in pool if p is not pick]
    return chosen


def _participants(rng: random.Random, group: str) -> dict[str, int]:
    counts = {f"{sex}_{band}": 0 for sex, _l in SEXES for band, _b in AGE_BANDS}
    sexes = ["women"] if group == "mujeres" else ["women", "men"]
    bands = {"jóvenes": ["15_29"], "personas mayores": ["60"]}.get(group, ["15_29", "30_59", "60"])
    for sex in sexes:
        for band in bands:
            counts[f"{sex}_{band}"] = rng.randint(1, 6)
    if rng.random() < 0.2:
        counts["other_15_29"] = 1
    return counts


def _code(
    rng: random.Random,
    session: FocusGroup,
    said: list[Said],
    codes: dict[str, Code],
    by: User | None,
    coordinator: User | None,
) -> tuple[int, int]:
    """Each theme paragraph coded with its theme; what the participant said,
    with the sub-theme when there is one; a quote published now and then."""
    coded = published = 0
    for index, paragraph in enumerate(said, start=1):  # paragraph 0 is the opening
        services.passage_code_focus_group(
            focus_group=session, by=by, codes=[codes[paragraph.theme]], paragraph=index
        )
        coded += 1
        quote_codes = [codes[paragraph.theme]]
        if paragraph.sub_theme:
            quote_codes.append(codes[paragraph.sub_theme])
        passage = services.passage_code_focus_group(
            focus_group=session, by=by, codes=quote_codes, passage=paragraph.quote
        )
        coded += 1
        if (
            session.status == FocusGroup.Status.COMPLETE
            and rng.random() < 0.25
            and not Passage.objects.filter(is_published=True, text=paragraph.quote).exists()
        ):
            services.quote_publish(
                passage=passage,
                by=coordinator,
                sex=paragraph.sex,
                age=paragraph.age,
                place=Passage.Attribution.REGION,
            )
            published += 1
    return coded, published
