"""Polo's own reading of a converted XLSForm: sections, questions, choices.

pyxform's internal dictionary may change between its releases; what Polo stores
in ``FormVersion.spec`` is this module's plain JSON, written once at upload by
``xlsform.py`` and read everywhere else (the web form, OpenRosa, imports,
exports, indicators) through ``FormSpec``. Expressions are stored both as
written and compiled (``expressions.compile_expression``), so that neither the
server nor the browser ever parses them again.

Node JSON::

    {"kind": "question" | "group" | "repeat", "name", "type", "label": {lang: text},
     "hint": {...}, "row": sheet row, "list_name", "appearance", "parameters": {...},
     "required": bool, "required_message": {...}, "constraint_message": {...},
     "readonly": bool, "default": str, "extra": {column: value},
     "expressions": {"relevant" | "constraint" | "calculation" | "choice_filter"
                     | "required": {"source": str, "ast": {...}}},
     "children": [...]}  # groups and repeats
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# XLSForm types Polo renders, collects and analyses, by their spec type name.
INPUT_TYPES = {
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "time",
    "datetime",
    "geopoint",
    "range",
    "acknowledge",
    "image",
    "file",
}
# Types with no input of their own: a note shows text, a calculate computes.
DISPLAY_TYPES = {"note"}
COMPUTED_TYPES = {"calculate", "hidden"}
# Filled by the collecting device (ODK Collect) or by Polo on the web.
METADATA_TYPES = {"start", "end", "today", "deviceid", "username", "instanceID"}
SUPPORTED_TYPES = INPUT_TYPES | DISPLAY_TYPES | COMPUTED_TYPES | METADATA_TYPES
NUMERIC_TYPES = {"integer", "decimal", "range"}
SELECT_TYPES = {"select_one", "select_multiple"}

# pyxform's names for XLSForm types, where they differ from the XLSForm ones.
PYXFORM_TYPES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "photo": "image",
    "dateTime": "datetime",
}

LANGUAGE_CODE_RE = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\)\s*$")
DEFAULT_LANGUAGE = "default"


# Forms written before XLSForm asked for codes name their languages bare
# ("label::Spanish", "label::Español"): the programme's languages by name.
LANGUAGE_NAMES = {
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "spanish": "es",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
}


def language_code(language: str) -> str:
    """'Español (es)' -> 'es', 'Spanish' -> 'es'; another language without a
    code keeps its name."""
    match = LANGUAGE_CODE_RE.search(language)
    if match:
        return match.group(1).lower()
    name = language.strip().lower()
    return LANGUAGE_NAMES.get(name, name)


def pick_text(texts: dict[str, str] | None, languages: list[str], wanted: str | None) -> str:
    """The text in the wanted language (a Django code such as 'es-mx' or 'en'),
    else in the form's first language, else any."""
    if not texts:
        return ""
    if wanted:
        prefix = wanted.split("-")[0].lower()
        for language in languages:
            if language_code(language) == prefix and texts.get(language):
                return texts[language]
    for language in languages:
        if texts.get(language):
            return texts[language]
    return next((text for text in texts.values() if text), "")


@dataclass
class Choice:
    name: str
    label: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)

    def text(self, languages: list[str], wanted: str | None = None) -> str:
        return pick_text(self.label, languages, wanted) or self.name


@dataclass
class Node:
    kind: str  # question, group, repeat
    name: str
    type: str
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    row: int | None = None
    list_name: str = ""
    appearance: str = ""
    parameters: dict[str, str] = field(default_factory=dict)
    required: bool = False
    required_message: dict[str, str] = field(default_factory=dict)
    constraint_message: dict[str, str] = field(default_factory=dict)
    readonly: bool = False
    default: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    expressions: dict[str, dict[str, Any]] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    # Set when the tree is read: the enclosing repeat's name, the group path.
    repeat: str | None = None
    path: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Node:
        children = [cls.from_json(child) for child in data.get("children", [])]
        known = {f for f in cls.__dataclass_fields__ if f not in {"children", "repeat", "path"}}
        return cls(**{k: v for k, v in data.items() if k in known}, children=children)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": self.name, "type": self.type}
        for name in (
            "label",
            "hint",
            "row",
            "list_name",
            "appearance",
            "parameters",
            "required",
            "required_message",
            "constraint_message",
            "readonly",
            "default",
            "extra",
            "expressions",
        ):
            value = getattr(self, name)
            if value not in (None, "", {}, False):
                data[name] = value
        if self.kind != "question":
            data["children"] = [child.to_json() for child in self.children]
        return data

    @property
    def is_question(self) -> bool:
        return self.kind == "question"

    @property
    def is_input(self) -> bool:
        return self.kind == "question" and self.type in INPUT_TYPES

    @property
    def stores_value(self) -> bool:
        """Whether the answer is kept: inputs, calculations and metadata."""
        return self.kind == "question" and self.type not in DISPLAY_TYPES

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_select(self) -> bool:
        return self.type in SELECT_TYPES

    def expression(self, name: str) -> dict[str, Any] | None:
        """The compiled AST of one of this node's expressions, or None."""
        entry = self.expressions.get(name)
        return entry["ast"] if entry else None

    def source(self, name: str) -> str:
        entry = self.expressions.get(name)
        return entry["source"] if entry else ""

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Section:
    """What the web form shows on one screen: a top-level group or repeat, or
    a run of top-level questions outside any group."""

    index: int
    name: str
    label: dict[str, str]
    nodes: list[Node]
    relevant: dict[str, Any] | None = None  # the group's relevance, if it is one


