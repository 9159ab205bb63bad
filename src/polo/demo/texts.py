"""Spanish descriptions for demo organisations, assembled from sentences."""

from __future__ import annotations

import random

# What an organisation does, by theme slug.
ACTIVITIES = {
    "derechos-humanos": [
        "acompaña a víctimas de violaciones a derechos humanos y documenta casos",
        "ofrece asesoría jurídica gratuita y talleres sobre derechos",
    ],
    "genero-derechos-mujeres": [
        "acompaña a mujeres que viven violencia y promueve su liderazgo comunitario",
        "forma promotoras comunitarias en derechos sexuales y reproductivos",
    ],
    "ninez-juventud": [
        "abre espacios de expresión y participación para niñas, niños y adolescentes",
        "acompaña a jóvenes en proyectos productivos y culturales",
    ],
    "pueblos-indigenas": [
        "fortalece la organización comunitaria y los sistemas normativos propios",
        "promueve el uso de las lenguas originarias en la vida pública",
    ],
    "medio-ambiente-territorio": [
        "impulsa la defensa del territorio y el manejo comunitario de los bienes naturales",
        "reforesta cuencas y capacita en agroecología",
    ],
    "salud": [
        "forma promotoras de salud y acerca servicios a comunidades alejadas",
        "promueve la medicina tradicional y la salud materna",
    ],
    "educacion": [
        "ofrece alfabetización y acompañamiento escolar",
        "diseña materiales de educación popular para adultos",
    ],
    "desarrollo-economico": [
        "acompaña cooperativas de productoras y productores en la comercialización justa",
        "impulsa proyectos de economía social y solidaria",
    ],
    "migracion": [
        "orienta a familias migrantes y a personas en retorno",
        "documenta las rutas migratorias y defiende los derechos de las personas en tránsito",
    ],
    "seguridad-construccion-paz": [
        "facilita procesos de mediación comunitaria y construcción de paz",
        "promueve la prevención de la violencia con jóvenes de colonias populares",
    ],
    "transparencia-rendicion-cuentas": [
        "da seguimiento al presupuesto municipal y a las obras públicas",
        "enseña a presentar solicitudes de acceso a la información",
    ],
    "cultura": [
        "preserva la música, las danzas y los saberes de la región",
        "organiza talleres de artes y ferias culturales comunitarias",
    ],
    "participacion-ciudadana": [
        "promueve la participación ciudadana en los cabildos abiertos y en los consejos",
        "forma liderazgos comunitarios en incidencia en políticas públicas",
    ],
    "discapacidad": [
        "promueve la inclusión de personas con discapacidad y la accesibilidad",
        "ofrece rehabilitación comunitaria y orientación a las familias",
    ],
    "agua-alimentacion": [
        "construye sistemas de captación de agua de lluvia y huertos familiares",
        "defiende la milpa y las semillas nativas",
    ],
    "vivienda": [
        "acompaña a familias en la autoconstrucción de vivienda digna",
        "asesora sobre regularización de la tierra y vivienda",
    ],
    "personas-mayores": [
        "acompaña a personas mayores y promueve su participación comunitaria",
    ],
    "gestion-riesgos": [
        "forma brigadas comunitarias de protección civil y gestión de riesgos",
    ],
    "diversidad-sexual": [
        "defiende los derechos de las personas de la diversidad sexual y de género",
    ],
}

AUDIENCES = [
    "comunidades indígenas y rurales",
    "mujeres y jóvenes",
    "familias de colonias populares",
    "productoras y productores",
    "niñas, niños y adolescentes",
    "autoridades comunitarias",
    "personas migrantes y sus familias",
    "escuelas y comités de madres y padres",
]

CLOSINGS = [
    "Forma parte de la red de organizaciones del programa Polo.",
    "Participa en los foros regionales y en la construcción de agendas comunes.",
    "Trabaja en alianza con otras organizaciones y con autoridades locales.",
    "Busca alianzas para ampliar su trabajo a más comunidades.",
    "Sus integrantes cursaron el diplomado en ciudadanía, construcción de paz y políticas "
    "públicas.",
]

KIND_OPENINGS = {
    "cso": "Organización de la sociedad civil",
    "collective": "Colectivo",
    "community": "Organización comunitaria",
    "network": "Red de organizaciones",
    "public_body": "Organismo público",
}


