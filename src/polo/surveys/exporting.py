"""Exports of responses: CSV and XLSX, with names or labels, in Spanish or English.

Columns follow the form: the response's instance id first, then every question
in form order (a multiple choice as the column of chosen names plus one 0/1
column per option, as KoboToolbox does), then what Polo knows of the response
(round, status, territory, dates). Repeats have a sheet each in the XLSX,
linked by the instance id; a CSV is one table and leaves them out.

With names (the default), an export is read back by the importer: exported
from one round and imported into another, it gives the same answers. With
labels, headers and options are the texts of the form in the chosen language,
for reading, not for importing.

Only what the person may see leaves (``selectors.responses_visible_to``),
read in chunks so that a large export never sits in memory. Cells that a
spreadsheet would run as a formula get an apostrophe in the CSV (the importer
removes it) and are written as text in the XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from polo.directory.exporting import FORMULA_START
from polo.surveys.models import FormVersion, Instrument, Response
from polo.surveys.spec import FormSpec, Node

FORMATS = ("csv", "xlsx")
CHUNK = 1000
NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Options:
    labels: bool = False
    language: str = "es"  # "es" or "en"

    @property
    def django_language(self) -> str:
        return "en" if self.language == "en" else "es-mx"


@dataclass
class Column:
    key: str  # the header with names: what the importer reads back
    label: str  # the header with labels, in the export's language
    get: Callable[[Response, dict], Any]  # (response, repeat row or {}) -> value
    kind: str = "text"  # text, number, date, flag

    def header(self, options: Options) -> str:
        return self.label if options.labels else self.key


@dataclass
class Sheet:
    name: str
    label: str
    columns: list[Column]
    repeat: str | None = None

    def title(self, options: Options) -> str:
        text = self.label if options.labels else self.name
        return SHEET_NAME_BAD.sub(" ", text)[:31] or self.name[:31]


@dataclass
class Layout:
    main: Sheet
    repeats: list[Sheet] = field(default_factory=list)


# ---- the columns -----------------------------------------------------------------------


def _merged_questions(specs: list[FormSpec]) -> list[tuple[FormSpec, Node]]:
    """Questions of the newest version in its order, then those only older
    versions had (a question dropped since still has answers)."""
    seen: set[str] = set()
    out = []
    for spec in specs:
        for node in spec.questions:
            if node.name in seen or node.type == "instanceID":
                continue
            seen.add(node.name)
            out.append((spec, node))
    return out


def _question_columns(spec: FormSpec, node: Node, options: Options) -> list[Column]:
    language = options.language
    label = spec.text(node.label, language) or node.name

    def value(response: Response, row: dict, node=node) -> Any:
        source = row if node.repeat else response.data
        return _render(spec, node, source.get(node.name), options)

    kind = "number" if node.is_numeric else "date" if node.type == "date" else "text"
    columns = [Column(node.name, label, value, kind)]
    if node.type == "select_multiple":
        for choice in spec.choices_for(node):

            def flag(response: Response, row: dict, node=node, choice=choice.name) -> Any:
                source = row if node.repeat else response.data
                chosen = source.get(node.name)
                if chosen in (None, ""):
                    return ""
                return 1 if choice in str(chosen).split() else 0

            columns.append(
                Column(
                    f"{node.name}/{choice.name}",
                    f"{label}: {choice.text(spec.languages, language)}",
                    flag,
                    "flag",
                )
            )
    return columns


def _render(spec: FormSpec, node: Node, value: Any, options: Options) -> Any:
    if value in (None, ""):
        return ""
    text = str(value)
    if not options.labels:
        return text
    if node.type == "select_one":
        return spec.choice_label(node, text, options.language)
    if node.type == "select_multiple":
        return "; ".join(spec.choice_label(node, name, options.language) for name in text.split())
    return text


def _meta_columns(version_labels: dict[int, str]) -> list[Column]:
    def local(moment: dt.datetime | None) -> str:
        return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""

    def municipality(response: Response) -> Any:
        return response.municipality

    return [
        Column("_round", str(_("Ronda")), lambda r, row: r.round.name),
        Column(
            "_status",
            str(_("Estado")),
            lambda r, row: r.status,
        ),
        Column("_source", str(_("Origen")), lambda r, row: r.source),
        Column(
            "_region",
            str(_("Región de la respuesta")),
            lambda r, row: (
                municipality(r).region.name if municipality(r) and municipality(r).region else ""
            ),
        ),
        Column(
            "_municipality_code",
            str(_("Clave INEGI del municipio")),
            lambda r, row: municipality(r).code if municipality(r) else "",
        ),
        Column(
            "_municipality",
            str(_("Municipio de la respuesta")),
            lambda r, row: municipality(r).name if municipality(r) else "",
        ),
        Column(
            "_organization",
            str(_("Organización que responde")),
            lambda r, row: r.organization.name if r.organization_id else "",
        ),
        Column("_submitted_at", str(_("Enviada")), lambda r, row: local(r.submitted_at)),
        Column(
            "_form_version",
            str(_("Versión del formulario")),
            lambda r, row: version_labels.get(r.form_version_id, ""),
        ),
    ]


def layout(versions: list[FormVersion], options: Options) -> Layout:
    """The sheets and columns of an export of responses to these versions
    (newest first)."""
    specs = [version.form for version in versions]
    version_labels = {v.pk: f"v{v.number} ({v.version})" for v in versions}
    with translation.override(options.django_language):
        instance = Column("_instance_id", str(_("Identificador de la respuesta")), _instance)
        questions = _merged_questions(specs)
        main_columns = [instance]
        for spec, node in questions:
            if node.repeat is None:
                main_columns += _question_columns(spec, node, options)
        meta = _meta_columns(version_labels)
        if options.labels:
            status_labels = dict(Response.Status.choices)
            source_labels = dict(Response.Source.choices)
            for column in meta:
                if column.key == "_status":
                    column.get = lambda r, row: str(status_labels.get(r.status, r.status))
                elif column.key == "_source":
                    column.get = lambda r, row: str(source_labels.get(r.source, r.source))
        main = Sheet("respuestas", str(_("Respuestas")), main_columns + meta)
        repeats = []
        seen: set[str] = set()
        for spec in specs:
            for repeat in spec.repeats:
                if repeat.name in seen:
                    continue
                seen.add(repeat.name)
                columns = [
                    Column(
                        "_parent_instance_id", str(_("Identificador de la respuesta")), _instance
                    ),
                    Column("_row", str(_("Fila")), lambda r, row: row.get("_row", ""), "number"),
                ]
                for question_spec, node in questions:
                    if node.repeat == repeat.name:
                        columns += _question_columns(question_spec, node, options)
                repeats.append(
                    Sheet(
                        repeat.name,
                        spec.text(repeat.label, options.language) or repeat.name,
                        columns,
                        repeat=repeat.name,
                    )
                )
    return Layout(main=main, repeats=repeats)


def _instance(response: Response, row: dict) -> str:
    return response.instance_id


# ---- reading the responses ---------------------------------------------------------------


def versions_of(instrument: Instrument, responses: QuerySet[Response]) -> list[FormVersion]:
    """The versions these responses answered, newest first; the instrument's
    newest when there are none (an empty export still has its columns)."""
    ids = set(responses.order_by().values_list("form_version_id", flat=True).distinct())
    versions = list(instrument.versions.filter(pk__in=ids).order_by("-number"))
    if not versions:
        latest = instrument.versions.order_by("-number").first()
        versions = [latest] if latest else []
    return versions


def iter_responses(responses: QuerySet[Response]) -> Iterator[Response]:
    queryset = responses.select_related("round", "municipality__region", "organization").order_by(
        "round__order", "submitted_at", "pk"
    )
    yield from queryset.iterator(chunk_size=CHUNK)


def _repeat_rows(response: Response, repeat: str) -> list[dict]:
    rows = response.data.get(repeat) if isinstance(response.data, dict) else None
    if not isinstance(rows, list):
        return []
    return [
        {**row, "_row": position}
        for position, row in enumerate(rows, start=1)
        if isinstance(row, dict)
    ]


# ---- CSV -------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START) and not NUMBER_RE.match(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    instrument: Instrument, responses: QuerySet[Response], options: Options
) -> Iterator[str]:
    """UTF-8 with a BOM, so that Excel opens the accents right; one header row.
    Repeats are not in a CSV (one table): the XLSX has them."""
    shape = layout(versions_of(instrument, responses), options)
    columns = shape.main.columns
    writer = csv.writer(_Echo())
    with translation.override(options.django_language):
        yield "\ufeff" + writer.writerow([column.header(options) for column in columns])
        for response in iter_responses(responses):
            yield writer.writerow([_csv_cell(column.get(response, {})) for column in columns])


# ---- XLSX ------------------------------------------------------------------------------


def xlsx_file(
    instrument: Instrument,
    responses: QuerySet[Response],
    options: Options,
    *,
    description: str = "",
) -> IO[bytes]:
    """A workbook: the responses, one sheet per repeat, and a sheet saying what
    this is; written row by row into a temporary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    versions = versions_of(instrument, responses)
    shape = layout(versions, options)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="005F56")
    count = 0
    with translation.override(options.django_language):
        sheets = {}
        for sheet in [shape.main, *shape.repeats]:
            target = workbook.create_sheet(sheet.title(options))
            target.freeze_panes = "A2"
            head = []
            for column in sheet.columns:
                cell = WriteOnlyCell(target, value=column.header(options))
                cell.font, cell.fill = bold, fill
                cell.data_type = "s"
                head.append(cell)
            target.append(head)
            sheets[sheet.name] = target
        main = sheets[shape.main.name]
        for response in iter_responses(responses):
            count += 1
            main.append(
                [
                    _xlsx_cell(main, column.get(response, {}), column.kind, WriteOnlyCell)
                    for column in shape.main.columns
                ]
            )
            for sheet in shape.repeats:
                target = sheets[sheet.name]
                for row in _repeat_rows(response, sheet.repeat or sheet.name):
                    target.append(
                        [
                            _xlsx_cell(
                                target, column.get(response, row), column.kind, WriteOnlyCell
                            )
                            for column in sheet.columns
                        ]
                    )
        about = workbook.create_sheet(_g("Acerca de"))
        for line in (
            [_g("Respuestas de «%(title)s»") % {"title": instrument.title}],
            [_g("Generado el"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
            [_g("Filtros"), description or _g("ninguno")],
            [_g("Respuestas"), count],
            [
                _g("Versiones del formulario"),
                ", ".join(f"v{v.number} ({v.version})" for v in versions),
            ],
            [
                _g("Encabezados"),
                _g("etiquetas") if options.labels else _g("nombres (se pueden importar de nuevo)"),
            ],
        ):
            about.append(line)
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet, value: Any, kind: str, cell_class) -> Any:
    if value in (None, ""):
        return None
    if kind in {"number", "flag"}:
        if isinstance(value, int | float):
            return value
        if NUMBER_RE.match(str(value)):
            number = float(value)
            return int(number) if number.is_integer() and "." not in str(value) else number
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            pass
    # Text stays text: without this, openpyxl writes "=..." as a formula.
    cell = cell_class(sheet, value=str(value))
    cell.data_type = "s"
    return cell


def filename(instrument: Instrument, extension: str) -> str:
    return f"respuestas-{instrument.slug}-{timezone.localdate():%Y%m%d}.{extension}"
