"""Conditions over survey answers: what a coordinator writes, checked against the
form and turned into SQL by the ORM (never text pasted into a query).

A condition is ``{"question": name, "operator": op, "value": text}``. It holds
for a response when *some* stored answer of that question satisfies it (one
answer outside repeats; any row inside one; any chosen option of a multiple
choice). An unanswered question satisfies no condition but "no answered":
``plan != 'si'`` does not count the responses that skipped the question.

Which operators fit a question depends on its type:

- numbers (integer, decimal, range, calculate): = != > >= < <= and «answered»,
  compared as numbers (``Answer.number``);
- single choice: = != and «answered», against a choice name of its list;
- multiple choice: «selected» (one of its choices) and «answered»;
- dates: = != > >= < <= and «answered», against YYYY-MM-DD (stored that way,
  so text order is date order);
- text and anything else: = != and «answered» (acknowledge, geopoint, files and
  metadata: «answered» only).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from polo.surveys.spec import NUMERIC_TYPES, FormSpec, Node

EQ, NE, GT, GE, LT, LE = "=", "!=", ">", ">=", "<", "<="
SELECTED, ANSWERED = "selected", "answered"

OPERATOR_LABELS = {
    EQ: _("es igual a"),
    NE: _("es distinto de"),
    GT: _("es mayor que"),
    GE: _("es mayor o igual que"),
    LT: _("es menor que"),
    LE: _("es menor o igual que"),
    SELECTED: _("incluye la opción"),
    ANSWERED: _("fue respondida"),
}
OPERATORS = tuple(OPERATOR_LABELS)
COMPARISONS = {GT: "gt", GE: "gte", LT: "lt", LE: "lte"}

# Types whose answer is a number (a calculation may be one; the value decides).
NUMBER_TYPES = NUMERIC_TYPES | {"calculate"}
ANSWERED_ONLY_TYPES = {
    "acknowledge",
    "geopoint",
    "image",
    "file",
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "instanceID",
}
MAX_VALUE_LENGTH = 200


class ConditionError(ValueError):
    """A condition that does not fit the form: the message says why, in Spanish."""

    def __init__(self, message, *, field: str = "question") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def operators_for(node: Node) -> tuple[str, ...]:
    if node.type in NUMBER_TYPES or node.type == "date":
        return (EQ, NE, GT, GE, LT, LE, ANSWERED)
    if node.type == "select_one":
        return (EQ, NE, ANSWERED)
    if node.type == "select_multiple":
        return (SELECTED, ANSWERED)
    if node.type in ANSWERED_ONLY_TYPES:
        return (ANSWERED,)
    return (EQ, NE, ANSWERED)


def analysable_questions(spec: FormSpec) -> list[Node]:
    """The questions a condition may name: every stored answer but notes."""
    return [node for node in spec.questions if node.is_question]


def numeric_questions(spec: FormSpec) -> list[Node]:
    """Questions whose answers can be averaged or summed: numbers outside repeats
    (inside one, a response has several rows and "the mean" would change meaning)."""
    return [node for node in spec.questions if node.type in NUMBER_TYPES and node.repeat is None]


def select_questions(spec: FormSpec) -> list[Node]:
    """Questions a result can be broken down by: choices outside repeats."""
    return [node for node in spec.questions if node.is_select and node.repeat is None]


@dataclass(frozen=True)
class Condition:
    question: str
    operator: str
    value: str = ""

    @classmethod
    def from_json(cls, data: Any) -> Condition:
        if not isinstance(data, dict):
            raise ConditionError(_("Una condición debe tener pregunta, operador y valor."))
        question = data.get("question")
        operator = data.get("operator")
        value = data.get("value", "")
        if not isinstance(question, str) or not question:
            raise ConditionError(_("Falta la pregunta de la condición."))
        if operator not in OPERATORS:
            raise ConditionError(_("Operador desconocido."), field="operator")
        if value is None:
            value = ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ConditionError(_("El valor de la condición debe ser un texto."), field="value")
        return cls(question=question, operator=operator, value=str(value).strip())

    def to_json(self) -> dict[str, str]:
        data = {"question": self.question, "operator": self.operator}
        if self.operator != ANSWERED:
            data["value"] = self.value
        return data

    # --- Checking against the form ----------------------------------------------

    def validate(self, spec: FormSpec) -> Condition:
        """The condition normalized (numbers as numbers), or ConditionError."""
        node = spec.question(self.question)
        if node is None or not node.stores_value:
            raise ConditionError(
                _("La pregunta «%(name)s» no existe en el formulario.")
                % {"name": self.question[:80]}
            )
        allowed = operators_for(node)
        if self.operator not in allowed:
            raise ConditionError(
                _("El operador «%(op)s» no sirve para una pregunta de tipo %(type)s.")
                % {"op": OPERATOR_LABELS.get(self.operator, self.operator), "type": node.type},
                field="operator",
            )
        if self.operator == ANSWERED:
            return Condition(self.question, ANSWERED, "")
        value = self.value
        if not value:
            raise ConditionError(_("Escriba el valor con el que se compara."), field="value")
        if len(value) > MAX_VALUE_LENGTH:
            raise ConditionError(
                _("El valor es demasiado largo (más de %(n)s caracteres).")
                % {"n": MAX_VALUE_LENGTH},
                field="value",
            )
        if any(ord(ch) < 32 for ch in value):
            raise ConditionError(_("El valor tiene caracteres de control."), field="value")
        if node.type in NUMBER_TYPES:
            number = _as_number(value)
            if number is None:
                raise ConditionError(
                    _("«%(value)s» no es un número.") % {"value": value[:40]}, field="value"
                )
            value = _format_number(number)
        elif node.type == "date":
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise ConditionError(
                    _("Escriba la fecha como AAAA-MM-DD."), field="value"
                ) from None
        elif node.is_select:
            names = {choice.name for choice in spec.choices_for(node)}
            if value not in names:
                raise ConditionError(
                    _("«%(value)s» no es una opción de la pregunta «%(name)s».")
                    % {"value": value[:40], "name": node.name},
                    field="value",
                )
        return Condition(self.question, self.operator, value)

    def is_numeric(self, spec: FormSpec) -> bool:
        node = spec.question(self.question)
        return node is not None and node.type in NUMBER_TYPES

    # --- As SQL -----------------------------------------------------------------

    def answers(self, spec: FormSpec, answers: QuerySet) -> QuerySet:
        """The answers (of this question, among ``answers``) satisfying the condition."""
        answers = answers.filter(name=self.question)
        if self.operator == ANSWERED:
            return answers
        if self.operator == SELECTED:
            return answers.filter(value=self.value)
        numeric = self.is_numeric(spec)
        field = "number" if numeric else "value"
        value: Any = float(self.value) if numeric else self.value
        if self.operator == EQ:
            return answers.filter(**{field: value})
        if self.operator == NE:
            if numeric:
                return answers.filter(number__isnull=False).exclude(number=value)
            return answers.exclude(value=value)
        return answers.filter(**{f"{field}__{COMPARISONS[self.operator]}": value})

    def q(self, spec: FormSpec, *, round_ids: list[int]) -> Q:
        """The responses satisfying the condition: ``id IN (SELECT response_id
        FROM answers of these rounds that satisfy it)``. Not correlated, so that
        the database reads the matching answers once (an index range on round
        and question) instead of probing the answers of each response."""
        from polo.surveys.models import Answer

        matching = self.answers(spec, Answer.objects.filter(round_id__in=round_ids))
        return Q(pk__in=matching.values("response_id"))

    def describe(self, spec: FormSpec | None = None, language: str | None = None) -> str:
        label = self.question
        value = self.value
        if spec is not None:
            node = spec.question(self.question)
            if node is not None:
                label = spec.text(node.label, language) or node.name
                if node.is_select and value:
                    value = spec.choice_label(node, value, language)
        if self.operator == ANSWERED:
            return f"«{label}» {OPERATOR_LABELS[ANSWERED]}"
        return f"«{label}» {OPERATOR_LABELS[self.operator]} «{value}»"


def _as_number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _format_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)
