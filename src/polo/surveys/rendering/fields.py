"""One section of a form, as the templates draw it.

``build_section`` walks the section's nodes with the answers (and, after a
refused POST, what was typed) and returns plain objects: each question with its
widget, HTML name and id, label and hint in the person's language, value,
options, errors and whether it is shown. The templates only lay them out.

HTML names and ids: ``q/<name>`` for a question, ``q/<repeat>/<row>/<name>``
inside a repeat (row from 0). ``/`` cannot occur in an XLSForm name, so the
names never collide with each other or with the form's own controls (``_…``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from polo.surveys.rendering import logic, uploads, values
from polo.surveys.spec import FormSpec, Node, Section
from polo.surveys.validation import MAX_TEXT_LENGTH, AnswerProblem

PREFIX = "q"
# More options than this and a select_one is a drop-down, whatever its appearance.
MAX_RADIOS = 15
# A range with at most this many steps is a row of radio buttons.
MAX_RANGE_RADIOS = 11
DROPDOWN_APPEARANCES = {"minimal", "autocomplete", "search"}


def field_name(node: Node, row: int | None = None) -> str:
    if node.repeat is not None and row is not None:
        return f"{PREFIX}/{node.repeat}/{row}/{node.name}"
    return f"{PREFIX}/{node.name}"


def rows_name(repeat: Node) -> str:
    return f"{PREFIX}/{repeat.name}/filas"


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool
    shown: bool = True


@dataclass
class Field:
    node: Node
    kind: str  # question, note, group, repeat
    widget: str
    name: str
    id: str
    label: SafeString | str
    hint: SafeString | str = ""
    required: bool = False
    value: str = ""
    parts: dict[str, str] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    shown: bool = True
    waits_for_answers: bool = False  # a filtered select with nothing to offer yet
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Field] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    row: int | None = None

    @property
    def hint_id(self) -> str:
        return f"{self.id}/ayuda" if self.hint else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}/error" if self.errors else ""

    @property
    def describedby(self) -> str:
        return " ".join(part for part in (self.hint_id, self.error_id) if part)

    @property
    def first_input_id(self) -> str:
        """Where an error link takes the keyboard: the first control."""
        if self.widget in {"radios", "checkboxes", "range_radios"}:
            visible = [option for option in self.options if option.shown]
            return (visible or self.options or [None])[0].id if self.options else self.id
        if self.widget == "geopoint":
            return f"{self.id}/lat"
        return self.id

    @property
    def options_shown(self) -> list[Option]:
        return [option for option in self.options if option.shown]


@dataclass
class Row:
    repeat: Node
    index: int
    label: str
    fields: list[Field]

    @property
    def id(self) -> str:
        return f"{PREFIX}/{self.repeat.name}/{self.index}"

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class SectionView:
    section: Section
    title: str
    fields: list[Field]
    hidden: list[str]  # ids drawn hidden: not relevant, or waiting for other answers
    problems: list[tuple[str, str, str]]  # (label, id, message) for the summary
    multipart: bool
    has_required: bool


class _Builder:
    def __init__(
        self,
        spec: FormSpec,
        data: Mapping[str, Any],
        *,
        raw: Mapping[str, Any] | None,
        problems: list[AnswerProblem],
        language: str | None,
        today: dt.date,
    ):
        self.spec = spec
        self.data = data
        self.raw = raw
        self.language = language
        self.today = today
        self.errors: dict[tuple[str, int], list[str]] = {}
        for problem in problems:
            self.errors.setdefault((problem.name, problem.row), []).append(problem.message)
        self.hidden: list[str] = []
        self.summary: list[tuple[str, str, str]] = []
        self.multipart = False
        self.has_required = False

    def take_errors(self, name: str, row: int) -> list[str]:
        return self.errors.pop((name, row), [])

    def leftover_problems(self, anchor: str) -> None:
        """Problems with no field on this page (an answer to a question the form
        does not have): listed at the top all the same."""
        for (name, row), messages in self.errors.items():
            where = f"{name} ({row})" if row else name
            self.summary.extend((where, anchor, message) for message in messages)
        self.errors.clear()

    def text(self, texts: Mapping[str, str] | None) -> str:
        return self.spec.text(dict(texts or {}), self.language)

    # --- walking -------------------------------------------------------------

    def nodes(self, nodes, *, shown: bool, row=None, position=None) -> list[Field]:
        fields = []
        for node in nodes:
            built = self.node(node, shown=shown, row=row, position=position)
            if built is not None:
                fields.append(built)
        return fields

    def node(self, node: Node, *, shown: bool, row=None, position=None) -> Field | None:
        relevant = shown and logic.is_relevant(
            node, self.data, today=self.today, row=row, position=position
        )
        if node.kind == "group":
            return self.group(node, relevant, row, position)
        if node.kind == "repeat":
            return self.repeat(node, relevant)
        if node.type == "note":
            return self.note(node, relevant, row, position)
        if not node.is_input:
            return None  # calculations and metadata: computed, never typed
        return self.question(node, relevant, row, position)

    def group(self, node, relevant, row, position) -> Field:
        index = None if position is None else position - 1
        built = Field(
            node=node,
            kind="group",
            widget="group",
            name=field_name(node, index),
            id=field_name(node, index),
            label=logic.interpolate(self.text(node.label), self.data, row),
            hint=logic.interpolate(self.text(node.hint), self.data, row),
            shown=relevant,
        )
        built.children = self.nodes(node.children, shown=relevant, row=row, position=position)
        if not relevant:
            self.hidden.append(built.id)
        return built

    def repeat(self, node: Node, relevant: bool) -> Field:
        built = Field(
            node=node,
            kind="repeat",
            widget="repeat",
            name=rows_name(node),
            id=field_name(node),
            label=self.text(node.label) or node.name,
            hint=logic.interpolate(self.text(node.hint), self.data),
            shown=relevant,
            errors=self.take_errors(node.name, 0),
        )
        if built.errors:
            self.summary.extend((str(built.label), built.id, m) for m in built.errors)
        stored = self.data.get(node.name)
        rows = stored if isinstance(stored, list) else []
        for index, row_data in enumerate(rows):
            row_data = row_data if isinstance(row_data, Mapping) else {}
            row_values = {child.name: "" for child in node.walk() if child.is_question}
            row_values.update(row_data)
            built.rows.append(
                Row(
                    repeat=node,
                    index=index,
                    label=_("%(repeat)s %(n)s") % {"repeat": built.label, "n": index + 1},
                    fields=self.nodes(
                        node.children, shown=relevant, row=row_values, position=index + 1
                    ),
                )
            )
        if not relevant:
            self.hidden.append(built.id)
        return built

    def note(self, node, relevant, row, position) -> Field:
        index = None if position is None else position - 1
        built = Field(
            node=node,
            kind="note",
            widget="note",
            name=field_name(node, index),
            id=field_name(node, index),
            label=logic.interpolate(self.text(node.label), self.data, row),
            hint=logic.interpolate(self.text(node.hint), self.data, row),
            shown=relevant,
            row=index,
        )
        if not relevant:
            self.hidden.append(built.id)
        return built

    # --- questions -----------------------------------------------------------

    def stored_value(self, node: Node, row) -> str:
        source = row if row is not None else self.data
        value = source.get(node.name, "")
        return "" if value is None or isinstance(value, list | dict) else str(value)

    def typed(self, name: str) -> Any:
        return None if self.raw is None else self.raw.get(name)

    def question(self, node: Node, relevant: bool, row, position) -> Field:
        index = None if position is None else position - 1
        name = field_name(node, index)
        required = node.required or node.expression("required") is not None
        self.has_required = self.has_required or required
        built = Field(
            node=node,
            kind="question",
            widget=node.type,
            name=name,
            id=name,
            label=logic.interpolate(self.text(node.label) or node.name, self.data, row),
            hint=logic.interpolate(self.text(node.hint), self.data, row),
            required=required,
            shown=relevant,
            row=index,
            errors=self.take_errors(node.name, position or 0),
        )
        stored = self.stored_value(node, row)
        typed = self.typed(name)
        value = typed if isinstance(typed, str) else stored
        if node.readonly:
            built.widget = "readonly"
            built.value = stored
        elif node.type == "text":
            built.widget = "textarea" if "multiline" in node.appearance else "text"
            built.value = value[:MAX_TEXT_LENGTH]
            built.attrs = {"maxlength": MAX_TEXT_LENGTH}
        elif node.type in {"integer", "decimal"}:
            built.widget = "number"
            built.value = value
            built.attrs = {"inputmode": "numeric" if node.type == "integer" else "decimal"}
        elif node.type == "date":
            built.value = value
        elif node.type == "time":
            built.value = typed if isinstance(typed, str) else values.time_to_input(stored)
        elif node.type == "datetime":
            built.value = typed if isinstance(typed, str) else values.datetime_to_input(stored)
        elif node.type == "geopoint":
            parts = values.geopoint_to_parts(stored)
            for part in values.GEOPOINT_PARTS:
                typed_part = self.typed(f"{name}/{part}")
                if isinstance(typed_part, str):
                    parts[part] = typed_part
            built.parts = parts
        elif node.type == "acknowledge":
            built.value = value
        elif node.type in {"select_one", "select_multiple"}:
            self.select(built, node, typed, stored, row, position)
        elif node.type == "range":
            self.range(built, node, value)
        elif node.type in {"image", "file"}:
            self.multipart = True
            current = self.typed(f"{name}/actual")
            built.value = current if isinstance(current, str) else stored
            built.attrs = {
                "accept": uploads.accept_attribute(node.type),
                "types": ", ".join(
                    ext.upper() for ext in uploads.extensions_for(node.type) if ext != "jpeg"
                ),
                "mb": uploads.MAX_UPLOAD_BYTES // (1024 * 1024),
            }
        if not built.shown or built.waits_for_answers:
            self.hidden.append(built.id)
        if built.errors:
            self.summary.extend(
                (self._summary_label(built), built.first_input_id, message)
                for message in built.errors
            )
        return built

    def _summary_label(self, built: Field) -> str:
        label = self.text(built.node.label) or built.node.name
        label = logic.OUTPUT_RE.sub("…", label)
        if built.row is not None:
            repeat = self.spec.nodes.get(built.node.repeat or "")
            repeat_label = self.text(repeat.label) if repeat else ""
            return f"{label} ({repeat_label or built.node.repeat} {built.row + 1})"
        return label

    def select(self, built: Field, node: Node, typed, stored: str, row, position) -> None:
        if isinstance(typed, list):
            chosen = set(typed)
        elif isinstance(typed, str):
            chosen = {typed}
        else:
            chosen = set(stored.split()) if node.type == "select_multiple" else {stored}
        allowed = logic.choice_names_allowed(
            self.spec, node, self.data, today=self.today, row=row, position=position
        )
        choices = self.spec.choices_for(node)
        built.options = [
            Option(
                value=choice.name,
                label=choice.text(self.spec.languages, self.language),
                id=f"{built.id}/{number}",
                checked=choice.name in chosen,
                shown=allowed is None or choice.name in allowed or choice.name in chosen,
            )
            for number, choice in enumerate(choices)
        ]
        built.value = " ".join(sorted(chosen - {""}))
        if node.type == "select_multiple":
            built.widget = "checkboxes"
        elif len(choices) > MAX_RADIOS or any(
            appearance in node.appearance.split() for appearance in DROPDOWN_APPEARANCES
        ):
            built.widget = "dropdown"
        else:
            built.widget = "radios"
        if allowed is not None and not any(option.shown for option in built.options):
            built.waits_for_answers = True

    def range(self, built: Field, node: Node, value: str) -> None:
        try:
            start = float(node.parameters.get("start", 1))
            end = float(node.parameters.get("end", 10))
            step = abs(float(node.parameters.get("step", 1))) or 1.0
        except ValueError:
            start, end, step = 1.0, 10.0, 1.0
        low, high = min(start, end), max(start, end)
        count = int(round((high - low) / step)) + 1
        built.value = value
        built.attrs = {"min": _number(low), "max": _number(high), "step": _number(step)}
        if count <= MAX_RANGE_RADIOS:
            built.widget = "range_radios"
            numbers = [_number(low + i * step) for i in range(count)]
            if start > end:
                numbers.reverse()
            built.options = [
                Option(value=n, label=n, id=f"{built.id}/{i}", checked=_same_number(n, value))
                for i, n in enumerate(numbers)
            ]
        else:
            built.widget = "range"


def _number(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def section_title(spec: FormSpec, section: Section, language: str | None) -> str:
    title = spec.text(section.label, language)
    if title:
        return title
    return _("Preguntas generales") if section.index == 0 else _("Más preguntas")


def build_section(
    spec: FormSpec,
    section: Section,
    data: Mapping[str, Any],
    *,
    raw: Mapping[str, Any] | None = None,
    problems: list[AnswerProblem] = (),
    language: str | None = None,
    today: dt.date,
) -> SectionView:
    """What the section's page shows. ``data`` is the response's answers (or
    those just posted); ``raw`` what was typed, shown instead where a value
    could not be kept as typed; ``problems`` come from validation."""
    builder = _Builder(spec, data, raw=raw, problems=list(problems), language=language, today=today)
    fields: list[Field] = []
    for top in section.nodes:
        if top.kind == "group" and top.name == section.name and section.name:
            # The section's own group is the page: its label is the heading.
            relevant = logic.is_relevant(top, data, today=today)
            if not relevant:
                builder.hidden.append(field_name(top))
            fields.extend(builder.nodes(top.children, shown=relevant))
        else:
            built = builder.node(top, shown=True)
            if built is not None:
                fields.append(built)
    builder.leftover_problems("preguntas")
    return SectionView(
        section=section,
        title=section_title(spec, section, language),
        fields=fields,
        hidden=builder.hidden,
        problems=builder.summary,
        multipart=builder.multipart,
        has_required=builder.has_required,
    )
