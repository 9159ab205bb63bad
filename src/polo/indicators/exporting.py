"""An indicator's table as CSV or XLSX: every cell (round × breakdown × group)
as the person downloading may see it — public downloads carry no suppressed
figure, exactly as the page. Labels come from coordinators and forms, so text
that a spreadsheet would run as a formula is defused (a leading apostrophe in
CSV; XLSX cells are written as strings, never formulas)."""

from __future__ import annotations

import csv
import io
import tempfile
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _g

from polo.indicators.models import Cell, Indicator
from polo.indicators.selectors import (
    breakdown_title,
    columns_of,
    exact_scope,
    figure_of,
)

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _g("Indicador"),
        _g("Ronda"),
        _g("Desagregación"),
        _g("Clave"),
        _g("Grupo"),
        _g("Región"),
        _g("Respuestas"),
        _g("Valor"),
        _g("Unidad"),
        _g("Numerador"),
        _g("Denominador"),
        _g("Nota"),
    ]


def rows(indicator: Indicator, user) -> list[list[Any]]:
    cells = list(
        Cell.objects.filter(indicator=indicator)
        .select_related("round")
        .order_by("round__order", "round_id", "breakdown", "position", "key")
    )
    scope = exact_scope(user)
    columns = {c.pk: c.name for c in columns_of(indicator, cells)}
    regions = {c.key: c.label for c in cells if c.breakdown == "region"}
    order = {b: i for i, b in enumerate(indicator.breakdowns)}
    cells.sort(
        key=lambda c: (
            list(columns).index(c.round_id) if c.round_id in columns else 0,
            order.get(c.breakdown, 99),
            c.position,
            c.key,
        )
    )
    titles = {b: breakdown_title(indicator, b) for b in order}
    unit = indicator.unit_label
    out = []
    for cell in cells:
        figure = figure_of(indicator, cell, scope)
        shown = figure.value is not None
        out.append(
            [
                indicator.name,
                columns.get(cell.round_id, ""),
                titles.get(cell.breakdown, cell.breakdown),
                cell.key,
                cell.label,
                regions.get(cell.parent_key, "") if cell.parent_key else "",
                cell.size if shown else None,
                round(cell.value, 6) if shown and cell.value is not None else None,
                unit,
                _number(cell.numerator) if shown else None,
                _number(cell.denominator) if shown else None,
                figure.note if (figure.suppressed or figure.exact) else "",
            ]
        )
    return out


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_bytes(indicator: Indicator, user) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in rows(indicator, user):
        writer.writerow([_safe(value) for value in row])
    # A BOM, so that Excel opens the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_file(indicator: Indicator, user) -> IO[bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(_g("Datos"))
    data.append(header())
    for row in rows(indicator, user):
        cells = []
        for value in row:
            cell = WriteOnlyCell(data, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        data.append(cells)
    about = workbook.create_sheet(_g("Indicador"))
    for label, value in (
        (_g("Indicador"), indicator.name),
        (_g("Descripción"), indicator.description),
        (_g("Unidad"), indicator.unit_label),
        (_g("Dirección"), indicator.get_direction_display()),
        (
            _g("Protección de cifras pequeñas"),
            _g(
                "Las cifras de menos de %(n)s respuestas no se publican, ni las que "
                "permitirían deducirlas."
            )
            % {"n": indicator.min_cell},
        ),
        (
            _g("Calculado"),
            timezone.localtime(indicator.computed_at).strftime("%Y-%m-%d %H:%M")
            if indicator.computed_at
            else "",
        ),
    ):
        text_cell = WriteOnlyCell(about, value=value)
        text_cell.data_type = "s"
        about.append([label, text_cell])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle


def filename(indicator: Indicator, fmt: str) -> str:
    return f"indicador-{indicator.slug}.{fmt}"
