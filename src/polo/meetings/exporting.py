"""The participation summary as CSV or XLSX: one row per figure."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from polo.meetings.selectors import MeetingFilters

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    # A cell a spreadsheet would run as a formula (CSV injection) is quoted.
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def summary_rows(summary: dict, filters: MeetingFilters) -> list[list[Any]]:
    rows: list[list[Any]] = [[_("Cifra"), _("Grupo"), _("Valor")]]
    for key, value in filters.as_query().items():
        rows.append([_("Filtro"), key, value])
    rows += [
        [_("Encuentros realizados"), "", summary["meetings_held"]],
        [_("Asistencias"), "", summary["attendances"]],
        [_("Personas distintas"), "", summary["people"]],
        [_("Organizaciones representadas"), "", summary["organizations"]],
    ]
    titles = {
        "sex": _("Personas por sexo"),
        "age_band": _("Personas por edad"),
        "sector": _("Personas por sector"),
        "indigenous": _("Personas por autoadscripción indígena"),
    }
    for name, entries in summary["breakdowns"].items():
        for entry in entries:
            rows.append([titles[name], entry["label"], entry["count"]])
    return [[_cell(v) for v in row] for row in rows]


def respond(rows: list[list[Any]], *, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = name[:31]
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
