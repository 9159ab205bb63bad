"""Invented Mexican names for demo people and organisations.

Organisation names are assembled from parts, in the styles that civil-society
organisations in Oaxaca, Puebla and Guerrero use, so that they read as real
without naming any real organisation. Only academic institutions carry real
names (see ``polo.demo.directory.ACADEMIC_INSTITUTIONS``).
"""

from __future__ import annotations

import random
import re
import unicodedata

FEMALE_NAMES = [
    "María",
    "Guadalupe",
    "Juana",
    "Margarita",
    "Verónica",
    "Leticia",
    "Rosa",
    "Alejandra",
    "Patricia",
    "Elena",
    "Adriana",
    "Gabriela",
    "Sofía",
    "Valeria",
    "Fernanda",
    "Daniela",
    "Ximena",
    "Andrea",
    "Itzel",
    "Citlali",
    "Xóchitl",
    "Yaretzi",
    "Nayeli",
    "Araceli",
    "Rocío",
    "Beatriz",
    "Lucía",
    "Carmen",
    "Teresa",
    "Irma",
    "Josefina",
    "Silvia",
    "Mariana",
    "Paola",
    "Karla",
    "Brenda",
    "Yesenia",
    "Abigail",
    "Dulce",
    "Marisol",
    "Natalia",
    "Estefanía",
    "Isabel",
    "Reyna",
    "Florencia",
    "Eréndira",
    "Tonantzin",
    "Zyanya",
]

MALE_NAMES = [
    "José",
    "Juan",
    "Miguel",
    "Luis",
    "Jorge",
    "Francisco",
    "Alejandro",
    "Pedro",
    "Ricardo",
    "Fernando",
    "Eduardo",
    "Roberto",
    "Arturo",
    "Sergio",
    "Raúl",
    "Héctor",
    "Santiago",
    "Mateo",
    "Diego",
    "Emiliano",
    "Leonardo",
    "Sebastián",
    "Daniel",
    "Ángel",
    "Jesús",
    "Manuel",
    "Rafael",
    "Javier",
    "Antonio",
    "Gerardo",
    "Rogelio",
    "Efraín",
    "Cuauhtémoc",
    "Tonatiuh",
    "Itzcóatl",
    "Abel",
    "Isaías",
    "Eleazar",
    "Germán",
    "Ulises",
    "Óscar",
    "Marco Antonio",
    "Juan Carlos",
    "José Luis",
    "Noé",
    "Baltazar",
    "Crispín",
    "Aarón",
]

SURNAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Moreno",
    "Castillo",
    "Romero",
    "Álvarez",
    "Méndez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velasco",
    "Salazar",
    "Santiago",
    "Bautista",
    "Zárate",
    "Matías",
    "Jerónimo",
    "Nicolás",
    "Mejía",
    "Cortés",
    "Luna",
    "Rosas",
    "Ayala",
    "Villalobos",
    "Solano",
    "Carrasco",
    "Sosa",
    "Zavaleta",
    "Maldonado",
    "Olivera",
    "Toledo",
    "Aquino",
    "Pacheco",
    "Espinosa",
    "Galindo",
    "Quiroz",
]

