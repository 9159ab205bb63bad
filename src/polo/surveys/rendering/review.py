"""The summary before sending: every answer of the sections that apply, as a
person reads it (option labels, not their names), with a link to its section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from polo.surveys.rendering import logic, values
from polo.surveys.rendering.fields import section_title
from polo.surveys.spec import FormSpec, Node
from polo.surveys.validation import ACKNOWLEDGED, AnswerProblem


@dataclass
class ReviewItem:
    label: str
    value: str = ""
    rows: list[list[ReviewItem]] = field(default_factory=list)
    is_repeat: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return not self.value and not self.rows


@dataclass
class ReviewSection:
    index: int
    title: str
    items: list[ReviewItem]
    problems: int = 0


def display_value(spec: FormSpec, node: Node, value: Any, language: str | None) -> str:
    if value in (None, "") or isinstance(value, list | dict):
        return ""
    value = str(value)
    kind = node.type
    if kind == "select_one":
        return spec.choice_label(node, value, language)
    if kind == "select_multiple":
        return ", ".join(spec.choice_label(node, name, language) for name in value.split())
    if kind == "acknowledge":
        return _("Sí, confirmado") if value == ACKNOWLEDGED else value
    if kind == "date":
        try:
            return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    if kind == "time":
        return values.time_to_input(value)
    if kind == "datetime":
        return values.datetime_to_input(value).replace("T", " ")
    if kind == "geopoint":
        parts = values.geopoint_to_parts(value)
        text = _("latitud %(lat)s, longitud %(lon)s") % parts
        if parts["acc"] not in ("", "0", "0.0"):
            text += " " + _("(precisión %(acc)s m)") % parts
        return text
    return value


def _items(
    spec, nodes, data, row, position, *, language, today, problems, shown=True
) -> list[ReviewItem]:
    items: list[ReviewItem] = []
    for node in nodes:
        if not shown or not logic.is_relevant(node, data, today=today, row=row, position=position):
            continue
        if node.kind == "group":
            items.extend(
                _items(
                    spec,
                    node.children,
                    data,
                    row,
                    position,
                    language=language,
                    today=today,
                    problems=problems,
                )
            )
        elif node.kind == "repeat":
            stored = data.get(node.name)
            rows = [r for r in stored if isinstance(r, Mapping)] if isinstance(stored, list) else []
            item = ReviewItem(
                label=spec.text(node.label, language) or node.name,
                is_repeat=True,
                problems=problems.get((node.name, 0), []),
            )
            for number, row_data in enumerate(rows, start=1):
                item.rows.append(
                    _items(
                        spec,
                        node.children,
                        data,
                        row_data,
                        number,
                        language=language,
                        today=today,
                        problems=problems,
                    )
                )
            items.append(item)
        elif node.is_input:
            source = row if row is not None else data
            items.append(
                ReviewItem(
                    label=logic.OUTPUT_RE.sub("…", spec.text(node.label, language) or node.name),
                    value=display_value(spec, node, source.get(node.name), language),
                    problems=problems.get((node.name, position or 0), []),
                )
            )
    return items


def review_sections(
    spec: FormSpec,
    data: Mapping[str, Any],
    *,
    language: str | None,
    today: dt.date,
    problems: list[AnswerProblem] = (),
) -> list[ReviewSection]:
    by_answer: dict[tuple[str, int], list[str]] = {}
    for problem in problems:
        by_answer.setdefault((problem.name, problem.row), []).append(problem.message)
    sections = []
    for index in logic.applicable_sections(spec, data, today=today):
        section = spec.sections[index]
        items = _items(
            spec,
            section.nodes,
            data,
            None,
            None,
            language=language,
            today=today,
            problems=by_answer,
        )
        count = sum(len(item.problems) for item in _flatten(items))
        sections.append(ReviewSection(index, section_title(spec, section, language), items, count))
    return sections


def _flatten(items: list[ReviewItem]):
    for item in items:
        yield item
        for row in item.rows:
            yield from _flatten(row)
