"""Reading the files KoboToolbox and ODK Central export, row by row.

A file is recognised by its content, never its name: a CSV (UTF-8, with or
without a BOM, UTF-16 as Excel's «Unicode text», or Windows-1252; separated by
commas, semicolons or tabs), an XLSX (the first sheet holds the responses, the
others the rows of repeats, as KoboToolbox writes them) or a ZIP of CSV files
(ODK Central: the responses, and one file per repeat with ``PARENT_KEY``).

Nothing is read whole into memory: a CSV is decoded as a stream, a sheet is
read with openpyxl's read-only mode, and the rows come out one at a time.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _g

from polo.surveys.importing import common
from polo.surveys.importing.common import MAX_COLUMNS, ImportFileError, msg

SAMPLE = 65_536
CHUNK = 1 << 20

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

# csv refuses fields over 128 KiB by default; a cell over the importer's own
# limit is reported by the row reader, with its column, instead.
csv.field_size_limit(4 * 1024 * 1024)


@dataclass
class Table:
    """One table of a file: a CSV, a sheet, a CSV inside a ZIP."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)
    estimated_rows: int = 0
    close: Callable[[], None] = lambda: None


@dataclass
class Source:
    description: str  # "CSV (UTF-8, «;»)", for the preview
    main: Table
    others: list[Table] = field(default_factory=list)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        # Closing a damaged file must not hide the error that made us close it.
        for closer in [table.close for table in [self.main, *self.others]] + self._closers:
            with contextlib.suppress(Exception):
                closer()


