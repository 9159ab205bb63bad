"""Reading files: recognise CSV or XLSX by content, decode, find the header row,
map its columns to fields."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from polo.directory import exporting
from polo.directory.importing import common
from polo.directory.importing.common import (
    MAX_COLUMNS,
    MAX_UNZIPPED_BYTES,
    ImportFileError,
    _key,
    msg,
)

CONTACT_FIELDS = [kind for kind, _es, _en in exporting.CONTACT_KINDS]

HEADER_SYNONYMS: dict[str, str] = {  # "|" between synonyms, compared as _key() gives them
    "id": "id|polo id|id polo|identificador polo|clave polo",
    "name": (
        "nombre|name|nombre de la organizacion|organizacion|nombre organizacion|"
        "razon social|organization|organization name|organizacion nombre"
    ),
    "acronym": "siglas|acronimo|acronym|alternate name|nombre corto|short name",
    "kind": "tipo|tipo de organizacion|tipo de actor|kind|type|organization type",
    "legal_form": "figura juridica|forma juridica|figura legal|legal form|legal status",
    "description": "descripcion|description|que hace|objeto social|mision",
    "description_en": (
        "descripcion ingles|descripcion en ingles|description en|english description|"
        "description english"
    ),
    "rfc": "rfc|tax id",
    "cluni": "cluni",
    "identifiers": "otros identificadores|identificadores|identifiers|other identifiers",
    "founded_year": (
        "ano de fundacion|fundacion|fecha de fundacion|ano fundacion|founded|"
        "year founded|founding year|year incorporated|fecha de constitucion|"
        "ano de constitucion|fundada"
    ),
    "size_band": "tamano|tamano del equipo|personas en el equipo|size|team size",
    "municipality": "municipio|municipio sede|municipality|nombre del municipio|municipality name",
    "municipality_code": (
        "clave municipio|clave de municipio|clave inegi|clave inegi del municipio|"
        "clave inegi municipio|cve mun|cvegeo|municipality code|inegi code|"
        "inegi municipality code"
    ),
    "state": (
        "estado|entidad|entidad federativa|state|clave estado|clave de estado|cve ent|state code"
    ),
    "community": "comunidad|localidad|comunidad sede|community|locality",
    "latitude": "latitud|lat|latitude",
    "longitude": "longitud|lon|lng|long|longitude",
    "themes": "temas|tema|themes|theme|topics|areas tematicas|area tematica",
    "populations": (
        "poblaciones|poblacion|poblacion atendida|poblaciones atendidas|populations|"
        "population served|populations served"
    ),
    "languages": "lenguas|lengua|idiomas|lenguas de trabajo|languages",
    "coverage_regions": (
        "regiones donde trabaja|cobertura regiones|regiones de cobertura|coverage regions"
    ),
    "coverage_municipalities": (
        "municipios donde trabaja|municipios donde trabaja claves inegi|"
        "cobertura municipios|municipios de cobertura|coverage municipalities|"
        "coverage municipalities inegi codes"
    ),
    "email": "correo|correo electronico|email|e mail|mail",
    "phone": "telefono|telefonos|tel|phone|telephone|phones",
    "website": "web|sitio web|pagina web|pagina|website|url|sitio",
    "address": "direccion|domicilio|address|calle",
    "facebook": "facebook|fb",
    "instagram": "instagram",
    "x": "x|twitter|x twitter",
    "youtube": "youtube",
    "whatsapp": "whatsapp",
    # Known but not imported: derived from other columns, or Polo's own.
    "ignore": (
        "region|perfil en polo|profile on polo|actualizada|updated|estatus|status|no|num|numero"
    ),
}
# ---- reading files -------------------------------------------------------------------


@dataclass
class Table:
    """Rows of a file as strings and cell values, after the header row."""

    description: str  # "CSV (UTF-8, «;»)", for the preview
    header_row: int
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    estimated_rows: int
    close: Callable[[], None] = lambda: None


_MAGIC = [
    (b"\xd0\xcf\x11\xe0", "xls"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"RIFF", "image"),
    (b"\x1f\x8b", "archive"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
]


def open_table(data: bytes) -> Table:
    """Recognise the file by its content (never its name) and read its header."""
    limit = common.MAX_UPLOAD_BYTES  # read at call time: tests lower it
    if len(data) > limit:
        raise ImportFileError(
            msg("too_big", size=round(len(data) / 2**20, 1), limit=limit // 2**20)
        )
    if not data.strip():
        raise ImportFileError(msg("empty"))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(data)
    for magic, key in _MAGIC:
        if data.startswith(magic):
            raise ImportFileError(msg(key))
    return _text_table(data)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFileError(msg("undecodable")) from exc
    if b"\x00" in data[:65536]:
        raise ImportFileError(msg("binary"))
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as exc:
            raise ImportFileError(msg("undecodable")) from exc
    sample = text[:65536]
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if controls > max(3, len(sample) // 200):
        raise ImportFileError(msg("binary"))
    return text, encoding


def _delimiter(text: str) -> str:
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=";,\t|").delimiter
    except csv.Error:
        sniffed = ""
    # The sniffer reads the whole sample and is fooled by commas in descriptions;
    # the header line, where every column name is separated, has the last word.
    if sniffed and counts.get(sniffed, 0) * 2 >= counts[best]:
        return sniffed
    return best if counts[best] else ","


def _text_table(data: bytes) -> Table:
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        try:
            for number, record in enumerate(reader, start=1):  # noqa: B007
                yield number, record
        except csv.Error as exc:
            raise ImportFileError(msg("csv_broken", row=number + 1, error=exc)) from exc

    names = {";": "«;»", ",": "«,»", "\t": _("tabulador"), "|": "«|»"}
    header_row, header, rows = _find_header(records())
    return Table(
        description=f"CSV ({encoding}, {names[delimiter]})",
        header_row=header_row,
        header=header,
        rows=rows,
        estimated_rows=max(0, text.count("\n") - header_row + 1),
    )


def _xlsx_table(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(msg("corrupt_xlsx")) from exc
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(msg("ods" if "content.xml" in names else "zip"))
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise ImportFileError(msg("corrupt_xlsx"))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = list(workbook.worksheets)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(msg("corrupt_xlsx")) from exc
    first_error: ImportFileError | None = None
    for sheet in sheets:
        try:
            header_row, header, _rest = _find_header(_sheet_rows(sheet, 1, MAX_COLUMNS))
        except ImportFileError as exc:
            first_error = first_error or exc
            continue
        width = max(i for i, cell in enumerate(header) if cell) + 1
        rows = _sheet_rows(sheet, header_row + 1, width)
        return Table(
            description=f"XLSX («{sheet.title}»)",
            header_row=header_row,
            header=header[:width],
            rows=rows,
            estimated_rows=max(0, (sheet.max_row or 0) - header_row),
            close=workbook.close,
        )
    workbook.close()
    raise first_error or ImportFileError(msg("empty"))


def _sheet_rows(sheet, start: int, width: int) -> Iterator[tuple[int, list[Any]]]:
    try:
        rows = sheet.iter_rows(min_row=start, max_col=width, values_only=True)
        for number, values in enumerate(rows, start=start):
            yield number, list(values)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(msg("corrupt_xlsx")) from exc


def _find_header(
    records: Iterator[tuple[int, list[Any]]],
) -> tuple[int, list[str], Iterator[tuple[int, list[Any]]]]:
    """The first row naming at least two known columns, among the first ten
    non-empty ones: a title row above the header is common in spreadsheets."""
    first: list[str] | None = None
    seen = 0
    for number, values in records:
        cells = [cell_text(value) for value in values[:MAX_COLUMNS]]
        if not any(cells):
            continue
        first = first or cells
        seen += 1
        if sum(1 for cell in cells if field_for_header(cell)) >= 2:
            return number, cells, records
        if seen >= 10:
            break
    if first is None:
        raise ImportFileError(msg("empty"))
    found = ", ".join(f"«{cell[:40]}»" for cell in first if cell)[:300]
    raise ImportFileError(msg("no_header", found=found))


# ---- columns ---------------------------------------------------------------------------


def _header_index() -> dict[str, str]:
    index = {
        _key(s): name for name, synonyms in HEADER_SYNONYMS.items() for s in synonyms.split("|")
    }
    # The headers of Polo's own exports, in both languages, read back.
    exported = {"updated": "ignore", "url": "ignore", "region": "ignore"}
    for column in exporting.COLUMNS:
        target = exported.get(column.key, column.key)
        for header in (str(column.es), column.en):
            index.setdefault(_key(header), target)
    return index


_HEADERS: dict[str, str] | None = None
_PUBLIC_PREFIX = re.compile(r"^(?:publico|public|es publico|visible) (.+)$")
_PUBLIC_SUFFIX = re.compile(r"^(.+?) (?:publico|public|es publico|visible)$")


def field_for_header(header: str) -> str | None:
    """The field a column header names, "public:<contact>" for a visibility
    column, "ignore" for a known column Polo does not import, or None."""
    global _HEADERS
    if _HEADERS is None:
        _HEADERS = _header_index()
    keys = [_key(header), _key(re.sub(r"\([^)]*\)", " ", header))]
    if not keys[0]:
        return None
    for key in keys:
        if key in _HEADERS:
            return _HEADERS[key]
    for key in keys:
        match = _PUBLIC_PREFIX.match(key) or _PUBLIC_SUFFIX.match(key)
        if match and _HEADERS.get(match.group(1)) in CONTACT_FIELDS:
            return "public:" + _HEADERS[match.group(1)]
    return None


@dataclass
class Columns:
    fields: dict[str, int]
    public: dict[str, int]
    unknown: list[str]
    labels: dict[str, str]  # field → the header as the file wrote it


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def map_columns(header: list[str], *, default_kind: str = "") -> Columns:
    fields: dict[str, int] = {}
    public: dict[str, int] = {}
    unknown: list[str] = []
    labels: dict[str, str] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        name = field_for_header(title)
        if name is None:
            unknown.append(title)
            continue
        if name == "ignore":
            continue
        target = public if name.startswith("public:") else fields
        key = name.removeprefix("public:")
        if key in target:
            columns = f"{_letter(target[key])} {_('y')} {_letter(index)}"
            raise ImportFileError(msg("duplicate_column", name=title, columns=columns))
        target[key] = index
        labels[name] = title
    missing = []
    if "name" not in fields:
        missing.append("«nombre»")
    if "municipality" not in fields and "municipality_code" not in fields:
        missing.append("«municipio»")
    if missing:
        found = ", ".join(f"«{title}»" for title in header if title) or "—"
        raise ImportFileError(msg("missing_columns", missing=", ".join(missing), found=found))
    if "kind" not in fields and not default_kind:
        raise ImportFileError(msg("missing_kind"))
    return Columns(fields=fields, public=public, unknown=unknown, labels=labels)


def cell_text(value: Any) -> str:
    """A cell as trimmed text: numbers without a spurious ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\xa0", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # undo the formula guard of Polo's CSV export
    return text
