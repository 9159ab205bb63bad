"""The Incidence Manual as an XLSForm: Polo's default organisational
self-assessment for civil-society organisations (CSOs) and collectives.

Written as tables so that it can be read and reviewed here; ``manual_xlsform``
makes the .xlsx a coordinator downloads, adapts and uploads again as a new
version (``polo assessments xlsform`` writes it to a file). Everything that
scores is in the workbook, none of it in code:

- ``survey``: one group per area. Each *item* is a ``select_one`` on its own
  list with the four levels of the maturity scale (1–4), each described in
  plain words; its ``area`` column says which area it counts toward and its
  ``weight`` column how much (1 when empty). An evidence question (a note or a
  link, ``text``) follows each item, and each area ends with an optional file;
  their ``evidence_for`` column names the item or the area they back.
  *Exercises* (reflection questions with free-text answers) sit between the
  items, as in the printed manual; a ``route`` column marks the answers the
  advocacy-route page reads (problem, authority, theme, space, first_step,
  municipality).
- ``areas``: one row per area (name, label, description) in the order shown.
- ``acciones``: suggested actions for an item (one row each), with an optional
  ``material`` from the ``materiales`` sheet (a title and, when public, a URL).

The items follow the organisational capacity assessments used with CSOs
(USAID's OCA, Pact's OPI, Cemefi's institutionality indicators), written for
Mexican organisations and collectives, registered or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from polo.surveys.workbooks import xlsform_bytes

ES = "Español (es)"
EN = "English (en)"
FORM_ID = "manual_incidencia"
FORM_VERSION = "2026.1"
TITLE_ES = "Manual de incidencia: autodiagnóstico organizacional"
LEVEL_NAMES = {
    1: ("Inicial", "Starting"),
    2: ("En desarrollo", "Developing"),
    3: ("Establecido", "Established"),
    4: ("Consolidado", "Consolidated"),
}


@dataclass(frozen=True)
class Area:
    slug: str
    es: str
    en: str
    description_es: str
    description_en: str


@dataclass(frozen=True)
class Item:
    name: str
    weight: int
    es: str
    en: str
    levels_es: tuple[str, str, str, str]
    levels_en: tuple[str, str, str, str]
    hint_es: str = ""
    hint_en: str = ""


@dataclass(frozen=True)
class Exercise:
    name: str
    es: str
    en: str
    route: str = ""
    choices: str = ""  # a choice list: a select_one instead of free text
    hint_es: str = ""
    hint_en: str = ""


@dataclass(frozen=True)
class Action:
    es: str
    en: str
    material: str = ""


@dataclass(frozen=True)
class Material:
    name: str
    es: str
    en: str
    url: str = ""


@dataclass
class AreaContent:
    area: Area
    items: list[Item]
    exercises: list[Exercise] = field(default_factory=list)


AREAS = [
    AreaContent(
        Area(
            "identidad",
            "Identidad y misión",
            "Identity and mission",
            "Para qué existe la organización, con quién trabaja y qué cambio busca.",
            "Why the organisation exists, whom it works with and what change it seeks.",
        ),
        [
            Item(
                "mision",
                2,
                "Misión y visión: ¿tienen claro para qué existen y a dónde quieren llegar?",
                "Mission and vision: is it clear why you exist and where you want to go?",
                (
                    "No las tenemos escritas; cada persona explica a su manera para qué existimos.",
                    "Están escritas, pero pocas personas del equipo las conocen o las usan.",
                    "Están escritas, el equipo las conoce y las usamos para decidir qué "
                    "proyectos aceptar.",
                    "Las revisamos con el equipo y la comunidad, y guían todas nuestras "
                    "decisiones.",
                ),
                (
                    "They are not written down; each person explains in their own way why "
                    "we exist.",
                    "They are written down, but few people on the team know or use them.",
                    "They are written down, the team knows them and we use them to decide "
                    "which projects to take on.",
                    "We review them with the team and the community, and they guide all our "
                    "decisions.",
                ),
            ),
            Item(
                "plan_trabajo",
                1,
                "Plan de trabajo: ¿planean lo que van a hacer?",
                "Work plan: do you plan what you will do?",
                (
                    "Trabajamos según van surgiendo las necesidades, sin plan escrito.",
                    "Tenemos un plan para el año, pero casi no lo revisamos.",
                    "Tenemos un plan anual con objetivos y lo revisamos al menos una vez al año.",
                    "Tenemos un plan de varios años con metas medibles, que evaluamos y "
                    "ajustamos con el equipo.",
                ),
                (
                    "We work as needs come up, without a written plan.",
                    "We have a plan for the year, but we hardly ever look at it.",
                    "We have a yearly plan with objectives and review it at least once a year.",
                    "We have a plan for several years with measurable goals, which we evaluate "
                    "and adjust with the team.",
                ),
            ),
            Item(
                "poblacion",
                1,
                "Población y cambio buscado: ¿saben con quién trabajan y qué quieren cambiar?",
                "People served and change sought: do you know whom you work with and what "
                "you want to change?",
                (
                    "Atendemos a quien llegue; no hemos definido con quién trabajamos.",
                    "Sabemos con quién trabajamos, pero no hemos definido qué cambio buscamos "
                    "en sus vidas.",
                    "Definimos la población y el cambio que buscamos, y lo explicamos en "
                    "nuestros materiales.",
                    "Las personas con quienes trabajamos participan en definir el cambio que "
                    "buscamos y en revisar si lo logramos.",
                ),
                (
                    "We serve whoever comes; we have not defined whom we work with.",
                    "We know whom we work with, but we have not defined what change we seek "
                    "in their lives.",
                    "We have defined the people we serve and the change we seek, and our "
                    "materials explain it.",
                    "The people we work with take part in defining the change we seek and in "
                    "checking whether we achieve it.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_futuro",
                "Ejercicio: imaginen su comunidad dentro de diez años, si su trabajo sale bien. "
                "¿Qué es distinto?",
                "Exercise: imagine your community ten years from now, if your work goes well. "
                "What is different?",
            )
        ],
    ),
    AreaContent(
        Area(
            "gobernanza",
            "Gobernanza",
            "Governance",
            "Cómo se toman las decisiones, quién las toma y cómo se renuevan los liderazgos.",
            "How decisions are made, who makes them and how leadership is renewed.",
        ),
        [
            Item(
                "organo_gobierno",
                2,
                "Órgano de gobierno: ¿hay una asamblea, un consejo o una coordinación colectiva "
                "que tome las decisiones importantes?",
                "Governing body: is there an assembly, a board or a collective coordination "
                "that makes the important decisions?",
                (
                    "Las decisiones importantes las toma una sola persona.",
                    "Existe un órgano en el papel (acta constitutiva o acuerdo), pero casi no "
                    "se reúne.",
                    "El órgano se reúne con regularidad y deja sus acuerdos por escrito.",
                    "El órgano se reúne, rinde cuentas a las y los integrantes y se renueva "
                    "según reglas que todas y todos conocen.",
                ),
                (
                    "One person alone makes the important decisions.",
                    "A body exists on paper (articles of association or an agreement), but it "
                    "hardly ever meets.",
                    "The body meets regularly and writes down its agreements.",
                    "The body meets, reports to the members and is renewed by rules everyone "
                    "knows.",
                ),
            ),
            Item(
                "reglas_internas",
                1,
                "Reglas internas: ¿tienen reglas sobre cómo deciden y cómo resuelven conflictos?",
                "Internal rules: do you have rules on how you decide and solve conflicts?",
                (
                    "No tenemos reglas escritas sobre cómo decidimos o resolvemos conflictos.",
                    "Hay algunas reglas, pero no se conocen ni se aplican de forma pareja.",
                    "Tenemos estatutos o un reglamento interno que el equipo conoce y aplica.",
                    "Nuestras reglas también previenen conflictos de interés y violencias, y "
                    "las revisamos juntas y juntos.",
                ),
                (
                    "We have no written rules on how we decide or solve conflicts.",
                    "There are some rules, but they are not known or applied evenly.",
                    "We have by-laws or internal rules that the team knows and applies.",
                    "Our rules also prevent conflicts of interest and violence, and we review "
                    "them together.",
                ),
            ),
            Item(
                "relevo",
                1,
                "Relevo y liderazgo compartido: ¿la organización seguiría si falta quien la "
                "coordina?",
                "Succession and shared leadership: would the organisation carry on if its "
                "coordinator left?",
                (
                    "Todo depende de una persona; si se va, la organización se detiene.",
                    "Dos o tres personas conocen el trabajo, pero no hemos pensado en el relevo.",
                    "Varias personas pueden representar a la organización y tomar decisiones.",
                    "Formamos nuevos liderazgos (mujeres, jóvenes, personas indígenas) y "
                    "tenemos un plan de relevo.",
                ),
                (
                    "Everything depends on one person; if they leave, the organisation stops.",
                    "Two or three people know the work, but we have not thought about succession.",
                    "Several people can represent the organisation and make decisions.",
                    "We train new leaders (women, young people, indigenous people) and have a "
                    "succession plan.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_decision",
                "Ejercicio: recuerden la última decisión importante que tomaron. ¿Quién "
                "participó, quién no, y por qué?",
                "Exercise: remember the last important decision you made. Who took part, who "
                "did not, and why?",
            )
        ],
    ),
    AreaContent(
        Area(
            "administracion",
            "Administración y finanzas",
            "Administration and finances",
            "El manejo ordenado del dinero, los documentos y las obligaciones legales.",
            "Orderly management of money, documents and legal obligations.",
        ),
        [
            Item(
                "registro_contable",
                2,
                "Registro de ingresos y gastos: ¿saben cuánto dinero entra, cuánto sale y en qué "
                "se usa?",
                "Income and expenses: do you know how much money comes in, how much goes out "
                "and what it is used for?",
                (
                    "No llevamos registro de lo que entra y sale.",
                    "Anotamos ingresos y gastos, pero de manera incompleta o en libretas "
                    "personales.",
                    "Llevamos un registro ordenado con comprobantes y una persona responsable.",
                    "Tenemos contabilidad al día, presupuesto por proyecto y estados financieros "
                    "revisados (por un contador o una auditoría).",
                ),
                (
                    "We keep no record of what comes in and goes out.",
                    "We note income and expenses, but incompletely or in personal notebooks.",
                    "We keep an orderly record with receipts and a person in charge.",
                    "Our accounts are up to date, with a budget per project and financial "
                    "statements reviewed by an accountant or an audit.",
                ),
            ),
            Item(
                "obligaciones",
                1,
                "Obligaciones legales y fiscales: ¿las conocen y las cumplen?",
                "Legal and tax obligations: do you know and meet them?",
                (
                    "No sabemos qué obligaciones legales o fiscales tenemos.",
                    "Conocemos algunas obligaciones, pero nos atrasamos con frecuencia.",
                    "Cumplimos a tiempo nuestras obligaciones (SAT, CLUNI e informe anual, o los "
                    "acuerdos y permisos del colectivo).",
                    "Cumplimos a tiempo, tenemos un calendario de obligaciones y otra persona "
                    "puede hacerlo si falta la responsable.",
                ),
                (
                    "We do not know what legal or tax obligations we have.",
                    "We know some obligations, but we are often late.",
                    "We meet our obligations on time (tax office, CSO registry and yearly "
                    "report, or the collective's agreements and permits).",
                    "We meet them on time, keep a calendar of obligations, and someone else "
                    "can do it if the person in charge is away.",
                ),
                hint_es="Si son un colectivo sin registro legal, piensen en los acuerdos y "
                "permisos que necesitan para trabajar.",
                hint_en="If you are a collective without legal registration, think of the "
                "agreements and permits you need to work.",
            ),
            Item(
                "procedimientos",
                1,
                "Compras, pagos y archivo: ¿hay reglas para comprar, pagar y guardar documentos?",
                "Purchases, payments and records: are there rules to buy, pay and keep documents?",
                (
                    "No hay reglas para comprar, pagar o guardar documentos.",
                    "Hay costumbres, pero no están escritas.",
                    "Tenemos procedimientos escritos para compras, pagos y archivo de documentos.",
                    "Los procedimientos se aplican siempre, se revisan y nos permiten responder "
                    "rápido a una auditoría o a un donante.",
                ),
                (
                    "There are no rules to buy, pay or keep documents.",
                    "There are habits, but they are not written down.",
                    "We have written procedures for purchases, payments and filing documents.",
                    "The procedures are always applied, reviewed, and let us answer an audit "
                    "or a donor quickly.",
                ),
            ),
        ],
    ),
    AreaContent(
        Area(
            "sostenibilidad",
            "Procuración de fondos y sostenibilidad",
            "Fundraising and sustainability",
            "De dónde vienen los recursos y qué tan estable es el trabajo en el tiempo.",
            "Where resources come from and how stable the work is over time.",
        ),
        [
            Item(
                "fuentes",
                2,
                "Fuentes de recursos: ¿de cuántas fuentes depende su trabajo?",
                "Sources of funds: on how many sources does your work depend?",
                (
                    "Dependemos de una sola fuente (un donante, un programa o el bolsillo de "
                    "las y los integrantes).",
                    "Tenemos dos fuentes, pero una representa casi todo.",
                    "Tenemos varias fuentes (donativos, cuotas, venta de servicios, "
                    "convocatorias) y ninguna pasa de la mitad.",
                    "Tenemos fuentes diversas, reservas para al menos tres meses y una "
                    "estrategia de procuración de fondos.",
                ),
                (
                    "We depend on a single source (one donor, one programme or our members' "
                    "own pockets).",
                    "We have two sources, but one is almost everything.",
                    "We have several sources (donations, fees, sale of services, calls for "
                    "proposals) and none is more than half.",
                    "We have diverse sources, reserves for at least three months and a "
                    "fundraising strategy.",
                ),
            ),
            Item(
                "proyectos",
                1,
                "Proyectos y convocatorias: ¿pueden preparar proyectos y conseguir financiamiento?",
                "Projects and calls: can you prepare projects and obtain funding?",
                (
                    "Nunca hemos presentado un proyecto a una convocatoria.",
                    "Hemos presentado proyectos, pero con ayuda externa y rara vez con éxito.",
                    "Preparamos proyectos por nuestra cuenta y obtenemos financiamiento con "
                    "cierta regularidad.",
                    "Preparamos proyectos de calidad, informamos bien a los donantes y ellos "
                    "vuelven a apoyarnos.",
                ),
                (
                    "We have never applied to a call for proposals.",
                    "We have applied, but with outside help and rarely with success.",
                    "We prepare projects on our own and obtain funding fairly regularly.",
                    "We prepare good projects, report well to donors and they support us again.",
                ),
            ),
            Item(
                "aportes_comunidad",
                1,
                "Aportes de la comunidad: ¿la comunidad y otras personas aportan al trabajo?",
                "Community contributions: do the community and other people contribute to the "
                "work?",
                (
                    "La comunidad no aporta recursos, tiempo ni materiales.",
                    "Recibimos apoyos ocasionales (faenas, tequio, donaciones en especie).",
                    "La comunidad y otras personas aportan de forma regular y lo registramos.",
                    "Tenemos una base de personas que aportan, que crece y a la que le informamos.",
                ),
                (
                    "The community gives no resources, time or materials.",
                    "We get occasional support (communal work, tequio, donations in kind).",
                    "The community and other people contribute regularly, and we keep a record.",
                    "We have a growing base of contributors, whom we keep informed.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_recursos",
                "Ejercicio: si mañana perdieran su principal fuente de recursos, ¿qué "
                "actividades seguirían y cuáles se detendrían?",
                "Exercise: if you lost your main source of funds tomorrow, which activities "
                "would carry on and which would stop?",
            )
        ],
    ),
    AreaContent(
        Area(
            "personas",
            "Personas y voluntariado",
            "People and volunteers",
            "El equipo, el voluntariado, su formación y su cuidado.",
            "The team and the volunteers, their training and their care.",
        ),
        [
            Item(
                "funciones",
                1,
                "Funciones: ¿cada quien sabe qué le toca hacer?",
                "Roles: does everyone know what they are expected to do?",
                (
                    "No está claro quién hace qué.",
                    "Las funciones se conocen de palabra, pero se cruzan o quedan huecos.",
                    "Cada persona tiene funciones escritas y sabe a quién rendir cuentas.",
                    "Las funciones se revisan con el equipo y hay acuerdos de trabajo justos "
                    "(horarios, pagos, cuidados).",
                ),
                (
                    "It is not clear who does what.",
                    "Roles are known by word of mouth, but they overlap or leave gaps.",
                    "Each person has written duties and knows whom they report to.",
                    "Roles are reviewed with the team and there are fair working agreements "
                    "(hours, pay, care).",
                ),
            ),
            Item(
                "formacion",
                1,
                "Formación: ¿el equipo tiene oportunidades de aprender?",
                "Training: does the team have chances to learn?",
                (
                    "No hay oportunidades de formación para el equipo.",
                    "Algunas personas se forman por su cuenta, sin apoyo de la organización.",
                    "La organización busca y apoya la formación del equipo según sus necesidades.",
                    "Tenemos un plan de formación y lo aprendido se comparte dentro del equipo.",
                ),
                (
                    "There are no training opportunities for the team.",
                    "Some people train on their own, without the organisation's support.",
                    "The organisation seeks and supports the team's training as needed.",
                    "We have a training plan and what is learnt is shared within the team.",
                ),
            ),
            Item(
                "cuidados",
                1,
                "Voluntariado y cuidados: ¿acompañan y cuidan a quienes colaboran?",
                "Volunteers and care: do you support and look after those who take part?",
                (
                    "No sabemos cuántas personas voluntarias colaboran ni las acompañamos.",
                    "Recibimos voluntariado, pero sin acuerdos ni seguimiento.",
                    "Tenemos acuerdos con las personas voluntarias, las capacitamos y les damos "
                    "seguimiento.",
                    "Cuidamos el bienestar y la seguridad de todo el equipo y el voluntariado, "
                    "con protocolos que todas y todos conocen.",
                ),
                (
                    "We do not know how many volunteers take part, and we do not support them.",
                    "We take volunteers, but without agreements or follow-up.",
                    "We have agreements with volunteers, train them and follow up.",
                    "We look after the wellbeing and safety of the whole team and the "
                    "volunteers, with protocols everyone knows.",
                ),
            ),
        ],
    ),
    AreaContent(
        Area(
            "territorio",
            "Conocimiento del territorio",
            "Knowledge of the territory",
            "Qué tanto conocen la comunidad, sus actores, sus lenguas y sus problemas.",
            "How well you know the community, its actors, its languages and its problems.",
        ),
        [
            Item(
                "diagnostico",
                2,
                "Diagnóstico: ¿conocen con datos la situación de su comunidad?",
                "Diagnosis: do you know the situation of your community with data?",
                (
                    "Conocemos la comunidad solo por experiencia, sin datos ni registros.",
                    "Tenemos información suelta (algunas cifras, testimonios), pero no un "
                    "diagnóstico.",
                    "Hicimos un diagnóstico con datos (por ejemplo, del INEGI) y con la voz de "
                    "la comunidad.",
                    "Actualizamos el diagnóstico con la comunidad y lo usamos para planear y "
                    "para argumentar ante las autoridades.",
                ),
                (
                    "We know the community from experience only, without data or records.",
                    "We have scattered information (some figures, testimonies), but no diagnosis.",
                    "We made a diagnosis with data (from INEGI, for instance) and the "
                    "community's voice.",
                    "We update the diagnosis with the community and use it to plan and to "
                    "make our case to the authorities.",
                ),
            ),
            Item(
                "mapa_actores",
                1,
                "Mapa de actores: ¿saben quién es quién en su territorio?",
                "Map of actors: do you know who is who in your territory?",
                (
                    "No hemos identificado a los actores del territorio (autoridades, "
                    "organizaciones, empresas, liderazgos).",
                    "Conocemos a algunos actores, pero no sabemos bien su papel ni su postura.",
                    "Tenemos un mapa de actores con su papel, su interés y su relación con "
                    "nuestra organización.",
                    "Actualizamos el mapa y lo usamos para decidir con quién aliarnos y a quién "
                    "dirigirnos.",
                ),
                (
                    "We have not identified the actors of the territory (authorities, "
                    "organisations, businesses, leaders).",
                    "We know some actors, but not their role or their position.",
                    "We have a map of actors with their role, their interest and their "
                    "relationship with us.",
                    "We update the map and use it to decide whom to ally with and whom to address.",
                ),
            ),
            Item(
                "pertinencia",
                1,
                "Pertinencia cultural y lingüística: ¿su trabajo respeta las lenguas y las "
                "formas de organización de la comunidad?",
                "Cultural and linguistic relevance: does your work respect the community's "
                "languages and ways of organising?",
                (
                    "Trabajamos solo en español y sin tomar en cuenta los usos y costumbres "
                    "locales.",
                    "Tomamos en cuenta la cultura local de vez en cuando.",
                    "Trabajamos en las lenguas de la comunidad cuando hace falta y respetamos "
                    "sus formas de organización.",
                    "Personas de la comunidad, hablantes de sus lenguas, diseñan y conducen "
                    "parte del trabajo.",
                ),
                (
                    "We work in Spanish only and without regard to local customs.",
                    "We take local culture into account now and then.",
                    "We work in the community's languages when needed and respect its ways of "
                    "organising.",
                    "People from the community who speak its languages design and lead part "
                    "of the work.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_ausentes",
                "Ejercicio: ¿quiénes viven en su territorio y no participan en sus actividades? "
                "¿Por qué creen que no participan?",
                "Exercise: who lives in your territory and does not take part in your "
                "activities? Why do you think they do not?",
            )
        ],
    ),
    AreaContent(
        Area(
            "redes",
            "Redes y alianzas",
            "Networks and alliances",
            "El trabajo con otras organizaciones, colectivos y redes.",
            "Work with other organisations, collectives and networks.",
        ),
        [
            Item(
                "alianzas",
                2,
                "Alianzas: ¿trabajan con otras organizaciones o colectivos?",
                "Alliances: do you work with other organisations or collectives?",
                (
                    "Trabajamos por nuestra cuenta, sin otras organizaciones.",
                    "Conocemos a otras organizaciones y coincidimos a veces en eventos.",
                    "Tenemos alianzas con acuerdos concretos (proyectos conjuntos, canalización "
                    "de casos).",
                    "Participamos en alianzas estables, con acuerdos escritos y resultados que "
                    "compartimos.",
                ),
                (
                    "We work on our own, without other organisations.",
                    "We know other organisations and sometimes meet them at events.",
                    "We have alliances with concrete agreements (joint projects, referrals).",
                    "We take part in stable alliances, with written agreements and shared results.",
                ),
            ),
            Item(
                "redes_participacion",
                1,
                "Redes: ¿participan en alguna red regional o temática?",
                "Networks: do you take part in a regional or thematic network?",
                (
                    "No participamos en ninguna red.",
                    "Somos parte de una red, pero participamos poco.",
                    "Participamos activamente en al menos una red regional o temática.",
                    "Impulsamos o coordinamos una red y ayudamos a fortalecer a otras "
                    "organizaciones.",
                ),
                (
                    "We are not part of any network.",
                    "We belong to a network, but take little part in it.",
                    "We take an active part in at least one regional or thematic network.",
                    "We lead or coordinate a network and help other organisations grow stronger.",
                ),
            ),
            Item(
                "buenas_practicas",
                1,
                "Buenas prácticas: ¿comparten lo que aprenden y aprenden de otras?",
                "Good practices: do you share what you learn and learn from others?",
                (
                    "No compartimos lo que hacemos con otras organizaciones.",
                    "Compartimos de manera informal, cuando alguien pregunta.",
                    "Documentamos nuestras prácticas y las compartimos en encuentros.",
                    "Otras organizaciones retoman nuestras prácticas y nosotras y nosotros "
                    "retomamos las suyas.",
                ),
                (
                    "We do not share what we do with other organisations.",
                    "We share informally, when someone asks.",
                    "We document our practices and share them at meetings.",
                    "Other organisations take up our practices, and we take up theirs.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_aliadas",
                "Ejercicio: nombren tres organizaciones o colectivos con quienes les gustaría "
                "trabajar el próximo año, y qué harían juntos.",
                "Exercise: name three organisations or collectives you would like to work with "
                "next year, and what you would do together.",
            )
        ],
    ),
    AreaContent(
        Area(
            "incidencia",
            "Incidencia en políticas públicas",
            "Public-policy advocacy",
            "La capacidad de influir en las decisiones públicas que afectan a la comunidad.",
            "The capacity to influence the public decisions that affect the community.",
        ),
        [
            Item(
                "propuesta",
                2,
                "Problema público y propuesta: ¿tienen un problema público definido y una "
                "propuesta para resolverlo?",
                "Public problem and proposal: have you defined a public problem and a "
                "proposal to solve it?",
                (
                    "No hemos definido un problema público en el que queramos incidir.",
                    "Identificamos un problema, pero no tenemos una propuesta de solución.",
                    "Tenemos un problema definido y una propuesta concreta, con argumentos y "
                    "datos.",
                    "Construimos la propuesta con la comunidad y con otras organizaciones, y la "
                    "presentamos ante quien decide.",
                ),
                (
                    "We have not defined a public problem we want to influence.",
                    "We identified a problem, but have no proposal to solve it.",
                    "We have a defined problem and a concrete proposal, with arguments and data.",
                    "We built the proposal with the community and other organisations, and "
                    "presented it to those who decide.",
                ),
            ),
            Item(
                "quien_decide",
                1,
                "Quién decide: ¿saben qué autoridad decide sobre su tema y cómo lo hace?",
                "Who decides: do you know which authority decides on your issue and how?",
                (
                    "No sabemos qué autoridad decide sobre los temas que nos importan.",
                    "Sabemos qué autoridad decide, pero no conocemos sus procedimientos ni sus "
                    "tiempos (presupuesto, sesiones de cabildo).",
                    "Conocemos a quién decide, sus procedimientos y los momentos clave para "
                    "presentar propuestas.",
                    "Tenemos diálogo con las autoridades y damos seguimiento a sus compromisos.",
                ),
                (
                    "We do not know which authority decides on the issues we care about.",
                    "We know which authority decides, but not its procedures or timing "
                    "(budget, council sessions).",
                    "We know who decides, their procedures and the key moments to present "
                    "proposals.",
                    "We are in dialogue with the authorities and follow up on their commitments.",
                ),
            ),
            Item(
                "logros_incidencia",
                1,
                "Resultados: ¿alguna de sus propuestas ha cambiado una decisión pública?",
                "Results: has any of your proposals changed a public decision?",
                (
                    "Nunca hemos presentado una propuesta a una autoridad.",
                    "Hemos presentado propuestas, pero no les dimos seguimiento.",
                    "Alguna de nuestras propuestas se tomó en cuenta (un acuerdo, un programa, "
                    "un cambio en el presupuesto).",
                    "Logramos cambios en políticas, programas o reglamentos y vigilamos que se "
                    "cumplan.",
                ),
                (
                    "We have never presented a proposal to an authority.",
                    "We have presented proposals, but did not follow them up.",
                    "One of our proposals was taken into account (an agreement, a programme, "
                    "a budget change).",
                    "We achieved changes in policies, programmes or regulations and monitor "
                    "their implementation.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_decision_publica",
                "Ejercicio: ¿qué decisión pública afectó este año a las personas con las que "
                "trabajan, y quién la tomó?",
                "Exercise: which public decision affected the people you work with this year, "
                "and who took it?",
            ),
            Exercise(
                "ruta_problema",
                "Ruta de incidencia: ¿qué problema público quieren cambiar primero? "
                "Descríbanlo en una o dos frases.",
                "Advocacy route: which public problem do you want to change first? Describe "
                "it in one or two sentences.",
                route="problem",
            ),
            Exercise(
                "ruta_autoridad",
                "Ruta de incidencia: ¿qué autoridad decide sobre ese problema?",
                "Advocacy route: which authority decides on that problem?",
                route="authority",
                hint_es="Por ejemplo: el cabildo, la presidencia municipal, una regiduría, una "
                "secretaría del gobierno del estado.",
                hint_en="For example: the municipal council, the mayor's office, a councillor, "
                "a department of the state government.",
            ),
            Exercise(
                "ruta_tema",
                "Ruta de incidencia: ¿con qué tema se relaciona más ese problema?",
                "Advocacy route: which theme is that problem most related to?",
                route="theme",
                choices="tema",
            ),
        ],
    ),
    AreaContent(
        Area(
            "participacion",
            "Participación ciudadana",
            "Citizen participation",
            "Cómo participan la organización y la comunidad en los asuntos públicos.",
            "How the organisation and the community take part in public affairs.",
        ),
        [
            Item(
                "espacios",
                2,
                "Espacios de participación: ¿participan en consejos, comités, cabildos "
                "abiertos o consultas?",
                "Spaces for participation: do you take part in councils, committees, open "
                "council sessions or consultations?",
                (
                    "No conocemos los espacios de participación de nuestro municipio o estado.",
                    "Los conocemos, pero no participamos en ellos.",
                    "Participamos con regularidad en al menos un espacio de participación.",
                    "Participamos, llevamos la voz de la comunidad y damos a conocer los "
                    "resultados.",
                ),
                (
                    "We do not know the spaces for participation of our municipality or state.",
                    "We know them, but do not take part in them.",
                    "We take part regularly in at least one space for participation.",
                    "We take part, carry the community's voice and make the results known.",
                ),
            ),
            Item(
                "comunidad_decide",
                1,
                "La comunidad en la organización: ¿la comunidad opina y decide sobre su trabajo?",
                "The community in the organisation: does the community have a say and a "
                "decision in your work?",
                (
                    "La comunidad recibe nuestras actividades, pero no opina sobre ellas.",
                    "Preguntamos la opinión de la comunidad de vez en cuando.",
                    "La comunidad participa en planear y evaluar nuestras actividades.",
                    "La comunidad decide con nosotras y nosotros, incluidas mujeres, jóvenes y "
                    "personas indígenas.",
                ),
                (
                    "The community receives our activities but has no say in them.",
                    "We ask the community's opinion now and then.",
                    "The community takes part in planning and evaluating our activities.",
                    "The community decides with us, women, young people and indigenous people "
                    "included.",
                ),
            ),
            Item(
                "derechos",
                1,
                "Información sobre derechos: ¿informan a la comunidad sobre sus derechos y cómo "
                "participar?",
                "Information on rights: do you inform the community about its rights and how "
                "to take part?",
                (
                    "No informamos a la comunidad sobre sus derechos ni sobre cómo participar.",
                    "Informamos de manera ocasional.",
                    "Tenemos actividades regulares para informar sobre derechos y mecanismos de "
                    "participación.",
                    "Personas de la comunidad que formamos informan a otras y ejercen sus "
                    "derechos por su cuenta.",
                ),
                (
                    "We do not inform the community about its rights or how to take part.",
                    "We inform it occasionally.",
                    "We hold regular activities on rights and mechanisms for participation.",
                    "People from the community whom we trained inform others and exercise "
                    "their rights on their own.",
                ),
            ),
        ],
        [
            Exercise(
                "ruta_espacio",
                "Ruta de incidencia: ¿en qué espacio podrían plantear su propuesta (un consejo, "
                "un comité, el cabildo abierto, una consulta, un foro)?",
                "Advocacy route: where could you put your proposal forward (a council, a "
                "committee, an open council session, a consultation, a forum)?",
                route="space",
            ),
            Exercise(
                "ruta_primer_paso",
                "Ruta de incidencia: ¿cuál será su primer paso concreto en el próximo mes, y "
                "quién lo dará?",
                "Advocacy route: what will be your first concrete step in the next month, and "
                "who will take it?",
                route="first_step",
            ),
        ],
    ),
    AreaContent(
        Area(
            "transparencia",
            "Transparencia y rendición de cuentas",
            "Transparency and accountability",
            "Informar qué se hace y con qué recursos, y responder ante la comunidad.",
            "Reporting what is done and with what resources, and answering to the community.",
        ),
        [
            Item(
                "informe_publico",
                2,
                "Informe público: ¿informan públicamente lo que hacen y con qué recursos?",
                "Public report: do you report publicly what you do and with what resources?",
                (
                    "No informamos públicamente lo que hacemos ni con qué recursos.",
                    "Informamos a los donantes, pero no al público ni a la comunidad.",
                    "Publicamos cada año un informe de actividades y del uso de los recursos.",
                    "Publicamos informes claros y accesibles (también en lenguas indígenas u "
                    "otros formatos) y los presentamos ante la comunidad.",
                ),
                (
                    "We do not report publicly what we do or with what resources.",
                    "We report to donors, but not to the public or the community.",
                    "We publish a yearly report of our activities and use of resources.",
                    "We publish clear, accessible reports (in indigenous languages or other "
                    "formats too) and present them to the community.",
                ),
            ),
            Item(
                "rendicion_comunidad",
                1,
                "Rendición de cuentas: ¿la comunidad puede pedirles cuentas?",
                "Accountability: can the community hold you to account?",
                (
                    "La comunidad no sabe cómo pedirnos cuentas.",
                    "Respondemos preguntas cuando nos las hacen.",
                    "Tenemos un momento fijo (asamblea, reunión) para rendir cuentas a la "
                    "comunidad.",
                    "Tenemos un mecanismo para recibir quejas y sugerencias, y respondemos a "
                    "cada una.",
                ),
                (
                    "The community does not know how to hold us to account.",
                    "We answer questions when asked.",
                    "We have a set moment (an assembly, a meeting) to report to the community.",
                    "We have a way to receive complaints and suggestions, and we answer each one.",
                ),
            ),
            Item(
                "datos_personales",
                1,
                "Datos personales: ¿cuidan los datos de las personas con las que trabajan?",
                "Personal data: do you protect the data of the people you work with?",
                (
                    "No sabemos qué datos personales guardamos ni quién los ve.",
                    "Cuidamos los datos, pero sin aviso de privacidad ni reglas.",
                    "Tenemos aviso de privacidad y pedimos consentimiento para usar los datos.",
                    "Revisamos quién tiene acceso a los datos, los borramos cuando ya no hacen "
                    "falta y atendemos los derechos ARCO.",
                ),
                (
                    "We do not know what personal data we keep or who sees it.",
                    "We look after the data, but without a privacy notice or rules.",
                    "We have a privacy notice and ask for consent to use the data.",
                    "We review who has access to the data, delete it when no longer needed "
                    "and answer ARCO requests.",
                ),
            ),
        ],
        [
            Exercise(
                "ejercicio_cierre",
                "Para cerrar: ¿qué aprendieron de este autodiagnóstico? ¿Qué les sorprendió?",
                "To close: what did you learn from this self-assessment? What surprised you?",
            )
        ],
    ),
]

# Suggested actions for each item: what an organisation scoring 1 or 2 can do
# next. The improvement plan offers them for the weak items.
ACTIONS: dict[str, list[Action]] = {
    "mision": [
        Action(
            "Escribir la misión y la visión en una reunión con todo el equipo.",
            "Write the mission and vision in a meeting with the whole team.",
            "ficha_mision",
        ),
        Action(
            "Revisar los proyectos del año y quedarse con los que sirven a la misión.",
            "Review the year's projects and keep those that serve the mission.",
        ),
    ],
    "plan_trabajo": [
        Action(
            "Hacer un plan anual sencillo: tres objetivos, actividades, responsables y fechas.",
            "Draw up a simple yearly plan: three objectives, activities, people in charge "
            "and dates.",
            "ficha_mision",
        ),
        Action(
            "Fijar dos fechas al año para revisar el plan con el equipo.",
            "Set two dates a year to review the plan with the team.",
        ),
    ],
    "poblacion": [
        Action(
            "Describir por escrito con quién trabajan y qué cambio quieren lograr en sus vidas.",
            "Write down whom you work with and what change you want in their lives.",
        ),
        Action(
            "Preguntar a las personas con las que trabajan qué cambio esperan de la organización.",
            "Ask the people you work with what change they expect from the organisation.",
        ),
    ],
    "organo_gobierno": [
        Action(
            "Calendarizar las reuniones del órgano de gobierno y levantar un acta de cada una.",
            "Schedule the governing body's meetings and keep minutes of each.",
            "ficha_gobierno",
        ),
        Action(
            "Presentar en asamblea un informe de las decisiones tomadas en el año.",
            "Present to the assembly a report of the decisions taken during the year.",
        ),
    ],
    "reglas_internas": [
        Action(
            "Escribir un reglamento interno breve: cómo decidimos y cómo resolvemos conflictos.",
            "Write short internal rules: how we decide and how we solve conflicts.",
            "ficha_gobierno",
        ),
        Action(
            "Acordar un protocolo para prevenir y atender la violencia y el acoso.",
            "Agree a protocol to prevent and respond to violence and harassment.",
        ),
    ],
    "relevo": [
        Action(
            "Repartir la representación de la organización entre al menos tres personas.",
            "Share the organisation's representation among at least three people.",
        ),
        Action(
            "Invitar a una mujer o una persona joven a coordinar un proyecto este año.",
            "Invite a woman or a young person to lead a project this year.",
            "ficha_gobierno",
        ),
    ],
    "registro_contable": [
        Action(
            "Abrir una hoja de cálculo de ingresos y gastos y guardar todos los comprobantes.",
            "Open a spreadsheet of income and expenses and keep every receipt.",
            "ficha_finanzas",
        ),
        Action(
            "Nombrar a una persona responsable de las cuentas y a otra que las revise cada mes.",
            "Name one person in charge of the accounts and another to check them monthly.",
        ),
    ],
    "obligaciones": [
        Action(
            "Hacer un calendario con todas las obligaciones legales y fiscales del año.",
            "Make a calendar of all the year's legal and tax obligations.",
            "ley_fomento",
        ),
        Action(
            "Pedir asesoría a un centro de servicios del programa sobre el registro (CLUNI) y "
            "el SAT.",
            "Ask one of the programme's service centres for advice on registration (CLUNI) "
            "and taxes.",
        ),
    ],
    "procedimientos": [
        Action(
            "Escribir en una página cómo se compra, quién autoriza los pagos y dónde se "
            "archivan los documentos.",
            "Write on one page how purchases are made, who authorises payments and where "
            "documents are filed.",
            "ficha_finanzas",
        ),
    ],
    "fuentes": [
        Action(
            "Hacer una lista de posibles fuentes de recursos y elegir dos nuevas para este año.",
            "List possible sources of funds and pick two new ones for this year.",
            "ficha_procuracion",
        ),
        Action(
            "Guardar una parte de cada ingreso como reserva.",
            "Set aside part of each income as a reserve.",
        ),
    ],
    "proyectos": [
        Action(
            "Preparar un proyecto modelo (problema, objetivos, actividades, presupuesto) para "
            "adaptarlo a cada convocatoria.",
            "Prepare a model project (problem, objectives, activities, budget) to adapt to "
            "each call.",
            "ficha_procuracion",
        ),
        Action(
            "Revisar cada mes las convocatorias abiertas con otra organización aliada.",
            "Review open calls every month together with an allied organisation.",
        ),
    ],
    "aportes_comunidad": [
        Action(
            "Registrar los aportes en especie y en trabajo de la comunidad.",
            "Record the community's contributions in kind and in work.",
        ),
        Action(
            "Informar a quienes aportan en qué se usó su apoyo.",
            "Tell contributors what their support was used for.",
        ),
    ],
    "funciones": [
        Action(
            "Escribir las funciones de cada persona en una tabla y revisarla en equipo.",
            "Write each person's duties in a table and review it as a team.",
            "ficha_equipo",
        ),
    ],
    "formacion": [
        Action(
            "Inscribir al menos a dos personas del equipo en el diplomado del programa.",
            "Enrol at least two team members in the programme's diploma course.",
        ),
        Action(
            "Dedicar una reunión al mes a compartir lo aprendido.",
            "Devote one meeting a month to sharing what was learnt.",
        ),
    ],
    "cuidados": [
        Action(
            "Hacer un acuerdo escrito con cada persona voluntaria: tareas, horarios y "
            "acompañamiento.",
            "Make a written agreement with each volunteer: tasks, hours and support.",
            "ficha_equipo",
        ),
        Action(
            "Acordar un protocolo de seguridad para las actividades en campo.",
            "Agree a safety protocol for field activities.",
        ),
    ],
    "diagnostico": [
        Action(
            "Reunir los datos del INEGI de su municipio y comentarlos con la comunidad.",
            "Gather INEGI's data for your municipality and discuss them with the community.",
            "inegi_censo",
        ),
        Action(
            "Organizar un taller de diagnóstico participativo con la comunidad.",
            "Hold a participatory diagnosis workshop with the community.",
            "ficha_territorio",
        ),
    ],
    "mapa_actores": [
        Action(
            "Dibujar un mapa de actores: quiénes son, qué les interesa y qué relación tienen "
            "con ustedes.",
            "Draw a map of actors: who they are, what they care about and how they relate to you.",
            "ficha_territorio",
        ),
        Action(
            "Buscar en el directorio de Polo a las organizaciones que trabajan en su municipio.",
            "Look up in Polo's directory the organisations working in your municipality.",
        ),
    ],
    "pertinencia": [
        Action(
            "Traducir o explicar en la lengua de la comunidad sus materiales principales.",
            "Translate or explain your main materials in the community's language.",
        ),
        Action(
            "Invitar a personas de la comunidad a diseñar la próxima actividad.",
            "Invite people from the community to design the next activity.",
        ),
    ],
    "alianzas": [
        Action(
            "Proponer un proyecto conjunto a una organización del mismo municipio.",
            "Propose a joint project to an organisation in the same municipality.",
            "ficha_redes",
        ),
        Action(
            "Poner por escrito los acuerdos con las organizaciones aliadas.",
            "Put agreements with allied organisations in writing.",
        ),
    ],
    "redes_participacion": [
        Action(
            "Asistir a los encuentros de la red de su estado y proponer un tema de trabajo.",
            "Attend your state network's meetings and propose a work topic.",
            "ficha_redes",
        ),
    ],
    "buenas_practicas": [
        Action(
            "Documentar una práctica que les funciona (qué, cómo, con quién, qué resultó) y "
            "compartirla.",
            "Document a practice that works for you (what, how, with whom, what came of it) "
            "and share it.",
            "ficha_redes",
        ),
    ],
    "propuesta": [
        Action(
            "Elegir un problema público y escribir una propuesta de una página con datos.",
            "Choose a public problem and write a one-page proposal with data.",
            "ficha_incidencia",
        ),
        Action(
            "Validar la propuesta con la comunidad y con una organización aliada.",
            "Check the proposal with the community and an allied organisation.",
        ),
    ],
    "quien_decide": [
        Action(
            "Averiguar qué autoridad decide y cuándo se discute el presupuesto o el tema en "
            "cabildo.",
            "Find out which authority decides and when the budget or the issue is discussed "
            "in council.",
            "ficha_incidencia",
        ),
        Action(
            "Presentar una solicitud de información pública sobre el tema.",
            "File a public information request on the issue.",
            "pnt",
        ),
    ],
    "logros_incidencia": [
        Action(
            "Pedir una reunión con la autoridad para presentar la propuesta y acordar fechas de "
            "seguimiento.",
            "Ask the authority for a meeting to present the proposal and agree follow-up dates.",
            "ficha_incidencia",
        ),
        Action(
            "Llevar un registro de las propuestas presentadas y de las respuestas recibidas.",
            "Keep a record of the proposals presented and the answers received.",
        ),
    ],
    "espacios": [
        Action(
            "Hacer una lista de los consejos, comités y consultas de su municipio y elegir uno "
            "para participar.",
            "List the councils, committees and consultations of your municipality and choose "
            "one to join.",
            "ficha_participacion",
        ),
    ],
    "comunidad_decide": [
        Action(
            "Abrir la planeación del próximo año a la comunidad en una asamblea.",
            "Open next year's planning to the community in an assembly.",
            "ficha_participacion",
        ),
    ],
    "derechos": [
        Action(
            "Organizar una plática sobre derechos y mecanismos de participación en su comunidad.",
            "Hold a talk on rights and participation mechanisms in your community.",
            "ficha_participacion",
        ),
    ],
    "informe_publico": [
        Action(
            "Publicar un informe anual sencillo: qué hicimos, con quién y con cuánto dinero.",
            "Publish a simple yearly report: what we did, with whom and with how much money.",
            "ficha_transparencia",
        ),
    ],
    "rendicion_comunidad": [
        Action(
            "Fijar una asamblea anual de rendición de cuentas ante la comunidad.",
            "Hold a yearly accountability assembly before the community.",
            "ficha_transparencia",
        ),
        Action(
            "Abrir un buzón (físico o por mensaje) de quejas y sugerencias.",
            "Open a box (physical or by message) for complaints and suggestions.",
        ),
    ],
    "datos_personales": [
        Action(
            "Escribir un aviso de privacidad y pedir consentimiento en los registros.",
            "Write a privacy notice and ask for consent on registration forms.",
            "ficha_transparencia",
        ),
        Action(
            "Revisar quién tiene acceso a las listas de personas y borrar las que ya no se usan.",
            "Review who has access to lists of people and delete those no longer used.",
        ),
    ],
}

MATERIALS = [
    Material(
        "ficha_mision",
        "Ficha del Manual de incidencia: misión, visión y plan de trabajo",
        "Incidence Manual worksheet: mission, vision and work plan",
    ),
    Material(
        "ficha_gobierno",
        "Ficha del Manual de incidencia: gobierno interno y relevo",
        "Incidence Manual worksheet: internal governance and succession",
    ),
    Material(
        "ficha_finanzas",
        "Ficha del Manual de incidencia: administración básica",
        "Incidence Manual worksheet: basic administration",
    ),
    Material(
        "ficha_procuracion",
        "Ficha del Manual de incidencia: procuración de fondos",
        "Incidence Manual worksheet: fundraising",
    ),
    Material(
        "ficha_equipo",
        "Ficha del Manual de incidencia: equipo, voluntariado y cuidados",
        "Incidence Manual worksheet: team, volunteers and care",
    ),
    Material(
        "ficha_territorio",
        "Ficha del Manual de incidencia: diagnóstico comunitario y mapa de actores",
        "Incidence Manual worksheet: community diagnosis and map of actors",
    ),
    Material(
        "ficha_redes",
        "Ficha del Manual de incidencia: alianzas y redes",
        "Incidence Manual worksheet: alliances and networks",
    ),
    Material(
        "ficha_incidencia",
        "Ficha del Manual de incidencia: la ruta de incidencia",
        "Incidence Manual worksheet: the advocacy route",
    ),
    Material(
        "ficha_participacion",
        "Ficha del Manual de incidencia: mecanismos de participación ciudadana",
        "Incidence Manual worksheet: citizen participation mechanisms",
    ),
    Material(
        "ficha_transparencia",
        "Ficha del Manual de incidencia: transparencia y rendición de cuentas",
        "Incidence Manual worksheet: transparency and accountability",
    ),
    Material(
        "ley_fomento",
        "Ley Federal de Fomento a las Actividades Realizadas por Organizaciones de la "
        "Sociedad Civil",
        "Federal Law for the Promotion of Activities of Civil Society Organisations",
        "https://www.diputados.gob.mx/LeyesBiblio/pdf/LFFAROSC.pdf",
    ),
    Material(
        "pnt",
        "Plataforma Nacional de Transparencia (solicitudes de información)",
        "National Transparency Platform (information requests)",
        "https://www.plataformadetransparencia.org.mx/",
    ),
    Material(
        "inegi_censo",
        "INEGI: Censo de Población y Vivienda 2020",
        "INEGI: 2020 Population and Housing Census",
        "https://www.inegi.org.mx/programas/ccpv/2020/",
    ),
]

# The directory's themes (directory migration 0002), for the advocacy route's
# theme question: the route page finds allies by these slugs.
THEMES = [
    ("derechos-humanos", "Derechos humanos", "Human rights"),
    ("genero-derechos-mujeres", "Género y derechos de las mujeres", "Gender and women's rights"),
    ("ninez-juventud", "Niñez y juventud", "Children and youth"),
    ("pueblos-indigenas", "Pueblos indígenas", "Indigenous peoples"),
    ("medio-ambiente-territorio", "Medio ambiente y territorio", "Environment and territory"),
    ("salud", "Salud", "Health"),
    ("educacion", "Educación", "Education"),
    ("desarrollo-economico", "Desarrollo económico", "Economic development"),
    ("migracion", "Migración", "Migration"),
    (
        "seguridad-construccion-paz",
        "Seguridad y construcción de paz",
        "Security and peace building",
    ),
    (
        "transparencia-rendicion-cuentas",
        "Transparencia y rendición de cuentas",
        "Transparency and accountability",
    ),
    ("cultura", "Cultura", "Culture"),
    ("participacion-ciudadana", "Participación ciudadana", "Citizen participation"),
    ("discapacidad", "Discapacidad", "Disability"),
    ("agua-alimentacion", "Agua y alimentación", "Water and food"),
    ("vivienda", "Vivienda", "Housing"),
    ("personas-mayores", "Personas mayores", "Older people"),
    ("gestion-riesgos", "Protección civil y gestión de riesgos", "Civil protection and risk"),
    ("diversidad-sexual", "Diversidad sexual y de género", "Sexual and gender diversity"),
]

INTRODUCTION = (
    "Este autodiagnóstico les ayuda a ver dónde está hoy su organización o colectivo, "
    "dónde puede mejorar y cómo puede actuar en lo público. Cada afirmación tiene cuatro "
    "niveles, del 1 (inicial) al 4 (consolidado): elijan el que mejor describe a su "
    "organización hoy, no el que les gustaría. No hay respuestas buenas ni malas. Si "
    "pueden, anoten una evidencia: una nota, un enlace o un documento. Pueden guardar y "
    "continuar después; toma alrededor de una hora.",
    "This self-assessment helps you see where your organisation or collective stands "
    "today, where it can improve and how it can act in the public sphere. Each statement "
    "has four levels, from 1 (starting) to 4 (consolidated): choose the one that best "
    "describes your organisation today, not the one you would like. There are no right or "
    "wrong answers. If you can, note some evidence: a note, a link or a document. You can "
    "save and continue later; it takes about an hour.",
)
EVIDENCE = (
    "Evidencia (opcional): una nota, un enlace o el nombre de un documento que respalde su "
    "respuesta.",
    "Evidence (optional): a note, a link or the name of a document that backs your answer.",
)
AREA_FILE = (
    "Documento de respaldo del área (opcional): acta, informe, plan, fotografía…",
    "Supporting document for the area (optional): minutes, report, plan, photograph…",
)

SURVEY_HEADER = [
    "type",
    "name",
    f"label::{ES}",
    f"label::{EN}",
    f"hint::{ES}",
    f"hint::{EN}",
    "required",
    "appearance",
    "area",
    "weight",
    "evidence_for",
    "route",
]


def _row(
    kind: str,
    name: str,
    es: str = "",
    en: str = "",
    *,
    hint: tuple[str, str] = ("", ""),
    required: str = "",
    appearance: str = "",
    area: str = "",
    weight: str = "",
    evidence_for: str = "",
    route: str = "",
) -> list[str]:
    return [
        kind,
        name,
        es,
        en,
        hint[0],
        hint[1],
        required,
        appearance,
        area,
        weight,
        evidence_for,
        route,
    ]


def level_label(level: int, text: str, language: int) -> str:
    return f"{level}. {LEVEL_NAMES[level][language]}: {text}"


def survey_rows() -> list[list[str]]:
    rows = [
        _row("begin_group", "inicio", "Antes de empezar", "Before you start"),
        _row("note", "introduccion", *INTRODUCTION),
        _row("end_group", ""),
    ]
    for content in AREAS:
        area = content.area
        rows.append(_row("begin_group", f"area_{area.slug}", area.es, area.en))
        rows.append(_row("note", f"acerca_{area.slug}", area.description_es, area.description_en))
        for item in content.items:
            rows.append(
                _row(
                    f"select_one n_{item.name}",
                    item.name,
                    item.es,
                    item.en,
                    hint=(item.hint_es, item.hint_en),
                    required="yes",
                    area=area.slug,
                    weight=str(item.weight),
                )
            )
            rows.append(
                _row(
                    "text",
                    f"{item.name}_evidencia",
                    *EVIDENCE,
                    appearance="multiline",
                    evidence_for=item.name,
                )
            )
        rows.append(_row("file", f"{area.slug}_archivo", *AREA_FILE, evidence_for=area.slug))
        for exercise in content.exercises:
            kind = f"select_one {exercise.choices}" if exercise.choices else "text"
            rows.append(
                _row(
                    kind,
                    exercise.name,
                    exercise.es,
                    exercise.en,
                    hint=(exercise.hint_es, exercise.hint_en),
                    appearance="" if exercise.choices else "multiline",
                    route=exercise.route,
                )
            )
        rows.append(_row("end_group", ""))
    return [SURVEY_HEADER, *rows]


def choice_rows() -> list[list[str]]:
    rows: list[list[str]] = [["list_name", "name", f"label::{ES}", f"label::{EN}"]]
    for content in AREAS:
        for item in content.items:
            for level in range(1, 5):
                rows.append(
                    [
                        f"n_{item.name}",
                        str(level),
                        level_label(level, item.levels_es[level - 1], 0),
                        level_label(level, item.levels_en[level - 1], 1),
                    ]
                )
    for slug, es, en in THEMES:
        rows.append(["tema", slug, es, en])
    rows.append(["tema", "otro", "Otro tema", "Another theme"])
    return rows


def area_rows() -> list[list[str]]:
    header = ["name", f"label::{ES}", f"label::{EN}", f"description::{ES}", f"description::{EN}"]
    return [
        header,
        *(
            [c.area.slug, c.area.es, c.area.en, c.area.description_es, c.area.description_en]
            for c in AREAS
        ),
    ]


def action_rows() -> list[list[str]]:
    rows: list[list[str]] = [["item", f"label::{ES}", f"label::{EN}", "material"]]
    for item, actions in ACTIONS.items():
        rows.extend([item, action.es, action.en, action.material] for action in actions)
    return rows


def material_rows() -> list[list[str]]:
    header = ["name", f"label::{ES}", f"label::{EN}", "url"]
    return [header, *([m.name, m.es, m.en, m.url] for m in MATERIALS)]


def manual_sheets(*, version: str = FORM_VERSION) -> dict[str, list[list[str]]]:
    return {
        "survey": survey_rows(),
        "choices": choice_rows(),
        "settings": [
            ["form_title", "form_id", "version", "default_language"],
            [TITLE_ES, FORM_ID, version, ES],
        ],
        "areas": area_rows(),
        "acciones": action_rows(),
        "materiales": material_rows(),
    }


def manual_xlsform(*, version: str = FORM_VERSION) -> bytes:
    """The Incidence Manual as the .xlsx a coordinator uploads."""
    return xlsform_bytes(manual_sheets(version=version))


def area_labels() -> list[tuple[str, str, str]]:
    """(slug, Spanish, English) of the shipped areas, in order: for the
    indicator sources registered before any database is read."""
    return [(c.area.slug, c.area.es, c.area.en) for c in AREAS]
