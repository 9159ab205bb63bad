"""An assessment instrument read from its form: areas, scored items, evidence,
exercises, suggested actions, materials and the advocacy route.

The surveys engine keeps what an XLSForm holds beyond XLSForm itself: a row's
extra columns in ``node.extra`` and the workbook's extra sheets in
``spec.sheets``. This module gives them their meaning for an assessment (see
``instrument/manual.py`` for the layout) and ``check`` refuses, at upload, a
workbook whose scoring does not hold together, each problem located by sheet,
row and column like the engine's own.

Extra sheets rather than extra columns for actions and materials: pyxform
keeps a survey column such as ``acciones::Español (es)`` only as a dictionary,
which the engine does not pass through, and refuses a column named
``actions`` (it is one of its own keys); a sheet with one action per row is
also easier to adapt than a cell of actions joined by "|".

A form version never changes, so its definition is read once per process
(``definition_for``).
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from django.utils.translation import gettext as _

from polo.surveys.spec import FormSpec, Node, pick_text
from polo.surveys.xlsform import FormProblem

SCALE_MIN = 1
SCALE_MAX = 4
SCALE = tuple(range(SCALE_MIN, SCALE_MAX + 1))
# An item at or below this level is weak: the improvement plan starts there.
WEAK_AT_MOST = 2
MAX_WEIGHT = 100.0
# An area's name: it keys the scores in the database's JSON (selectors).
AREA_NAME_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

AREAS_SHEET = "areas"
ACTIONS_SHEET = "acciones"
MATERIALS_SHEET = "materiales"
# Extra columns of the survey sheet.
AREA_COLUMN = "area"
WEIGHT_COLUMN = "weight"
EVIDENCE_COLUMN = "evidence_for"
ROUTE_COLUMN = "route"


class Route:
    """What the advocacy-route page reads, by the ``route`` column's value."""

    PROBLEM = "problem"
    AUTHORITY = "authority"
    THEME = "theme"
    MUNICIPALITY = "municipality"
    SPACE = "space"
    FIRST_STEP = "first_step"
    ALL = (PROBLEM, AUTHORITY, THEME, MUNICIPALITY, SPACE, FIRST_STEP)


def sheet_texts(row: dict[str, str], column: str) -> dict[str, str]:
    """{language: text} of ``column`` in a row of an extra sheet, from its
    ``column::Language (xx)`` cells (and a plain ``column`` cell as "default")."""
    texts = {}
    for key, value in row.items():
        name, sep, language = key.partition("::")
        if name.strip() == column and value:
            texts[language.strip() if sep else "default"] = value
    return texts


@dataclass
class Material:
    name: str
    label: dict[str, str]
    url: str = ""

    @property
    def safe_url(self) -> str:
        """Only web addresses are links: a cell of an uploaded workbook must
        not become a javascript: link on a page."""
        return self.url if self.url.startswith(("https://", "http://")) else ""


@dataclass
class Action:
    key: str  # "<item>:<n>", stable within a version
    item: str
    label: dict[str, str]
    material: Material | None = None


@dataclass
class Level:
    value: int
    name: str  # the choice name stored in the answers
    label: dict[str, str]


@dataclass
class Item:
    node: Node
    area: str
    weight: float
    levels: list[Level]
    evidence: list[Node] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.node.name

    def level_for(self, value: str | None) -> Level | None:
        for level in self.levels:
            if level.name == value:
                return level
        return None


@dataclass
class Area:
    slug: str
    label: dict[str, str]
    description: dict[str, str]
    position: int
    items: list[Item] = field(default_factory=list)
    evidence: list[Node] = field(default_factory=list)  # area-level (files)


@dataclass
class Definition:
    spec: FormSpec
    areas: list[Area]
    items: dict[str, Item]
    exercises: list[Node]
    route: dict[str, Node]
    materials: dict[str, Material]

    def text(self, texts: dict[str, str] | None, language: str | None) -> str:
        return pick_text(texts, [*self.spec.languages, "default"], language)

    def area(self, slug: str) -> Area | None:
        return next((area for area in self.areas if area.slug == slug), None)

    def action(self, key: str) -> Action | None:
        item_name = key.partition(":")[0]
        item = self.items.get(item_name)
        if item is None:
            return None
        return next((action for action in item.actions if action.key == key), None)

    @property
    def has_scoring(self) -> bool:
        return bool(self.items)


def _sheet(spec: FormSpec, name: str) -> list[dict[str, str]]:
    for sheet, rows in (spec.sheets or {}).items():
        if sheet.strip().lower() == name:
            return rows
    return []


def _weight(text: str) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return 1.0
    try:
        weight = float(text)
    except ValueError:
        return None
    return weight if math.isfinite(weight) and 0 < weight <= MAX_WEIGHT else None


def _scale_value(name: str) -> int | None:
    text = name.strip()
    if text.lstrip("+-").isdigit():
        return int(text)
    return None