# "Por ..." objects: what an organisation works for. Paired with themes.
CAUSES = {
    "derechos-humanos": [
        "los Derechos Humanos",
        "la Dignidad",
        "la Justicia Social",
        "la Defensa de los Derechos",
    ],
    "genero-derechos-mujeres": [
        "la Equidad de Género",
        "los Derechos de las Mujeres",
        "una Vida Libre de Violencia",
        "la Igualdad",
    ],
    "ninez-juventud": ["la Niñez", "las Juventudes", "la Infancia", "el Futuro de la Niñez"],
    "pueblos-indigenas": [
        "los Pueblos Originarios",
        "la Autonomía Indígena",
        "las Lenguas Originarias",
        "la Comunalidad",
    ],
    "medio-ambiente-territorio": [
        "el Medio Ambiente",
        "la Madre Tierra",
        "el Territorio",
        "los Bosques",
        "el Desarrollo Sustentable",
    ],
    "salud": ["la Salud Comunitaria", "la Salud Integral", "el Bienestar"],
    "educacion": ["la Educación Popular", "la Alfabetización", "la Educación Alternativa"],
    "desarrollo-economico": [
        "el Desarrollo Local",
        "la Economía Solidaria",
        "el Comercio Justo",
        "el Desarrollo Rural",
    ],
    "migracion": ["las Personas Migrantes", "las Familias Migrantes", "la Movilidad Humana"],
    "seguridad-construccion-paz": [
        "la Paz",
        "la Construcción de Paz",
        "la Reconciliación",
        "la Seguridad Ciudadana",
    ],
    "transparencia-rendicion-cuentas": [
        "la Transparencia",
        "la Rendición de Cuentas",
        "el Buen Gobierno",
    ],
    "cultura": ["la Cultura", "las Artes", "la Memoria", "el Patrimonio Cultural"],
    "participacion-ciudadana": [
        "la Participación Ciudadana",
        "la Democracia",
        "la Ciudadanía Activa",
        "la Incidencia Ciudadana",
    ],
    "discapacidad": ["la Inclusión", "las Personas con Discapacidad", "la Accesibilidad"],
    "agua-alimentacion": [
        "el Agua",
        "la Soberanía Alimentaria",
        "la Milpa",
        "la Alimentación Sana",
    ],
    "vivienda": ["la Vivienda Digna", "el Hábitat Popular"],
    "personas-mayores": ["las Personas Mayores", "el Envejecimiento Digno"],
    "gestion-riesgos": ["la Prevención de Desastres", "la Resiliencia Comunitaria"],
    "diversidad-sexual": ["la Diversidad", "la Diversidad Sexual"],
}

# Leading words, by theme where they fit; "*" fits any.
LEADS = {
    "*": [
        "Centro de Apoyo",
        "Asociación",
        "Fundación",
        "Iniciativas",
        "Alianza",
        "Servicios",
        "Enlace",
        "Unión",
        "Instituto",
        "Proyecto",
        "Grupo de Estudios",
        "Centro Regional",
        "Frente Cívico",
        "Coordinadora",
        "Espacio",
    ],
    "derechos-humanos": [
        "Centro de Derechos Humanos",
        "Comité de Derechos Humanos",
        "Defensoría Comunitaria",
    ],
    "genero-derechos-mujeres": [
        "Mujeres Unidas",
        "Casa de la Mujer",
        "Red de Mujeres",
        "Colectiva Feminista",
    ],
    "ninez-juventud": ["Jóvenes Unidos", "Casa de la Niñez", "Centro Juvenil"],
    "pueblos-indigenas": ["Consejo Indígena", "Unión de Comunidades", "Centro de Lenguas"],
    "medio-ambiente-territorio": [
        "Guardianes",
        "Defensores del Territorio",
        "Centro de Estudios Ambientales",
    ],
    "salud": ["Promotoras de Salud", "Casa de Salud", "Clínica Comunitaria"],
    "educacion": ["Escuela Popular", "Centro de Educación", "Círculo de Estudios"],
    "desarrollo-economico": ["Cooperativa", "Unión de Productores", "Sociedad de Artesanas"],
    "migracion": ["Casa del Migrante", "Albergue", "Centro de Atención al Migrante"],
    "cultura": ["Taller de Arte", "Centro Cultural", "Casa de Cultura Comunitaria"],
}

# Invented proper names in Spanish, Náhuatl, Mixteco and Zapoteco images.
EPITHETS = [
    "Nuevo Amanecer",
    "Semilla de Esperanza",
    "Raíces",
    "Tequio",
    "Mano Vuelta",
    "Tonatiuh",
    "Xochiquetzal",
    "Yolotl",
    "Citlalli",
    "Tlalli",
    "Atl",
    "Ehécatl",
    "Ñuu Kuii",
    "Yucu Nuu",
    "Guendaliza",
    "Bidxaa",
    "Lachiguí",
    "Nda Ndivi",
    "Flor de Maíz",
    "Camino Nuevo",
    "Luz del Sur",
    "Tierra Fértil",
    "Sol Naciente",
    "Aguas Claras",
    "Corazón del Sur",
    "Palabra Verdadera",
    "Manos Unidas",
    "Horizontes",
    "Vientos del Sur",
    "Colibrí",
    "Ceiba",
    "Copal",
    "Huehuetl",
    "Teocintle",
]