def file_size(handle: IO[bytes]) -> int:
    position = handle.tell()
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def open_source(handle: IO[bytes], *, limit: int | None = None) -> Source:
    """Recognise the file by its content and open its tables. ``handle`` is a
    seekable binary file; it stays open until ``Source.close``."""
    limit = common.MAX_UPLOAD_BYTES if limit is None else limit
    size = file_size(handle)
    if size > limit:
        raise ImportFileError(msg("too_big", size=round(size / 2**20, 1), limit=limit // 2**20))
    handle.seek(0)
    head = handle.read(SAMPLE)
    handle.seek(0)
    if not head.strip():
        raise ImportFileError(msg("empty"))
    if head.startswith(b"PK\x03\x04"):
        return _zip_source(handle)
    for magic, key in _MAGIC:
        if head.startswith(magic):
            raise ImportFileError(msg(key))
    table, description = _csv_table(handle, name="")
    return Source(description=description, main=table)


# ---- CSV ------------------------------------------------------------------------------


def _encoding(handle: IO[bytes]) -> tuple[str, str, int]:
    """(Python codec, name for people, lines) after reading the whole stream once:
    UTF-8 is only known to be UTF-8 once every byte decoded."""
    handle.seek(0)
    head = handle.read(SAMPLE)
    handle.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16", head.count(b"\n\x00") or head.count(b"\x00\n")
    if b"\x00" in head:
        raise ImportFileError(msg("binary"))
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    utf8 = True
    while chunk := handle.read(CHUNK):
        lines += chunk.count(b"\n")
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    handle.seek(0)
    if utf8:
        return "utf-8-sig", "UTF-8", lines
    # Windows-1252 leaves five bytes undefined: a file using them is neither.
    decoder = codecs.getincrementaldecoder("cp1252")()
    while chunk := handle.read(CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise ImportFileError(msg("undecodable")) from exc
    handle.seek(0)
    return "cp1252", "Windows-1252", lines


def _delimiter(sample: str) -> str:
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_table(handle: IO[bytes], *, name: str) -> tuple[Table, str]:
    codec, encoding, lines = _encoding(handle)
    text = io.TextIOWrapper(handle, encoding=codec, newline="")
    sample = text.read(SAMPLE)
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if controls > max(3, len(sample) // 200):
        raise ImportFileError(msg("binary"))
    text.seek(0)
    delimiter = _delimiter(sample)
    reader = csv.reader(text, delimiter=delimiter, strict=True)

    def records() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        try:
            for number, record in enumerate(reader, start=1):  # noqa: B007
                yield number, record
        except csv.Error as exc:
            raise ImportFileError(msg("csv_broken", row=number + 1, error=exc)) from exc
        except UnicodeDecodeError as exc:  # pragma: no cover - the whole file was checked
            raise ImportFileError(msg("undecodable")) from exc

    rows = records()
    header_row, header = _header(rows)
    names = {";": "«;»", ",": "«,»", "\t": _g("tabulador")}
    description = f"CSV ({encoding}, {names[delimiter]})"

    def close() -> None:
        text.detach()  # the caller owns the binary handle

    table = Table(
        name=name,
        header=header,
        rows=rows,
        estimated_rows=max(0, lines - header_row),
        close=close,
    )
    return table, description


def _header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[str]]:
    """The first non-empty row names the columns (exports have no title rows)."""
    for number, values in rows:
        cells = [_header_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise ImportFileError(msg("too_many_columns", limit=MAX_COLUMNS))
        return number, cells
    raise ImportFileError(msg("empty"))


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\ufeff", "").replace("\xa0", " ").strip()
    return text


# ---- XLSX and ZIP ---------------------------------------------------------------------


def _zip_source(handle: IO[bytes]) -> Source:
    try:
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(msg("corrupt_zip")) from exc
    names = {info.filename for info in infos}
    if sum(info.file_size for info in infos) > common.MAX_UNZIPPED_BYTES:
        raise ImportFileError(msg("corrupt_zip"))
    if "xl/workbook.xml" in names:
        archive.close()
        handle.seek(0)
        return _xlsx_source(handle)
    if "content.xml" in names:
        raise ImportFileError(msg("ods"))
    return _central_source(archive)


def _xlsx_source(handle: IO[bytes]) -> Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheets = list(workbook.worksheets)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(msg("corrupt_xlsx")) from exc
    tables = []
    try:
        for sheet in sheets:
            rows = _sheet_rows(sheet)
            try:
                header_row, header = _header(rows)
            except ImportFileError:
                continue  # an empty sheet (Kobo leaves none, people do)
            tables.append(
                Table(
                    name=sheet.title,
                    header=header,
                    rows=_sheet_rows(sheet, start=header_row + 1, width=len(header)),
                    estimated_rows=max(0, (sheet.max_row or 0) - header_row),
                )
            )
    except ImportFileError:
        workbook.close()
        raise
    if not tables:
        workbook.close()
        raise ImportFileError(msg("empty"))
    # KoboToolbox writes the responses first and each repeat after; a sheet
    # that links to a parent is a repeat wherever it is.
    main = next((t for t in tables if not _is_child(t.header)), tables[0])
    others = [t for t in tables if t is not main]
    count = len(tables)
    description = (
        f"XLSX («{main.name}»)"
        if count == 1
        else _g("XLSX («%(main)s» y %(n)s hojas más)") % {"main": main.name, "n": count - 1}
    )
    return Source(description=description, main=main, others=others, _closers=[workbook.close])


def _sheet_rows(sheet, start: int = 1, width: int | None = None) -> Iterator[tuple[int, list]]:
    try:
        rows = sheet.iter_rows(min_row=start, max_col=width, values_only=True)
        for number, values in enumerate(rows, start=start):
            yield number, list(values)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(msg("corrupt_xlsx")) from exc


CHILD_COLUMNS = {"parent_key", "_parent_index", "_submission__uuid", "_parent_instance_id"}


def _is_child(header: list[str]) -> bool:
    return any(title.casefold() in CHILD_COLUMNS for title in header)


def _central_source(archive: zipfile.ZipFile) -> Source:
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and info.filename.lower().endswith(".csv")
        and not info.filename.startswith(("__MACOSX/", "media/"))
    ]
    if not members:
        archive.close()
        raise ImportFileError(msg("zip_without_csv"))
    tables = []
    closers: list[Callable[[], None]] = [archive.close]
    try:
        for info in sorted(members, key=lambda i: (i.filename.count("/"), len(i.filename))):
            # A member is read twice (its encoding, then its rows): spool it so
            # that it can be rewound, on disk when large.
            spooled = _spool(archive, info)
            closers.append(spooled.close)
            table, _description = _csv_table(spooled, name=info.filename.rsplit("/", 1)[-1])
            tables.append(table)
    except ImportFileError:
        for closer in closers:
            closer()
        raise
    main = next((t for t in tables if not _is_child(t.header)), None)
    if main is None:
        for closer in closers:
            closer()
        raise ImportFileError(msg("zip_no_main"))
    others = [t for t in tables if t is not main]
    description = _g("ZIP de ODK Central («%(main)s» y %(n)s tablas de repeticiones)") % {
        "main": main.name,
        "n": len(others),
    }
    return Source(description=description, main=main, others=others, _closers=closers)


def _spool(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    import tempfile

    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                spooled.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
        spooled.close()
        raise ImportFileError(msg("corrupt_zip")) from exc
    spooled.seek(0)
    return spooled
