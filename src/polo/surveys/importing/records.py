"""From a row of an export to a response's answers, as Polo stores them.

Cells become the strings an XForm instance holds (``Response.data``): numbers
without a spurious ".0", dates as ISO dates, a multiple choice as the chosen
names separated by spaces (rebuilt from the 0/1 columns when the export has
only those), a geopoint as "lat lon alt acc" (rebuilt from its parts). Rows of
repeats, read beforehand from their own sheet or file, join their response by
its id (or KoboToolbox's ``_index``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _g

from polo.surveys.importing.columns import Mapping, Target
from polo.surveys.importing.common import MAX_CELL, msg
from polo.surveys.importing.reading import Table
from polo.surveys.spec import FormSpec, Node

FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")
TRUE_CELLS = {"1", "1.0", "true", "verdadero", "yes", "si", "sí", "x"}
INTEGER_FLOAT_RE = re.compile(r"^[+-]?\d+\.0+$")
DECIMAL_COMMA_RE = re.compile(r"^[+-]?\d+,\d+$")
INSTANCE_ID_RE = re.compile(r"^[^\s\x00-\x1f]{1,100}$")
WHOLE_TYPES = {"integer", "select_one", "select_multiple", "text", "range"}


@dataclass
class Record:
    """One response read from the file."""

    row: int
    instance_id: str
    data: dict[str, Any]
    submitted_at: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)


def cell_text(value: Any, node: Node | None = None) -> str:
    """A cell as the text an XForm instance would hold."""
    kind = node.type if node is not None else ""
    if value.__class__ is str:
        # Every cell of a CSV, most of an XLSX: straight to the text rules.
        return _text(value, kind)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and (kind in WHOLE_TYPES or abs(value) < 1e15):
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if kind == "date":
            return value.date().isoformat()
        if kind == "time":
            return value.time().isoformat()
        if value.time() == dt.time(0) and kind != "datetime":
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return _text(str(value), kind)


def _text(text: str, kind: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if text.startswith(FORMULA_GUARD):
        text = text[1:]  # undo the formula guard of a CSV export (Polo's own included)
    if kind == "integer" and INTEGER_FLOAT_RE.match(text):
        text = text.split(".")[0]
    elif kind in {"decimal", "range"} and DECIMAL_COMMA_RE.match(text):
        text = text.replace(",", ".")
    elif kind == "select_multiple" and (" " in text or "\n" in text):
        text = " ".join(text.split())
    return text


def instance_id(value: Any) -> str:
    """ODK's form of an instance id: "uuid:<uuid>"; KoboToolbox's ``_uuid``
    has no prefix."""
    text = cell_text(value)
    if not text:
        return ""
    try:
        return f"uuid:{uuid.UUID(text)}" if not text.startswith("uuid:") else text
    except ValueError:
        return text


def submission_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = cell_text(value)
        if not text:
            return None
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if timezone.is_naive(moment):
        # KoboToolbox writes UTC without saying so.
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return cell_text(value).casefold() in TRUE_CELLS


class _Cells:
    """Reads one table's cells into answers with the handlers made once."""

    def __init__(self, spec: FormSpec, mapping: Mapping) -> None:
        self.spec = spec
        self.values: list[tuple[int, Node, str]] = []
        self.options: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.geo: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.nodes: dict[str, Node] = {}
        self.ids: list[tuple[int, int]] = []
        self.instance_node: Node | None = None
        self.submitted: int | None = None
        self.parent: int | None = None
        self.parent_index: int | None = None
        self.index: int | None = None
        for position, target in sorted(mapping.targets.items()):
            self._add(position, target)
        self.ids.sort(key=lambda pair: pair[1])
        self.width = max(mapping.targets, default=-1) + 1

    def _add(self, position: int, target: Target) -> None:
        node = target.node
        if target.role == "value" and node is not None:
            self.values.append((position, node, node.name))
        elif target.role == "option" and node is not None:
            self.options[node.name].append((position, str(target.part)))
            self.nodes[node.name] = node
        elif target.role == "geo" and node is not None:
            self.geo[node.name].append((position, int(target.part)))
            self.nodes[node.name] = node
        elif target.role == "id":
            self.ids.append((position, int(target.part or 0)))
            if node is not None:
                self.instance_node = node
        elif target.role == "submitted":
            self.submitted = position
        elif target.role == "parent":
            self.parent = position
        elif target.role == "parent_index":
            self.parent_index = position
        elif target.role == "index":
            self.index = position

    def read(self, cells: list[Any], answers: dict[str, Any], problems: list[str]) -> None:
        if len(cells) < self.width:
            cells = cells + [None] * (self.width - len(cells))
        for position, node, name in self.values:
            value = cells[position]
            if value is None or value == "":
                continue
            text = cell_text(value, node)
            if len(text) > MAX_CELL:
                problems.append(msg("too_long", column=name, length=len(text), limit=MAX_CELL))
                continue
            if text:
                answers[name] = text
        for name, columns in self.options.items():
            if answers.get(name):
                continue  # the column of chosen names has the last word
            node = self.nodes[name]
            chosen = {option for position, option in columns if _truthy(cells[position])}
            if chosen:
                order = [c.name for c in self.spec.choices_for(node)]
                answers[name] = " ".join(o for o in order if o in chosen)
        for name, columns in self.geo.items():
            if answers.get(name):
                continue
            parts = ["", "", "", ""]
            for position, index in columns:
                parts[index] = cell_text(cells[position])
            if parts[0] or parts[1]:
                answers[name] = " ".join(p or "0" for p in parts)

    def instance_id(self, cells: list[Any]) -> str:
        for position, _priority in self.ids:
            if position < len(cells):
                found = instance_id(cells[position])
                if found:
                    return found
        return ""