def organization_description(
    rng: random.Random,
    *,
    kind: str,
    themes: list[str],
    municipality: str,
    state: str,
    founded_year: int | None,
) -> str:
    opening = KIND_OPENINGS.get(kind, "Organización")
    since = f" Trabaja desde {founded_year}." if founded_year else ""
    activity = rng.choice(ACTIVITIES.get(themes[0], ACTIVITIES["participacion-ciudadana"]))
    text = (
        f"{opening} con sede en {municipality}, {state}.{since} "
        f"{activity[0].upper()}{activity[1:]} con {rng.choice(AUDIENCES)} "
        f"de {rng.randint(2, 30)} comunidades."
    )
    if len(themes) > 1:
        second = rng.choice(ACTIVITIES.get(themes[1], ACTIVITIES["participacion-ciudadana"]))
        text += f" También {second}."
    return f"{text} {rng.choice(CLOSINGS)}"


def local_authority_description(*, municipality: str, state: str) -> str:
    return (
        f"Gobierno municipal de {municipality}, {state}. Participa en los foros del programa "
        "con organizaciones de la sociedad civil y en la construcción de agendas comunes y "
        "acuerdos para institucionalizar la consulta ciudadana."
    )


def academic_description(*, name: str, municipality: str, state: str) -> str:
    return (
        f"{name}, con sede en {municipality}, {state}. Firmó un convenio de colaboración con "
        "el programa: sus estudiantes participan en los foros, el diagnóstico participativo y "
        "el diplomado en ciudadanía, construcción de paz y políticas públicas."
    )


# Key communities (A1.2): why the programme maps them, by what the region lives.
KEY_COMMUNITY_REASONS = {
    "valles-centrales": [
        "Asamblea comunitaria activa que decide por usos y costumbres; interés en la consulta "
        "ciudadana sobre el agua.",
        "Comunidad zapoteca con alta migración de jóvenes a Estados Unidos y a la capital.",
        "Mujeres artesanas organizadas en cooperativas que buscan acceso a mercados justos.",
        "Conflicto agrario con la comunidad vecina; comités que piden mediación.",
    ],
    "mixteca-huajuapan": [
        "Comunidad mixteca expulsora de migrantes; hogares encabezados por mujeres.",
        "Escasez de agua y erosión del suelo; comité de agua que busca apoyo técnico.",
        "Escuela comunitaria que enseña en tu'un savi y pide materiales en su lengua.",
    ],
    "tehuacan": [
        "Trabajadoras y trabajadores de la maquila textil con jornadas largas y poca protección.",
        "Comunidad popoloca que defiende sus manantiales frente a las granjas industriales.",
        "Jóvenes sin acceso a educación media superior en la localidad.",
    ],
    "puebla": [
        "Colonia periférica de la zona metropolitana con rezago en servicios y alta inseguridad.",
        "Junta auxiliar con tradición de participación vecinal y presupuesto participativo.",
        "Comunidad nahua conurbada que mantiene sus fiestas y su asamblea.",
    ],
    "acapulco": [
        "Colonia afectada por huracanes; comités de vecinos para la reconstrucción.",
        "Comunidad afromexicana de la costa que busca reconocimiento y servicios.",
        "Zona con presencia del crimen organizado; iniciativas juveniles de paz.",
    ],
    "montana": [
        "Comunidad me'phaa con alta marginación; parteras y promotoras de salud comunitaria.",
        "Jornaleras y jornaleros agrícolas que migran cada temporada al noroeste del país.",
        "Policía comunitaria y autoridades agrarias que defienden el territorio.",
        "Comunidad nahua sin clínica; traslados de horas para atender partos.",
    ],
}

KEY_COMMUNITY_NOTES = [
    "Cuenta con escuela primaria y telesecundaria; el centro de salud más cercano está en la "
    "cabecera municipal.",
    "Se organiza en comités (agua, escuela, fiestas) y en asamblea general cada mes.",
    "Buena parte de la población trabaja en el campo; la señal de teléfono es intermitente.",
    "Hay un grupo de mujeres que se reúne cada semana y una radio comunitaria.",
]

STREETS = [
    "Av. Independencia",
    "Calle Morelos",
    "Calle Hidalgo",
    "Av. Juárez",
    "Calle Guerrero",
    "Calle 5 de Mayo",
    "Calle Allende",
    "Av. Reforma",
    "Calle Aldama",
    "Calle Matamoros",
    "Calle Zaragoza",
    "Privada de las Flores",
]
NEIGHBOURHOODS = [
    "Centro",
    "Barrio de San Juan",
    "Col. Reforma",
    "Col. Emiliano Zapata",
    "Barrio de Guadalupe",
    "Col. Benito Juárez",
    "Col. Las Flores",
    "Barrio de la Soledad",
]
