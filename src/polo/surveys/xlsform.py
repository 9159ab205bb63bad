"""From an uploaded XLSForm to what Polo keeps: the XForm and the spec.

pyxform does the conversion (and most of the checking); Polo then reads the
result into its spec (``spec.py``), refuses what it does not support, and
compiles every expression, so that a form that Polo would fail to render or
evaluate is refused at upload with the sheet, row and column to fix. Nothing is
saved here: ``services.form_version_create`` saves what this returns.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from polo.surveys.expressions import ExpressionError, compile_expression
from polo.surveys.spec import (
    DEFAULT_LANGUAGE,
    METADATA_TYPES,
    PYXFORM_TYPES,
    SELECT_TYPES,
    SUPPORTED_TYPES,
    Choice,
    FormSpec,
    Node,
)

MAX_XLSFORM_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 2_000
# What the instance's root element is called in every Polo XForm.
ROOT_NAME = "data"

ROW_RE = re.compile(r"\[row\s*:\s*(\d+)\]")
SHEET_RE = re.compile(r"\b(survey|choices|settings)\b", re.IGNORECASE)
ON_SHEET_RE = re.compile(r"On the '(\w+)' sheet", re.IGNORECASE)
COLUMN_RE = re.compile(r"the '([\w:() ]+?)' (?:value|column)", re.IGNORECASE)
NAMED_RE = re.compile(r"named '([^']+)'")
UNKNOWN_TYPE_RE = re.compile(r"Unknown question type '([^']+)'")
# pyxform errors about a row's type cell that do not name the column.
TYPE_MESSAGES = ("List name not in choices sheet", "Unknown question type", "Unmatched '")
# pyxform writes the `or_other` question's relevance as an XPath path.
OR_OTHER_RE = re.compile(r"selected\(\.\./([A-Za-z_][\w.-]*), 'other'\)")
# Bind keys pyxform uses for columns that are not expressions.
TRUE_VALUES = {"yes", "true", "true()", "1"}
FALSE_VALUES = {"", "no", "false", "false()", "0"}


@dataclass(frozen=True)
class FormProblem:
    """Something to fix in the spreadsheet, located as precisely as known."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("hoja «%(sheet)s»") % {"sheet": self.sheet})
        if self.row:
            where.append(_("fila %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("columna «%(column)s»") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class XLSFormError(ValueError):
    def __init__(self, problems: list[FormProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass
class ConvertedForm:
    spec: FormSpec
    xform: str
    warnings: list[str] = field(default_factory=list)

    @property
    def xform_md5(self) -> str:
        return hashlib.md5(self.xform.encode(), usedforsecurity=False).hexdigest()


@dataclass
class _SheetIndex:
    """Where each name sits in the survey sheet, and each column's letter."""

    rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    sheets: set[str] = field(default_factory=set)
    # The first row of each type (to locate pyxform's "Unknown question type").
    types: dict[str, int] = field(default_factory=dict)
    # The languages of the label and hint columns, in the order they are written.
    languages: list[str] = field(default_factory=list)
    extra_sheets: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def column(self, header: str) -> str:
        letter = self.columns.get(header)
        return f"{header} ({letter})" if letter else header


def _index_sheet(data: bytes) -> _SheetIndex:
    index = _SheetIndex()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        # pyxform reads sheet names and column headers whatever their case
        # ("Survey", "Label"): so does the index.
        index.sheets = {name.strip().lower() for name in workbook.sheetnames}
        for name in workbook.sheetnames:
            if name.strip().lower() not in XLSFORM_SHEETS:
                index.extra_sheets[name] = _sheet_rows(workbook[name])
        survey = next((n for n in workbook.sheetnames if n.strip().lower() == "survey"), None)
        if survey is None:
            return index
        rows = workbook[survey].iter_rows(values_only=True)
        header = []
        for position, cell in enumerate(next(rows, ()), start=1):
            column, sep, language = str(cell or "").strip().partition("::")
            column, language = column.strip().lower(), language.strip()
            header.append(column)
            letter = get_column_letter(position)
            index.columns.setdefault(f"{column}{sep}{language}", letter)
            index.columns.setdefault(column, letter)
            if column in TEXT_COLUMNS:
                language = language or DEFAULT_LANGUAGE
                if language not in index.languages:
                    index.languages.append(language)
        name_column = header.index("name") if "name" in header else None
        type_column = header.index("type") if "type" in header else None
        for number, row in enumerate(rows, start=2):
            if name_column is not None and name_column < len(row) and row[name_column]:
                index.rows.setdefault(str(row[name_column]).strip(), number)
            if type_column is not None and type_column < len(row) and row[type_column]:
                index.types.setdefault(str(row[type_column]).strip(), number)
    finally:
        workbook.close()
    return index


# Columns whose `::language` suffix names a language of the form.
TEXT_COLUMNS = {"label", "hint", "guidance_hint", "constraint_message", "required_message"}
# What an .xlsx may hold once unzipped: a workbook a hundred times its size is a
# zip bomb, not a questionnaire (a form with every municipality in its cascade
# is well under this).
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024

# The sheets XLSForm defines; any other is the form's own table (see spec.py).
XLSFORM_SHEETS = {"survey", "choices", "settings", "external_choices", "entities"}
MAX_EXTRA_ROWS = 5_000


def _sheet_rows(sheet) -> list[dict[str, str]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    table = []
    for number, row in enumerate(rows):
        if number >= MAX_EXTRA_ROWS:
            break
        item = {
            header[i]: str(cell).strip()
            for i, cell in enumerate(row)
            if i < len(header) and header[i] and cell not in (None, "")
        }
        if item:
            table.append(item)
    return table


def convert_xlsform(data: bytes) -> ConvertedForm:
    """Convert an XLSForm's bytes, or raise XLSFormError listing what to fix."""
    if len(data) > MAX_XLSFORM_BYTES:
        raise XLSFormError(
            [
                FormProblem(
                    _("El archivo pesa más de %(mb)s MB.")
                    % {"mb": MAX_XLSFORM_BYTES // (1024 * 1024)}
                )
            ]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise XLSFormError(
            [FormProblem(_("El archivo no es un libro de Excel (.xlsx) válido o está dañado."))]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise XLSFormError(
            [FormProblem(_("El archivo no es un libro de Excel (.xlsx) válido o está dañado."))]
        ) from error
    if unzipped > MAX_UNZIPPED_BYTES:
        raise XLSFormError(
            [
                FormProblem(
                    _("El libro descomprimido pesa más de %(mb)s MB: no parece un formulario.")
                    % {"mb": MAX_UNZIPPED_BYTES // (1024 * 1024)}
                )
            ]
        )
    try:
        index = _index_sheet(data)
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        raise XLSFormError(
            [FormProblem(_("No se pudo leer el libro de Excel: %(error)s") % {"error": error})]
        ) from error
    if "survey" not in index.sheets:
        raise XLSFormError(
            [FormProblem(_("Falta la hoja «survey», que define las preguntas."), sheet="survey")]
        )
    warnings: list[str] = []
    try:
        result = convert(data, file_type=".xlsx", form_name=ROOT_NAME, warnings=warnings)
    except PyXFormError as error:
        raise XLSFormError([_pyxform_problem(str(error), index)]) from error
    except Exception as error:  # pyxform can fail on odd cells with other errors
        raise XLSFormError(
            [
                FormProblem(
                    _("pyxform no pudo convertir el formulario: %(error)s") % {"error": error}
                )
            ]
        ) from error
    spec = _read_spec(result._pyxform, index)
    return ConvertedForm(spec=spec, xform=result.xform, warnings=warnings)


def _pyxform_problem(message: str, index: _SheetIndex) -> FormProblem:
    """pyxform's message, located: its row is the survey sheet's unless it
    names another sheet; the column it names (or the type column, for the
    errors about types and lists); a name it mentions gives the row when it
    gives none."""
    row_match = ROW_RE.search(message)
    row = int(row_match.group(1)) if row_match else None
    on_sheet = ON_SHEET_RE.search(message)
    if on_sheet:
        sheet = on_sheet.group(1).lower()
    elif row is not None:
        sheet = "survey"
    else:
        mentioned = SHEET_RE.search(message)
        sheet = mentioned.group(1).lower() if mentioned else ""
    column_match = COLUMN_RE.search(message)
    column = column_match.group(1) if column_match else ""
    if not column and any(marker in message for marker in TYPE_MESSAGES):
        column = "type"
    elif not column and "no label" in message:
        column = "label"
    if row is None:
        named = NAMED_RE.search(message)
        unknown = UNKNOWN_TYPE_RE.search(message)
        if named and named.group(1) in index.rows:
            row, sheet = index.rows[named.group(1)], "survey"
        elif unknown and unknown.group(1) in index.types:
            row, sheet = index.types[unknown.group(1)], "survey"
    if column and sheet == "survey":
        column = index.column(column)
    clean = ROW_RE.sub("", message).strip(" :")
    return FormProblem(
        _("pyxform rechazó el formulario: %(error)s") % {"error": clean},
        sheet=sheet,
        row=row,
        column=column,
    )


# --- pyxform's dictionary -> Polo's spec ------------------------------------------


def _texts(value: Any, languages: set[str]) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if isinstance(value, dict):
        languages.update(value)
        return {str(k): str(v) for k, v in value.items() if v not in (None, "")}
    languages.add(DEFAULT_LANGUAGE)
    return {DEFAULT_LANGUAGE: str(value)}


def _flag(value: Any) -> bool | None:
    """A yes/no column; None when it holds an expression."""
    text = str(value or "").strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    return None


def _read_spec(data: dict[str, Any], index: _SheetIndex) -> FormSpec:
    languages: set[str] = set()
    problems: list[FormProblem] = []
    raw_choices = data.get("choices") or {}
    choices = {
        list_name: [
            Choice(
                name=str(item["name"]),
                label=_texts(item.get("label"), languages),
                extra={
                    str(k): str(v) for k, v in item.items() if k not in {"name", "label", "media"}
                },
            )
            for item in items
        ]
        for list_name, items in raw_choices.items()
    }
    children = [
        node
        for child in data.get("children", [])
        if (node := _read_node(child, index, languages, problems)) is not None
    ]
    default_language, ordered = _order_languages(
        languages, data.get("default_language") or DEFAULT_LANGUAGE, index
    )
    spec = FormSpec(
        form_id=str(data.get("id_string") or data.get("name") or "form"),
        title=str(data.get("title") or data.get("id_string") or ""),
        version=str(data.get("version") or ""),
        languages=ordered or [DEFAULT_LANGUAGE],
        default_language=default_language or (ordered[0] if ordered else DEFAULT_LANGUAGE),
        children=children,
        choices=choices,
    )
    spec.sheets = index.extra_sheets
    spec._link(spec.children, repeat=None, path=())
    names = set(spec.nodes)
    if not problems and not any(node.is_input for node in spec.walk()):
        problems.append(
            FormProblem(_("El formulario no tiene ninguna pregunta que responder."), sheet="survey")
        )
    if len(names) > MAX_QUESTIONS:
        problems.append(
            FormProblem(
                _("El formulario tiene más de %(n)s preguntas.") % {"n": MAX_QUESTIONS},
                sheet="survey",
            )
        )
    for node in spec.walk():
        _compile_expressions(node, names, spec, index, problems)
    if problems:
        raise XLSFormError(problems)
    return spec


def _order_languages(
    languages: set[str], default_language: str, index: _SheetIndex
) -> tuple[str, list[str]]:
    """The form's default language and its languages, that one first, then in
    the order the sheet's columns name them. pyxform's "default" means no
    language was named: when the sheet has no plain `label` column it only
    holds texts pyxform made up (the `or_other` question's), so the first
    language the sheet names is the default and "default" goes last."""
    written = [language for language in index.languages if language in languages]
    made_up = DEFAULT_LANGUAGE not in index.languages
    if default_language == DEFAULT_LANGUAGE and made_up:
        default_language = written[0] if written else min(languages, default=DEFAULT_LANGUAGE)
    position = {language: n for n, language in enumerate(written)}
    ordered = sorted(
        languages,
        key=lambda name: (
            name != default_language,
            name == DEFAULT_LANGUAGE and made_up,
            position.get(name, len(position)),
            name,
        ),
    )
    return default_language, ordered


def _read_node(
    data: dict[str, Any], index: _SheetIndex, languages: set[str], problems: list[FormProblem]
) -> Node | None:
    raw_type = str(data.get("type") or "")
    name = str(data.get("name") or "")
    row = index.rows.get(name)
    if raw_type in {"group", "repeat"}:
        kind = raw_type
        node_type = raw_type
    else:
        kind = "question"
        node_type = PYXFORM_TYPES.get(raw_type, raw_type)
        if name == "instanceID":
            node_type = "instanceID"
        if node_type not in SUPPORTED_TYPES:
            problems.append(
                FormProblem(
                    _("Polo no admite preguntas de tipo «%(type)s».") % {"type": raw_type},
                    sheet="survey",
                    row=row,
                    column=index.column("type"),
                )
            )
            return None
    bind = data.get("bind") or {}
    control = data.get("control") or {}
    node = Node(
        kind=kind,
        name=name,
        type=node_type,
        label=_texts(data.get("label"), languages),
        hint=_texts(data.get("hint"), languages),
        row=row,
        list_name=str(data.get("list_name") or ""),
        appearance=str(control.get("appearance") or ""),
        parameters={str(k): str(v) for k, v in (data.get("parameters") or {}).items()},
        required_message=_texts(bind.get("jr:requiredMsg"), languages),
        constraint_message=_texts(bind.get("jr:constraintMsg"), languages),
        readonly=bool(_flag(bind.get("readonly"))),
        default=str(data.get("default") or ""),
        extra=_extra_columns(data),
    )
    if node_type in METADATA_TYPES:
        return node
    sources = {
        "relevant": bind.get("relevant"),
        "constraint": bind.get("constraint"),
        "calculation": bind.get("calculate"),
        "choice_filter": data.get("choice_filter"),
    }
    relevant = str(sources["relevant"] or "")
    if OR_OTHER_RE.fullmatch(relevant):
        sources["relevant"] = OR_OTHER_RE.sub(r"selected(${\1}, 'other')", relevant)
    required = bind.get("required")
    flag = _flag(required)
    if flag is None:
        sources["required"] = required
        node.required = True
    else:
        node.required = flag
    node.expressions = {
        key: {"source": str(source)} for key, source in sources.items() if source not in (None, "")
    }
    itemset = str(data.get("itemset") or "")
    if node.type in SELECT_TYPES and not node.list_name and itemset:
        problems.append(
            FormProblem(
                _(
                    "Polo no admite opciones en un archivo aparte («%(file)s»): ponlas en la "
                    "hoja «choices» y usa select_one o select_multiple."
                )
                % {"file": itemset[:100]},
                sheet="survey",
                row=row,
                column=index.column("type"),
            )
        )
    elif node.type in SELECT_TYPES and not node.list_name:
        problems.append(
            FormProblem(
                _("La pregunta «%(name)s» no dice de qué lista son sus opciones.") % {"name": name},
                sheet="survey",
                row=row,
                column=index.column("type"),
            )
        )
    if kind != "question":
        node.children = [
            child
            for item in data.get("children", [])
            if (child := _read_node(item, index, languages, problems)) is not None
        ]
    return node


# Columns pyxform passes through untouched: a form's own data, such as the
# scoring of an assessment (area, weight, suggested actions).
KNOWN_KEYS = {
    "type",
    "name",
    "label",
    "hint",
    "bind",
    "control",
    "parameters",
    "itemset",
    "list_name",
    "choices",
    "choice_filter",
    "children",
    "default",
    "media",
    "trigger",
    "guidance_hint",
    "instance",
    "sms_field",
}


def _extra_columns(data: dict[str, Any]) -> dict[str, str]:
    return {
        str(key): str(value)
        for key, value in data.items()
        if key not in KNOWN_KEYS and not isinstance(value, dict | list) and value not in (None, "")
    }


def _compile_expressions(
    node: Node, names: set[str], spec: FormSpec, index: _SheetIndex, problems: list[FormProblem]
) -> None:
    for key, entry in node.expressions.items():
        column = {"calculation": "calculation"}.get(key, key)
        try:
            entry["ast"] = compile_expression(entry["source"], names=names)
        except ExpressionError as error:
            problems.append(
                FormProblem(
                    _("La expresión «%(source)s» no es válida: %(error)s")
                    % {"source": entry["source"][:200], "error": error},
                    sheet="survey",
                    row=node.row,
                    column=index.column(column),
                )
            )
    if node.list_name and node.list_name not in spec.choices:
        problems.append(
            FormProblem(
                _("La lista de opciones «%(list)s» no existe en la hoja «choices».")
                % {"list": node.list_name},
                sheet="survey",
                row=node.row,
                column=index.column("type"),
            )
        )
