"""What form.js needs to be helpful while a person types: the compiled
expressions of the section's questions (and of every calculation, for the
values shown in labels), the options of filtered selects with their columns,
the answers of the other sections, and the messages the server would give.

The server decides anyway (``validation``); this only spares a round trip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from polo.surveys.spec import FormSpec, Node, Section
from polo.surveys.validation import MAX_TEXT_LENGTH

# The option's text, beside its columns (which a choice_filter reads by name).
CHOICE_LABEL = "_label"
EXPRESSIONS = ("relevant", "constraint", "calculation", "choice_filter", "required")


def _node(spec: FormSpec, node: Node, language: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": node.name, "kind": node.kind, "type": node.type}
    if node.repeat:
        entry["repeat"] = node.repeat
    for key in EXPRESSIONS:
        ast = node.expression(key)
        if ast is not None:
            entry[key] = ast
    if node.required:
        entry["required_flag"] = True
    if node.readonly:
        entry["readonly"] = True
    if node.kind == "question":
        message = spec.text(node.required_message, language)
        if message:
            entry["required_message"] = message
        message = spec.text(node.constraint_message, language)
        if message:
            entry["constraint_message"] = message
    if node.list_name and node.expression("choice_filter") is not None:
        entry["list"] = node.list_name
    return entry


def client_logic(
    spec: FormSpec,
    section: Section,
    data: Mapping[str, Any],
    *,
    language: str | None,
    today: dt.date,
) -> dict[str, Any]:
    in_section = [node for top in section.nodes for node in top.walk()]
    names = {node.name for node in in_section}
    calculations = [
        node
        for node in spec.walk()
        if node.name not in names and node.expression("calculation") is not None
    ]
    filtered_lists = {
        node.list_name
        for node in in_section
        if node.list_name and node.expression("choice_filter") is not None
    }
    return {
        "today": today.isoformat(),
        "data": dict(data),
        "nodes": [_node(spec, node, language) for node in [*in_section, *calculations]],
        "choices": {
            list_name: [
                {
                    **choice.extra,
                    "name": choice.name,
                    CHOICE_LABEL: choice.text(spec.languages, language),
                }
                for choice in spec.choices.get(list_name, [])
            ]
            for list_name in sorted(filtered_lists)
        },
        "messages": {
            "required": _("Esta pregunta es obligatoria."),
            "constraint": _("La respuesta no cumple la condición del formulario."),
            "integer": _("Escriba un número entero."),
            "decimal": _("Escriba un número."),
            "too_long": _("La respuesta es demasiado larga (máximo %(n)s caracteres).")
            % {"n": MAX_TEXT_LENGTH},
            "restored": _(
                "Recuperamos respuestas que escribió en este dispositivo y que no llegaron a "
                "guardarse. Revíselas y pulse un botón para guardarlas."
            ),
            "discard": _("Descartar lo recuperado"),
            "locating": _("Buscando su ubicación…"),
            "located": _("Ubicación obtenida."),
            "location_failed": _(
                "No se pudo obtener la ubicación. Escriba las coordenadas o inténtelo de nuevo."
            ),
            "errors_heading": _("Hay respuestas por corregir"),
        },
        "max_text": MAX_TEXT_LENGTH,
    }