def read(spec: FormSpec) -> Definition:
    """The definition as the form gives it, leniently: what does not hold
    together (``check`` lists it) is left out rather than refused, so that a
    version already answered can always be read."""
    areas: OrderedDict[str, Area] = OrderedDict()
    for position, row in enumerate(_sheet(spec, AREAS_SHEET)):
        slug = (row.get("name") or "").strip()
        if slug and slug not in areas:
            areas[slug] = Area(
                slug=slug,
                label=sheet_texts(row, "label") or {"default": slug},
                description=sheet_texts(row, "description"),
                position=position,
            )
    materials = {}
    for row in _sheet(spec, MATERIALS_SHEET):
        name = (row.get("name") or "").strip()
        if name:
            materials[name] = Material(
                name=name,
                label=sheet_texts(row, "label") or {"default": name},
                url=(row.get("url") or "").strip(),
            )
    items: dict[str, Item] = {}
    exercises: list[Node] = []
    route: dict[str, Node] = {}
    evidence: list[Node] = []
    for node in spec.walk():
        if not node.is_input or node.repeat is not None:
            continue
        area_slug = (node.extra.get(AREA_COLUMN) or "").strip()
        if area_slug and node.type == "select_one":
            if area_slug not in areas:
                continue
            weight = _weight(node.extra.get(WEIGHT_COLUMN, ""))
            levels = [
                Level(value=value, name=choice.name, label=choice.label)
                for choice in spec.choices_for(node)
                if (value := _scale_value(choice.name)) in SCALE
            ]
            if weight is None or not levels:
                continue
            item = Item(node=node, area=area_slug, weight=weight, levels=levels)
            items[node.name] = item
            areas[area_slug].items.append(item)
            continue
        if node.extra.get(EVIDENCE_COLUMN):
            evidence.append(node)
            continue
        role = (node.extra.get(ROUTE_COLUMN) or "").strip()
        if role in Route.ALL and role not in route:
            route[role] = node
        if node.type in {"text", "select_one", "select_multiple"}:
            exercises.append(node)
    for node in evidence:
        target = node.extra[EVIDENCE_COLUMN].strip()
        if target in items:
            items[target].evidence.append(node)
        elif target in areas:
            areas[target].evidence.append(node)
    counters: dict[str, int] = {}
    for row in _sheet(spec, ACTIONS_SHEET):
        item_name = (row.get("item") or "").strip()
        label = sheet_texts(row, "label")
        if item_name not in items or not label:
            continue
        counters[item_name] = counters.get(item_name, 0) + 1
        items[item_name].actions.append(
            Action(
                key=f"{item_name}:{counters[item_name]}",
                item=item_name,
                label=label,
                material=materials.get((row.get("material") or "").strip()),
            )
        )
    return Definition(
        spec=spec,
        areas=[area for area in areas.values() if area.items],
        items=items,
        exercises=exercises,
        route=route,
        materials=materials,
    )


# --- the upload's check --------------------------------------------------------------


def check(spec: FormSpec) -> list[FormProblem]:
    """What keeps this form from scoring as an assessment, each located by
    sheet, row and column; empty when it holds together."""
    problems: list[FormProblem] = []
    area_rows = _sheet(spec, AREAS_SHEET)
    if not area_rows:
        problems.append(
            FormProblem(
                _("Falta la hoja «areas»: una fila por área, con su «name» y su «label»."),
                sheet=AREAS_SHEET,
            )
        )
    seen: set[str] = set()
    for number, row in enumerate(area_rows, start=2):
        slug = (row.get("name") or "").strip()
        if not slug:
            problems.append(FormProblem(_("El área no tiene «name»."), AREAS_SHEET, number, "name"))
        elif not AREA_NAME_RE.match(slug):
            problems.append(
                FormProblem(
                    _(
                        "«%(name)s» no sirve como nombre de área: use minúsculas sin acentos, "
                        "números y guiones (p. ej. «gobernanza»)."
                    )
                    % {"name": slug[:60]},
                    AREAS_SHEET,
                    number,
                    "name",
                )
            )
        elif slug in seen:
            problems.append(
                FormProblem(
                    _("El área «%(name)s» está repetida.") % {"name": slug},
                    AREAS_SHEET,
                    number,
                    "name",
                )
            )
        seen.add(slug)
    items = 0
    names = set(spec.nodes)
    for node in spec.walk():
        area = (node.extra.get(AREA_COLUMN) or "").strip()
        if node.extra.get(WEIGHT_COLUMN) and not area:
            problems.append(
                FormProblem(
                    _("«%(name)s» tiene peso pero no área.") % {"name": node.name},
                    "survey",
                    node.row,
                    WEIGHT_COLUMN,
                )
            )
        if area:
            problems.extend(_check_item(spec, node, area, seen))
            items += 1
        target = (node.extra.get(EVIDENCE_COLUMN) or "").strip()
        if (
            target
            and target not in seen
            and not (target in names and (spec.nodes[target].extra.get(AREA_COLUMN) or "").strip())
        ):
            problems.append(
                FormProblem(
                    _("«%(target)s» no es un ítem con área ni un área de la hoja «areas».")
                    % {"target": target},
                    "survey",
                    node.row,
                    EVIDENCE_COLUMN,
                )
            )
        role = (node.extra.get(ROUTE_COLUMN) or "").strip()
        if role and role not in Route.ALL:
            problems.append(
                FormProblem(
                    _("«%(role)s» no es un papel de la ruta de incidencia (%(roles)s).")
                    % {"role": role, "roles": ", ".join(Route.ALL)},
                    "survey",
                    node.row,
                    ROUTE_COLUMN,
                )
            )
    if not items:
        problems.append(
            FormProblem(
                _(
                    "Ninguna pregunta cuenta para un área: escriba en la columna «area» de "
                    "cada ítem el «name» de su área."
                ),
                "survey",
                column=AREA_COLUMN,
            )
        )
    item_names = {node.name for node in spec.walk() if (node.extra.get(AREA_COLUMN) or "").strip()}
    materials = {(row.get("name") or "").strip() for row in _sheet(spec, MATERIALS_SHEET)}
    for number, row in enumerate(_sheet(spec, ACTIONS_SHEET), start=2):
        item = (row.get("item") or "").strip()
        if item not in item_names:
            problems.append(
                FormProblem(
                    _("«%(item)s» no es un ítem del formulario.") % {"item": item},
                    ACTIONS_SHEET,
                    number,
                    "item",
                )
            )
        if not sheet_texts(row, "label"):
            problems.append(
                FormProblem(_("La acción no tiene texto."), ACTIONS_SHEET, number, "label")
            )
        material = (row.get("material") or "").strip()
        if material and material not in materials:
            problems.append(
                FormProblem(
                    _("«%(name)s» no está en la hoja «materiales».") % {"name": material},
                    ACTIONS_SHEET,
                    number,
                    "material",
                )
            )
    for number, row in enumerate(_sheet(spec, MATERIALS_SHEET), start=2):
        url = (row.get("url") or "").strip()
        if url and not url.startswith(("https://", "http://")):
            problems.append(
                FormProblem(
                    _("La dirección debe empezar con https:// o http://."),
                    MATERIALS_SHEET,
                    number,
                    "url",
                )
            )
    return problems