class RecordReader:
    """The responses of a file, one at a time, with their repeats."""

    def __init__(
        self,
        spec: FormSpec,
        main: Table,
        mapping: Mapping,
        children: list[tuple[Table, Mapping]],
    ) -> None:
        self.spec = spec
        self.main = main
        self.cells = _Cells(spec, mapping)
        self.children = children
        # parent key → repeat name → [(sheet row, answers, problems)]
        self.pending: dict[Any, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.repeat_sheets: dict[str, str] = {}
        self.orphans: dict[str, int] = {}
        # ODK keeps the id in the answers too (meta/instanceID): so does Polo.
        self.instance_node = self.cells.instance_node or next(
            (node for node in spec.questions if node.type == "instanceID"), None
        )

    def load_children(self) -> None:
        """Read every repeat table first: they are joined as responses stream by."""
        for table, mapping in self.children:
            repeat = mapping.repeat
            if repeat is None:
                continue
            cells = _Cells(self.spec, mapping)
            self.repeat_sheets[repeat.name] = table.name
            for number, values in table.rows:
                if not any(v not in (None, "") for v in values):
                    continue
                answers: dict[str, Any] = {}
                problems: list[str] = []
                cells.read(values, answers, problems)
                key = None
                if cells.parent is not None and cells.parent < len(values):
                    key = instance_id(values[cells.parent])
                if not key and cells.parent_index is not None:
                    index = cell_text(values[cells.parent_index])
                    key = ("index", index) if index else None
                if key:
                    self.pending[key][repeat.name].append((number, answers, problems))

    def __iter__(self) -> Iterator[Record]:
        for number, values in self.main.rows:
            if not any(v not in (None, "") for v in values):
                continue
            answers: dict[str, Any] = {}
            problems: list[str] = []
            self.cells.read(values, answers, problems)
            found = self.cells.instance_id(values)
            if found and not INSTANCE_ID_RE.match(found):
                problems.append(msg("bad_instance_id", value=found[:60]))
                found = ""
            if found and self.instance_node is not None and self.instance_node.repeat is None:
                answers[self.instance_node.name] = found
            submitted = None
            if self.cells.submitted is not None and self.cells.submitted < len(values):
                submitted = submission_time(values[self.cells.submitted])
            if self.pending:
                self._join(values, found, answers, problems)
            yield Record(
                row=number,
                instance_id=found,
                data=answers,
                submitted_at=submitted,
                problems=problems,
            )
        for repeats in self.pending.values():
            for name, rows in repeats.items():
                self.orphans[name] = self.orphans.get(name, 0) + len(rows)

    def _join(self, values, found: str, answers: dict, problems: list[str]) -> None:
        keys: list[Any] = [found] if found else []
        if self.cells.index is not None and self.cells.index < len(values):
            index = cell_text(values[self.cells.index])
            if index:
                keys.append(("index", index))
        for key in keys:
            repeats = self.pending.pop(key, None)
            if not repeats:
                continue
            for name, rows in repeats.items():
                sheet = self.repeat_sheets.get(name, name)
                for number, _answers, row_problems in rows:
                    problems.extend(
                        _g("«%(sheet)s», fila %(row)s: %(problem)s")
                        % {"sheet": sheet, "row": number, "problem": problem}
                        for problem in row_problems
                    )
                answers.setdefault(name, []).extend(row for _n, row, _p in rows)
