"""A section's POST, read back into ``Response.data``.

Only the questions of the posted section are read; every other answer is kept
as it was. What cannot be kept (a text over the limit, a refused file) is left
as it was before, with a problem to show; what was typed is returned as well
(``raw``), so that a page drawn again shows it as typed.

The buttons: ``_accion`` = ``siguiente`` | ``anterior`` | ``guardar`` (save and
leave) | ``revisar``; ``_agregar`` = <repeat> adds a row, ``_quitar`` =
<repeat>/<row> removes one. They are plain submit buttons, so repeats work
without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from polo.surveys.rendering import uploads, values
from polo.surveys.rendering.fields import PREFIX, field_name, rows_name
from polo.surveys.spec import FormSpec, Node, Section
from polo.surveys.validation import (
    ACKNOWLEDGED,
    MAX_REPEAT_ROWS,
    MAX_TEXT_LENGTH,
    AnswerProblem,
)

ACTIONS = {"siguiente", "anterior", "guardar", "revisar"}
ROW_KEY_RE = re.compile(rf"^{PREFIX}/([^/]+)/(\d+)/(.+)$")
DEFAULT_ACTION = "siguiente"


@dataclass
class Posted:
    data: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)
    action: str = DEFAULT_ACTION
    add_row: str = ""
    remove_row: tuple[str, int] | None = None
    hidden: set[str] = field(default_factory=set)
    version: str = ""

    @property
    def changes_rows(self) -> bool:
        return bool(self.add_row or self.remove_row)


# A function that keeps an uploaded file and returns the answer (its file name).
StoreFile = Callable[[Node, Any, str], str]


class _Reader:
    def __init__(self, spec, post, files, store_file: StoreFile | None, attachments: set[str]):
        self.spec = spec
        self.post = post
        self.files = files
        self.store_file = store_file
        self.attachments = attachments
        self.raw: dict[str, Any] = {}
        self.problems: list[AnswerProblem] = []

    def text(self, name: str) -> str:
        value = self.post.get(name, "")
        return value if isinstance(value, str) else ""

    def nodes(self, nodes, before: Mapping[str, Any], target: dict, position: int | None):
        for node in nodes:
            if node.kind == "group":
                self.nodes(node.children, before, target, position)
            elif node.kind == "repeat":
                if position is None:  # repeats inside repeats are not drawn on the web
                    target[node.name] = self.repeat(node, before.get(node.name))
            elif node.is_input and not node.readonly:
                index = None if position is None else position - 1
                target[node.name] = self.question(
                    node, field_name(node, index), before.get(node.name, ""), position or 0
                )

    def repeat(self, node: Node, before: Any) -> list[dict[str, Any]]:
        count_text = self.text(rows_name(node)).strip()
        count = int(count_text) if count_text.isdigit() and len(count_text) < 10 else 0
        if count > MAX_REPEAT_ROWS:
            self.problems.append(
                AnswerProblem(
                    node.name, _("Demasiadas filas (máximo %(n)s).") % {"n": MAX_REPEAT_ROWS}
                )
            )
            count = MAX_REPEAT_ROWS
        old_rows = before if isinstance(before, list) else []
        rows = []
        for index in range(count):
            old = old_rows[index] if index < len(old_rows) else {}
            old = old if isinstance(old, Mapping) else {}
            row: dict[str, Any] = {
                child.name: old.get(child.name, "")
                for child in node.walk()
                if child.is_question and child.stores_value
            }
            self.nodes(node.children, old, row, index + 1)
            rows.append(row)
        return rows

    def question(self, node: Node, name: str, before: Any, row: int) -> str:
        before = before if isinstance(before, str) else ""
        kind = node.type
        if kind == "select_multiple":
            chosen = [values.clean_text(v) for v in self.post.getlist(name)]
            self.raw[name] = chosen
            order = {choice.name: i for i, choice in enumerate(self.spec.choices_for(node))}
            unique = list(dict.fromkeys(v for v in chosen if v))
            unique.sort(key=lambda v: order.get(v, len(order)))
            return self.limited(node, " ".join(unique), before, row)
        if kind == "geopoint":
            parts = {part: self.text(f"{name}/{part}") for part in values.GEOPOINT_PARTS}
            for part, typed in parts.items():
                self.raw[f"{name}/{part}"] = typed[:100]
            return self.limited(node, values.geopoint_to_stored(parts), before, row)
        if kind == "acknowledge":
            value = ACKNOWLEDGED if self.text(name) else ""
            self.raw[name] = value
            return value
        if kind in {"image", "file"}:
            return self.upload(node, name, before, row)
        typed = self.text(name)
        self.raw[name] = typed[:MAX_TEXT_LENGTH]
        if kind == "time":
            return self.limited(node, values.time_to_stored(values.clean_text(typed)), before, row)
        if kind == "datetime":
            value = values.datetime_to_stored(values.clean_text(typed))
            return self.limited(node, value, before, row)
        return self.limited(node, values.clean_text(typed), before, row)

    def limited(self, node: Node, value: str, before: str, row: int) -> str:
        if values.too_long(value):
            self.problems.append(
                AnswerProblem(
                    node.name,
                    _(
                        "La respuesta es demasiado larga: tiene %(length)s caracteres y el "
                        "máximo es %(n)s. No se guardó; acórtela."
                    )
                    % {"length": f"{len(value):,}", "n": f"{MAX_TEXT_LENGTH:,}"},
                    row,
                )
            )
            return before
        return value

    def upload(self, node: Node, name: str, before: str, row: int) -> str:
        current = self.text(f"{name}/actual").strip()
        current = current if current in self.attachments else ""
        upload = self.files.get(name) if self.files else None
        if upload is not None and self.store_file is not None:
            try:
                extension = uploads.check_upload(upload, node.type)
            except uploads.UploadRefused as refused:
                self.problems.append(AnswerProblem(node.name, refused.message, row))
            else:
                current = self.store_file(node, upload, extension)
                self.attachments.add(current)
        elif self.text(f"{name}/quitar"):
            current = ""
        self.raw[f"{name}/actual"] = current
        return current


def read_section(
    spec: FormSpec,
    section: Section,
    post,
    files,
    data: Mapping[str, Any],
    *,
    store_file: StoreFile | None = None,
    attachments: set[str] | None = None,
) -> Posted:
    """The answers with this section's replaced by what was posted, rows added or
    removed as the buttons asked. ``store_file(node, upload, extension)`` keeps an
    accepted upload; ``attachments`` are the file names the response already has
    (a posted ``…/actual`` naming another file is ignored)."""
    reader = _Reader(spec, post, files, store_file, set(attachments or ()))
    section_answers: dict[str, Any] = {}
    reader.nodes(section.nodes, data, section_answers, None)
    merged = {key: value for key, value in data.items() if key not in section_answers}
    for key, value in section_answers.items():
        if value not in ("", None):
            merged[key] = value
    action = post.get("_accion", "")
    posted = Posted(
        data=merged,
        raw=reader.raw,
        problems=reader.problems,
        action=action if action in ACTIONS else DEFAULT_ACTION,
        hidden=set(str(post.get("_ocultas", "")).split()),
        version=str(post.get("_version", "")),
    )
    repeats = {
        node.name: node for top in section.nodes for node in top.walk() if node.kind == "repeat"
    }
    add = str(post.get("_agregar", ""))
    if add in repeats:
        posted.add_row = add
        rows = merged.setdefault(add, [])
        if len(rows) < MAX_REPEAT_ROWS:
            rows.append(empty_row(repeats[add]))
    remove = str(post.get("_quitar", ""))
    repeat_name, _sep, index_text = remove.rpartition("/")
    if repeat_name in repeats and index_text.isdigit() and len(index_text) < 5:
        index = int(index_text)
        rows = merged.get(repeat_name)
        if isinstance(rows, list) and index < len(rows):
            del rows[index]
            posted.remove_row = (repeat_name, index)
            posted.raw = _shift_rows(posted.raw, repeat_name, index)
    return posted


def empty_row(repeat: Node) -> dict[str, str]:
    """A new row: every question of the repeat, unanswered or at its default."""
    return {
        child.name: literal_default(child)
        for child in repeat.walk()
        if child.is_question and child.stores_value
    }


def literal_default(node: Node) -> str:
    """A `default` that is a value (an expression default is not applied)."""
    default = node.default or ""
    if not node.is_input or "(" in default or "${" in default:
        return ""
    return default


def _shift_rows(raw: dict[str, Any], repeat: str, removed: int) -> dict[str, Any]:
    """What was typed, with the rows after a removed one moved up."""
    shifted: dict[str, Any] = {}
    for key, value in raw.items():
        match = ROW_KEY_RE.match(key)
        if not match or match.group(1) != repeat:
            shifted[key] = value
            continue
        index = int(match.group(2))
        if index == removed:
            continue
        if index > removed:
            key = f"{PREFIX}/{repeat}/{index - 1}/{match.group(3)}"
        shifted[key] = value
    return shifted
