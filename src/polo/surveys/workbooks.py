"""Build an XLSForm workbook from rows: the demo's instruments are written as
Python tables (readable and reviewable in the repository) and turned into the
.xlsx a coordinator would upload; the tests build their forms the same way."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook


def xlsform_bytes(sheets: Mapping[str, Iterable[Sequence[Any]]]) -> bytes:
    """An .xlsx with one sheet per entry (survey, choices, settings), the first
    row of each being its header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
