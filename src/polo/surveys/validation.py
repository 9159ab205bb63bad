"""The authoritative check of a response's answers, on the server.

The web form, the OpenRosa server and the imports all come through here, so an
answer is accepted or refused the same way whichever door it came in by. The
browser evaluates the same compiled expressions (``static/surveys/
expressions.js``) only to be helpful while typing.

- ``compute(spec, data)`` applies the form's logic: calculations are filled in,
  and the answers of questions that are not relevant (skip logic) are dropped,
  as ODK does when it saves an instance.
- ``validate(spec, data)`` lists what is wrong: a value of the wrong type, an
  option that is not in the list (or is filtered out by ``choice_filter``), a
  required question left empty, a broken constraint (with the form's own
  ``constraint_message``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import ChainMap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from polo.surveys.expressions import Env, ExpressionError, as_string, evaluate, evaluate_bool
from polo.surveys.spec import FormSpec, Node

MAX_TEXT_LENGTH = 10_000
MAX_REPEAT_ROWS = 500
# Characters no answer needs: C0 controls other than tab and line breaks.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTEGER_RE = re.compile(r"^[+-]?\d{1,15}$")
DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
# What ODK Collect stores for an acknowledged "acknowledge" question.
ACKNOWLEDGED = "OK"
# Passes of calculations: a calculate may use another defined after it.
CALCULATION_PASSES = 3


@dataclass(frozen=True)
class AnswerProblem:
    """Something wrong with one answer. ``row`` is 0 outside repeats, the
    1-based row of the repeat otherwise."""

    name: str
    message: str
    row: int = 0

    def __str__(self) -> str:
        if self.row:
            return f"{self.name} [{self.row}]: {self.message}"
        return f"{self.name}: {self.message}"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _env(
    data: Mapping[str, Any],
    *,
    today: dt.date,
    current: Any = None,
    row: Mapping[str, Any] | None = None,
    position: int | None = None,
    choice_item: Mapping[str, str] | None = None,
) -> Env:
    return Env(
        values=data,
        current=current,
        row=row,
        position=position,
        today=today,
        now=timezone.now(),
        choice_item=choice_item,
    )


def _answers_view(spec: FormSpec, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The answers as the evaluator should see them: a repeat with no rows
    gives its questions as empty lists, so that ``sum(${q})`` is 0, not NaN.
    A live view: calculations written into ``data`` show through."""
    empty: dict[str, Any] = {}
    for repeat in spec.repeats:
        if not data.get(repeat.name):
            for node in repeat.walk():
                if node.is_question:
                    empty[node.name] = []
    return ChainMap(data, empty) if empty else data


def _row_view(repeat: Node, row: Mapping[str, Any]) -> Mapping[str, Any]:
    """A repeat row with every question of the repeat ('' when unanswered): a
    row shadows the form's answers, so a missing key must not fall through."""
    blanks = {node.name: "" for node in repeat.walk() if node.is_question}
    return ChainMap(row, blanks)


def is_relevant(node: Node, data, *, today, row=None, position=None) -> bool:
    """Whether the node's ``relevant`` holds for these answers (the web form
    asks the same question when it draws a page)."""
    ast = node.expression("relevant")
    if ast is None:
        return True
    try:
        return evaluate_bool(ast, _env(data, today=today, row=row, position=position))
    except ExpressionError:
        # A relevance that cannot be evaluated on these answers (a value of an
        # unexpected type) hides nothing: the question stays asked.
        return True


# --- compute ---------------------------------------------------------------------


def compute(spec: FormSpec, data: Mapping[str, Any], *, today: dt.date | None = None) -> dict:
    """The answers as they should be stored: calculations filled in, answers to
    questions that are not relevant removed. Does not change ``data``."""
    today = _today(today)
    result: dict[str, Any] = {
        key: (
            [dict(row) for row in value if isinstance(row, Mapping)]
            if isinstance(value, list)
            else value
        )
        for key, value in data.items()
    }
    if _settles_in_one_pass(spec):
        _compute_nodes(spec.children, result, result, today=today, row=None, position=None)
        return result
    for _pass in range(CALCULATION_PASSES):
        before = repr(result)
        view = _answers_view(spec, result)
        _compute_nodes(spec.children, view, result, today=today, row=None, position=None)
        if repr(result) == before:
            break
    return result


def _settles_in_one_pass(spec: FormSpec) -> bool:
    """Whether one pass of ``compute`` already gives what further passes would.

    True when the form has no repeats and every relevance and calculation reads
    only questions that come before its own node: a pass visits the nodes in
    form order and each one changes only its own answer (a group, those of its
    questions, which come after it), so what such an expression reads is final
    when it is evaluated, and a second pass would find nothing to change. An
    import checks every row, and the second pass (with the ``repr`` that tells
    whether it changed anything) was a third of the check. Worked out once per
    form."""
    cached = spec.__dict__.get("_one_pass")
    if cached is None:
        cached = spec.__dict__["_one_pass"] = _reads_only_backwards(spec)
    return cached


