"""The form's logic as the web form needs it: relevance, filtered choices,
labels with ``${name}`` in them, which sections apply.

The evaluation is ``expressions``' (the one the server trusts, through
``validation``); this module only asks it the questions a page asks while it is
drawn: is this question shown, which options does this select offer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from polo.surveys import validation
from polo.surveys.expressions import Env
from polo.surveys.spec import FormSpec, Node, Section
from polo.surveys.validation import allowed_choices

OUTPUT_RE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")


def env(
    data: Mapping[str, Any],
    *,
    today: dt.date,
    row: Mapping[str, Any] | None = None,
    position: int | None = None,
) -> Env:
    return Env(values=data, row=row, position=position, today=today, now=timezone.now())


def is_relevant(
    node: Node,
    data: Mapping[str, Any],
    *,
    today: dt.date,
    row: Mapping[str, Any] | None = None,
    position: int | None = None,
) -> bool:
    """As ``validation`` decides it (one rule for the page and the check): an
    expression that cannot be evaluated on these answers hides nothing."""
    return validation.is_relevant(node, data, today=today, row=row, position=position)


def section_applies(spec: FormSpec, section: Section, data, *, today: dt.date) -> bool:
    """A section is skipped when none of its top-level groups and repeats is
    relevant (a section of loose questions always applies)."""
    return any(is_relevant(node, data, today=today) for node in section.nodes)


def applicable_sections(spec: FormSpec, data, *, today: dt.date) -> list[int]:
    return [
        section.index
        for section in spec.sections
        if _renders_something(section) and section_applies(spec, section, data, today=today)
    ]


def _renders_something(section: Section) -> bool:
    return any(
        node.kind != "question" or node.is_input or node.type == "note"
        for top in section.nodes
        for node in top.walk()
    )


def choice_names_allowed(spec: FormSpec, node: Node, data, *, today, row=None, position=None):
    if node.expression("choice_filter") is None:
        return None  # every option
    return {
        choice.name
        for choice in allowed_choices(spec, node, data, today=today, row=row, position=position)
    }


def output_value(name: str, data: Mapping[str, Any], row: Mapping[str, Any] | None) -> str:
    value = row[name] if row is not None and name in row else data.get(name, "")
    if isinstance(value, list):
        return str(len(value))
    return "" if value is None else str(value)


def interpolate(text: str, data, row=None) -> SafeString:
    """A label or hint, escaped, with each ``${name}`` replaced by the current
    answer in a span that form.js keeps up to date."""
    pieces: list[tuple[str, str]] = []
    last = 0
    for match in OUTPUT_RE.finditer(text):
        pieces.append((text[last : match.start()], ""))
        pieces.append(("", match.group(1)))
        last = match.end()
    pieces.append((text[last:], ""))
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html('<span data-output="{}">{}</span>', name, output_value(name, data, row))
                if name
                else plain,
            )
            for plain, name in pieces
            if plain or name
        ),
    )