@dataclass
class FormSpec:
    form_id: str
    title: str
    version: str
    languages: list[str]
    default_language: str
    children: list[Node]
    choices: dict[str, list[Choice]]
    # Sheets of the workbook that XLSForm does not define, kept as rows of
    # {column: text}: a form's own tables, such as an assessment's areas.
    sheets: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormSpec:
        spec = cls(
            form_id=data["form_id"],
            title=data["title"],
            version=data["version"],
            languages=list(data.get("languages") or [DEFAULT_LANGUAGE]),
            default_language=data.get("default_language") or DEFAULT_LANGUAGE,
            children=[Node.from_json(child) for child in data["children"]],
            choices={
                list_name: [Choice(**choice) for choice in items]
                for list_name, items in data.get("choices", {}).items()
            },
            sheets=data.get("sheets") or {},
        )
        spec._link(spec.children, repeat=None, path=())
        return spec

    def to_json(self) -> dict[str, Any]:
        return {
            "form_id": self.form_id,
            "title": self.title,
            "version": self.version,
            "languages": self.languages,
            "default_language": self.default_language,
            "children": [child.to_json() for child in self.children],
            "choices": {
                list_name: [
                    {"name": c.name, "label": c.label, **({"extra": c.extra} if c.extra else {})}
                    for c in items
                ]
                for list_name, items in self.choices.items()
            },
            **({"sheets": self.sheets} if self.sheets else {}),
        }

    def _link(self, nodes: list[Node], *, repeat: str | None, path: tuple[str, ...]) -> None:
        for node in nodes:
            node.repeat = repeat
            node.path = path
            if node.kind != "question":
                self._link(
                    node.children,
                    repeat=node.name if node.kind == "repeat" else repeat,
                    path=(*path, node.name),
                )

    # --- Reading ---------------------------------------------------------------

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            yield from child.walk()

    @cached_property
    def nodes(self) -> dict[str, Node]:
        """Every node by name (XLSForm names are unique in a form)."""
        return {node.name: node for node in self.walk()}

    @cached_property
    def questions(self) -> list[Node]:
        """Every question whose answer is stored, in form order."""
        return [node for node in self.walk() if node.stores_value]

    @cached_property
    def repeats(self) -> list[Node]:
        return [node for node in self.walk() if node.kind == "repeat"]

    def question(self, name: str) -> Node | None:
        node = self.nodes.get(name)
        return node if node is not None and node.is_question else None

    def choices_for(self, node: Node) -> list[Choice]:
        return self.choices.get(node.list_name, [])

    def choice_label(self, node: Node, value: str, language: str | None = None) -> str:
        for choice in self.choices_for(node):
            if choice.name == value:
                return choice.text(self.languages, language)
        return value

    def text(self, texts: dict[str, str] | None, language: str | None = None) -> str:
        return pick_text(texts, self.languages, language)

    @cached_property
    def sections(self) -> list[Section]:
        sections: list[Section] = []
        loose: list[Node] = []

        def flush() -> None:
            if any(node.is_input or node.type in DISPLAY_TYPES for node in loose):
                sections.append(Section(len(sections), "", {}, list(loose)))
            elif loose and sections:
                sections[-1].nodes.extend(loose)
            elif loose:
                sections.append(Section(0, "", {}, list(loose)))
            loose.clear()

        for node in self.children:
            if node.kind == "repeat" or (node.kind == "group" and node.name != "meta"):
                flush()
                sections.append(
                    Section(
                        len(sections),
                        node.name,
                        node.label,
                        [node],
                        relevant=node.expression("relevant"),
                    )
                )
            else:
                loose.append(node)
        flush()
        return sections