def _reads_only_backwards(spec: FormSpec) -> bool:
    if spec.repeats:
        return False
    seen: set[str] = set()
    for top in spec.children:
        for node in top.walk():
            for name in ("relevant", "calculation"):
                ast = node.expression(name)
                if ast is None:
                    continue
                stack = [ast]
                while stack:
                    item = stack.pop()
                    if "cur" in item or ("ref" in item and item["ref"] not in seen):
                        return False
                    stack.extend(arg for arg in item.get("args", ()) if isinstance(arg, dict))
            if node.is_question:
                seen.add(node.name)
    return True


def _compute_nodes(nodes, data, target, *, today, row, position) -> None:
    for node in nodes:
        if node.kind == "repeat":
            rows = data.get(node.name)
            if not is_relevant(node, data, today=today):
                target.pop(node.name, None)
                continue
            if not isinstance(rows, list):
                continue
            for index, row_data in enumerate(rows, start=1):
                if isinstance(row_data, dict):
                    _compute_nodes(
                        node.children,
                        data,
                        row_data,
                        today=today,
                        row=_row_view(node, row_data),
                        position=index,
                    )
            continue
        if node.kind == "group":
            if not is_relevant(node, data, today=today, row=row, position=position):
                _clear(node, data, target)
                continue
            _compute_nodes(node.children, data, target, today=today, row=row, position=position)
            continue
        if not is_relevant(node, data, today=today, row=row, position=position):
            target.pop(node.name, None)
            continue
        calculation = node.expression("calculation")
        if calculation is not None and (node.type in {"calculate", "hidden"} or node.readonly):
            try:
                value = as_string(
                    evaluate(calculation, _env(data, today=today, row=row, position=position))
                )
            except ExpressionError:
                value = ""
            if value in ("", "NaN"):
                target.pop(node.name, None)
            else:
                target[node.name] = value


def _clear(group: Node, data, target) -> None:
    for node in group.walk():
        if node is not group:
            target.pop(node.name, None)


# --- validate --------------------------------------------------------------------


def validate(
    spec: FormSpec,
    data: Mapping[str, Any],
    *,
    section: int | None = None,
    today: dt.date | None = None,
    language: str | None = None,
) -> list[AnswerProblem]:
    """What is wrong with these answers (all of them, or one section's), in
    form order. Validate what ``compute`` returned: answers to questions that
    are not relevant are not looked at."""
    today = _today(today)
    problems: list[AnswerProblem] = []
    names = spec.nodes
    for key in data:
        if key not in names:
            problems.append(AnswerProblem(key, _("Esta pregunta no existe en el formulario.")))
    nodes = spec.children if section is None else spec.sections[section].nodes
    view = _answers_view(spec, data)
    problems.extend(_check_nodes(spec, nodes, view, data, today, language, None, None))
    return problems


def _check_nodes(spec, nodes, data, target, today, language, row, position):
    for node in nodes:
        if node.kind == "repeat":
            yield from _check_repeat(spec, node, data, today, language)
        elif node.kind == "group":
            if is_relevant(node, data, today=today, row=row, position=position):
                yield from _check_nodes(
                    spec, node.children, data, target, today, language, row, position
                )
        elif node.is_input and is_relevant(node, data, today=today, row=row, position=position):
            message = _check_question(
                spec, node, target.get(node.name), data, today, language, row, position
            )
            if message:
                yield AnswerProblem(node.name, message, position or 0)


def _check_repeat(spec, node, data, today, language) -> Iterator[AnswerProblem]:
    if not is_relevant(node, data, today=today):
        return
    rows = data.get(node.name, [])
    if rows in (None, ""):
        return
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        yield AnswerProblem(
            node.name, _("Las filas de esta sección no tienen el formato esperado.")
        )
        return
    if len(rows) > MAX_REPEAT_ROWS:
        yield AnswerProblem(
            node.name, _("Demasiadas filas (máximo %(n)s).") % {"n": MAX_REPEAT_ROWS}
        )
        return
    allowed = {child.name for child in node.walk()}
    for index, row in enumerate(rows, start=1):
        for key in row:
            if key not in allowed:
                yield AnswerProblem(key, _("Esta pregunta no existe en esta sección."), index)
        yield from _check_nodes(
            spec, node.children, data, row, today, language, _row_view(node, row), index
        )


def _required(node: Node, data, today, row, position) -> bool:
    ast = node.expression("required")
    if ast is None:
        return node.required
    try:
        return evaluate_bool(ast, _env(data, today=today, row=row, position=position))
    except ExpressionError:
        return True


def _check_question(spec, node, value, data, today, language, row, position) -> str:
    if value is None or value == "":
        if _required(node, data, today, row, position):
            return spec.text(node.required_message, language) or _("Esta pregunta es obligatoria.")
        return ""
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("La respuesta no tiene el formato esperado.")
        value = str(value)
    message = _check_type(spec, node, value, data, today, row, position)
    if message:
        return message
    constraint = node.expression("constraint")
    if constraint is not None:
        env = _env(data, today=today, current=value, row=row, position=position)
        try:
            ok = evaluate_bool(constraint, env)
        except ExpressionError:
            ok = False
        if not ok:
            return spec.text(node.constraint_message, language) or _(
                "La respuesta no cumple la condición del formulario."
            )
    return ""


