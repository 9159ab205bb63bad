"""Downloads: one assessment for its organisation (CSV and JSON, the same
figures as its profile page), and the public aggregates (CSV, suppressed
cells left empty with the reason).

CSV files are UTF-8 with a byte-order mark, so that Excel in Mexico opens the
accents right; a cell that a spreadsheet would read as a formula is
prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from polo.assessments.selectors import COMPLEMENTARY, AggregateTable, Profile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def profile_csv(profile: Profile) -> bytes:
    assessment = profile.assessment
    rows: list[list[Any]] = [
        [_("Organización"), assessment.organization.name],
        [_("Estado del autodiagnóstico"), assessment.get_status_display()],
        [_("Modalidad"), assessment.get_mode_display()],
        [
            _("Completado"),
            timezone.localtime(assessment.completed_at).date().isoformat()
            if assessment.completed_at
            else "",
        ],
        [_("Puntaje general (1 a 4)"), profile.overall],
        [],
        [
            _("Área"),
            _("Puntaje"),
            _("Nivel"),
            _("Ítems respondidos"),
            _("Ítems del área"),
            _("Puntaje anterior"),
            _("Cambio"),
        ],
    ]
    for area in profile.areas:
        rows.append(
            [
                area.label,
                area.score,
                area.band,
                area.items_answered,
                area.items_total,
                area.previous,
                area.change,
            ]
        )
    rows += [
        [],
        [
            _("Área"),
            _("Ítem"),
            _("Nivel (1 a 4)"),
            _("Descripción del nivel"),
            _("Peso"),
            _("Evidencia"),
        ],
    ]
    for area in profile.areas:
        for item in area.items:
            evidence = " | ".join(text for _label, text in item.evidence)
            files = " | ".join(attachment.filename for attachment in item.files)
            rows.append(
                [
                    area.label,
                    item.label,
                    item.level,
                    item.level_label,
                    item.weight,
                    " | ".join(part for part in (evidence, files) if part),
                ]
            )
    if profile.exercises:
        rows += [[], [_("Ejercicio"), _("Respuesta")]]
        rows += [[label, text] for label, text in profile.exercises]
    return _csv(rows)


def profile_json(profile: Profile) -> dict[str, Any]:
    assessment = profile.assessment
    return {
        "organization": {"id": assessment.organization_id, "name": assessment.organization.name},
        "status": assessment.status,
        "mode": assessment.mode,
        "started_at": assessment.started_at,
        "completed_at": assessment.completed_at,
        "overall": profile.overall,
        "previous_overall": profile.previous_overall,
        "areas": [
            {
                "area": area.slug,
                "label": area.label,
                "score": area.score,
                "items_answered": area.items_answered,
                "items_total": area.items_total,
                "previous": area.previous,
                "change": area.change,
                "items": [
                    {
                        "item": item.name,
                        "label": item.label,
                        "level": item.level,
                        "weight": item.weight,
                        "weak": item.weak,
                        "evidence": [text for _label, text in item.evidence],
                    }
                    for item in area.items
                ],
            }
            for area in profile.areas
        ],
        "strongest": [area.slug for area in profile.strongest],
        "weakest": [area.slug for area in profile.weakest],
    }


def aggregate_csv(table: AggregateTable) -> bytes:
    reasons = {
        "small": _("menos de %(n)s organizaciones") % {"n": table.min_size},
        COMPLEMENTARY: _("oculto para proteger otra cifra"),
    }
    header = [table.title, _("Organizaciones"), _("Puntaje general")]
    for _slug, label in table.areas:
        header += [label, _("%(area)s: organizaciones") % {"area": label}]
    rows: list[list[Any]] = [header]
    for row in [*table.rows, table.total]:
        line: list[Any] = [
            row.label,
            row.n if not row.overall.suppressed else "",
            row.overall.mean if row.overall.shown else reasons.get(row.overall.suppressed, ""),
        ]
        for cell in row.cells:
            line += [
                cell.mean if cell.shown else reasons.get(cell.suppressed, ""),
                cell.n if not cell.suppressed else "",
            ]
        rows.append(line)
    rows += [
        [],
        [
            _(
                "Promedio de los puntajes (1 a 4) del autodiagnóstico más reciente de cada "
                "organización. No se publica ninguna cifra de menos de %(n)s organizaciones."
            )
            % {"n": table.min_size}
        ],
    ]
    return _csv(rows)