REGION_PLACES = {
    "valles-centrales": ["de los Valles Centrales", "de Oaxaca", "de los Valles"],
    "mixteca-huajuapan": ["de la Mixteca", "de la Mixteca Baja", "de Huajuapan"],
    "tehuacan": ["de Tehuacán", "del Valle de Tehuacán", "de la Sierra Negra"],
    "puebla": ["de Puebla", "de la Angelópolis", "del Valle de Puebla"],
    "acapulco": ["de Acapulco", "de la Costa Grande", "del Puerto"],
    "montana": ["de la Montaña", "de la Montaña de Guerrero", "de Tlapa"],
}

COLLECTIVE_LEADS = [
    "Colectivo",
    "Grupo",
    "Jóvenes",
    "Mujeres",
    "Brigada",
    "Círculo",
    "Asamblea",
    "Taller",
    "Comité Comunitario",
    "Red Juvenil",
]

LEGAL_FORMS = ["A.C."] * 17 + ["I.A.P."] * 2 + ["S.C."]

_SMALL_WORDS = {"de", "del", "la", "las", "los", "el", "y", "por", "para", "en", "a", "al", "e"}


def person_name(rng: random.Random) -> str:
    first = rng.choice(FEMALE_NAMES if rng.random() < 0.55 else MALE_NAMES)
    return f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


def ascii_slug(text: str, sep: str = ".") -> str:
    """Plain lower-case ASCII for e-mail addresses: "Xóchitl Ñuu" → "xochitl.nuu"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, plain.lower()).strip(sep)


def acronym(name: str, limit: int = 7) -> str:
    """Initials of the significant words: "Mujeres Unidas por la Paz" → "MUP"."""
    words = [w for w in re.split(r"[\s,]+", name) if w and w.lower() not in _SMALL_WORDS]
    letters = "".join(ascii_slug(w, "")[:1].upper() for w in words if w[0].isalpha())
    return letters[:limit]


def cso_name(
    rng: random.Random, *, themes: list[str], region_slug: str | None, place: str | None = None
) -> str:
    """A civil association's name (without the legal form), after its first theme."""
    theme = themes[0]
    lead = rng.choice(LEADS.get(theme, []) + LEADS["*"]) if rng.random() < 0.7 else None
    lead = lead or rng.choice(LEADS["*"])
    cause = rng.choice(CAUSES[theme])
    where = place or rng.choice(REGION_PLACES.get(region_slug or "", ["de México"]))
    pattern = rng.randrange(5)
    if pattern == 0:
        return f"{lead} {where} {rng.choice(EPITHETS)}"
    if pattern == 1:
        return f"{lead} por {cause} {where}"
    if pattern == 2:
        return f"{rng.choice(EPITHETS)}, {lead} para {cause}"
    if pattern == 3:
        return f"{lead} {rng.choice(EPITHETS)} {where}"
    return f"{lead} para {cause} {where}"


def collective_name(
    rng: random.Random, *, themes: list[str], region_slug: str | None, place: str | None = None
) -> str:
    lead = rng.choice(COLLECTIVE_LEADS)
    where = place or rng.choice(REGION_PLACES.get(region_slug or "", ["de México"]))
    if rng.random() < 0.5:
        return f"{lead} {rng.choice(EPITHETS)} {where}"
    return f"{lead} por {rng.choice(CAUSES[themes[0]])} {where}"


PUBLIC_BODIES = [
    "Instituto Municipal de las Mujeres",
    "Instituto Municipal de la Juventud",
    "Sistema Municipal DIF",
    "Instituto Municipal de Cultura",
    "Dirección de Participación Ciudadana",
    "Consejo Municipal de Protección Civil",
    "Instituto Municipal de Planeación",
    "Consejo Municipal de Desarrollo Rural",
]


def community_name(
    rng: random.Random, *, themes: list[str], region_slug: str | None, place: str | None = None
) -> str:
    where = place or rng.choice(REGION_PLACES.get(region_slug or "", ["de México"]))
    lead = rng.choice(
        [
            "Comité Comunitario",
            "Asamblea Comunitaria",
            "Comité de Agua",
            "Comisariado",
            "Comité de Salud",
        ]
    )
    return f"{lead} {rng.choice(EPITHETS)} {where}"


def public_body_name(
    rng: random.Random, *, themes: list[str], region_slug: str | None, place: str | None = None
) -> str:
    where = place or rng.choice(REGION_PLACES.get(region_slug or "", ["de México"]))
    return f"{rng.choice(PUBLIC_BODIES)} {where}"