def _check_type(spec, node, value: str, data, today, row, position) -> str:
    if CONTROL_RE.search(value):
        return _("La respuesta contiene caracteres de control no permitidos.")
    if len(value) > MAX_TEXT_LENGTH:
        return _("La respuesta es demasiado larga (máximo %(n)s caracteres).") % {
            "n": MAX_TEXT_LENGTH
        }
    kind = node.type
    if kind == "integer":
        if not INTEGER_RE.match(value.strip()):
            return _("Escriba un número entero.")
    elif kind == "decimal":
        if not DECIMAL_RE.match(value.strip()) or not math.isfinite(float(value)):
            return _("Escriba un número.")
    elif kind == "range":
        return _check_range(node, value)
    elif kind == "date":
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            return _("Escriba una fecha válida (AAAA-MM-DD).")
    elif kind == "time":
        if not TIME_RE.match(value.strip()):
            return _("Escriba una hora válida (HH:MM).")
    elif kind == "datetime":
        try:
            dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return _("Escriba una fecha y hora válidas.")
    elif kind == "geopoint":
        return _check_geopoint(value)
    elif kind == "acknowledge":
        if value != ACKNOWLEDGED:
            return _("Marque la casilla para confirmar.")
    elif kind in {"select_one", "select_multiple"}:
        return _check_choices(spec, node, value, data, today, row, position)
    return ""


def _check_range(node: Node, value: str) -> str:
    try:
        number = float(value)
        start = float(node.parameters.get("start", 1))
        end = float(node.parameters.get("end", 10))
        step = float(node.parameters.get("step", 1))
    except ValueError:
        return _("Escriba un número.")
    low, high = min(start, end), max(start, end)
    if not math.isfinite(number) or number < low or number > high:
        return _("Elija un valor entre %(low)s y %(high)s.") % {"low": _n(low), "high": _n(high)}
    if step and abs(((number - low) / step) - round((number - low) / step)) > 1e-9:
        return _("El valor debe avanzar de %(step)s en %(step)s.") % {"step": _n(step)}
    return ""


def _n(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def _check_geopoint(value: str) -> str:
    parts = value.split()
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if not 2 <= len(numbers) <= 4 or not all(math.isfinite(n) for n in numbers):
        return _("Escriba la latitud y la longitud en grados decimales.")
    latitude, longitude = numbers[0], numbers[1]
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _("La latitud va de -90 a 90 y la longitud de -180 a 180.")
    if len(numbers) == 4 and numbers[3] < 0:
        return _("La precisión no puede ser negativa.")
    return ""


def allowed_choices(
    spec, node, data, *, today=None, row=None, position=None, among: set[str] | None = None
) -> list:
    """The options a select offers given the other answers (``choice_filter``).

    ``among``: test only these options (the ones an answer chose), not the whole
    list: a municipality cascade has hundreds, and an import checks each row."""
    choices = spec.choices_for(node)
    if among is not None:
        choices = [choice for choice in choices if choice.name in among]
    choice_filter = node.expression("choice_filter")
    if choice_filter is None:
        return choices
    today = _today(today)
    allowed = []
    for choice in choices:
        item = {**choice.extra, "name": choice.name}
        env = _env(data, today=today, row=row, position=position, choice_item=item)
        try:
            if evaluate_bool(choice_filter, env):
                allowed.append(choice)
        except ExpressionError:
            continue
    return allowed


def _choice_names(spec: FormSpec, node: Node) -> frozenset[str]:
    """The names of a list's options, gathered once per form (an import asks
    for each select of each row)."""
    cache = spec.__dict__.setdefault("_choice_names", {})
    names = cache.get(node.list_name)
    if names is None:
        names = cache[node.list_name] = frozenset(c.name for c in spec.choices_for(node))
    return names


def _check_choices(spec, node, value: str, data, today, row, position) -> str:
    names = _choice_names(spec, node)
    chosen = value.split() if node.type == "select_multiple" else [value]
    if node.type == "select_one" and len(value.split()) != 1:
        return _("Elija una sola opción.")
    unknown = [name for name in chosen if name not in names]
    if unknown:
        return _("«%(value)s» no es una de las opciones.") % {"value": unknown[0][:60]}
    if len(set(chosen)) != len(chosen):
        return _("Una opción está repetida.")
    if node.expression("choice_filter") is not None:
        allowed = {
            choice.name
            for choice in allowed_choices(
                spec, node, data, today=today, row=row, position=position, among=set(chosen)
            )
        }
        refused = [name for name in chosen if name not in allowed]
        if refused:
            return _("«%(value)s» no corresponde a las respuestas anteriores.") % {
                "value": refused[0][:60]
            }
    return ""
