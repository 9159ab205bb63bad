"""Export of codings for staff: one row per code applied to a passage, CSV or
XLSX, with where the passage comes from. Only passages the person may code
(``selectors.passages_visible_to``); the names of participants are not in
Polo's data, and the coder is left out (the trail keeps who coded what)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from polo.qualitative.models import Coding, Passage

CHUNK = 1000
# Cells a spreadsheet would run as a formula (CSV injection) get an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("fuente"),
        _("id_fuente"),
        _("sesión o pregunta"),
        _("fila"),
        _("ronda"),
        _("región"),
        _("clave_municipio"),
        _("municipio"),
        _("comunidad"),
        _("tema"),
        _("nombre_del_tema"),
        _("fragmento"),
        _("inicio"),
        _("fin"),
        _("texto_cambiado"),
        _("cita_publicada"),
        _("codificado"),
    ]


def codings_for(passages: QuerySet[Passage]) -> QuerySet[Coding]:
    return (
        Coding.objects.filter(passage__in=passages.values("pk"))
        .select_related(
            "code__parent",
            "passage__focus_group__municipality__region",
            "passage__focus_group__community",
            "passage__focus_group__round__campaign",
            "passage__response__municipality__region",
            "passage__response__community",
            "passage__response__round__campaign",
        )
        .order_by("passage_id", "code__name", "pk")
    )


def rows(codings: QuerySet[Coding]) -> Iterator[list]:
    for coding in codings.iterator(chunk_size=CHUNK):
        passage = coding.passage
        if passage.focus_group_id:
            source = passage.focus_group
            kind, source_id, where, row = _("grupo focal"), source.pk, source.title, ""
        else:
            source = passage.response
            kind, source_id, where, row = (
                _("respuesta"),
                source.instance_id,
                passage.question,
                passage.row,
            )
        municipality = source.municipality
        yield [
            kind,
            source_id,
            where,
            row,
            str(source.round) if source.round_id else "",
            municipality.region.name if municipality and municipality.region else "",
            municipality.code if municipality else "",
            municipality.name if municipality else "",
            source.community.name if source.community_id else "",
            coding.code.slug,
            str(coding.code),
            passage.text,
            passage.start,
            passage.end,
            _("sí") if passage.is_stale else _("no"),
            _("sí") if passage.is_published else _("no"),
            passage.coded_at.date().isoformat(),
        ]


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(codings: QuerySet[Coding]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers())  # the BOM: Excel reads UTF-8
    for row in rows(codings):
        yield writer.writerow([_safe(value) for value in row])


def xlsx_bytes(codings: QuerySet[Coding]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("codificaciones"))
    sheet.append(headers())
    for row in rows(codings):
        sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