def _check_item(spec: FormSpec, node: Node, area: str, areas: set[str]) -> list[FormProblem]:
    problems = []
    if area not in areas:
        problems.append(
            FormProblem(
                _("El área «%(area)s» no está en la hoja «areas».") % {"area": area},
                "survey",
                node.row,
                AREA_COLUMN,
            )
        )
    if node.type != "select_one":
        problems.append(
            FormProblem(
                _(
                    "«%(name)s» cuenta para un área, así que debe ser «select_one» con los "
                    "niveles %(low)s a %(high)s."
                )
                % {"name": node.name, "low": SCALE_MIN, "high": SCALE_MAX},
                "survey",
                node.row,
                "type",
            )
        )
        return problems
    if node.repeat is not None:
        problems.append(
            FormProblem(
                _("Un ítem que se califica no puede estar dentro de un grupo que se repite."),
                "survey",
                node.row,
                "type",
            )
        )
    if _weight(node.extra.get(WEIGHT_COLUMN, "")) is None:
        problems.append(
            FormProblem(
                _("El peso debe ser un número mayor que 0 y hasta %(max)s.") % {"max": 100},
                "survey",
                node.row,
                WEIGHT_COLUMN,
            )
        )
    values = [_scale_value(choice.name) for choice in spec.choices_for(node)]
    outside = [
        choice.name
        for choice, value in zip(spec.choices_for(node), values, strict=True)
        if value is not None and value not in SCALE
    ]
    if outside:
        problems.append(
            FormProblem(
                _(
                    "La lista «%(list)s» tiene el nivel «%(value)s», fuera de la escala de "
                    "%(low)s a %(high)s."
                )
                % {
                    "list": node.list_name,
                    "value": outside[0],
                    "low": SCALE_MIN,
                    "high": SCALE_MAX,
                },
                "choices",
                column="name",
            )
        )
    missing = [level for level in SCALE if level not in values]
    if missing:
        problems.append(
            FormProblem(
                _("A la lista «%(list)s» le faltan los niveles %(levels)s.")
                % {"list": node.list_name, "levels": ", ".join(str(n) for n in missing)},
                "choices",
                column="name",
            )
        )
    return problems


# --- one definition per form version, per process ---------------------------------------

_CACHE: OrderedDict[tuple, Definition] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = Lock()


def definition_for(version) -> Definition:
    """The definition of a FormVersion. Versions are never edited, so what is
    read once stays true; the key has the upload time beside the pk, because a
    rolled-back database (tests on SQLite) may give a pk to another form.
    The version may come with only ``pk`` and ``created_at`` loaded: its spec
    is read when it is not cached."""
    key = (version.pk, version.created_at.isoformat() if version.created_at else "")
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    definition = read(version.form)
    with _LOCK:
        _CACHE[key] = definition
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return definition


def forget_cached() -> None:
    """Empty the cache (tests)."""
    with _LOCK:
        _CACHE.clear()
